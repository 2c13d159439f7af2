// 効果の見える化 (#/figures): what the new way of working achieved, for
// 課長・部長・副市長, the accounting office and admins (GET /api/v1/figures
// decides who and which departments; anyone else gets its message). Over
// the fiscal year so far or a chosen period (#/figures?from=…&to=…&department=…):
// invoices received per month, electronic against paper; payments, late
// ones under 支払遅延防止法 and the median days from receipt to payment;
// how often each field of the automatic match was ×; documents still
// waiting for input. Each chart (Chart.js) has its numbers in a table
// under it.

import {api, departmentNames, query} from '../api.js';
import {h, replace} from '../dom.js';
import {count, date} from '../format.js';
import {FIELDS, currentFiscalYear} from './orders_common.js';
import {COLORS, drawBarChart} from './figures_chart.js';

/** Who the menu shows the page to: the same rule as workflow::MayViewFigures. */
export function mayViewFigures(user) {
  return (user.roles.includes('approver') && !!user.title) ||
    user.roles.some(r => ['accountant', 'admin'].includes(r));
}

// "2026-04" → "2026年4月"; with era: "2026年4月（令和8年）".
function monthName(month, era = false) {
  const [y, m] = month.split('-');
  if (!era) return `${+y}年${+m}月`;
  return date(`${month}-01`).replace(/\d+日/, '');
}

function percent(part, whole) {
  if (!whole) return '—';
  return `${(part * 100 / whole).toFixed(1)}%`;
}

function days(value) {
  return value === null || value === undefined ? '—' : `${count(value)} 日`;
}

function periodForm(ctx, figures, departments, showDepartment) {
  const from = h('input', {id: 'g-from', name: 'from', type: 'date', value: figures.from});
  const to = h('input', {id: 'g-to', name: 'to', type: 'date', value: figures.to});
  const department = showDepartment ? h('select', {id: 'g-department', name: 'department'},
    h('option', {value: ''}, 'すべての課'),
    [...departments].map(([code, name]) => h('option', {value: code, selected: code === figures.department}, name)))
    : null;
  const fy = currentFiscalYear();
  const form = h('form', {class: 'filters figures-form', 'aria-label': '期間と課'},
    h('div', {class: 'filter-fields'},
      h('fieldset', {class: 'field period'},
        h('legend', {}, '期間'),
        h('div', {class: 'period-inputs'},
          h('label', {for: 'g-from', class: 'sr-only'}, '期間（から）'), from,
          h('span', {'aria-hidden': 'true'}, '〜'),
          h('label', {for: 'g-to', class: 'sr-only'}, '期間（まで）'), to)),
      department ? h('div', {class: 'field'}, h('label', {for: 'g-department'}, '課'), department) : null,
      h('div', {class: 'filter-buttons figures-buttons'},
        h('button', {type: 'submit', class: 'btn btn-primary'}, '表示する'),
        h('a', {class: 'btn', href: '#/figures' + query({department: figures.department && showDepartment ? figures.department : ''})},
          `今年度（${fy}年度）`),
        h('a', {class: 'btn', href: '#/figures' + query({from: `${fy - 1}-04-01`, to: `${fy}-03-31`,
          department: figures.department && showDepartment ? figures.department : ''})}, `昨年度（${fy - 1}年度）`))),
    h('p', {class: 'hint'}, '期間は3年まで選べます。受領は受領日、支払は支払日、×の割合は支出命令を起票した日で数えます。'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.go('/figures' + query({from: from.value, to: to.value, department: department ? department.value : ''}));
  });
  return form;
}

function summary(f) {
  const t = f.totals;
  const card = (label, value, help, cls = '') => h('li', {class: 'card ' + cls},
    h('p', {class: 'card-label'}, label), h('p', {class: 'card-count'}, value), h('p', {class: 'card-help'}, help));
  return h('ul', {class: 'cards figures-cards', 'aria-label': '期間の合計'},
    card('受領した請求書', `${count(t.received)} 件`, `うち電子（XML データ付き）${percent(t.electronic, t.received)}`),
    card('支払', `${count(t.paid)} 件`, `受領から支払まで 中央値 ${days(t.median_days_to_payment)}`, 'card-act'),
    card('期限後の支払', `${count(t.paid_late)} 件`, '支払遅延防止法の期限（30日、工事は40日）の後に支払ったもの',
      t.paid_late > 0 ? 'card-bad' : ''),
    card('入力待ちの書類', `${count(t.waiting_for_input)} 件`, '項目入力がまだで支出命令もない書類（期間内の受領分）',
      t.waiting_for_input > 0 ? 'card-warn' : ''));
}

