// One of the inbox's lists in full (#/inbox/unprocessed, …).

import {api, departmentNames} from '../api.js';
import {h, replace} from '../dom.js';
import {count} from '../format.js';
import {KINDS, itemsTable} from './inbox_common.js';

export async function render(ctx) {
  const kind = ctx.params[0];
  const k = KINDS[kind];
  if (!k) {
    document.title = 'ページが見つかりません — kura';
    replace(ctx.main, h('h1', {}, 'ページが見つかりません'), h('p', {}, h('a', {href: '#/'}, 'ホームへ戻る')));
    return;
  }
  document.title = `${k.label} — kura`;
  const [inbox, departments] = await Promise.all([api.get('/api/v1/inbox'), departmentNames()]);
  const items = inbox[kind] || [];
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › ', k.label),
    h('h1', {}, k.label, ' ', h('span', {class: 'count'}, `${count(items.length)} 件`)),
    h('p', {class: 'lead'}, k.help),
    itemsTable(items, null, departments));
}
