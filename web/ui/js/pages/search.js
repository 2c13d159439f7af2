// 検索 (#/search): the archive's search for auditors and everyone else who
// must find a received document (電子帳簿保存法: 取引年月日 and 取引金額 as
// ranges, 取引先, and any combination; also 登録番号, 課, 書類の種類, 形式,
// 状態). Every condition is a parameter of GET /api/v1/documents and lives
// in the address (#/search?date_from=…&sort=amount&desc=1&page=2) under
// the API's own name, so a search can be bookmarked, the back button
// returns to it, and 「CSVダウンロード」 is the same search with
// output=csv — a plain link the browser downloads with the session cookie.
// The server confines a clerk's or 課長's search to their department.

import {departmentNames, api, query} from '../api.js';
import {h, replace} from '../dom.js';
import {count, date, stateName, yen} from '../format.js';
import {FORMATS, KIND_NAMES, kindOf, originalUrl} from './invoice_common.js';

const PAGE_SIZE = 50;

// The conditions, by their API names.
export const CONDITIONS = ['date_from', 'date_to', 'amount_min', 'amount_max', 'counterparty',
  'registration_number', 'department', 'type', 'format', 'state'];

const STATES = [
  ['', 'すべて'],
  ['received', '未処理（支出命令なし）'],
  ['draft', '起票中'],
  ['pending_approval', '承認待ち'],
  ['accounting_review', '会計審査中'],
  ['accepted', '審査済（支払待ち）'],
  ['paid', '支払済'],
];

const TYPES = [['', 'すべて'], ['invoice', '請求書'], ['credit_note', '返還請求書（値引・返品）'],
  ['unknown', '不明（読み取れないもの）']];

// The format under the 種別 of a row, short (the 形式 field has the long names).
const SHORT_FORMATS = {'jp-pint': 'JP PINT', 'peppol-bis': 'Peppol', xrechnung: 'XRechnung', ubl: 'UBL',
  cii: 'CII', 'factur-x': 'Factur-X', zugferd: 'ZUGFeRD', pdf: 'PDF', unknown: '不明'};

// Sortable columns: the API's sort name → the column's label.
const SORTS = {date: '取引年月日', amount: '取引金額', counterparty: '取引先'};

// Roles that read every department (an approver with an any-department
// title does too; the server decides, this only offers the 課 field).
function seesAll(user) {
  return user.roles.some(r => ['accountant', 'auditor', 'compliance', 'admin'].includes(r));
}

// The search in the address: conditions, sort, page.
export function searchFrom(q) {
  const s = {};
  for (const name of CONDITIONS) s[name] = q.get(name) || '';
  s.sort = SORTS[q.get('sort')] ? q.get('sort') : 'date';
  s.desc = q.get('desc') === '1';
  s.page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  return s;
}

export function conditionsOf(s) {
  const c = {};
  for (const name of CONDITIONS) c[name] = s[name];
  return c;
}

// base: the page the form leads to (証跡出力 uses the same form).
function addressOf(s, base = '/search') {
  return base + query({...conditionsOf(s), sort: s.sort === 'date' ? '' : s.sort,
    desc: s.desc ? '1' : '', page: s.page > 1 ? s.page : ''});
}

// The API's parameters of the search (sort and paging for JSON; the CSV
// holds every hit in the same order).
function apiParams(s) {
  return {...conditionsOf(s), sort: s.sort, desc: s.desc ? 'true' : ''};
}

export function csvUrl(s) {
  return '/api/v1/documents' + query({...apiParams(s), output: 'csv'});
}

// "１２３，０００円" → "123,000": full-width digits and a trailing 円 as
// people type them; the server accepts grouping commas.
function amountInput(value) {
  return value.trim().replace(/[０-９]/g, d => String.fromCharCode(d.charCodeAt(0) - 0xFEE0))
    .replace(/[，､、]/g, ',').replace(/^[¥￥]/, '').replace(/円$/, '').trim();
}

function field(id, label, control, help) {
  return h('div', {class: 'field'}, h('label', {for: id}, label), control,
    help ? h('p', {class: 'hint', id: id + '-hint'}, help) : null);
}

function input(id, value, attrs = {}) {
  return h('input', {id, name: id, value, autocomplete: 'off', ...attrs});
}

function select(id, value, options) {
  return h('select', {id, name: id},
    options.map(([v, label]) => h('option', {value: v, selected: v === value}, label)));
}

function range(legend, help, from, to, helpId) {
  return h('fieldset', {class: 'field range', 'aria-describedby': helpId},
    h('legend', {}, legend),
    h('div', {class: 'range-inputs'},
      h('label', {for: from.id, class: 'sr-only'}, legend + '（から）'), from,
      h('span', {'aria-hidden': 'true'}, '〜'),
      h('label', {for: to.id, class: 'sr-only'}, legend + '（まで）'), to),
    h('p', {class: 'hint', id: helpId}, help));
}

