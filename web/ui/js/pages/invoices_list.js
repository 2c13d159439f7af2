// 請求書 一覧 (#/invoices): the invoices the user may see (the archive's
// search, confined to the user's department by the server), newest receipt
// first, 50 to a page with the total count, filtered by state, vendor,
// receipt period (and department for those who see every department).
// The filters live in the address, so a page can be bookmarked and the
// browser's back button returns to it.

import {api, departmentNames, query} from '../api.js';
import {h, replace} from '../dom.js';
import {count, date, stateName, yen} from '../format.js';
import {KIND_NAMES, kindOf} from './invoice_common.js';

const PAGE_SIZE = 50;

const STATES = [
  ['', 'すべて'],
  ['received', '未処理（支出命令なし）'],
  ['draft', '起票中'],
  ['pending_approval', '承認待ち'],
  ['accounting_review', '会計審査中'],
  ['accepted', '審査済（支払待ち）'],
  ['paid', '支払済'],
];

// The filters of the address (#/invoices?state=received&page=2).
function filtersFrom(q) {
  return {
    state: q.get('state') || '',
    counterparty: q.get('counterparty') || '',
    from: q.get('from') || '',
    to: q.get('to') || '',
    department: q.get('department') || '',
    input: q.get('input') === '1',
    page: Math.max(1, parseInt(q.get('page') || '1', 10) || 1),
  };
}

function addressOf(f) {
  return '/invoices' + query({
    state: f.state, counterparty: f.counterparty, from: f.from, to: f.to,
    department: f.department, input: f.input ? '1' : '', page: f.page > 1 ? f.page : '',
  });
}

// Roles that read every department's invoices (an approver with an
// any-department title does too, but gets no department filter here).
function seesAll(user) {
  return user.roles.some(r => ['accountant', 'auditor', 'compliance', 'admin'].includes(r));
}

function field(id, label, control, hint) {
  return h('div', {class: 'field'}, h('label', {for: id}, label), control,
    hint ? h('p', {class: 'hint', id: id + '-hint'}, hint) : null);
}

