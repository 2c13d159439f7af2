// 管理 › 債権者マスタ (#/admin/vendors): the vendor master (GET
// /api/v1/vendors) searched by 名称・登録番号・債権者番号・住所 (full or half
// width alike), 50 a page; for the accounting office and administrators
// (MayManageVendors) links to register and change entries.
//
// Query: q, page, highlight (an entry just saved).

import {api, query} from '../api.js';
import {h, replace} from '../dom.js';
import {count} from '../format.js';
import {adminTabs, breadcrumb, mayManageVendors, refusedPage} from './admin_common.js';
import {accountText} from './admin_vendor.js';

const PAGE = 50;

// NFKC and lower case without spaces or dashes: "ｔ７０１０" finds "T7010…".
export function searchKey(s) {
  return (s || '').normalize('NFKC').toLowerCase().replace(/[\s\-‐−ー]/g, '');
}

function searchForm(ctx, q) {
  const input = h('input', {type: 'search', id: 'v-q', name: 'q', value: q,
    placeholder: '名称・登録番号・債権者番号・住所の一部', 'aria-describedby': 'v-q-hint'});
  return h('form', {class: 'filters admin-filters', role: 'search', 'aria-label': '債権者の検索',
    onsubmit: (e) => {
      e.preventDefault();
      ctx.go('/admin/vendors' + query({q: input.value.trim()}));
    }},
  h('div', {class: 'field field-wide'}, h('label', {for: 'v-q'}, '検索'),
    h('div', {class: 'search-row'}, input,
      h('button', {type: 'submit', class: 'btn'}, '検索する'),
      q ? h('a', {class: 'btn', href: '#/admin/vendors'}, 'すべて表示') : null),
    h('p', {class: 'hint', id: 'v-q-hint'}, '全角・半角、ハイフンの有無は区別しません。')));
}

function pager(q, total, page) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  if (pages <= 1) return null;
  const link = (p, label) => h('a', {class: 'btn', href: '#/admin/vendors' + query({q, page: p})}, label);
  return h('nav', {class: 'pager', 'aria-label': 'ページ'},
    page > 1 ? link(page - 1, '前のページ') : h('span', {}),
    h('span', {}, `${page} / ${pages} ページ`),
    page < pages ? link(page + 1, '次のページ') : h('span', {}));
}

function vendorsTable(vendors, editable, highlight) {
  if (vendors.length === 0) return h('p', {class: 'empty'}, '該当する債権者はありません。');
  return h('table', {class: 'list vendors-table'},
    h('caption', {class: 'visually-hidden'}, '債権者の一覧'),
    h('thead', {}, h('tr', {}, ['債権者番号', '名称', '登録番号', '振込先口座', '住所'].map(l => h('th', {scope: 'col'}, l)))),
    h('tbody', {}, vendors.map(v => h('tr', {class: v.id === highlight ? 'highlight' : null, id: 'v-' + v.id},
      h('td', {class: 'nowrap'}, editable
        ? h('a', {href: '#/admin/vendors/' + encodeURIComponent(v.id), 'aria-label': `${v.id} ${v.name}を変更`}, v.id)
        : v.id),
      h('td', {}, v.name),
      h('td', {class: 'nowrap mono'}, v.registration_number || h('span', {class: 'muted'}, 'なし')),
      h('td', {class: 'account-cell'}, accountText(v.bank_account)),
      h('td', {}, v.address || h('span', {class: 'muted'}, '—'))))));
}

export async function render(ctx) {
  document.title = '債権者マスタ — 管理 — kura';
  let list;
  try {
    list = await api.get('/api/v1/vendors');
  } catch (err) {
    if (err.status === 401) throw err;
    return refusedPage(ctx, '債権者マスタ', err);
  }
  const q = ctx.query.get('q') || '';
  const page = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
  const highlight = ctx.query.get('highlight');
  const k = searchKey(q);
  const vendors = [...list.items].sort((a, b) => a.id.localeCompare(b.id, 'ja', {numeric: true}));
  const hits = k ? vendors.filter(v => [v.id, v.name, v.registration_number, v.address]
    .some(s => searchKey(s).includes(k))) : vendors;
  // A highlighted entry (just saved) opens on its page.
  const at = highlight ? hits.findIndex(v => v.id === highlight) : -1;
  const shownPage = at >= 0 && !ctx.query.get('page') ? Math.floor(at / PAGE) + 1 : page;
  const shown = hits.slice((shownPage - 1) * PAGE, shownPage * PAGE);
  const from = (shownPage - 1) * PAGE + 1;
  const editable = mayManageVendors(ctx.user);
  replace(ctx.main,
    breadcrumb(ctx.user, '債権者マスタ'),
    h('div', {class: 'title-row'},
      h('h1', {}, '債権者マスタ ', h('span', {class: 'count'}, `${count(vendors.length)} 件`)),
      editable ? h('a', {class: 'btn btn-primary', href: '#/admin/new-vendor'}, '債権者を登録') : null),
    adminTabs(ctx.user, 'vendors'),
    searchForm(ctx, q),
    h('p', {class: 'hint', 'aria-live': 'polite'}, q
      ? `「${q}」に該当: ${count(hits.length)} 件` + (hits.length > PAGE ? `（${count(from)}〜${count(from + shown.length - 1)} 件目）` : '')
      : hits.length > PAGE ? `${count(hits.length)} 件中 ${count(from)}〜${count(from + shown.length - 1)} 件目` : null),
    vendorsTable(shown, editable, highlight),
    pager(q, hits.length, shownPage),
    editable ? h('p', {class: 'hint'}, '債権者番号を選ぶと、名称・登録番号・振込先口座・住所を変更できます。振込先口座の変更は記録に残ります。')
      : h('p', {class: 'hint'}, '債権者マスタの登録・変更は会計室または管理者が行います。'));
  const marked = highlight && document.getElementById('v-' + highlight);
  if (marked) marked.scrollIntoView({block: 'center'});
}