// The conditions' form; submitting goes to base with them (the 証跡出力
// page, #/export, shows the same form).
export function searchForm(ctx, s, departments, base = '/search') {
  const el = {
    date_from: input('s-date-from', s.date_from, {type: 'date'}),
    date_to: input('s-date-to', s.date_to, {type: 'date'}),
    amount_min: input('s-amount-min', s.amount_min, {type: 'text', inputmode: 'numeric', placeholder: '例 100000'}),
    amount_max: input('s-amount-max', s.amount_max, {type: 'text', inputmode: 'numeric', placeholder: '例 500000'}),
    counterparty: input('s-counterparty', s.counterparty, {type: 'search', 'aria-describedby': 's-counterparty-hint'}),
    registration_number: input('s-regno', s.registration_number,
      {type: 'text', placeholder: '例 T7010705000725', 'aria-describedby': 's-regno-hint'}),
    type: select('s-type', s.type, TYPES),
    format: select('s-format', s.format, [['', 'すべて'], ...Object.entries(FORMATS).filter(([k]) => k !== 'unknown'),
      ['unknown', '不明（読み取れないもの）']]),
    state: select('s-state', s.state, STATES),
    department: seesAll(ctx.user)
      ? select('s-department', s.department, [['', 'すべての課'], ...departments])
      : null,
  };
  const form = h('form', {class: 'search-form', role: 'search', 'aria-label': '書類の検索条件'},
    h('div', {class: 'search-keys'},
      h('p', {class: 'search-keys-title'}, '検索の三要件（電子帳簿保存法）'),
      h('div', {class: 'search-row'},
        range('取引年月日', '請求書に書かれた取引の日付（請求日）です。受領した日ではありません。',
          el.date_from, el.date_to, 's-date-hint'),
        range('取引金額（円）', '請求額（支払う額）。「100,000」のように区切っても構いません。片方だけでも指定できます。',
          el.amount_min, el.amount_max, 's-amount-hint'),
        field('s-counterparty', '取引先', el.counterparty,
          '名前の一部で探せます（株式会社・(株)、全角・半角は区別しません）。'))),
    h('div', {class: 'search-row'},
      field('s-regno', '登録番号', el.registration_number, 'インボイスの登録番号（T＋13桁）。'),
      el.department ? field('s-department', '課', el.department) : null,
      field('s-type', '書類の種類', el.type),
      field('s-format', '形式', el.format),
      field('s-state', '状態', el.state)),
    h('div', {class: 'filter-buttons search-buttons'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, '検索する'),
      h('a', {href: '#' + base, class: 'btn'}, '条件をクリア')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = {...s, page: 1};
    for (const name of CONDITIONS) {
      if (!el[name]) continue;
      const v = el[name].value.trim();
      next[name] = name.startsWith('amount_') ? amountInput(v)
        : name === 'registration_number' ? v.toUpperCase().replace(/[\s-]/g, '') : v;
    }
    ctx.go(addressOf(next, base));
  });
  return form;
}

// A column header that sorts by it: aria-sort says the current order, the
// link the next one (the same column turns the order round).
function sortHeader(s, key, cls) {
  const active = s.sort === key;
  const next = {...s, sort: key, desc: active ? !s.desc : false, page: 1};
  const arrow = active ? (s.desc ? '▼' : '▲') : '↕';
  const how = active ? (s.desc ? '降順で並んでいます' : '昇順で並んでいます') : '並べ替え';
  return h('th', {scope: 'col', class: cls, 'aria-sort': active ? (s.desc ? 'descending' : 'ascending') : 'none'},
    h('a', {href: '#' + addressOf(next), class: 'sort-link', title: `${SORTS[key]}で${active && !s.desc ? '降順' : '昇順'}に並べ替え`},
      SORTS[key], h('span', {class: 'sort-mark', 'aria-hidden': 'true'}, arrow),
      h('span', {class: 'sr-only'}, `（${how}）`)));
}

function stateCell(item) {
  return [
    h('span', {class: item.state === 'received' ? 'badge badge-warn' : 'badge'}, stateName(item.state)),
    item.needs_metadata ? [' ', h('span', {class: 'badge badge-bad'}, '項目入力が必要')] : null,
  ];
}

