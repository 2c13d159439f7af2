// 管理 › ユーザー (#/admin): every account (GET /api/v1/users, admins only)
// with its 課, 役割, 役職 and state — 有効/無効, waiting for its first own
// password, held by the login throttle — narrowed by 課, state and a
// search, 50 a page. Each login opens the user's page (changes, disabling,
// a temporary password, unlocking).
//
// Query: department, state (active, disabled, locked), q, page.

import {api, query} from '../api.js';
import {h, replace} from '../dom.js';
import {count, roleName, time} from '../format.js';
import {adminTabs, breadcrumb, isAdmin, refusedPage} from './admin_common.js';

const PAGE = 50;

const STATES = [
  ['', 'すべて'],
  ['active', '有効'],
  ['disabled', '無効'],
  ['locked', 'ログイン制限中'],
];

/** The badges of a user's state. */
export function stateBadges(u) {
  return [
    u.active ? h('span', {class: 'badge badge-good'}, '有効') : h('span', {class: 'badge badge-bad'}, '無効'),
    u.must_change_password ? h('span', {class: 'badge badge-warn'}, 'パスワード変更待ち') : null,
    u.throttled_until ? h('span', {class: 'badge badge-warn'}, `ログイン制限中（${time(u.throttled_until)} まで）`) : null,
  ];
}

function matches(u, filters, departments) {
  if (filters.department && u.department !== filters.department) return false;
  if (filters.state === 'active' && !u.active) return false;
  if (filters.state === 'disabled' && u.active) return false;
  if (filters.state === 'locked' && !u.throttled_until) return false;
  if (!filters.q) return true;
  const k = filters.q.normalize('NFKC').toLowerCase();
  return [u.login, u.name, u.title, departments.get(u.department) || '']
    .some(s => (s || '').normalize('NFKC').toLowerCase().includes(k));
}

function filterForm(ctx, filters, departments) {
  const dept = h('select', {id: 'f-dept'},
    h('option', {value: ''}, 'すべての課'),
    [...departments].map(([code, name]) => h('option', {value: code, selected: code === filters.department}, name)));
  const state = h('select', {id: 'f-state'},
    STATES.map(([v, label]) => h('option', {value: v, selected: v === filters.state}, label)));
  const q = h('input', {type: 'search', id: 'f-q', value: filters.q, placeholder: 'ログインID・氏名・役職'});
  return h('form', {class: 'filters admin-filters', role: 'search', 'aria-label': 'ユーザーの絞り込み',
    onsubmit: (e) => {
      e.preventDefault();
      ctx.go('/admin' + query({department: dept.value, state: state.value, q: q.value.trim()}));
    }},
  h('div', {class: 'field field-search'}, h('label', {for: 'f-q'}, '検索'), q),
  h('div', {class: 'field'}, h('label', {for: 'f-dept'}, '課'), dept),
  h('div', {class: 'field'}, h('label', {for: 'f-state'}, '状態'), state),
  h('div', {class: 'field field-button'}, h('button', {type: 'submit', class: 'btn'}, '絞り込む')));
}

function pager(filters, total, page) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  if (pages <= 1) return null;
  const link = (p, label) => h('a', {class: 'btn', href: '#/admin' + query({...filters, page: p})}, label);
  return h('nav', {class: 'pager', 'aria-label': 'ページ'},
    page > 1 ? link(page - 1, '前のページ') : h('span', {}),
    h('span', {}, `${page} / ${pages} ページ`),
    page < pages ? link(page + 1, '次のページ') : h('span', {}));
}

function usersTable(users, departments) {
  if (users.length === 0) return h('p', {class: 'empty'}, '該当するユーザーはいません。');
  return h('table', {class: 'list users-table'},
    h('caption', {class: 'visually-hidden'}, 'ユーザーの一覧'),
    h('thead', {}, h('tr', {}, ['ログインID', '氏名', '課', '役割', '役職', '状態'].map(l => h('th', {scope: 'col'}, l)))),
    h('tbody', {}, users.map(u => h('tr', {class: u.active ? null : 'inactive-row'},
      h('td', {class: 'nowrap'}, h('a', {href: '#/admin/users/' + encodeURIComponent(u.login)}, u.login)),
      h('td', {}, u.name),
      h('td', {}, departments.get(u.department) || u.department),
      h('td', {}, u.roles.map(roleName).join('・')),
      h('td', {}, u.title || h('span', {class: 'muted'}, '—')),
      h('td', {}, h('div', {class: 'state-badges'}, stateBadges(u)))))));
}

export async function render(ctx) {
  document.title = 'ユーザー — 管理 — kura';
  if (!isAdmin(ctx.user) && ctx.user.roles.includes('accountant')) {
    // The accounting office manages the vendor master only.
    return ctx.go('/admin/vendors');
  }
  let list;
  let deptList;
  try {
    [list, deptList] = await Promise.all([api.get('/api/v1/users'), api.get('/api/v1/departments')]);
  } catch (err) {
    if (err.status === 401) throw err;
    return refusedPage(ctx, '管理', err);
  }
  const departments = new Map(deptList.items.map(d => [d.code, d.name]));
  const q = ctx.query;
  const filters = {department: q.get('department') || '', state: q.get('state') || '', q: q.get('q') || ''};
  const page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  const hits = list.items.filter(u => matches(u, filters, departments));
  const shown = hits.slice((page - 1) * PAGE, page * PAGE);
  const from = (page - 1) * PAGE + 1;
  const disabled = list.items.filter(u => !u.active).length;
  replace(ctx.main,
    breadcrumb(ctx.user, 'ユーザー'),
    h('div', {class: 'title-row'},
      h('h1', {}, '管理 ', h('span', {class: 'count'}, `ユーザー ${count(list.items.length)} 人（うち無効 ${count(disabled)} 人）`)),
      h('a', {class: 'btn btn-primary', href: '#/admin/new-user'}, 'ユーザーを追加')),
    adminTabs(ctx.user, 'users'),
    filterForm(ctx, filters, departments),
    hits.length > PAGE ? h('p', {class: 'hint'},
      `${count(hits.length)} 人中 ${count(from)}〜${count(from + shown.length - 1)} 人目`) : null,
    usersTable(shown, departments),
    pager(filters, hits.length, page),
    h('p', {class: 'hint'}, 'ログインIDを選ぶと、役割・所属課・役職の変更、無効化、仮パスワードの発行、ログイン制限の解除ができます。'));
}
