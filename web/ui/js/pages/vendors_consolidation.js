// 旧債権者番号の統合 (#/vendors/consolidation) for the accounting office
// (会計室; administrators too, auditors read only): the clusters of legacy
// creditor numbers the server proposes as one vendor (GET
// /api/v1/legacy-creditors/clusters, paged), each number side by side with
// the reasons in words and the suggested survivor preselected; 統合する with
// a reason and a confirmation (POST .../merges); the merges done, each with
// 取り消す (POST .../unmerges); and the upload of the old system's export
// (POST .../imports) with what was read and refused. Every decision is the
// server's (workflow MergeCreditors and its checks).
//
// Query: tab (clusters | merges | import), page.

import {api, query} from '../api.js';
import {h, replace, table} from '../dom.js';
import {count, date, time} from '../format.js';
import {confirmPanel, mayManageVendors, showProblem} from './admin_common.js';

const PAGE = 10;
const MERGE_PAGE = 50;
const BASE = '/vendors/consolidation';

/** The reasons of links (workflow/vendor_clusters.h kinds) in words. */
export const LINK_WORDS = {
  registration_number: '同じ登録番号',
  corporate_number: '同じ法人番号',
  bank_account: '同じ口座',
  name_address: '名称・所在地が一致',
  kana_address: 'カナ名・所在地が一致',
  merged: '統合済み',
};
const ACCOUNT_TYPES = {1: '普通', 2: '当座', 4: '貯蓄', 9: 'その他'};

/** Who may open the page (workflow MayReviewCreditors). */
export const mayReview = user => ['accountant', 'admin', 'auditor'].some(r => user.roles.includes(r));

function linkWord(kind) {
  return LINK_WORDS[kind] || kind;
}

function account(m) {
  if (!m.account_number) return '';
  return `${m.bank_code}-${m.branch_code} ${ACCOUNT_TYPES[m.account_type] || m.account_type} ${m.account_number}`;
}

function none() {
  return h('span', {class: 'muted'}, '—');
}

function tabs(current, user) {
  const items = [
    {key: 'clusters', label: '統合の候補'},
    {key: 'merges', label: '統合済み'},
    mayManageVendors(user) ? {key: 'import', label: '旧債権者一覧の取り込み'} : null,
  ].filter(Boolean);
  return h('nav', {class: 'admin-tabs', 'aria-label': '旧債権者番号の統合の項目'},
    h('ul', {}, items.map(t => h('li', {},
      h('a', {href: '#' + BASE + query({tab: t.key === 'clusters' ? '' : t.key}),
        'aria-current': t.key === current ? 'page' : null}, t.label)))));
}

function pager(tab, total, page, size) {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return null;
  const link = (p, label) => h('a', {class: 'btn', href: '#' + BASE + query({tab, page: p})}, label);
  return h('nav', {class: 'pager', 'aria-label': 'ページ'},
    page > 1 ? link(page - 1, '前のページ') : h('span', {}),
    h('span', {}, `${count(page)} / ${count(pages)} ページ`),
    page < pages ? link(page + 1, '次のページ') : h('span', {}));
}

// The rows of the side-by-side comparison: label and the member's value.
const ROWS = [
  {label: '区分', cell: m => m.source === 'master' ? h('span', {class: 'badge badge-state'}, '債権者マスタ') : '旧債権者番号'},
  {label: '債権者名', key: 'name'},
  {label: 'カナ', key: 'name_kana'},
  {label: '住所', key: 'address'},
  {label: '振込先口座', key: 'account', value: account},
  {label: '口座名義', key: 'account_holder'},
  {label: '登録番号', key: 'registration_number', mono: true},
  {label: '法人番号', key: 'corporate_number', mono: true},
  {label: '利用回数', cell: m => `${count(m.use_count || 0)} 回`, num: true},
  {label: '最終利用日', cell: m => m.last_used ? date(m.last_used) : none()},
  {label: '所管課', key: 'department'},
];

function valueOf(row, m) {
  return row.value ? row.value(m) : (m[row.key] || '');
}

