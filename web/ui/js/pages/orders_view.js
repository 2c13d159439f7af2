// 支出命令 (#/orders/P2026-0001): the order's header, what this person may do
// now (only the API's available_actions), the ○/× table, the route
// (承認経路) with who and when, and the history. Actions are POST
// /api/v1/payment-orders/{id}/actions with the version shown; a stale
// version (409) offers 再読み込み.

import {duplicateList} from './payments.js';
import {api, departmentNames} from '../api.js';
import {h, replace} from '../dom.js';
import {yen, date, time, stateName, deadlineName} from '../format.js';
import {ACCOUNTING_FIELDS, ACTIONS, CHECKLIST, EXPENSE_TYPES, FIELDS, bankAccount, matchTable, showError}
  from './orders_common.js';
import {actionForms} from './orders_actions.js';

function deadlineBadge(order) {
  const d = order.deadline;
  const cls = d === 'overdue' ? 'badge badge-bad' : d === 'due_soon' ? 'badge badge-warn'
    : d === 'paid' ? 'badge badge-good' : 'badge';
  return h('span', {class: cls}, deadlineName(d));
}

function dueText(order) {
  const c = order.payment_clock || {};
  if (order.deadline === 'stopped') {
    return ['—（請求書の不備で差し戻したため停止中。', date(c.stopped_on), ' から）'];
  }
  return [date(c.due_date), ' ', deadlineBadge(order),
    h('div', {class: 'field-help'}, `受付 ${date(c.received_on)} から ${c.allowed_days} 日以内（支払遅延防止法）`),
    c.paid_on ? h('div', {class: 'field-help'}, `支払日 ${date(c.paid_on)}`) : null];
}

function header(order, departments) {
  const c = order.commitment || {};
  const row = (label, ...value) => h('div', {class: 'fact'}, h('dt', {}, label), h('dd', {}, ...value));
  return h('dl', {class: 'facts facts-grid'},
    row('番号', order.id),
    row('課', departments.get(order.department) || order.department),
    row('取引先', order.counterparty || '—', h('div', {class: 'field-help'}, `債権者番号 ${order.vendor_id}`)),
    row('金額', h('strong', {class: 'amount'}, yen(order.amount))),
    row('状態', h('span', {class: 'badge badge-state'}, stateName(order.state))),
    row('支払期限', ...dueText(order)),
    row('請求書', h('a', {href: '#/invoices/' + encodeURIComponent(order.document_id)},
      order.invoice_number || order.document_id), h('div', {class: 'field-help'},
      `書類 ${order.document_id}・請求日 ${date(order.issue_date)}`)),
    row('支出負担行為', `${order.commitment_id} ${c.description || ''}`,
      h('div', {class: 'field-help'}, `残額 ${yen(c.remaining)}（契約額 ${yen(c.amount)}）`)),
    row('予算科目・年度', `${order.budget_line}（${order.fiscal_year}年度・${EXPENSE_TYPES[order.expense_type] || order.expense_type}）`),
    row('振込先口座', bankAccount(order.bank_account), h('div', {class: 'field-help'}, '債権者マスタの口座')),
    row('起票者', order.drafter));
}

function stepStatus(status) {
  if (status === 'approved') return h('span', {class: 'badge badge-good'}, '承認済');
  if (status === 'current') return h('span', {class: 'badge badge-warn'}, '承認待ち');
  return h('span', {class: 'badge'}, '未着手');
}

function who(login, substituteFor) {
  if (!login) return '—';
  return substituteFor ? [login, h('div', {class: 'field-help'}, `代決（${substituteFor}の代わりに承認）`)] : login;
}

// The accounting office's review and the payment as the last steps.
function reviewRows(order) {
  const reviewed = ['accepted', 'paid'].includes(order.state);
  const accepted = [...order.history].reverse().find(e => e.action === 'accept');
  const paid = [...order.history].reverse().find(e => e.action === 'pay');
  return [
    h('tr', {},
      h('td', {}, order.route.length + 1), h('th', {scope: 'row'}, '会計審査（会計室）'),
      h('td', {}, reviewed ? h('span', {class: 'badge badge-good'}, '審査済')
        : order.state === 'accounting_review' ? h('span', {class: 'badge badge-warn'}, '審査待ち')
          : h('span', {class: 'badge'}, '未着手')),
      h('td', {}, order.accepted_by || '—'), h('td', {}, accepted ? time(accepted.at) : '—')),
    h('tr', {},
      h('td', {}, order.route.length + 2), h('th', {scope: 'row'}, '支払（会計室）'),
      h('td', {}, order.state === 'paid' ? h('span', {class: 'badge badge-good'}, '支払済')
        : order.state === 'accepted' ? h('span', {class: 'badge badge-warn'}, '支払待ち')
          : h('span', {class: 'badge'}, '未着手')),
      h('td', {}, order.paid_by || '—'), h('td', {}, paid ? time(paid.at) : '—')),
  ];
}

function routeTable(order) {
  return h('table', {class: 'list route-table'},
    h('caption', {class: 'visually-hidden'}, '承認経路'),
    h('thead', {}, h('tr', {}, ['順', '決裁', '状態', '承認者', '日時'].map(l => h('th', {scope: 'col'}, l)))),
    h('tbody', {},
      order.route.map((s, i) => h('tr', {class: s.status === 'current' ? 'current-step' : null},
        h('td', {}, i + 1), h('th', {scope: 'row'}, s.title), h('td', {}, stepStatus(s.status)),
        h('td', {}, who(s.approved_by, s.substitute_for)), h('td', {}, time(s.approved_at)))),
      reviewRows(order)));
}

