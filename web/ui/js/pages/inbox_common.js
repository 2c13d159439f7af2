// The inbox's four lists (GET /api/v1/inbox) as the home page and the list
// pages show them.

import {h, table} from '../dom.js';
import {yen, date, stateName, deadlineName} from '../format.js';

export const KINDS = {
  unprocessed: {label: '未処理の請求書', scope: '課', help: '課で受け付けて、まだ支出命令を起票していない請求書'},
  waiting_for_me: {label: '承認待ち', scope: '自分', help: 'あなたが承認・審査・支払などの操作をする番の支出命令'},
  due_soon: {label: '期限間近', scope: '課', help: '支払期限（支払遅延防止法）まで7日以内'},
  overdue: {label: '期限超過', scope: '課', help: '支払期限を過ぎても支払われていないもの'},
  // スキャナ保存: the keys of a scan are entered おおむね7営業日 after receipt.
  input_due_soon: {label: '入力期限間近', scope: '課', help: 'スキャンした書類で、項目入力の期限（受領からおおむね7営業日）が近いもの'},
  input_overdue: {label: '入力期限超過', scope: '課', help: 'スキャンした書類で、項目入力の期限を過ぎてもまだ入力されていないもの'},
};

const ACTIONS = {
  submit: '提出', approve: '承認', return: '差戻し', withdraw: '取下げ', accept: '審査完了',
  pay: '支払', resume: '再開', override_vendor: '債権者確認', confirm_bank_account: '口座確認',
};

export function itemHref(item) {
  return item.kind === 'order' ? '#/orders/' + encodeURIComponent(item.id)
    : '#/invoices/' + encodeURIComponent(item.id);
}

function deadlineCell(item) {
  const cls = item.deadline === 'overdue' ? 'badge badge-bad'
    : item.deadline === 'due_soon' ? 'badge badge-warn' : 'badge';
  return [date(item.due), ' ', h('span', {class: cls}, deadlineName(item.deadline))];
}

// What happens next: an order's actions for this user; for an invoice
// without an order, its keys entered (a scan) or an order drafted.
function nextStep(item) {
  if (item.kind === 'order') return (item.actions || []).map(a => ACTIONS[a] || a).join('・') || '—';
  if (!item.counterparty || item.amount === null || item.amount === undefined || item.amount === '') {
    return '項目入力';
  }
  return '支出命令の起票';
}

export function itemsTable(items, caption, departments = new Map()) {
  return table(caption, [
    {label: '番号', cell: i => h('a', {href: itemHref(i)}, i.id)},
    {label: '状態', cell: i => [i.state === 'awaiting_keys' ? '項目入力待ち' : stateName(i.state),
      i.return_reason ? h('div', {class: 'return-reason'}, '差戻し理由: ', i.return_reason) : null]},
    {label: '課', cell: i => departments.get(i.department) || i.department},
    {label: '取引先', cell: i => i.counterparty || '（未入力）'},
    {label: '金額', class: 'num', cell: i => yen(i.amount)},
    {label: '期限', cell: deadlineCell},
    {label: '次の操作', cell: nextStep},
  ], items);
}
