// 請求書 詳細 (#/invoices/{id}): the original as received (an XML invoice
// rendered from its bytes, a PDF's pages) with the download of its exact
// bytes; the fields read or entered, with Japanese labels; warnings;
// receipts (who, when, how); the time-stamp checked; corrections with what
// they changed; the document's history; the 国税庁 registry's word on its
// registration number as of its date (doc.registry), with the source the
// 公共データ利用規約 asks to be named. Buttons only for what the server
// says this person may do (may_draft_order, may_correct).

import {departmentNames} from '../api.js';
import {h, replace} from '../dom.js';
import {date, stateName, time} from '../format.js';
import {
  FIELD_LABELS, amountText, KIND_NAMES, actorName, eventName, fieldText, kindOf, loadDocument, showOriginal,
  sourceName, warningsBox,
} from './invoice_common.js';

// The fields shown, in this order (the search keys of 電子帳簿保存法 first).
const SHOWN_FIELDS = [
  'issue_date', 'total', 'counterparty', 'registration_number', 'due_date', 'bank_account',
  'tax_subtotals', 'tax_inclusive_total', 'invoice_number', 'buyer', 'document_type', 'format',
  'currency', 'page_count',
];

function fieldsList(fields) {
  // A page count only for what has pages (PDFs, scans).
  const shown = SHOWN_FIELDS.filter(name => name in fields && !(name === 'page_count' && fields[name] === null));
  return h('dl', {class: 'fields'}, shown.map(name => [
    h('dt', {}, FIELD_LABELS[name]),
    h('dd', {class: fields[name] === null || fields[name] === '' ? 'muted' : null},
      fieldText(name, fields[name], fields.currency))]));
}

function actions(doc) {
  const id = encodeURIComponent(doc.id);
  const buttons = [];
  if (doc.order) {
    buttons.push(h('a', {class: 'btn', href: '#/orders/' + encodeURIComponent(doc.order.id)},
      `支出命令 ${doc.order.id}（${stateName(doc.order.state)}）を開く`));
  }
  if (doc.may_draft_order) {
    buttons.push(h('a', {class: 'btn btn-primary', href: `#/orders/new?document=${id}`}, '支出命令を起票'));
  }
  if (doc.may_correct) {
    buttons.push(h('a', {class: doc.current?.fields?.needs_metadata ? 'btn btn-primary' : 'btn',
      href: `#/invoices/${id}/entry`}, '項目入力・訂正'));
  }
  // Why a button is missing, where the person could otherwise press it:
  // no total to pay yet; an order under way that holds the invoice.
  const notes = [];
  if (!doc.may_draft_order && doc.draft_refusal && !doc.order) notes.push(doc.draft_refusal);
  if (!doc.may_correct && doc.order && (doc.correct_refusal || '').includes(doc.order.id)) {
    notes.push(doc.correct_refusal);
  }
  if (buttons.length === 0 && notes.length === 0) return null;
  return h('div', {class: 'detail-actions'},
    buttons.length ? h('div', {class: 'button-row'}, buttons) : null,
    notes.map(n => h('p', {class: 'hint'}, n)));
}

// Who received it, when and how (電子帳簿保存法): one block per receipt.
function receiptsSection(receipts, departments) {
  return h('section', {class: 'panel', 'aria-labelledby': 'rcpt-title'},
    h('h2', {id: 'rcpt-title'}, '受領の記録'),
    receipts.map(r => h('div', {class: 'receipt'},
      receipts.length > 1 ? h('h3', {}, `${r.number} 回目の受領`) : null,
      h('dl', {class: 'fields'},
        h('dt', {}, '受領日時'), h('dd', {}, time(r.received_at)),
        h('dt', {}, '受領者'), h('dd', {}, actorName(r.receiver)),
        h('dt', {}, '経路'), h('dd', {}, sourceName(r.source, r.receiver)),
        h('dt', {}, '課'), h('dd', {}, departments.get(r.department) || r.department || '—'),
        h('dt', {}, 'ファイル名'), h('dd', {class: 'break'}, r.file_name)))));
}

