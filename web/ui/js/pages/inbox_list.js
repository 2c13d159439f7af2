// One of the inbox's lists in full (#/inbox/unprocessed, …), fifty at a
// time from GET /api/v1/inbox/{list}: the count is the whole list's.

import {api, departmentNames, query} from '../api.js';
import {h, replace} from '../dom.js';
import {count} from '../format.js';
import {KINDS, itemsTable} from './inbox_common.js';

const PAGE = 50;

export async function render(ctx) {
  const kind = ctx.params[0];
  const k = KINDS[kind];
  if (!k) {
    document.title = 'ページが見つかりません — kura';
    replace(ctx.main, h('h1', {}, 'ページが見つかりません'), h('p', {}, h('a', {href: '#/'}, 'ホームへ戻る')));
    return;
  }
  document.title = `${k.label} — kura`;
  const [first, departments] = await Promise.all([
    api.get(`/api/v1/inbox/${kind}` + query({limit: PAGE})), departmentNames()]);
  const items = [...first.items];
  const tableBox = h('div', {});
  const status = h('p', {class: 'hint', role: 'status', 'aria-live': 'polite'});
  const more = h('button', {type: 'button', class: 'btn'}, `次の${PAGE}件を表示`);
  let next = first.next;
  const draw = () => {
    replace(tableBox, itemsTable(items, null, departments));
    status.textContent = `${count(first.count)} 件中 ${count(items.length)} 件を表示しています。`;
    more.hidden = !next;
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await api.get(`/api/v1/inbox/${kind}` + query({limit: PAGE, after: next}));
      items.push(...page.items);
      next = page.next;
      draw();
    } catch (err) {
      status.textContent = err.message;
    } finally {
      more.disabled = false;
    }
  });
  draw();
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › ', k.label),
    h('h1', {}, k.label, ' ', h('span', {class: 'count'}, `${count(first.count)} 件`)),
    h('p', {class: 'lead'}, k.help),
    tableBox, status, more);
}