// One cell: the value, marked when the survivor has the same one.
function cell(row, m, survivor) {
  if (row.cell) return h('td', {class: row.num ? 'num' : null}, row.cell(m));
  const v = valueOf(row, m);
  const same = v && survivor && m !== survivor && v === valueOf(row, survivor);
  return h('td', {class: [row.mono ? 'mono' : '', same ? 'same-value' : ''].filter(Boolean).join(' ') || null},
    v ? [v, same ? h('span', {class: 'visually-hidden'}, '（統合先と同じ）') : null] : none());
}

function reasonList(c) {
  return h('ul', {class: 'cluster-links'}, c.links.map(l => h('li', {},
    h('span', {class: 'mono'}, l.from), ' と ', h('span', {class: 'mono'}, l.to), ': ',
    h('strong', {}, linkWord(l.kind)), h('span', {class: 'field-help inline'}, `（${l.reason}）`))));
}

function kinds(c) {
  return [...new Set(c.links.map(l => l.kind))];
}

// The comparison table; with choose (the person may merge) a survivor
// radio and an 統合する checkbox per member. Returns {node, survivor(),
// numbers()}.
function comparison(c, n, choose) {
  const members = c.members;
  const byNumber = new Map(members.map(m => [m.number, m]));
  let survivorNumber = c.survivor;
  const radios = [];
  const boxes = [];  // the checkboxes; radios and boxes hold them with their labels
  const boxInputs = [];
  const body = h('tbody', {});
  const headRow = h('tr', {}, h('td', {}), members.map(m => h('th', {scope: 'col', class: 'member-head'},
    h('span', {class: 'mono member-number'}, m.number),
    m.number === c.survivor ? h('span', {class: 'badge badge-good'}, '統合先の候補') : null,
    m.merged_into ? h('span', {class: 'field-help'}, `${m.merged_into} に統合済み`) : null)));
  const drawBody = () => {
    const survivor = byNumber.get(survivorNumber);
    replace(body, ROWS.map(r => h('tr', {}, h('th', {scope: 'row'}, r.label),
      members.map(m => cell(r, m, survivor)))),
    choose ? [
      h('tr', {class: 'choice-row'}, h('th', {scope: 'row'}, '統合先'), members.map((m, i) => h('td', {}, radios[i]))),
      h('tr', {class: 'choice-row'}, h('th', {scope: 'row'}, '統合する番号'), members.map((m, i) => h('td', {}, boxes[i]))),
    ] : null);
  };
  if (choose) {
    members.forEach((m, i) => {
      const rid = `c${n}-survivor-${i}`;
      const bid = `c${n}-merge-${i}`;
      const radio = h('input', {type: 'radio', name: `c${n}-survivor`, id: rid, value: m.number,
        checked: m.number === c.survivor,
        disabled: m.merged_into ? true : null,
        onchange: () => {
          survivorNumber = m.number;
          boxInputs.forEach((b, j) => {
            b.checked = members[j].number !== survivorNumber && !members[j].merged_into && members[j].source !== 'master';
            b.disabled = members[j].number === survivorNumber || !!members[j].merged_into || members[j].source === 'master';
          });
          drawBody();
        }});
      const box = h('input', {type: 'checkbox', id: bid, value: m.number,
        checked: m.number !== c.survivor && !m.merged_into && m.source !== 'master',
        disabled: m.number === c.survivor || m.merged_into || m.source === 'master' ? true : null});
      boxInputs.push(box);
      radios.push(h('span', {class: 'choice'}, radio, h('label', {for: rid}, '統合先にする', h('span', {class: 'visually-hidden'}, `（${m.number}）`))));
      boxes.push(h('span', {class: 'choice'}, box, h('label', {for: bid}, '統合する', h('span', {class: 'visually-hidden'}, `（${m.number}）`))));
    });
  }
  drawBody();
  const node = h('div', {class: 'table-scroll'}, h('table', {class: 'list compare-table'},
    h('caption', {class: 'visually-hidden'}, `候補 ${n} の番号の比較`),
    h('thead', {}, headRow), body));
  return {
    node,
    survivor: () => survivorNumber,
    numbers: () => boxInputs.filter(b => b.checked && !b.disabled).map(b => b.value),
  };
}