function timestampBox(t) {
  if (!t) return null;
  const rows = [];
  let badge;
  if (t.status === 'verified') {
    badge = h('span', {class: 'badge badge-good'}, '有効（検証済み）');
    rows.push(['時刻', time(t.gen_time)], ['発行元', t.tsa === 'builtin' ? 'kura 内蔵の時刻認証局' : t.tsa]);
    if (t.batch) rows.push(['方式', 'まとめて付与（バッチ）']);
  } else if (t.status === 'pending') {
    badge = h('span', {class: 'badge badge-warn'}, '付与待ち');
    rows.push(['待ち始め', time(t.pending_since)], ['試行回数', `${t.attempts} 回`],
      ['次の試行', time(t.next_attempt)]);
    if (t.last_error) rows.push(['前回の結果', t.last_error]);
  } else if (t.status === 'invalid') {
    badge = h('span', {class: 'badge badge-bad'}, '検証できません');
    rows.push(['時刻', time(t.gen_time)], ['理由', t.problem]);
  } else {
    badge = h('span', {class: 'badge'}, 'なし');
  }
  return h('section', {class: 'panel', 'aria-labelledby': 'ts-title'},
    h('h2', {id: 'ts-title'}, 'タイムスタンプ ', badge),
    t.status === 'pending' ? h('p', {class: 'hint'},
      '時刻認証局に接続できなかったため、自動で再試行しています。原本は受領時のまま保存されています。') : null,
    rows.length ? h('dl', {class: 'fields'}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null);
}

function changeList(changes, currency) {
  const entries = Object.entries(changes || {});
  if (entries.length === 0) return '—';
  return h('ul', {class: 'changes'}, entries.map(([name, c]) => h('li', {},
    h('span', {class: 'change-field'}, FIELD_LABELS[name] || name), ': ',
    fieldText(name, c.from, currency), ' → ', h('strong', {}, fieldText(name, c.to, currency)))));
}

function correctionsSection(history, currency) {
  const corrections = history.filter(e => e.kind === 'corrected');
  return h('section', {'aria-labelledby': 'corr-title'},
    h('h2', {id: 'corr-title'}, '訂正の履歴'),
    corrections.length === 0 ? h('p', {class: 'empty'}, '項目の入力・訂正はまだありません（受領時に読み取った内容のままです）。')
      : h('table', {class: 'list compact corrections'},
        h('thead', {}, h('tr', {}, ['版', '日時', '入力者', '理由', '変更した項目'].map(l => h('th', {scope: 'col'}, l)))),
        h('tbody', {}, corrections.map(e => h('tr', {},
          h('td', {}, `第 ${e.version} 版`), h('td', {}, time(e.at)), h('td', {}, actorName(e.actor)),
          h('td', {}, e.reason || '—'), h('td', {}, changeList(e.changes, currency)))))));
}

function eventDetail(e) {
  if (e.kind === 'received' || e.kind === 'received_again') {
    return `${sourceName(e.source, e.actor)}・${e.file_name || ''}`;
  }
  if (e.kind === 'corrected') return `第 ${e.version} 版・理由: ${e.reason || '—'}`;
  if (e.kind.startsWith('order.')) {
    return [h('a', {href: '#/orders/' + encodeURIComponent(e.order_id)}, e.order_id),
      e.to ? `（${stateName(e.to)}）` : '', e.reason ? `・${e.reason}` : ''];
  }
  return '';
}

function historySection(history) {
  return h('section', {'aria-labelledby': 'hist-title'},
    h('h2', {id: 'hist-title'}, '経過（この請求書の記録）'),
    h('table', {class: 'list compact'},
      h('thead', {}, h('tr', {}, ['日時', '内容', '担当', '詳細'].map(l => h('th', {scope: 'col'}, l)))),
      h('tbody', {}, history.map(e => h('tr', {},
        h('td', {class: 'nowrap'}, time(e.at)), h('td', {}, eventName(e.kind)),
        h('td', {}, e.kind === 'timestamped' ? '時刻認証局' : actorName(e.actor)),
        h('td', {}, eventDetail(e)))))));
}

// The same invoice received by another channel (a paper scan of an
// electronic invoice, or the reverse): never pay it twice.
function duplicatesBox(duplicates) {
  if (!duplicates || duplicates.length === 0) return null;
  return h('div', {class: 'notice notice-warn duplicate-notice', role: 'alert', 'aria-label': '二重受領の疑い'},
    h('p', {class: 'notice-title'}, '二重受領の疑い（二重払いに注意）'),
    h('ul', {}, duplicates.map(d => h('li', {},
      d.message, ' ', h('a', {href: '#/invoices/' + encodeURIComponent(d.id)}, d.id),
      d.order_id ? `（支出命令 ${d.order_id} あり）` : ''))));
}

// The registry check (GET /api/v1/documents/{id} "registry",
// workflow::CheckRegistration): a badge for its result in Japanese, the
// registered name and dates, the reasons, and the snapshot it used.
const REGISTRY_BADGES = {
  valid: ['登録あり（請求書の日付で有効）', 'badge-good'],
  not_found: ['公表データにない番号', 'badge-bad'],
  not_yet_registered: ['請求書の日付ではまだ登録前', 'badge-bad'],
  cancelled: ['登録取消', 'badge-bad'],
  expired: ['登録失効', 'badge-bad'],
  no_number: ['登録番号の記載なし', 'badge-warn'],
  no_date: ['日付がなく確認できない', 'badge-warn'],
  no_registry: ['公表データ未取込', ''],
};

function registryBox(r, needsMetadata) {
  if (!r) return null;
  // Keys not entered yet (a scan, a PDF without data): nothing to check.
  if (needsMetadata && (r.status === 'no_number' || r.status === 'no_date')) {
    return h('section', {class: 'panel registry-check', 'aria-labelledby': 'reg-title'},
      h('h2', {id: 'reg-title'}, '適格請求書発行事業者の確認 ', h('span', {class: 'badge'}, '項目入力後に確認')),
      h('p', {class: 'hint'}, '取引年月日と登録番号を入力すると、その日付で登録が有効だったかを国税庁の公表データで確かめます。'));
  }
  const [label, cls] = REGISTRY_BADGES[r.status] || [r.status, ''];
  const badges = [h('span', {class: `badge ${cls}`}, label)];
  if (r.name_matches === false) badges.push(' ', h('span', {class: 'badge badge-bad'}, '名称不一致'));
  if (r.lapsed_on) badges.push(' ', h('span', {class: 'badge badge-warn'}, 'のちに取消・失効'));
  const rows = [];
  if (r.number) rows.push(['登録番号', r.number]);
  if (r.date) rows.push(['確認した日付', date(r.date)]);
  if (r.registered_name) rows.push(['公表名称', r.registered_name]);
  if (r.kind) rows.push(['人格区分', r.kind === '1' ? '個人' : '法人（人格のない社団等を含む）']);
  if (r.registered_on) rows.push(['登録年月日', date(r.registered_on)]);
  if (r.cancelled_on) rows.push(['取消年月日', date(r.cancelled_on)]);
  if (r.expired_on) rows.push(['失効年月日', date(r.expired_on)]);
  if (r.lapsed_on) rows.push(['注意', `請求書の日付の後、${date(r.lapsed_on)} に登録が取消・失効しています（この請求書の日付では有効）。`]);
  const snap = r.snapshot || {};
  const imported = snap.seq ? [
    `${snap.id}・${snap.kind === 'diff' ? `差分 ${date(snap.diff_date)} まで反映` : '全件'}・取込 ${time(snap.imported_at)}`] : [];
  const problems = r.ok ? [] : (r.reasons || []).filter(Boolean);
  return h('section', {class: 'panel registry-check', 'aria-labelledby': 'reg-title'},
    h('h2', {id: 'reg-title'}, '適格請求書発行事業者の確認 ', ...badges),
    problems.length ? h('ul', {class: 'registry-reasons'}, problems.map(p => h('li', {}, p))) : null,
    rows.length ? h('dl', {class: 'fields'}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null,
    r.status === 'no_registry'
      ? h('p', {class: 'hint'}, '会計室が国税庁の公表データを取り込むと、請求書の日付で登録が有効だったかをここに表示します。')
      : imported.length ? h('p', {class: 'registry-attribution'}, r.attribution, `（${imported[0]}）`) : null);
}

// A scan's input deadline (スキャナ保存): 入力期限間近 / 入力期限超過 / 入力済み.
function inputDeadlineBadge(d) {
  if (!d) return null;
  const cls = d.status === 'overdue' ? 'badge badge-bad' : d.status === 'due_soon' ? 'badge badge-warn' : 'badge';
  const text = d.status === 'entered' ? `${d.label}${d.entered_late ? '（期限後）' : ''}` : `${d.label}（${date(d.due)} まで）`;
  return h('span', {class: cls + ' input-deadline'}, text);
}

export async function render(ctx) {
  const id = ctx.params[0];
  document.title = `請求書 ${id} — kura`;
  const [doc, departments] = await Promise.all([loadDocument(id, ctx.main), departmentNames()]);
  if (!doc) return;
  const fields = doc.current ? doc.current.fields : {};
  const receipt = doc.receipts[0] || {};
  const kind = kindOf(doc.record.media_type, receipt.source, fields.format);
  const original = h('div', {class: 'original-area', id: 'original'});
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › ', h('a', {href: '#/invoices'}, '請求書'), ' › ', doc.id),
    h('h1', {}, `請求書 ${doc.id}`, ' ', h('span', {class: 'count'},
      [fields.counterparty || '取引先未入力', fields.total ? amountText(fields.total, fields.currency) : '金額未入力'].join('・'))),
    h('p', {class: 'status-line'},
      h('span', {class: doc.state === 'received' ? 'badge badge-warn' : 'badge'}, stateName(doc.state)), ' ',
      fields.needs_metadata ? h('span', {class: 'badge badge-bad'}, '項目入力が必要') : null, ' ',
      inputDeadlineBadge(doc.input_deadline), ' ',
      h('span', {class: 'badge'}, KIND_NAMES[kind]), ' ',
      `${departments.get(receipt.department) || receipt.department || ''}・受領 ${time(receipt.received_at)}`),
    actions(doc),
    duplicatesBox(doc.duplicates),
    warningsBox(doc.current ? doc.current.warnings : [],
      doc.current && doc.current.number > 1 && !fields.needs_metadata),
    h('div', {class: 'detail-grid'},
      h('section', {class: 'panel original-panel', 'aria-labelledby': 'orig-title'},
        h('h2', {id: 'orig-title'}, '原本（受領したまま）'), original),
      h('div', {class: 'detail-side'},
        h('section', {class: 'panel', 'aria-labelledby': 'fields-title'},
          h('h2', {id: 'fields-title'}, '請求書の内容', h('span', {class: 'sub'},
            doc.current && doc.current.number > 1 ? `（第 ${doc.current.number} 版・人が入力・訂正）` : '（受領時に読み取り）')),
          fieldsList(fields)),
        registryBox(doc.registry, fields.needs_metadata),
        timestampBox(doc.timestamp),
        receiptsSection(doc.receipts, departments))),
    correctionsSection(doc.history || [], fields.currency),
    historySection(doc.history || []));
  await showOriginal(original, doc);
}
