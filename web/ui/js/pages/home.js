// ホーム: how many invoices wait, where — unprocessed in the department,
// waiting for me, due soon, overdue — each a link to its list.

import {api, departmentNames} from '../api.js';
import {h, replace} from '../dom.js';
import {count, date} from '../format.js';
import {KINDS, itemsTable} from './inbox_common.js';

function card(kind, n) {
  const k = KINDS[kind];
  const tone = (kind === 'overdue' || kind === 'input_overdue') && n > 0 ? ' card-bad'
    : (kind === 'due_soon' || kind === 'input_due_soon') && n > 0 ? ' card-warn'
      : kind === 'waiting_for_me' && n > 0 ? ' card-act' : '';
  return h('li', {class: 'card' + tone},
    h('a', {href: '#/inbox/' + kind, 'aria-describedby': 'help-' + kind},
      h('span', {class: 'card-label'}, k.label),
      h('span', {class: 'card-count'}, count(n), h('span', {class: 'card-unit'}, '件'))),
    h('p', {class: 'card-help', id: 'help-' + kind}, k.help));
}

const SHOWN = 20;

// A link to the whole list when the home page shows only its beginning.
function moreLink(kind, n) {
  if (n <= SHOWN) return null;
  return h('p', {class: 'more-link'},
    h('a', {href: '#/inbox/' + kind}, `${KINDS[kind].label}をすべて表示（${count(n)} 件）`));
}

export async function render(ctx) {
  document.title = 'ホーム — kura';
  const [inbox, departments] = await Promise.all([api.get('/api/v1/inbox'), departmentNames()]);
  const c = inbox.counts;
  const waiting = inbox.waiting_for_me;
  replace(ctx.main,
    h('h1', {}, 'ホーム'),
    h('p', {class: 'lead'}, `${ctx.user.name} さん、今日は ${date(inbox.today)} です。`),
    h('ul', {class: 'cards', 'aria-label': '件数'},
      Object.keys(KINDS).map(kind => card(kind, c[kind] || 0))),
    h('section', {'aria-labelledby': 'waiting-title'},
      h('h2', {id: 'waiting-title'}, 'あなたの操作を待っている支出命令'),
      itemsTable(waiting.slice(0, SHOWN), null, departments),
      moreLink('waiting_for_me', c.waiting_for_me)),
    c.overdue > 0 ? h('section', {'aria-labelledby': 'overdue-title'},
      h('h2', {id: 'overdue-title'}, '期限を過ぎているもの'),
      itemsTable(inbox.overdue.slice(0, SHOWN), null, departments),
      moreLink('overdue', c.overdue)) : null,
    c.input_overdue > 0 ? h('section', {'aria-labelledby': 'input-overdue-title'},
      h('h2', {id: 'input-overdue-title'}, '入力期限を過ぎているスキャン'),
      itemsTable(inbox.input_overdue.slice(0, SHOWN), null, departments),
      moreLink('input_overdue', c.input_overdue)) : null);
}
