// 支払処理 (#/payments, #/payments/{id}) for the accounting office (会計室):
// choose the 振込指定日, preview the orders that would be paid and those
// refused with the reason (GET /api/v1/payment-runs/preview), create the
// run (POST /api/v1/payment-runs), then on the run's page download the 全銀
// file and the CSV for 財務会計, confirm it once the bank accepted the file
// or cancel it before that; past runs listed newest first. Auditors see the
// runs and files only. Every decision is the server's.

import {api, departmentNames, query} from '../api.js';
import {h, replace, table} from '../dom.js';
import {yen, count, date, time, stateName} from '../format.js';

const PAGE = 20;
const RUN_STATES = {recorded: '作成済（未確定）', confirmed: '確定（支払済）', cancelled: '取消'};
const RULES = {registration_and_number: '登録番号と請求書番号が同じ', vendor_date_total: '債権者・請求日・金額が同じ'};

function mayRun(user) {
  return user.roles.includes('accountant');
}

function runState(state) {
  const kind = state === 'confirmed' ? 'badge-good' : state === 'cancelled' ? 'badge-warn' : 'badge-state';
  return h('span', {class: 'badge ' + kind}, RUN_STATES[state] || state);
}

function orderLink(id) {
  return h('a', {href: '#/orders/' + encodeURIComponent(id)}, id);
}

function alertBox(message) {
  return h('div', {class: 'error-box', role: 'alert'}, h('p', {}, message));
}

// "0005:123:1:1234567" → "0005-123 普通 1234567".
function account(a) {
  const [bank, branch, type, number] = (a || '').split(':');
  const types = {1: '普通', 2: '当座', 4: '貯蓄', 9: 'その他'};
  return number ? `${bank}-${branch} ${types[type] || type} ${number}` : a;
}

// The other orders an order looks like (二重払いのおそれ), with links.
export function duplicateList(duplicates) {
  if (!duplicates || duplicates.length === 0) return null;
  return h('ul', {class: 'duplicate-list'}, duplicates.map(d => h('li', {},
    '支出命令 ', orderLink(d.order_id), '（', stateName(d.state), '）・請求書 ',
    h('a', {href: '#/invoices/' + encodeURIComponent(d.document_id)}, d.document_id),
    ' — ', RULES[d.rule] || d.rule, '（', d.detail, '）')));
}

function lineColumns(departments) {
  return [
    {label: '支出命令', class: 'nowrap', cell: l => orderLink(l.order_id)},
    {label: '課', class: 'nowrap', cell: l => departments.get(l.department) || l.department},
    {label: '債権者', cell: l => [l.vendor_name, h('div', {class: 'field-help'}, l.vendor_id)]},
    {label: '振込先口座', class: 'nowrap', cell: l => account(l.bank_account)},
    {label: '口座名義', cell: l => l.account_holder},
    {label: '金額', class: 'num', cell: l => yen(l.amount)},
  ];
}

function refusedSection(refused) {
  if (!refused || refused.length === 0) return null;
  return h('section', {'aria-labelledby': 'refused-title'},
    h('h2', {id: 'refused-title'}, `支払から外した支出命令（${count(refused.length)}件）`),
    h('p', {class: 'hint'}, '理由を解消すると、次の支払処理に入ります。'),
    table('支払から外した支出命令と理由', [
      {label: '支出命令', class: 'nowrap', cell: r => orderLink(r.order_id)},
      {label: '債権者', class: 'nowrap', cell: r => r.vendor_id},
      {label: '理由', cell: r => r.duplicates && r.duplicates.length
        ? [h('strong', {}, '二重払いのおそれ'), duplicateList(r.duplicates)] : r.reason},
    ], refused));
}

function totals(run) {
  return h('dl', {class: 'facts payment-totals'},
    h('dt', {}, '振込指定日'), h('dd', {}, date(run.date)),
    h('dt', {}, '件数'), h('dd', {}, `${count(run.count)}件`),
    h('dt', {}, '合計金額'), h('dd', {class: 'amount'}, yen(run.total)));
}

