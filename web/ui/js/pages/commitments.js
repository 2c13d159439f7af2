// 支出負担行為 (#/commitments): the list (GET /api/v1/commitments, confined
// to the departments the person may read by the API), filtered by 年度, 課
// and 債権者 and paged here; and the registration (?new=1, POST
// /api/v1/commitments) with the vendor chosen from the vendor master.
//
// Query: fiscal_year (a year or "all"), department, vendor_id, page,
// highlight (a commitment to mark); new=1 opens the form, with vendor and
// department preset and return (a page to go back to, e.g. the draft).

import {api, departmentNames, query} from '../api.js';
import {h, replace} from '../dom.js';
import {yen, count, date} from '../format.js';
import {EXPENSE_TYPES, currentFiscalYear} from './orders_common.js';
import {registerForm} from './commitments_form.js';

const PAGE = 50;
const SEES_ALL = ['accountant', 'auditor', 'compliance', 'admin'];

export function mayRegister(user) {
  return ['clerk', 'accountant', 'admin'].some(r => user.roles.includes(r));
}

function seesAll(user) {
  return SEES_ALL.some(r => user.roles.includes(r));
}

function select(id, label, value, options) {
  return h('div', {class: 'field'}, h('label', {for: id}, label),
    h('select', {id, name: id}, options.map(([v, text]) =>
      h('option', {value: v, selected: String(v) === String(value)}, text))));
}

function filterForm(ctx, filters, vendors, departments) {
  const fy = currentFiscalYear();
  const years = [['all', 'すべての年度']];
  for (let y = fy + 1; y >= fy - 4; --y) years.push([y, `${y}年度`]);
  const fields = [select('f-year', '年度', filters.fiscal_year, years)];
  if (seesAll(ctx.user)) {
    fields.push(select('f-dept', '課', filters.department,
      [['', 'すべての課'], ...[...departments].map(([code, name]) => [code, name])]));
  }
  fields.push(select('f-vendor', '債権者', filters.vendor_id,
    [['', 'すべての債権者'], ...vendors.map(v => [v.id, `${v.name}（${v.id}）`])]));
  return h('form', {class: 'filters', 'aria-label': '絞り込み', onsubmit: (e) => {
    e.preventDefault();
    const f = e.target;
    ctx.go('/commitments' + query({
      fiscal_year: f.elements['f-year'].value,
      department: f.elements['f-dept'] ? f.elements['f-dept'].value : '',
      vendor_id: f.elements['f-vendor'].value,
    }));
  }}, fields, h('div', {class: 'field field-button'}, h('button', {type: 'submit', class: 'btn'}, '絞り込む')));
}

function pager(ctx, filters, total, page) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  if (pages <= 1) return null;
  const link = (p, label) => h('a', {href: '#/commitments' + query({...filters, page: p}), class: 'btn'}, label);
  return h('nav', {class: 'pager', 'aria-label': 'ページ'},
    page > 1 ? link(page - 1, '前のページ') : null,
    h('span', {}, `${page} / ${pages} ページ`),
    page < pages ? link(page + 1, '次のページ') : null);
}

// The columns; 課 only for those who see several departments.
function columns(vendorNames, departments, withDepartment) {
  return [
    {label: '番号', class: 'nowrap', cell: c => c.id},
    {label: '件名', cell: c => [c.description, h('div', {class: 'field-help'}, EXPENSE_TYPES[c.expense_type] || c.expense_type)]},
    withDepartment ? {label: '課', class: 'nowrap', cell: c => departments.get(c.department) || c.department} : null,
    {label: '債権者', cell: c => vendorNames.get(c.vendor_id) || c.vendor_id},
    {label: '年度', class: 'nowrap', cell: c => `${c.fiscal_year}年度`},
    {label: '予算科目', class: 'nowrap', cell: c => c.budget_line},
    {label: '契約期間', class: 'period', cell: c => [h('span', {class: 'nowrap'}, date(c.contract_from)), ' 〜 ',
      h('span', {class: 'nowrap'}, date(c.contract_to))]},
    {label: '契約額', class: 'num', cell: c => yen(c.amount)},
    {label: '支出命令額', class: 'num', cell: c => yen(c.reserved)},
    {label: '残額', class: 'num', cell: c => yen(c.remaining)},
  ].filter(Boolean);
}

function listTable(items, cols, highlight) {
  if (items.length === 0) return h('p', {class: 'empty'}, '該当する支出負担行為はありません。');
  return h('table', {class: 'list commitments-table'},
    h('caption', {class: 'visually-hidden'}, '支出負担行為の一覧'),
    h('thead', {}, h('tr', {}, cols.map(col => h('th', {scope: 'col', class: col.class === 'num' ? 'num' : null}, col.label)))),
    h('tbody', {}, items.map(c => h('tr', {class: c.id === highlight ? 'highlight' : null, id: 'c-' + c.id},
      cols.map(col => h('td', {class: col.class}, col.cell(c)))))));
}

export async function render(ctx) {
  document.title = '支出負担行為 — kura';
  const q = ctx.query;
  const filters = {
    fiscal_year: q.get('fiscal_year') || String(currentFiscalYear()),
    department: q.get('department') || '',
    vendor_id: q.get('vendor_id') || '',
  };
  const page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  const [list, vendorList, departments] = await Promise.all([
    api.get('/api/v1/commitments' + query({
      fiscal_year: filters.fiscal_year === 'all' ? '' : filters.fiscal_year,
      department: filters.department, vendor_id: filters.vendor_id})),
    api.get('/api/v1/vendors'), departmentNames()]);
  const vendors = [...vendorList.items].sort((a, b) => a.name.localeCompare(b.name, 'ja'));
  const vendorNames = new Map(vendors.map(v => [v.id, v.name]));
  const items = list.items;
  const shown = items.slice((page - 1) * PAGE, page * PAGE);
  const opening = q.get('new') === '1' && mayRegister(ctx.user);
  const from = items.length ? (page - 1) * PAGE + 1 : 0;
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 支出負担行為'),
    h('div', {class: 'title-row'},
      h('h1', {}, '支出負担行為 ', h('span', {class: 'count'}, `${count(items.length)} 件`)),
      mayRegister(ctx.user) && !opening ? h('a', {class: 'btn btn-primary', href: '#/commitments' + query({...filters, new: 1})},
        '新しい支出負担行為を登録') : null),
    opening ? registerForm(ctx, {vendors, departments, filters}) : null,
    filterForm(ctx, filters, vendors, departments),
    seesAll(ctx.user) ? null : h('p', {class: 'hint'}, 'あなたの課の支出負担行為を表示しています。'),
    items.length > PAGE ? h('p', {class: 'hint'}, `${count(items.length)} 件中 ${count(from)}〜${count(from + shown.length - 1)} 件目`) : null,
    listTable(shown, columns(vendorNames, departments, seesAll(ctx.user)), q.get('highlight')),
    h('p', {class: 'hint'}, '支出命令額: 起票・手続き中・支払済の支出命令の合計。残額 = 契約額 − 支出命令額。'),
    pager(ctx, filters, items.length, page));
  const marked = q.get('highlight') && document.getElementById('c-' + q.get('highlight'));
  if (marked) marked.scrollIntoView({block: 'center'});
}