function mergeForm(ctx, c, n, cmp, reload) {
  const reasonId = `c${n}-reason`;
  const reason = h('textarea', {id: reasonId, name: reasonId, rows: 2, maxlength: 1000, required: true,
    'aria-describedby': reasonId + '-hint'}, kinds(c).map(linkWord).join('・'));
  const problem = h('div', {});
  const area = h('div', {});
  const button = h('button', {type: 'submit', class: 'btn btn-primary'}, '統合する');
  const form = h('form', {class: 'merge-form', 'aria-label': `候補 ${n} の統合`, onsubmit: (e) => {
    e.preventDefault();
    problem.replaceChildren();
    const numbers = cmp.numbers();
    const survivor = cmp.survivor();
    if (numbers.length === 0) return showProblem(problem, '統合する番号を一つ以上選んでください。');
    if (!reason.value.trim()) return showProblem(problem, '統合の理由を入力してください。');
    const name = (c.members.find(m => m.number === survivor) || {}).name || '';
    const panel = confirmPanel({
      question: `${numbers.join('、')} を ${survivor}（${name}）に統合します。よろしいですか？`,
      detail: h('p', {class: 'hint'}, '統合した番号は、以後すべて統合先の債権者として扱われます。記録に残り、「統合済み」から取り消せます。'),
      confirm: '統合する',
      run: async (box) => {
        try {
          await api.post('/api/v1/legacy-creditors/merges', {survivor, numbers, reason: reason.value.trim()});
          ctx.flash(`${numbers.join('、')} を ${survivor}（${name}）に統合しました。`, 'success');
          reload();
        } catch (err) {
          if (err.status === 401) throw err;
          showProblem(box, err.message, {stale: err.status === 409, reload});
        }
      },
      cancel: () => {
        replace(area);
        button.hidden = false;
        button.focus();
      },
    });
    replace(area, panel);
    button.hidden = true;
    panel.focusQuestion();
  }},
  h('div', {class: 'field'}, h('label', {for: reasonId}, '統合の理由', h('span', {class: 'required'}, '必須')),
    h('p', {class: 'hint', id: reasonId + '-hint'}, '判断の根拠を記録します（候補の理由を入れてあります。必要なら書き足してください）。'),
    reason),
  problem, button, area);
  return form;
}

function clusterSection(ctx, c, n, reload) {
  const choose = mayManageVendors(ctx.user);
  const survivor = c.members.find(m => m.number === c.survivor) || c.members[0];
  const id = `cluster-${n}`;
  const cmp = comparison(c, n, choose);
  return h('section', {class: 'cluster panel', 'aria-labelledby': id, dataset: {survivor: c.survivor}},
    h('h2', {id}, `候補 ${count(n)}: `, survivor.name, h('span', {class: 'count'}, ` ${count(c.members.length)} 件の番号`)),
    h('p', {class: 'cluster-reasons'}, '同じ債権者と判断した理由: ',
      kinds(c).map(k => h('span', {class: 'badge badge-warn reason-badge'}, linkWord(k)))),
    h('p', {class: 'hint'}, '統合先の候補: ', h('strong', {class: 'mono'}, c.survivor), `（${c.survivor_reason}）`),
    cmp.node,
    h('details', {class: 'cluster-detail'}, h('summary', {}, 'つながりの詳細'), reasonList(c)),
    choose ? mergeForm(ctx, c, n, cmp, reload) : null);
}

async function renderClusters(ctx, page, out) {
  const offset = (page - 1) * PAGE;
  const list = await api.get('/api/v1/legacy-creditors/clusters' + query({offset, limit: PAGE}));
  const reload = () => ctx.go(BASE + query({page: page > 1 ? page : ''}));
  if (list.items.length === 0 && list.total > 0 && page > 1) {
    // Decisions emptied this page: show the last one there is.
    ctx.go(BASE + query({page: Math.ceil(list.total / PAGE)}));
    return list.total;
  }
  const from = offset + 1;
  replace(out,
    h('p', {class: 'hint', 'aria-live': 'polite'}, list.total === 0
      ? null
      : `同じ債権者と思われる番号のまとまり ${count(list.total)} 件中 ${count(from)}〜${count(offset + list.items.length)} 件目`),
    list.total === 0
      ? h('p', {class: 'empty'}, '判断を待つ候補はありません。旧債権者一覧を取り込むと、同じ債権者と思われる番号がここに出ます。')
      : list.items.map((c, i) => clusterSection(ctx, c, offset + i + 1, reload)),
    pager('', list.total, page, PAGE));
  return list.total;
}