async function preview(ctx, day, out, departments) {
  replace(out, h('p', {class: 'loading'}, '読み込み中…'));
  let run;
  try {
    run = await api.get('/api/v1/payment-runs/preview' + query({date: day}));
  } catch (e) {
    replace(out, alertBox(e.message));
    return;
  }
  const create = run.count > 0 && mayRun(ctx.user)
    ? h('form', {class: 'button-row', onsubmit: async (e) => {
      e.preventDefault();
      e.submitter && (e.submitter.disabled = true);
      try {
        const made = await api.post('/api/v1/payment-runs', {date: day});
        ctx.flash(`支払処理 ${made.id} を作成しました。全銀ファイルを銀行へ渡し、受け付けられたら確定してください。`, 'success');
        ctx.go('/payments/' + encodeURIComponent(made.id));
      } catch (err) {
        replace(out, alertBox(err.status === 409 ? err.message + '（再読み込みしてください）' : err.message));
      }
    }}, h('button', {type: 'submit', class: 'btn btn-primary'}, 'この内容で支払処理を作成する'))
    : null;
  replace(out,
    h('section', {'aria-labelledby': 'preview-title'},
      h('h2', {id: 'preview-title'}, '支払う支出命令（確認）'), totals(run),
      table('支払う支出命令', lineColumns(departments), run.lines, 'この日に支払える支出命令はありません。'),
      create),
    refusedSection(run.refused));
}

function runList(runs, page) {
  const shown = runs.slice((page - 1) * PAGE, page * PAGE);
  const pages = Math.max(1, Math.ceil(runs.length / PAGE));
  const link = (p, label) => h('a', {href: '#/payments' + query({page: p}), class: 'btn'}, label);
  return h('section', {'aria-labelledby': 'runs-title'},
    h('h2', {id: 'runs-title'}, '過去の支払処理'),
    table('支払処理の一覧（新しい順）', [
      {label: '番号', class: 'nowrap', cell: r => h('a', {href: '#/payments/' + encodeURIComponent(r.id)}, r.id)},
      {label: '振込指定日', class: 'nowrap', cell: r => date(r.date)},
      {label: '件数', class: 'num', cell: r => `${count(r.count)}件`},
      {label: '合計金額', class: 'num', cell: r => yen(r.total)},
      {label: '状態', class: 'nowrap', cell: r => runState(r.state)},
      {label: '作成', class: 'nowrap', cell: r => [r.created_by, h('div', {class: 'field-help'}, time(r.created_at))]},
    ], shown, 'まだ支払処理はありません。'),
    pages > 1 ? h('nav', {class: 'pager', 'aria-label': 'ページ'},
      page > 1 ? link(page - 1, '前のページ') : null, h('span', {}, `${page} / ${pages} ページ`),
      page < pages ? link(page + 1, '次のページ') : null) : null);
}

function nextWeekday() {
  const d = new Date(Date.now() + 9 * 3600 * 1000);  // today in Japan
  do d.setUTCDate(d.getUTCDate() + 1); while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

async function renderList(ctx) {
  document.title = '支払処理 — kura';
  const [list, departments] = await Promise.all([api.get('/api/v1/payment-runs'), departmentNames()]);
  const out = h('div', {class: 'payment-preview'});
  const day = ctx.query.get('date') || nextWeekday();
  const form = mayRun(ctx.user) ? h('form', {class: 'filters payment-form', 'aria-label': '振込指定日', onsubmit: (e) => {
    e.preventDefault();
    preview(ctx, e.target.elements['pay-date'].value, out, departments);
  }},
  h('div', {class: 'field'}, h('label', {for: 'pay-date'}, '振込指定日'),
    h('input', {id: 'pay-date', name: 'pay-date', type: 'date', required: true, value: day})),
  h('div', {class: 'field field-button'}, h('button', {type: 'submit', class: 'btn'}, '支払う支出命令を確認する'))) : null;
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 支払処理'),
    h('h1', {}, '支払処理'),
    mayRun(ctx.user) ? h('p', {class: 'lead'}, '審査済（支払待ち）の支出命令から、銀行へ渡す全銀ファイル（総合振込）と財務会計へのCSVを作ります。') : null,
    form, out, runList(list.items, Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1)));
}

