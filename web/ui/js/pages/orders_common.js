// What the payment-order pages share: the Japanese names of the match's
// fields, of the actions and of the 会計審査 items; the ○/× table
// (項目 | 請求書 | 支出負担行為・債権者マスタ | 判定); and how an error of the
// API is shown (a 409 with a 再読み込み button).

import {h, replace} from '../dom.js';
import {yen, date} from '../format.js';

/** The match's fields (workflow/matching.h), in the order it lists them. */
export const FIELDS = {
  vendor: {label: '債権者', help: '登録番号（なければ名称）'},
  amount: {label: '金額', help: '支出負担行為の残額以内か'},
  tax: {label: '消費税額', help: '税率ごとの税額'},
  invoice_date: {label: '請求日', help: '契約期間内か'},
  department: {label: '担当課', help: '請求書を受け付けた課'},
  bank_account: {label: '振込先口座', help: '債権者マスタの口座'},
  address: {label: '住所', help: '債権者マスタの住所'},
};

/** × that only the accounting office settles (kAccountingFields). */
export const ACCOUNTING_FIELDS = ['vendor', 'bank_account', 'department'];

export const ACTIONS = {
  draft: '起票',
  submit: '提出',
  approve: '承認',
  return: '差戻し',
  withdraw: '取下げ',
  accept: '審査完了',
  pay: '支払',
  resume: '再開',
  override_vendor: '債権者確認',
  confirm_bank_account: '口座確認',
  document_corrected: '請求書の訂正',
};

/** The seven items of 会計審査 (kChecklistItems), with what each means. */
export const CHECKLIST = [
  {item: 'fiscal_year', label: '会計年度', help: '支出する会計年度が正しい'},
  {item: 'budget_line', label: '予算科目', help: '款・項・目・節が支出の内容に合っている'},
  {item: 'legitimate_creditor', label: '正当債権者', help: '請求者が契約の相手方（正当な債権者）である'},
  {item: 'amount', label: '金額', help: '請求金額が契約・検収の内容と一致している'},
  {item: 'delivery_done', label: '履行確認', help: '納品・役務の完了を検収で確認した'},
  {item: 'debt_fixed', label: '債務確定', help: '支払うべき債務が確定している'},
  {item: 'payment_method_and_date', label: '支払方法・支払日', help: '振込先と支払日が正しく、支払期限内である'},
];

export const EXPENSE_TYPES = {
  goods: '物品',
  services: '役務（委託・賃借など）',
  works: '工事',
};

const ACCOUNT_TYPES = {1: '普通', 2: '当座', 4: '貯蓄'};

/** "0017:273:1:9329536" → "金融機関 0017・支店 273・普通 9329536". */
export function bankAccount(text) {
  if (!text) return '—';
  const p = text.split(':');
  if (p.length !== 4) return text;
  return `金融機関 ${p[0]}・支店 ${p[1]}・${ACCOUNT_TYPES[p[2]] || '種別' + p[2]} ${p[3]}`;
}

/** "2026-04-01〜2027-03-31" → dates with 和暦. */
export function period(from, to) {
  return `${date(from)} 〜 ${date(to)}`;
}

// A value of the match as a person reads it: yen, dates, names, accounts.
function shown(field, value, side, departments) {
  if (!value) return h('span', {class: 'muted'}, side === 'invoice' ? '（記載なし）' : '（なし）');
  switch (field) {
    case 'amount':
      return side === 'invoice' ? yen(value) : `使える残額 ${yen(value)}`;
    case 'tax':
      return value.split(' / ').map(part => {
        const m = /^(.*%): (.*)$/.exec(part);
        return m ? `${m[1]} ${yen(m[2])}` : part;
      }).join('／');
    case 'invoice_date': {
      if (side === 'invoice') return date(value);
      const [from, to] = value.split('〜');
      return to ? `契約期間 ${period(from, to)}` : value;
    }
    case 'department':
      return departments.get(value) || value;
    case 'bank_account':
      return bankAccount(value);
    default:
      return value;
  }
}

