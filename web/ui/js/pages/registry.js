// 登録番号の確認 (#/registry) for the accounting office (会計室; 管理者 and
// 監査 read too): which 国税庁 公表データ is imported (GET /api/v1/registry:
// when, full or 差分, how many registrations) with the source attribution
// the 公共データ利用規約 asks for, a note for the operator when nothing is
// imported yet (`kura registry import`), and the invoices whose
// registration was valid on their date and lapsed (取消/失効) after it (GET
// /api/v1/registry/lapsed, one page of 50 asked of the server with the
// total), each linked to its invoice. Which invoices are listed is the
// server's decision (workflow LapsedRegistrations).
//
// Query: page.

import {api, query} from '../api.js';
import {h, replace, table} from '../dom.js';
import {count, date, time} from '../format.js';

const PAGE = 50;
const BASE = '/registry';
const KIND = {cancelled: '取消', expired: '失効'};

/** Who may open the page (workflow MayReviewCreditors). */
export const mayReadRegistry = user => ['accountant', 'admin', 'auditor'].some(r => user.roles.includes(r));

function snapshotPart(status) {
  const s = status.snapshot;
  if (!status.imported || !s) {
    return h('section', {class: 'registry-none', 'aria-labelledby': 'registry-snap'},
      h('h2', {id: 'registry-snap'}, '取り込んだ公表データ'),
      h('p', {class: 'notice notice-info'}, '国税庁の公表データはまだ取り込まれていません。取り込むまで、登録番号の確認と、この一覧はできません。'),
      h('p', {}, 'システムの担当者が、国税庁の「適格請求書発行事業者公表サイト」から全件データ（法人・個人・人格のない社団等）をダウンロードし、サーバーで次のコマンドを実行して取り込みます。毎日の差分データは --diff を付けて取り込みます。'),
      h('pre', {class: 'registry-command'}, 'kura registry import ダウンロードしたファイル...'));
  }
  const kind = s.kind === 'diff'
    ? `差分データ（${date(s.diff_date)}分）まで反映`
    : '全件データ';
  const files = (s.files || []).map(f => `${f.name}（${count(f.rows)} 件）`).join('、');
  return h('section', {'aria-labelledby': 'registry-snap'},
    h('h2', {id: 'registry-snap'}, '取り込んだ公表データ'),
    h('dl', {class: 'registry-snapshot'},
      h('dt', {}, '取り込み日時'), h('dd', {}, time(s.imported_at)),
      h('dt', {}, 'データ'), h('dd', {}, `${kind}（${s.id}）`),
      h('dt', {}, '登録件数'), h('dd', {}, `${count(s.rows)} 件`),
      files ? h('dt', {}, '最後に取り込んだファイル') : null,
      files ? h('dd', {}, files) : null));
}

function pager(total, page) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  if (pages <= 1) return null;
  const link = (p, label) => h('a', {class: 'btn', href: '#' + BASE + query({page: p})}, label);
  return h('nav', {class: 'pager', 'aria-label': 'ページ'},
    page > 1 ? link(page - 1, '前のページ') : h('span', {}),
    h('span', {}, `${count(page)} / ${count(pages)} ページ`),
    page < pages ? link(page + 1, '次のページ') : h('span', {}));
}

// One page of the list as the server pages it (offset/limit); total: all.
function lapsedPart(list, page) {
  const shown = list.items || [];
  const total = list.total ?? shown.length;
  const from = (list.offset || 0) + 1;
  const columns = [
    {label: '請求書', cell: r => h('a', {href: '#/invoices/' + encodeURIComponent(r.id)}, r.id)},
    {label: '取引先', cell: r => h('span', {},
      r.counterparty || '—',
      r.registered_name && r.registered_name !== r.counterparty
        ? h('span', {class: 'registry-name'}, `公表名称: ${r.registered_name}`) : null)},
    {label: '登録番号', class: 'mono', cell: r => r.registration_number},
    {label: '請求書の日付', cell: r => date(r.issue_date)},
    {label: '取消・失効', cell: r => h('span', {},
      h('span', {class: 'badge badge-warn'}, KIND[r.kind] || r.kind), ' ', date(r.lapsed_on))},
  ];
  return h('section', {'aria-labelledby': 'registry-lapsed'},
    h('h2', {id: 'registry-lapsed'}, `請求書の日付より後に登録が取消・失効した請求書（${count(total)} 件）`),
    h('p', {}, '請求書の日付には登録がありましたが、その後に取消・失効しています。今後の請求書を受け取るときや、取引先への確認にお使いください。'),
    total > PAGE && shown.length ? h('p', {class: 'hint registry-range'},
      `${count(total)} 件中 ${count(from)}〜${count(from + shown.length - 1)} 件目`) : null,
    table(null, columns, shown, '該当する請求書はありません。'),
    pager(total, page));
}

export async function render(ctx) {
  document.title = '登録番号の確認 — kura';
  const page = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
  const out = h('div', {});
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 登録番号の確認'),
    h('h1', {}, '登録番号の確認'),
    h('p', {class: 'lead'}, '請求書の登録番号（インボイス制度の適格請求書発行事業者の番号）を、国税庁の公表データで確かめます。'),
    out);
  try {
    const [status, lapsed] = await Promise.all([
      api.get('/api/v1/registry'),
      api.get('/api/v1/registry/lapsed' + query({offset: (page - 1) * PAGE, limit: PAGE}))]);
    replace(out,
      snapshotPart(status),
      status.imported ? lapsedPart(lapsed, page) : null,
      h('p', {class: 'registry-attribution'}, status.attribution));
  } catch (err) {
    if (err.status === 401) throw err;
    replace(out, h('div', {class: 'error-box', role: 'alert'}, h('p', {}, err.message)),
      err.status === 403 ? h('p', {}, 'この画面は会計室・管理者・監査が使います。') : null);
  }
}