function filterForm(ctx, f, departments) {
  const state = h('select', {id: 'f-state', name: 'state'},
    STATES.map(([v, label]) => h('option', {value: v, selected: v === f.state}, label)));
  const counterparty = h('input', {id: 'f-counterparty', name: 'counterparty', type: 'search',
    value: f.counterparty, autocomplete: 'off', 'aria-describedby': 'f-counterparty-hint'});
  const from = h('input', {id: 'f-from', name: 'from', type: 'date', value: f.from});
  const to = h('input', {id: 'f-to', name: 'to', type: 'date', value: f.to});
  const input = h('input', {id: 'f-input', name: 'input', type: 'checkbox', checked: f.input});
  const department = seesAll(ctx.user) ? h('select', {id: 'f-department', name: 'department'},
    h('option', {value: ''}, 'すべての課'),
    [...departments].map(([code, name]) => h('option', {value: code, selected: code === f.department}, name)))
    : null;
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': '請求書の絞り込み'},
    h('div', {class: 'filter-fields'},
      field('f-state', '状態', state),
      field('f-counterparty', '取引先', counterparty, '名前の一部（株式会社・(株) は区別しません）'),
      h('fieldset', {class: 'field period'},
        h('legend', {}, '受領日（期間）'),
        h('div', {class: 'period-inputs'},
          h('label', {for: 'f-from', class: 'sr-only'}, '受領日（から）'), from,
          h('span', {'aria-hidden': 'true'}, '〜'),
          h('label', {for: 'f-to', class: 'sr-only'}, '受領日（まで）'), to)),
      department ? field('f-department', '課', department) : null),
    h('div', {class: 'filter-actions'},
      h('div', {class: 'field check'}, input, h('label', {for: 'f-input'}, '項目入力が必要なものだけ')),
      h('div', {class: 'filter-buttons'},
        h('button', {type: 'submit', class: 'btn btn-primary'}, '絞り込む'),
        h('a', {href: '#/invoices', class: 'btn'}, '条件をクリア'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.go(addressOf({
      state: state.value, counterparty: counterparty.value.trim(), from: from.value, to: to.value,
      department: department ? department.value : '', input: input.checked, page: 1,
    }));
  });
  return form;
}

function stateCell(item) {
  return [
    h('span', {class: item.state === 'received' ? 'badge badge-warn' : 'badge'}, stateName(item.state)),
    item.needs_metadata ? [' ', h('span', {class: 'badge badge-bad'}, '項目入力が必要')] : null,
  ];
}

function resultsTable(items, departments) {
  if (items.length === 0) return h('p', {class: 'empty'}, '条件に合う請求書はありません。');
  return h('table', {class: 'list invoices'},
    h('caption', {class: 'sr-only'}, '請求書の一覧（受領日の新しい順）'),
    h('thead', {}, h('tr', {}, ['番号', '受領日', '課', '取引先', '金額', '種別', '状態'].map(
      (label, i) => h('th', {scope: 'col', class: i === 4 ? 'num' : null}, label)))),
    h('tbody', {}, items.map(i => h('tr', {},
      h('td', {}, h('a', {href: '#/invoices/' + encodeURIComponent(i.id)}, i.id),
        i.invoice_number ? h('div', {class: 'sub'}, '請求書番号 ', i.invoice_number) : null),
      h('td', {}, date(i.received_date)),
      h('td', {}, departments.get(i.department) || i.department || '—'),
      h('td', {}, i.counterparty || h('span', {class: 'muted'}, '（未入力）')),
      h('td', {class: 'num'}, yen(i.total)),
      h('td', {}, KIND_NAMES[kindOf(i.media_type, i.source, i.format)]),
      h('td', {}, stateCell(i))))));
}

function pager(f, total, shown, where) {
  const first = total === 0 ? 0 : (f.page - 1) * PAGE_SIZE + 1;
  const last = (f.page - 1) * PAGE_SIZE + shown;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const prev = f.page > 1;
  const next = f.page < pages;
  return h('nav', {class: 'pager', 'aria-label': `ページ送り（${where}）`},
    h('p', {class: 'pager-count'},
      `全 ${count(total)} 件中 ${count(first)}〜${count(last)} 件（${f.page} / ${pages} ページ）`),
    h('div', {class: 'pager-buttons'},
      prev ? h('a', {class: 'btn', href: '#' + addressOf({...f, page: f.page - 1}), rel: 'prev'}, '← 前のページ')
        : h('span', {class: 'btn btn-disabled', 'aria-disabled': 'true'}, '← 前のページ'),
      next ? h('a', {class: 'btn', href: '#' + addressOf({...f, page: f.page + 1}), rel: 'next'}, '次のページ →')
        : h('span', {class: 'btn btn-disabled', 'aria-disabled': 'true'}, '次のページ →')));
}

export async function render(ctx) {
  document.title = '請求書 — kura';
  const f = filtersFrom(ctx.query);
  const departments = await departmentNames();
  const results = h('div', {class: 'results'}, h('p', {class: 'loading'}, '検索しています…'));
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 請求書'),
    h('h1', {}, '請求書'),
    h('p', {class: 'lead'}, seesAll(ctx.user)
      ? '受領した請求書の一覧です（受領日の新しい順）。番号を押すと原本と内容を確認できます。'
      : `${departments.get(ctx.user.department) || ctx.user.department}が受領した請求書の一覧です（受領日の新しい順）。番号を押すと原本と内容を確認できます。`),
    filterForm(ctx, f, departments),
    results);
  let answer;
  try {
    answer = await api.get('/api/v1/documents' + query({
      sort: 'received', desc: 'true', limit: PAGE_SIZE, offset: (f.page - 1) * PAGE_SIZE,
      state: f.state, counterparty: f.counterparty, received_from: f.from, received_to: f.to,
      department: f.department, needs_metadata: f.input ? 'true' : '',
    }));
  } catch (err) {
    if (err.status === 401) return;
    replace(results, h('p', {class: 'error-box', role: 'alert'}, err.message));
    return;
  }
  replace(results,
    pager(f, answer.count, answer.items.length, '上'),
    resultsTable(answer.items, departments),
    answer.items.length > 10 ? pager(f, answer.count, answer.items.length, '下') : null);
}