function historyTable(order) {
  const rows = [...order.history].reverse();
  return h('table', {class: 'list history-table'},
    h('caption', {class: 'visually-hidden'}, '履歴'),
    h('thead', {}, h('tr', {}, ['日時', '操作', '担当者', '状態', 'コメント・理由'].map(l => h('th', {scope: 'col'}, l)))),
    h('tbody', {}, rows.map(e => h('tr', {},
      h('td', {class: 'nowrap'}, time(e.at)),
      h('td', {}, ACTIONS[e.action] || e.action, e.step ? `（${e.step}）` : '',
        e.defect ? h('div', {class: 'field-help'}, '請求書の不備') : null),
      h('td', {}, who(e.actor, e.substitute_for)),
      h('td', {}, e.from ? `${stateName(e.from)} → ${stateName(e.to)}` : stateName(e.to)),
      h('td', {class: 'comment'}, e.comment || '—')))));
}

function checklistResult(order) {
  if (!order.checklist || order.checklist.length === 0) return null;
  const answers = new Map(order.checklist.map(a => [a.item, a]));
  return h('section', {'aria-labelledby': 'checklist-title'},
    h('h2', {id: 'checklist-title'}, '会計審査の確認項目'),
    h('ul', {class: 'checklist-result'}, CHECKLIST.map(c => {
      const a = answers.get(c.item);
      const ok = a && a.confirmed;
      return h('li', {}, h('span', {class: ok ? 'mark mark-ok' : 'mark mark-ng'}, ok ? '✓ 確認済' : '未確認'),
        ' ', c.label, a && a.note ? `（${a.note}）` : '');
    })));
}

// A note under the ○/× table on who settles which × (the accounting
// office's own forms say it to them).
function matchNotes(order, user) {
  const acct = order.accounting_required || [];
  if (acct.length === 0 || user.roles.includes('accountant')) return null;
  return h('p', {class: 'notice notice-warn'},
    acct.map(f => (FIELDS[f] || {label: f}).label).join('・'),
    'の × は会計室だけが確認します（担当課では確認できません）。',
    '会計室が確認するまで、審査完了・支払はできません。');
}

// The 国税庁 registry check of the invoice (issue 16): × with the reasons
// and the source attribution the 公共データ利用規約 asks for.
function registryNote(r) {
  if (!r || r.ok || r.status === 'no_registry') return null;
  return h('div', {class: 'error-box registry-box', role: 'note'},
    h('p', {}, h('strong', {}, '× 適格請求書発行事業者の公表データ: '), (r.reasons || []).join('／')),
    h('p', {}, r.attribution, '（', r.snapshot.id, '）'));
}

export async function render(ctx) {
  const id = ctx.params[0];
  document.title = `支出命令 ${id} — kura`;
  const path = '/orders/' + encodeURIComponent(id);
  const [order, departments] = await Promise.all([
    api.get('/api/v1/payment-orders/' + encodeURIComponent(id)), departmentNames()]);
  const reload = () => ctx.go(path);
  const forms = actionForms(ctx, order, {departments, reload, path, showError});
  const returned = order.state === 'draft' && order.last_return_reason;
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 支出命令 ', order.id),
    h('h1', {}, '支出命令 ', order.id, ' ', h('span', {class: 'badge badge-state h1-badge'}, stateName(order.state))),
    returned ? h('div', {class: 'error-box return-box', role: 'note'},
      h('strong', {}, '差戻し理由: '), order.last_return_reason) : null,
    order.duplicates && order.duplicates.length ? h('div', {class: 'error-box duplicate-box', role: 'alert'},
      h('p', {}, h('strong', {}, '二重払いのおそれ: '), '同じ請求書と見られる支出命令があります。どちらかを取り下げるまで、この支出命令は支払えません。'),
      duplicateList(order.duplicates)) : null,
    order.payment_run ? h('p', {class: 'notice notice-info'}, 'この支出命令は支払処理 ',
      h('a', {href: '#/payments/' + encodeURIComponent(order.payment_run)}, order.payment_run),
      '（未確定）に入っています。確定すると支払済になります。') : null,
    registryNote(order.registry),
    header(order, departments),
    // What is judged first (the ○/× table), then what this person may do.
    forms.submit || h('section', {'aria-labelledby': 'match-title'},
      h('h2', {id: 'match-title'}, '照合結果（○/×）'),
      matchTable(order.match, {order, departments, captionHidden: true,
        caption: '請求書と支出負担行為・債権者マスタの照合',
        extra: m => m.status === 'mismatch' && ACCOUNTING_FIELDS.includes(m.field) &&
          (order.accounting_required || []).includes(m.field)
          ? h('div', {class: 'ack-note ack-accounting'}, '会計室の確認待ち') : null}),
      matchNotes(order, ctx.user)),
    forms.panel,
    h('section', {'aria-labelledby': 'route-title'},
      h('h2', {id: 'route-title'}, '承認経路'),
      h('p', {class: 'hint'}, order.round > 0 ? `提出 ${order.round} 回目の承認経路です（差し戻されると最初からやり直します）。` : 'まだ提出されていません。'),
      routeTable(order)),
    checklistResult(order),
    h('section', {'aria-labelledby': 'history-title'},
      h('h2', {id: 'history-title'}, '履歴（新しい順）'), historyTable(order)));
}
