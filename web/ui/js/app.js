// The screens' frame: who is logged in, the menu, and which page the address
// (#/...) shows. Pages are modules under pages/ exporting
// render(ctx) → Promise; ctx = {main, params, query, user, go, flash,
// loggedIn}. Pages never import this module.

import {api, departmentNames, setCsrfToken, setSessionLostHandler} from './api.js';
import {h, replace} from './dom.js';
import {roleName} from './format.js';

const ROUTES = [
  {path: /^\/login$/, load: () => import('./pages/login.js'), anonymous: true},
  {path: /^\/password$/, load: () => import('./pages/password.js')},
  {path: /^\/$/, load: () => import('./pages/home.js')},
  {path: /^\/inbox\/([a-z_]+)$/, load: () => import('./pages/inbox_list.js')},
  {path: /^\/invoices$/, load: () => import('./pages/invoices_list.js')},
  {path: /^\/invoices\/([A-Za-z0-9]+)$/, load: () => import('./pages/invoice_detail.js')},
  {path: /^\/invoices\/([A-Za-z0-9]+)\/entry$/, load: () => import('./pages/invoice_entry.js')},
  {path: /^\/orders\/new$/, load: () => import('./pages/orders_new.js')},
  {path: /^\/orders\/([A-Za-z0-9_-]+)$/, load: () => import('./pages/orders_view.js')},
  {path: /^\/commitments$/, load: () => import('./pages/commitments.js')},
  {path: /^\/search$/, load: () => import('./pages/search.js')},
  {path: /^\/export$/, load: () => import('./pages/export.js')},
  {path: /^\/figures$/, load: () => import('./pages/figures.js')},
  {path: /^\/admin$/, load: () => import('./pages/admin_users.js')},
  {path: /^\/admin\/new-user$/, load: () => import('./pages/admin_user_new.js')},
  {path: /^\/admin\/users\/([^/]+)$/, load: () => import('./pages/admin_user.js')},
  {path: /^\/admin\/departments$/, load: () => import('./pages/admin_departments.js')},
  {path: /^\/admin\/vendors$/, load: () => import('./pages/admin_vendors.js')},
  {path: /^\/admin\/new-vendor$/, load: () => import('./pages/admin_vendor.js')},
  {path: /^\/admin\/vendors\/([A-Za-z0-9_-]+)$/, load: () => import('./pages/admin_vendor.js')},
  {path: /^\/payments$/, load: () => import('./pages/payments.js')},
  {path: /^\/payments\/(R[0-9]+-[0-9]+)$/, load: () => import('./pages/payments.js')},
  {path: /^\/vendors\/consolidation$/, load: () => import('./pages/vendors_consolidation.js')},
  {path: /^\/registry$/, load: () => import('./pages/registry.js')},
];

// The menu: only pages that exist, only for those who may use them.
const MENU = [
  {href: '#/', label: 'ホーム', show: () => true},
  {href: '#/invoices', label: '請求書', show: () => true},
  {href: '#/commitments', label: '支出負担行為',
    show: u => ['clerk', 'approver', 'accountant', 'admin'].some(r => u.roles.includes(r))},
  {href: '#/search', label: '検索', show: () => true},
  // The rule of workflow::MayExportEvidence (export.js mayExport).
  {href: '#/export', label: '証跡出力', show: u => u.roles.includes('compliance')},
  // The rule of workflow::MayViewFigures (figures.js mayViewFigures).
  {href: '#/figures', label: '効果の見える化',
    show: u => (u.roles.includes('approver') && !!u.title) || ['accountant', 'admin'].some(r => u.roles.includes(r))},
  {href: '#/admin', label: '管理', show: u => u.roles.includes('admin')},
  {href: '#/payments', label: '支払処理', show: u => ['accountant', 'auditor'].some(r => u.roles.includes(r))},
  {href: '#/admin/vendors', label: '債権者マスタ',
    show: u => u.roles.includes('accountant') && !u.roles.includes('admin')},
  // The rule of workflow::MayReviewCreditors (vendors_consolidation.js mayReview).
  {href: '#/vendors/consolidation', label: '旧債権者番号の統合',
    show: u => ['accountant', 'admin', 'auditor'].some(r => u.roles.includes(r))},
  // The rule of workflow::LapsedRegistrations (registry.js mayReadRegistry).
  {href: '#/registry', label: '登録番号の確認',
    show: u => ['accountant', 'admin', 'auditor'].some(r => u.roles.includes(r))},
];

const state = {user: null, flash: null};

function currentPath() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return {path: '/', query: new URLSearchParams()};
  const [path, q] = hash.slice(1).split('?');
  return {path: path || '/', query: new URLSearchParams(q || '')};
}

