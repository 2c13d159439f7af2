// The registration of a 支出負担行為 (POST /api/v1/commitments): 課, the
// vendor picked from the vendor master (a search box narrowing a list, no
// id typing), 件名, 予算科目, 会計年度, 契約額, 契約期間 and 種別.

import {api, query} from '../api.js';
import {h, replace} from '../dom.js';
import {EXPENSE_TYPES, currentFiscalYear} from './orders_common.js';

function field(label, input, {hint = '', required = true} = {}) {
  const hintId = hint ? input.id + '-hint' : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  if (required) input.setAttribute('aria-required', 'true');
  return h('div', {class: 'field'},
    h('label', {for: input.id}, label, required ? h('span', {class: 'required'}, '（必須）') : null),
    hint ? h('p', {class: 'hint', id: hintId}, hint) : null,
    input);
}

// NFKC and lower case, so that "ﾄｳﾄ", "トウト" and full-width digits match.
function key(s) {
  return (s || '').normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

// The vendor picker: typing narrows the list; the list is a real select.
function vendorPicker(vendors, preset) {
  const list = h('select', {id: 'c-vendor', name: 'vendor_id', size: 8, class: 'vendor-list'});
  const search = h('input', {type: 'search', id: 'c-vendor-search', autocomplete: 'off',
    placeholder: '名称・登録番号・債権者番号の一部'});
  const status = h('p', {class: 'hint', id: 'c-vendor-count', 'aria-live': 'polite'});
  const fill = () => {
    const k = key(search.value);
    const keep = list.value;
    const hits = vendors.filter(v => !k || key(v.name).includes(k) ||
      key(v.registration_number).includes(k) || key(v.id).includes(k));
    replace(list, hits.map(v => h('option', {value: v.id, selected: v.id === keep},
      `${v.name}（${v.registration_number || '登録番号なし'}・${v.id}）`)));
    status.textContent = `${hits.length} 件の債権者`;
  };
  search.addEventListener('input', fill);
  fill();
  if (preset) list.value = preset;
  search.setAttribute('aria-describedby', 'c-vendor-count');
  return {list, node: h('div', {class: 'vendor-picker'},
    h('div', {class: 'field'}, h('label', {for: search.id}, '債権者を検索'), search, status),
    field('債権者', list, {hint: '債権者マスタから選びます。見つからないときは会計室に債権者の登録を依頼してください。'}))};
}

function departmentField(ctx, departments, preset) {
  if (!ctx.user.roles.includes('accountant') && !ctx.user.roles.includes('admin')) {
    return {value: () => ctx.user.department, node: h('div', {class: 'field'},
      h('span', {class: 'label'}, '課'), h('p', {class: 'static'}, departments.get(ctx.user.department) || ctx.user.department))};
  }
  const sel = h('select', {id: 'c-dept', name: 'department'},
    [...departments].map(([code, name]) => h('option', {value: code, selected: code === (preset || ctx.user.department)}, name)));
  return {value: () => sel.value, node: field('課', sel)};
}

// "1,320,000", "１３２００００円", "¥1320000" → "1320000"; else null.
function amountOf(text) {
  const s = key(text).replace(/[,，円¥￥]/g, '');
  return /^\d+$/.test(s) ? s.replace(/^0+(?=\d)/, '') : null;
}

/** The form; opts: {vendors, departments, filters}. */
export function registerForm(ctx, {vendors, departments, filters}) {
  const fy = currentFiscalYear();
  const q = ctx.query;
  const dept = departmentField(ctx, departments, q.get('department'));
  const vendor = vendorPicker(vendors, q.get('vendor'));
  const input = (id, attrs = {}) => h('input', {type: 'text', id, name: id, ...attrs});
  const description = input('c-description', {maxlength: 200});
  const budget = input('c-budget', {placeholder: '02-01-01-13', inputmode: 'numeric', maxlength: 11});
  const year = h('input', {type: 'number', id: 'c-year', min: 2000, max: 2999, value: fy});
  const amount = input('c-amount', {inputmode: 'numeric', placeholder: '1,320,000'});
  const from = h('input', {type: 'date', id: 'c-from', value: `${fy}-04-01`});
  const to = h('input', {type: 'date', id: 'c-to', value: `${fy + 1}-03-31`});
  const type = h('select', {id: 'c-type'}, Object.entries(EXPENSE_TYPES).map(([v, l]) =>
    h('option', {value: v}, v === 'works' ? `${l}（支払期限40日）` : `${l}（支払期限30日）`)));
  const box = h('div', {});
  const button = h('button', {type: 'submit', class: 'btn btn-primary'}, '登録する');
  const back = q.get('return');
  const cancel = back ? '#' + back : '#/commitments' + query(filters);
  const refuse = (message) => replace(box, h('p', {class: 'error-box', role: 'alert'}, message));
  const onsubmit = async (e) => {
    e.preventDefault();
    if (!vendor.list.value) return refuse('債権者を選んでください。');
    if (!description.value.trim()) return refuse('件名を入力してください。');
    const yen = amountOf(amount.value);
    if (!yen || yen === '0') return refuse('契約額を円単位の数字で入力してください（例: 1,320,000）。');
    button.disabled = true;
    try {
      const created = await api.post('/api/v1/commitments', {
        department: dept.value(), vendor_id: vendor.list.value, description: description.value.trim(),
        budget_line: key(budget.value), fiscal_year: Number(year.value), amount: yen,
        contract_from: from.value, contract_to: to.value, expense_type: type.value,
      });
      ctx.flash(`支出負担行為 ${created.id} を登録しました。`, 'success');
      ctx.go(back || '/commitments' + query({fiscal_year: created.fiscal_year, vendor_id: created.vendor_id,
        highlight: created.id}));
    } catch (err) {
      button.disabled = false;
      refuse(err.message);
    }
  };
  return h('form', {class: 'panel register-form', novalidate: true, onsubmit, 'aria-labelledby': 'register-title'},
    h('h2', {id: 'register-title'}, '支出負担行為の登録'),
    h('div', {class: 'form-columns'},
      h('div', {}, dept.node, vendor.node),
      h('div', {},
        field('件名', description, {hint: '契約・発注の内容（例: 複合機賃貸借 単価契約）'}),
        field('予算科目', budget, {hint: '款-項-目-節（例: 02-01-01-13）'}),
        field('会計年度', year),
        field('契約額（円）', amount),
        h('div', {class: 'field-pair'}, field('契約期間（開始）', from), field('契約期間（終了）', to)),
        field('種別', type))),
    box,
    h('p', {class: 'actions'}, button, ' ', h('a', {href: cancel, class: 'btn'}, 'やめる')));
}