function undoButton(ctx, m, reload) {
  const area = h('div', {});
  const button = h('button', {type: 'button', class: 'btn btn-danger',
    'aria-label': `${m.number} の統合を取り消す`}, '取り消す');
  button.addEventListener('click', () => {
    const reasonId = 'undo-reason-' + m.number;
    const reason = h('input', {type: 'text', id: reasonId, name: reasonId, maxlength: 1000, autocomplete: 'off'});
    const panel = confirmPanel({
      question: `${m.number} の ${m.survivor} への統合を取り消しますか？`,
      detail: h('div', {class: 'field'}, h('label', {for: reasonId}, '取り消す理由', h('span', {class: 'optional'}, '（任意）')), reason),
      confirm: '統合を取り消す',
      danger: true,
      run: async (box) => {
        try {
          await api.post('/api/v1/legacy-creditors/unmerges', {numbers: [m.number], reason: reason.value.trim()});
          ctx.flash(`${m.number} の統合を取り消しました。`, 'success');
          reload();
        } catch (err) {
          if (err.status === 401) throw err;
          showProblem(box, err.message, {stale: err.status === 409 || err.status === 404, reload});
        }
      },
      cancel: () => {
        replace(area);
        button.hidden = false;
        button.focus();
      },
    });
    replace(area, panel);
    button.hidden = true;
    panel.focusQuestion();
  });
  return h('div', {class: 'undo-cell'}, button, area);
}

async function renderMerges(ctx, page, out) {
  const offset = (page - 1) * MERGE_PAGE;
  const list = await api.get('/api/v1/legacy-creditors/merges' + query({offset, limit: MERGE_PAGE}));
  const reload = () => ctx.go(BASE + query({tab: 'merges', page: page > 1 ? page : ''}));
  const columns = [
    {label: '旧債権者番号', class: 'nowrap mono', cell: m => m.number},
    {label: '名称', cell: m => m.name || none()},
    {label: '統合先', class: 'nowrap mono', cell: m => m.survivor},
    {label: '統合先の名称', cell: m => m.survivor_name || none()},
    {label: '理由', cell: m => m.reason || h('span', {class: 'muted'}, '（記載なし）')},
    {label: '統合した人・日時', class: 'nowrap', cell: m => [m.merged_by, h('span', {class: 'field-help'}, time(m.merged_at))]},
  ];
  if (mayManageVendors(ctx.user)) columns.push({label: '操作', cell: m => undoButton(ctx, m, reload)});
  replace(out,
    h('p', {class: 'hint'}, list.total ? `統合済みの番号 ${count(list.total)} 件（新しい順）` : null),
    table('統合済みの旧債権者番号', columns, list.items, 'まだ統合した番号はありません。'),
    pager('merges', list.total, page, MERGE_PAGE));
}

function importResult(answer) {
  const refused = answer.refused || [];
  return h('section', {class: 'import-result', 'aria-labelledby': 'import-result-title'},
    h('h2', {id: 'import-result-title', tabindex: '-1'}, answer.imported ? '取り込みました' : '取り込んでいません'),
    answer.imported
      ? h('p', {class: 'notice notice-success'}, answer.summary)
      : h('div', {class: 'error-box', role: 'alert'}, h('p', {}, answer.summary)),
    answer.imported ? h('p', {class: 'import-next'}, h('a', {href: '#' + BASE}, '統合の候補を見る')) : null,
    h('dl', {class: 'facts import-facts'},
      h('dt', {}, 'ファイル'), h('dd', {}, answer.file),
      answer.import ? [h('dt', {}, '取り込み番号'), h('dd', {class: 'mono'}, answer.import)] : null,
      h('dt', {}, '正しい行'), h('dd', {}, `${count(answer.rows)} 件`),
      h('dt', {}, '誤りのある行'), h('dd', {}, `${count(answer.refused_count)} 件`)),
    refused.length ? table(answer.refused_count > refused.length
      ? `誤りのある行（最初の ${count(refused.length)} 件）` : '誤りのある行', [
      {label: '行', class: 'num nowrap', cell: e => `${count(e.line)} 行目`},
      {label: '債権者番号', class: 'mono nowrap', cell: e => e.number || none()},
      {label: '理由', cell: e => e.message},
    ], refused) : null);
}