function verdict(status) {
  if (status === 'match') return h('span', {class: 'mark mark-ok'}, h('span', {'aria-hidden': 'true'}, '○'), ' 一致');
  if (status === 'mismatch') return h('span', {class: 'mark mark-ng'}, h('span', {'aria-hidden': 'true'}, '×'), ' 不一致');
  return h('span', {class: 'mark mark-none'}, h('span', {'aria-hidden': 'true'}, '－'), ' 記載なし');
}

/** The acknowledgement that covers the match row m now, or null. */
export function coveringAck(order, m) {
  const acks = (order && order.acknowledgements) || [];
  for (let i = acks.length - 1; i >= 0; --i) {
    const a = acks[i];
    if (a.field === m.field && a.invoice_value && a.invoice_value === m.invoice_value &&
        a.expected_value === m.expected_value) return a;
  }
  return null;
}

/**
 * The ○/× table. opts: {order (for acknowledgements), caption,
 * departments, extra(m) → node for the 判定 cell (a checkbox, a note)}.
 */
export function matchTable(match, opts = {}) {
  const departments = opts.departments || new Map();
  return h('table', {class: 'list match-table'},
    h('caption', {class: opts.captionHidden ? 'visually-hidden' : null}, opts.caption || '照合結果'),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, '項目'),
      h('th', {scope: 'col'}, '請求書'),
      h('th', {scope: 'col'}, '支出負担行為・債権者マスタ'),
      h('th', {scope: 'col'}, '判定'))),
    h('tbody', {}, match.map(m => {
      const f = FIELDS[m.field] || {label: m.field, help: ''};
      const ack = m.status === 'mismatch' ? coveringAck(opts.order, m) : null;
      return h('tr', {class: 'match-' + m.status, dataset: {field: m.field}},
        h('th', {scope: 'row'}, f.label, h('span', {class: 'field-help'}, f.help)),
        h('td', {}, shown(m.field, m.invoice_value, 'invoice', departments)),
        h('td', {}, shown(m.field, m.expected_value, 'expected', departments)),
        h('td', {class: 'verdict'}, verdict(m.status),
          ack ? h('div', {class: 'ack-note'},
            `確認済み（${ack.by}）: ${ack.comment}`) : null,
          opts.extra ? opts.extra(m, ack) : null));
    })));
}

/** ○ n・× n as a short summary of a match (× in red when there are any). */
export function matchSummary(match) {
  const n = s => match.filter(m => m.status === s).length;
  return h('span', {class: 'nowrap'},
    h('span', {class: 'mark-ok'}, `○ ${n('match')}`), '・',
    h('span', {class: n('mismatch') ? 'mark-ng' : null}, `× ${n('mismatch')}`),
    n('missing') ? `・記載なし ${n('missing')}` : null);
}

/**
 * Shows err in box (role="alert"): the API's message as it is; a stale
 * version (409) adds a 再読み込み button that calls reload.
 */
export function showError(box, err, reload) {
  const stale = err && err.status === 409;
  replace(box, h('div', {class: 'error-box', role: 'alert'},
    h('p', {}, err.message),
    stale ? h('p', {}, '画面の内容が古くなっています。最新の状態を読み込み直してから、もう一度操作してください。') : null,
    stale && reload ? h('button', {type: 'button', class: 'btn', onclick: reload}, '再読み込み') : null));
  box.scrollIntoView({block: 'nearest'});
}

/** The current fiscal year (April–March) in Japan. */
export function currentFiscalYear() {
  const parts = new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Tokyo', year: 'numeric', month: 'numeric'})
    .formatToParts(new Date());
  const year = +parts.find(p => p.type === 'year').value;
  const month = +parts.find(p => p.type === 'month').value;
  return month >= 4 ? year : year - 1;
}

/** True if user is a clerk of department (drafts, submits, registers). */
export function isClerkOf(user, department) {
  return user.roles.includes('clerk') && user.department === department;
}