// A table of figures: columns [{label, cell(row), num}], rows, totals.
function figuresTable(id, caption, columns, rows, totals) {
  const cells = (r, tag) => columns.map((c, i) => i === 0 && tag === 'th'
    ? h('th', {scope: 'row'}, c.cell(r))
    : h('td', {class: c.num ? 'num' : null}, c.cell(r)));
  return h('table', {class: 'list figures-table', id},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.num ? 'num' : null}, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', {}, cells(r, 'th')))),
    totals ? h('tfoot', {}, h('tr', {}, cells(totals, 'th'))) : null);
}

function chartBox(label) {
  const canvas = h('canvas', {role: 'img', 'aria-label': label + '（数値は下の表のとおり）'});
  return {canvas, box: h('div', {class: 'chart-box'}, canvas)};
}

function receivedSection(f, charts) {
  const {canvas, box} = chartBox('月別の受領件数のグラフ（電子と紙・PDF・スキャン）');
  charts.push(() => drawBarChart(canvas, f.months.map(m => monthName(m.month)), [
    {label: '電子（XML データ付き）', data: f.months.map(m => m.electronic), color: COLORS.accent},
    {label: '紙・PDF・スキャン', data: f.months.map(m => m.paper), color: COLORS.paper},
  ], {stacked: true, unit: '件'}));
  const total = {...f.totals, month: '合計'};
  return h('section', {class: 'panel figures-section', 'aria-labelledby': 'g-received'},
    h('h2', {id: 'g-received'}, '受領した請求書（月別）'),
    h('p', {class: 'hint'}, '電子は、請求書のデータ（XML）が付いていて項目を入力しなくてよいもの（デジタルインボイス、XML 付き PDF）。紙・PDF・スキャンは、担当者が項目を入力するものです。'),
    box,
    figuresTable('figures-months', '月別の受領件数', [
      {label: '月', cell: m => m.month === '合計' ? '合計' : monthName(m.month, true)},
      {label: '受領', num: true, cell: m => count(m.received)},
      {label: '電子（XML）', num: true, cell: m => count(m.electronic)},
      {label: '紙・PDF・スキャン', num: true, cell: m => count(m.paper)},
      {label: '電子の割合', num: true, cell: m => percent(m.electronic, m.received)},
      {label: '入力待ち', num: true, cell: m => count(m.waiting_for_input)},
    ], f.months, total),
    f.totals.waiting_for_input > 0
      ? h('p', {}, h('a', {href: '#/invoices?input=1'}, '項目入力が必要な請求書の一覧を開く')) : null);
}

function paymentSection(f, charts) {
  const {canvas, box} = chartBox('月別の支払件数と期限後の支払、受領から支払までの日数のグラフ');
  charts.push(() => drawBarChart(canvas, f.months.map(m => monthName(m.month)), [
    {label: '期限内の支払', data: f.months.map(m => m.paid - m.paid_late), color: COLORS.good},
    {label: '期限後の支払（遅延）', data: f.months.map(m => m.paid_late), color: COLORS.bad},
    {label: '受領から支払までの日数（中央値）', data: f.months.map(m => m.median_days_to_payment),
      color: COLORS.muted, type: 'line'},
  ], {stacked: true, unit: '件', lineUnit: '日'}));
  return h('section', {class: 'panel figures-section', 'aria-labelledby': 'g-paid'},
    h('h2', {id: 'g-paid'}, '支払と支払遅延（月別）'),
    h('p', {class: 'hint'}, '支払遅延防止法では、適正な請求書を受け取ってから30日（工事は40日）以内に支払います。不備で差し戻した間は数えません。日数は請求書の受領日から支払日までの暦日数の中央値です。'),
    box,
    figuresTable('figures-payments', '月別の支払', [
      {label: '月', cell: m => m.month === '合計' ? '合計' : monthName(m.month, true)},
      {label: '支払件数', num: true, cell: m => count(m.paid)},
      {label: 'うち期限後の支払', num: true, cell: m => count(m.paid_late)},
      {label: '遅延の割合', num: true, cell: m => percent(m.paid_late, m.paid)},
      {label: '受領から支払まで（中央値）', num: true, cell: m => days(m.median_days_to_payment)},
    ], f.months, {...f.totals, month: '合計'}));
}