function renderImport(ctx, out) {
  if (!mayManageVendors(ctx.user)) {
    replace(out, h('p', {}, '旧債権者一覧の取り込みは会計室または管理者が行います。'));
    return;
  }
  const result = h('div', {'aria-live': 'polite'});
  const file = h('input', {type: 'file', id: 'legacy-file', name: 'file', accept: '.csv,text/csv', required: true,
    'aria-describedby': 'legacy-file-hint'});
  const encoding = h('select', {id: 'legacy-encoding', name: 'encoding'},
    h('option', {value: 'auto'}, '自動判定'),
    h('option', {value: 'utf-8'}, 'UTF-8'),
    h('option', {value: 'cp932'}, 'Shift_JIS（CP932）'));
  const skip = h('input', {type: 'checkbox', id: 'legacy-skip', name: 'skip_invalid', value: '1'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, '取り込む');
  const form = h('form', {class: 'import-form panel', 'aria-label': '旧債権者一覧の取り込み', onsubmit: async (e) => {
    e.preventDefault();
    if (!file.files.length) return showProblem(result, '取り込む CSV ファイルを選んでください。');
    const data = new FormData();
    data.append('file', file.files[0]);
    data.append('encoding', encoding.value);
    if (skip.checked) data.append('skip_invalid', '1');
    submit.disabled = true;
    replace(result, h('p', {class: 'loading'},
      h('progress', {class: 'import-progress', 'aria-label': '取り込みの進み具合'}),
      ` ${file.files[0].name} を読んでいます…`));
    try {
      const answer = await api.post('/api/v1/legacy-creditors/imports', data);
      replace(result, importResult(answer));
      document.getElementById('import-result-title').focus();
    } catch (err) {
      if (err.status === 401) throw err;
      showProblem(result, err.message);
    } finally {
      submit.disabled = false;
    }
  }},
  h('div', {class: 'field'}, h('label', {for: 'legacy-file'}, '債権者一覧（CSV）', h('span', {class: 'required'}, '必須')),
    h('p', {class: 'hint', id: 'legacy-file-hint'},
      '旧財務会計システムから書き出した債権者一覧です。1 行目に列名（債権者番号、債権者名、債権者名カナ、登録番号、法人番号、住所、銀行コード、支店コード、預金種目、口座番号、口座名義、利用回数、最終利用日、所管課）が必要です。48 MB まで。'),
    file),
  h('div', {class: 'field'}, h('label', {for: 'legacy-encoding'}, '文字コード'), encoding),
  h('div', {class: 'field field-check'}, skip, h('label', {for: 'legacy-skip'}, '誤りのある行を除いて取り込む'),
    h('p', {class: 'hint'}, '選ばないときは、誤りのある行が一つでもあれば何も取り込まず、誤りの一覧だけを示します。')),
  h('p', {}, submit));
  replace(out, form, result);
}

export async function render(ctx) {
  document.title = '旧債権者番号の統合 — kura';
  const tab = ['merges', 'import'].includes(ctx.query.get('tab')) ? ctx.query.get('tab') : 'clusters';
  const page = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
  const out = h('div', {});
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 旧債権者番号の統合'),
    h('h1', {}, '旧債権者番号の統合'),
    h('p', {class: 'lead'}, '旧財務会計システムでは課ごとに債権者番号を作っていたため、一つの債権者に番号がいくつもあります。同じ債権者と思われる番号を理由つきで示すので、確かめて一つの番号（統合先）にまとめてください。'),
    mayManageVendors(ctx.user) ? null : h('p', {class: 'notice notice-info'}, '閲覧のみです。統合と取り込みは会計室または管理者が行います。'),
    tabs(tab, ctx.user), out);
  try {
    if (tab === 'merges') await renderMerges(ctx, page, out);
    else if (tab === 'import') renderImport(ctx, out);
    else await renderClusters(ctx, page, out);
  } catch (err) {
    if (err.status === 401) throw err;
    replace(out, h('div', {class: 'error-box', role: 'alert'}, h('p', {}, err.message)),
      err.status === 403 ? h('p', {}, 'この画面は会計室・管理者・監査が使います。') : null);
  }
}