/** Goes to a page: go('/inbox/overdue'). */
function go(path) {
  if (location.hash === '#' + path) route();
  else location.hash = '#' + path;
}

/** A message shown at the top of the next page that is rendered. */
function flash(message, kind = 'info') {
  state.flash = {message, kind};
}

function showFlash() {
  const area = document.getElementById('notice');
  if (!state.flash) {
    area.replaceChildren();
    return;
  }
  replace(area, h('p', {class: 'notice notice-' + state.flash.kind}, state.flash.message));
  state.flash = null;
}

async function renderHeader() {
  const nav = document.getElementById('site-nav');
  const box = document.getElementById('user-box');
  const user = state.user;
  if (!user || user.must_change_password) {
    nav.replaceChildren();
    box.replaceChildren();
    return;
  }
  const {path} = currentPath();
  const shown = MENU.filter(m => m.show(user));
  // The entry whose page this is or contains (#/invoices/… is 請求書):
  // the longest href that starts the path at a '/' boundary.
  const here = '#' + path;
  const current = shown.filter(m => here === m.href || here.startsWith(m.href.replace(/\/$/, '') + '/'))
    .reduce((best, m) => (!best || m.href.length > best.href.length ? m : best), null);
  replace(nav, h('ul', {}, shown.map(m =>
    h('li', {}, h('a', {href: m.href, 'aria-current': m === current ? 'page' : null},
      m.label)))));
  let departments = new Map();
  try {
    departments = await departmentNames();
  } catch (_) {
    // The code stands in for the name.
  }
  const who = [departments.get(user.department) || user.department, user.title || user.roles.map(roleName).join('・')]
    .filter(Boolean).join(' ');
  replace(box,
    h('span', {class: 'user-name'}, user.name),
    h('span', {class: 'user-role'}, who),
    h('a', {href: '#/password', class: 'user-link'}, 'パスワード変更'),
    h('button', {type: 'button', class: 'btn btn-quiet', onclick: logout}, 'ログアウト'));
}

async function logout() {
  try {
    await api.del('/api/v1/session');
  } catch (_) {
    // The session may be gone already; the login page follows either way.
  }
  state.user = null;
  setCsrfToken('');
  flash('ログアウトしました。');
  go('/login');
}

/** Called by the login page with the answer of POST /api/v1/session. */
function loggedIn(answer, next) {
  state.user = answer.user;
  setCsrfToken(answer.csrf_token);
  go(state.user.must_change_password ? '/password' : (next || '/'));
}

async function loadSession() {
  try {
    const answer = await api.get('/api/v1/session', {allow401: true});
    state.user = answer.user;
    setCsrfToken(answer.csrf_token);
  } catch (err) {
    state.user = null;
    if (err.status !== 401) flash(err.message, 'error');
  }
}

let renderCount = 0;

async function route() {
  const {path, query} = currentPath();
  const match = ROUTES.map(r => ({r, m: r.path.exec(path)})).find(x => x.m);
  const main = document.getElementById('main');
  if (!state.user && !(match && match.r.anonymous)) {
    const next = path === '/' || path === '/login' ? '' : '?next=' + encodeURIComponent(path);
    location.replace('#/login' + next);
    return;
  }
  if (state.user && state.user.must_change_password && path !== '/password') {
    location.replace('#/password');
    return;
  }
  await renderHeader();
  showFlash();
  if (!match) {
    document.title = 'ページが見つかりません — kura';
    replace(main, h('h1', {}, 'ページが見つかりません'),
      h('p', {}, h('a', {href: '#/'}, 'ホームへ戻る')));
    return;
  }
  const mine = ++renderCount;
  const page = await match.r.load();
  if (mine !== renderCount) return;  // another navigation started meanwhile
  // Each page renders into a slot of its own: a page still waiting for the
  // server when the person moves on (the back button) then fills a slot no
  // longer shown, instead of replacing the page they went to.
  const slot = h('div', {class: 'page-slot'});
  replace(main, slot);
  try {
    await page.render({main: slot, params: match.m.slice(1), query, user: state.user, go, flash,
                       loggedIn});
  } catch (err) {
    if (mine !== renderCount) return;
    replace(main, h('h1', {}, 'エラー'), h('p', {class: 'error-box', role: 'alert'}, err.message));
  }
  if (renderCount > 1) main.focus({preventScroll: false});
}

// The server's own words (“ログインしてください…”) would only repeat this.
setSessionLostHandler(() => {
  state.user = null;
  flash('セッションが終了しました（一定時間操作がなかったか、サーバーが再起動しました）。もう一度ログインしてください。', 'error');
  const {path} = currentPath();
  location.hash = '#/login' + (path === '/login' ? '' : '?next=' + encodeURIComponent(path));
});

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', route);
await loadSession();
route();