function closeForms(ctx, run, show) {
  if (run.state !== 'recorded' || !mayRun(ctx.user)) return null;
  const reload = () => ctx.go('/payments/' + encodeURIComponent(run.id));
  const fail = (err) => show(alertBox(err.status === 409 ? err.message + '（再読み込みしてください）' : err.message));
  return h('section', {class: 'actions-panel', 'aria-labelledby': 'close-title'},
    h('h2', {id: 'close-title'}, '確定・取消'),
    h('form', {class: 'action-box', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api.post(`/api/v1/payment-runs/${encodeURIComponent(run.id)}/confirm`, {});
        ctx.flash(`支払処理 ${run.id} を確定しました。${count(run.count)}件の支出命令が支払済になりました。`, 'success');
        reload();
      } catch (err) { fail(err); }
    }}, h('p', {}, '銀行が全銀ファイルを受け付けたら確定してください。すべての支出命令が支払済になります。確定後は取り消せません。'),
    h('button', {type: 'submit', class: 'btn btn-primary'}, '銀行が受け付けたので確定する')),
    h('form', {class: 'action-box', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api.post(`/api/v1/payment-runs/${encodeURIComponent(run.id)}/cancel`, {reason: e.target.elements['cancel-reason'].value});
        ctx.flash(`支払処理 ${run.id} を取り消しました。支出命令は次の支払処理に入れられます。`, 'success');
        reload();
      } catch (err) { fail(err); }
    }}, h('div', {class: 'field'}, h('label', {for: 'cancel-reason'}, '取消の理由'),
      h('textarea', {id: 'cancel-reason', name: 'cancel-reason', rows: 2, required: true})),
    h('button', {type: 'submit', class: 'btn btn-danger'}, '確定前の支払処理を取り消す')));
}

async function renderRun(ctx, id) {
  document.title = `支払処理 ${id} — kura`;
  const [run, departments] = await Promise.all([
    api.get('/api/v1/payment-runs/' + encodeURIComponent(id)), departmentNames()]);
  const base = '/api/v1/payment-runs/' + encodeURIComponent(run.id);
  const problem = h('div', {class: 'notice-area'});
  const show = (el) => replace(problem, el);
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › ', h('a', {href: '#/payments'}, '支払処理'), ' › ', run.id),
    h('h1', {}, '支払処理 ', run.id, ' ', runState(run.state)),
    problem,
    totals(run),
    h('dl', {class: 'facts'},
      h('dt', {}, '作成'), h('dd', {}, `${run.created_by}（${time(run.created_at)}）`),
      run.closed_at ? [h('dt', {}, run.state === 'confirmed' ? '確定' : '取消'),
        h('dd', {}, `${run.closed_by}（${time(run.closed_at)}）`)] : null,
      run.cancel_reason ? [h('dt', {}, '取消の理由'), h('dd', {}, run.cancel_reason)] : null),
    h('section', {'aria-labelledby': 'files-title'},
      h('h2', {id: 'files-title'}, 'ファイル'),
      h('ul', {class: 'payment-files'},
        h('li', {}, h('a', {href: base + '/zengin', download: `${run.id}-zengin.txt`, class: 'btn'}, '全銀ファイル（総合振込）をダウンロード'),
          h('span', {class: 'field-help mono'}, ' SHA-256: ', run.zengin_sha256)),
        h('li', {}, h('a', {href: base + '/csv', download: `${run.id}-zaimu.csv`, class: 'btn'}, '財務会計へのCSVをダウンロード'),
          h('span', {class: 'field-help mono'}, ' SHA-256: ', run.csv_sha256)))),
    closeForms(ctx, run, show),
    h('section', {'aria-labelledby': 'lines-title'},
      h('h2', {id: 'lines-title'}, '支払う支出命令'),
      table('この支払処理の支出命令', lineColumns(departments), run.lines)));
}

export async function render(ctx) {
  if (ctx.params[0]) return renderRun(ctx, ctx.params[0]);
  return renderList(ctx);
}