function resultsTable(s, items, departments) {
  return h('table', {class: 'list search-results'},
    h('caption', {class: 'sr-only'}, '検索結果（列見出しの取引年月日・取引金額・取引先で並べ替えられます）'),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, '番号'),
      sortHeader(s, 'date', 'col-date'),
      sortHeader(s, 'counterparty', null),
      sortHeader(s, 'amount', 'num'),
      h('th', {scope: 'col'}, '登録番号'),
      h('th', {scope: 'col'}, '課'),
      h('th', {scope: 'col'}, '種別'),
      h('th', {scope: 'col'}, '状態'),
      h('th', {scope: 'col'}, '原本'))),
    h('tbody', {}, items.map(i => h('tr', {},
      h('td', {}, h('a', {href: '#/invoices/' + encodeURIComponent(i.id)}, i.id),
        i.invoice_number ? h('div', {class: 'sub'}, '請求書番号 ', i.invoice_number) : null),
      h('td', {class: 'col-date'}, i.issue_date ? date(i.issue_date) : h('span', {class: 'muted'}, '（未入力）'),
        h('div', {class: 'sub'}, '受領 ', date(i.received_date))),
      h('td', {}, i.counterparty || h('span', {class: 'muted'}, '（未入力）')),
      h('td', {class: 'num'}, i.total ? (i.currency && i.currency !== 'JPY' ? `${i.total} ${i.currency}` : yen(i.total))
        : h('span', {class: 'muted'}, '（未入力）')),
      h('td', {class: 'mono'}, i.registration_number || '—'),
      h('td', {class: 'nowrap'}, departments.get(i.department) || i.department || '—'),
      h('td', {class: 'nowrap'}, KIND_NAMES[kindOf(i.media_type, i.source, i.format)],
        h('div', {class: 'sub', title: FORMATS[i.format] || i.format}, SHORT_FORMATS[i.format] || i.format)),
      h('td', {}, stateCell(i)),
      h('td', {class: 'nowrap'}, h('a', {href: originalUrl(i.id), download: i.file_name || i.id,
        'aria-label': `${i.id} の原本をダウンロード（${i.file_name || i.id}）`}, 'ダウンロード'))))));
}

function pager(s, total, shown, where) {
  const first = total === 0 ? 0 : (s.page - 1) * PAGE_SIZE + 1;
  const last = (s.page - 1) * PAGE_SIZE + shown;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (page, label, rel) => h('a', {class: 'btn', href: '#' + addressOf({...s, page}), rel}, label);
  const off = label => h('span', {class: 'btn btn-disabled', 'aria-disabled': 'true'}, label);
  return h('nav', {class: 'pager', 'aria-label': `ページ送り（${where}）`},
    h('p', {class: 'pager-count'},
      `全 ${count(total)} 件中 ${count(first)}〜${count(last)} 件（${s.page} / ${pages} ページ）`),
    pages > 1 || s.page > 1 ? h('div', {class: 'pager-buttons'},
      s.page > 1 ? link(s.page - 1, '← 前のページ', 'prev') : off('← 前のページ'),
      s.page < pages ? link(s.page + 1, '次のページ →', 'next') : off('次のページ →')) : null);
}

function csvBox(s, total, user) {
  return h('div', {class: 'csv-box'},
    h('a', {class: 'btn', href: csvUrl(s), download: 'kura-search.csv', id: 'csv-download'},
      `CSVダウンロード（${count(total)} 件）`),
    // 証跡出力 (workflow::MayExportEvidence): the same conditions on its page.
    user.roles.includes('compliance')
      ? [' ', h('a', {class: 'btn', href: '#' + addressOf({...s, page: 1}, '/export')}, 'この条件で証跡出力')] : null,
    h('p', {class: 'hint'}, '同じ条件の検索結果を、すべての件数分 CSV（Excel で開けます）で保存します。20万件を超えるときは条件を絞ってください。'));
}

export async function render(ctx) {
  document.title = '検索 — kura';
  const s = searchFrom(ctx.query);
  const departments = await departmentNames();
  const results = h('div', {class: 'results'}, h('p', {class: 'loading'}, '検索しています…'));
  const mine = departments.get(ctx.user.department) || ctx.user.department;
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 検索'),
    h('h1', {}, '書類の検索'),
    h('p', {class: 'lead'}, '受領した請求書などを、取引年月日・取引金額・取引先（範囲の指定や組み合わせもできます）などで探します。',
      seesAll(ctx.user) ? '' : `検索の対象は${mine}の書類です。`),
    searchForm(ctx, s, departments),
    results);
  let answer;
  try {
    answer = await api.get('/api/v1/documents' + query({...apiParams(s), limit: PAGE_SIZE,
      offset: (s.page - 1) * PAGE_SIZE}));
  } catch (err) {
    if (err.status === 401) return;
    replace(results, h('p', {class: 'error-box', role: 'alert'}, err.message));
    return;
  }
  if (answer.count === 0) {
    replace(results, h('p', {class: 'empty'}, '条件に合う書類はありません。条件を減らすか、範囲を広げてください。'));
    return;
  }
  if (answer.items.length === 0) {
    replace(results, h('p', {class: 'empty'}, `このページには結果がありません（全 ${count(answer.count)} 件）。`,
      h('a', {href: '#' + addressOf({...s, page: 1})}, '最初のページへ')));
    return;
  }
  replace(results,
    h('div', {class: 'results-head'}, pager(s, answer.count, answer.items.length, '上'), csvBox(s, answer.count, ctx.user)),
    resultsTable(s, answer.items, departments),
    answer.items.length > 10 ? pager(s, answer.count, answer.items.length, '下') : null);
}