function mismatchSection(f, charts) {
  const rates = f.mismatch_rates;
  const label = r => (FIELDS[r.field] || {label: r.field}).label;
  let body;
  if (rates.length === 0) {
    body = h('p', {class: 'empty'}, 'この期間に起票された支出命令はありません。');
  } else {
    // A chart of nothing but zeros would only look broken: say it instead.
    let chart = h('p', {class: 'notice notice-success figures-none'}, 'この期間の支出命令では、どの項目も×になっていません。');
    if (rates.some(r => r.mismatch > 0)) {
      const {canvas, box} = chartBox('項目別の×の割合のグラフ');
      charts.push(() => drawBarChart(canvas, rates.map(label), [
        {label: '×の割合', data: rates.map(r => (r.orders ? +(r.mismatch * 100 / r.orders).toFixed(1) : 0)), color: COLORS.bad},
      ], {horizontal: true, unit: '%', max: 100}));
      chart = box;
    }
    body = [chart, figuresTable('figures-mismatch', `項目別の×（起票した支出命令 ${count(f.orders_drafted)} 件）`, [
      {label: '項目', cell: r => [label(r), h('span', {class: 'field-help'}, (FIELDS[r.field] || {}).help || '')]},
      {label: '支出命令', num: true, cell: r => count(r.orders)},
      {label: '×になった件数', num: true, cell: r => count(r.mismatch)},
      {label: '×の割合', num: true, cell: r => percent(r.mismatch, r.orders)},
      {label: '記載なし（－）', num: true, cell: r => count(r.missing)},
    ], rates, null)];
  }
  return h('section', {class: 'panel figures-section', 'aria-labelledby': 'g-mismatch'},
    h('h2', {id: 'g-mismatch'}, '自動突合で×になった項目'),
    h('p', {class: 'hint'}, '期間内に起票した支出命令（取下げを除く）で、請求書と支出負担行為・債権者マスタの照合が×になった割合です。担当者が確認した×や、会計室が確認した口座・債権者の×も数えます。'),
    body);
}

export async function render(ctx) {
  document.title = '効果の見える化 — kura';
  const head = [
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 効果の見える化'),
    h('h1', {}, '効果の見える化'),
  ];
  replace(ctx.main, ...head, h('p', {class: 'loading'}, '集計しています…'));
  const asked = {from: ctx.query.get('from') || '', to: ctx.query.get('to') || '',
    department: ctx.query.get('department') || ''};
  let f;
  let departments;
  try {
    [f, departments] = await Promise.all([api.get('/api/v1/figures' + query(asked)), departmentNames()]);
  } catch (err) {
    if (err.status === 401) return;
    replace(ctx.main, ...head, h('p', {class: 'error-box', role: 'alert'}, err.message),
      err.status === 400 ? h('p', {}, h('a', {href: '#/figures'}, '今年度の集計に戻る'))
        : h('p', {}, h('a', {href: '#/'}, 'ホームへ戻る')));
    return;
  }
  // The API says whose figures these are: all departments, or the one
  // asked for, may be switched; a 課長's are their department's.
  const showDepartment = f.department === '' || asked.department !== '';
  const scope = f.department ? departments.get(f.department) || f.department : 'すべての課';
  const charts = [];
  replace(ctx.main, ...head,
    h('p', {class: 'lead'}, `${scope}の ${date(f.from)} 〜 ${date(f.to)} の集計です。`,
      '電子化と事務の改善で、受領・入力・支払がどう変わったかを確かめられます。'),
    periodForm(ctx, f, departments, showDepartment),
    summary(f),
    receivedSection(f, charts),
    paymentSection(f, charts),
    mismatchSection(f, charts));
  try {
    for (const draw of charts) await draw();
  } catch (err) {
    ctx.main.querySelectorAll('.chart-box').forEach(b => replace(b,
      h('p', {class: 'muted'}, 'グラフを表示できませんでした。数値は下の表のとおりです。')));
  }
}
