// 証跡出力 (#/export): a compliance officer packs the documents a search
// finds — the same conditions as 検索 (search.js), kept in the address —
// into one ZIP (a BagIt evidence package: originals, time-stamps, proofs,
// history, report.pdf) for a tax officer, 監査委員 or a court. The server
// makes it in the background (POST /api/v1/exports); this page polls each
// running export (GET /api/v1/exports) for its phase and documents done,
// shows them in a <progress>, may cancel it (DELETE), and offers the ZIP
// when it is done (…/download). Who may: workflow::MayExportEvidence
// (compliance officers only; the menu entry follows the same rule).

import {api, departmentNames, query} from '../api.js';
import {h, replace} from '../dom.js';
import {count, date, stateName, time, yen} from '../format.js';
import {FORMATS} from './invoice_common.js';
import {conditionsOf, searchForm, searchFrom} from './search.js';

const POLL_MS = 1000;

const PHASES = {
  checkpoint: '記録を確定しています（チェックポイント）',
  search: '書類を集めています',
  originals: '原本と証跡を書き出しています',
  finish: '一覧と証明を書き出しています',
  report: '報告書（PDF）を作成しています',
  sync: 'ディスクに書き込んでいます',
  done: '完了しました',
};

const STATES = {running: '作成中', done: '完了', failed: '失敗', cancelled: '中止'};
const STATE_BADGES = {running: 'badge badge-warn', done: 'badge badge-good', failed: 'badge badge-bad',
  cancelled: 'badge'};

const CONDITION_NAMES = {
  date_from: '取引年月日（から）', date_to: '取引年月日（まで）', amount_min: '取引金額（から）',
  amount_max: '取引金額（まで）', counterparty: '取引先', registration_number: '登録番号',
  department: '課', type: '書類の種類', format: '形式', state: '状態',
};
const TYPE_NAMES = {invoice: '請求書', credit_note: '返還請求書（値引・返品）', unknown: '不明'};

/** The menu's rule (workflow::MayExportEvidence). */
export function mayExport(user) {
  return user.roles.includes('compliance');
}

function megabytes(bytes) {
  if (bytes < 1024 * 1024) return `${count(Math.ceil(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toLocaleString('ja-JP', {maximumFractionDigits: 1})} MB`;
}

// "取引先: 株式会社… ／ 状態: 支払済" for people.
function conditionText(conditions, departments) {
  const shown = Object.entries(conditions).filter(([, v]) => v);
  if (shown.length === 0) return 'すべての書類（条件なし）';
  return shown.map(([k, v]) => {
    let value = v;
    if (k.startsWith('date_')) value = date(v);
    else if (k.startsWith('amount_')) value = yen(v.replace(/,/g, ''));
    else if (k === 'department') value = departments.get(v) || v;
    else if (k === 'state') value = stateName(v);
    else if (k === 'type') value = TYPE_NAMES[v] || v;
    else if (k === 'format') value = FORMATS[v] || v;
    return `${CONDITION_NAMES[k] || k}: ${value}`;
  }).join(' ／ ');
}

function progressText(job) {
  const phase = PHASES[job.phase] || job.phase;
  const docs = job.documents_total ? `${count(job.documents_done)} / ${count(job.documents_total)} 件` : '';
  return [phase, docs, job.bytes ? `ZIP ${megabytes(job.bytes)}` : ''].filter(Boolean).join(' — ');
}

// One export: its progress while running, its file when done.
function jobView(job, departments, actions) {
  const title = `証跡パッケージ（${time(job.started_at)} 開始）`;
  const headingId = 'export-' + job.id;
  const parts = [
    h('h3', {id: headingId, tabindex: '-1'}, title, ' ',
      h('span', {class: STATE_BADGES[job.state] || 'badge'}, STATES[job.state] || job.state)),
    h('p', {class: 'export-conditions'}, '条件: ', conditionText(job.query, departments)),
  ];
  if (job.state === 'running') {
    const bar = h('progress', {max: Math.max(1, job.documents_total), value: job.documents_done,
      'aria-labelledby': headingId, 'aria-describedby': headingId + '-text', class: 'export-progress'});
    parts.push(bar, h('p', {id: headingId + '-text', class: 'export-progress-text'}, progressText(job)),
      h('div', {class: 'button-row'},
        h('button', {type: 'button', class: 'btn btn-danger', onclick: () => actions.cancel(job)},
          '中止する')));
  } else if (job.state === 'done') {
    parts.push(
      h('p', {}, `${count(job.documents_done)} 件の書類、ZIP ファイル ${megabytes(job.bytes)}`,
        job.missing_originals ? `（原本が保存されていない書類 ${count(job.missing_originals)} 件を含みます）` : '',
        '。'),
      h('div', {class: 'button-row'},
        h('a', {class: 'btn btn-primary', href: `/api/v1/exports/${encodeURIComponent(job.id)}/download`,
          download: job.file_name, id: 'download-' + job.id}, `ZIP ファイルをダウンロード（${job.file_name}）`),
        h('button', {type: 'button', class: 'btn', onclick: () => actions.remove(job)}, '削除する')),
      h('p', {class: 'hint'}, `ダウンロードできるのは ${time(job.expires_at)} までです（その後サーバーから自動で削除されます）。`,
        'ZIP を展開したフォルダで「sha256sum -c manifest-sha256.txt」を実行すると、すべてのファイルを確かめられます（手順は中の VERIFY.txt）。'));
  } else {
    parts.push(h('p', {class: job.state === 'failed' ? 'error-box' : 'notice notice-info',
      role: job.state === 'failed' ? 'alert' : null}, job.error || '中止しました。'),
    h('div', {class: 'button-row'},
      h('button', {type: 'button', class: 'btn', onclick: () => actions.remove(job)}, '一覧から消す')));
  }
  return h('section', {class: 'panel export-job', 'aria-labelledby': headingId, 'data-state': job.state}, parts);
}

// The start box: how many documents the conditions find, and the button.
function startBox(total, limits, running, start) {
  const box = h('div', {class: 'panel export-start'}, h('h2', {}, '出力する書類'));
  if (total === 0) {
    box.append(h('p', {class: 'empty'}, '条件に合う書類はありません。条件を変えてください。'));
    return box;
  }
  box.append(h('p', {class: 'export-count'}, 'この条件に合う書類は ', h('strong', {}, `${count(total)} 件`), 'です。'));
  if (total > limits.max_documents) {
    box.append(h('p', {class: 'error-box', role: 'alert'},
      `一度に出力できるのは ${count(limits.max_documents)} 件までです。期間などの条件を絞って、分けて出力してください。`));
    return box;
  }
  if (running) {
    box.append(h('p', {class: 'notice notice-info'}, '作成中の証跡パッケージがあります。終わるか中止してから、新しく作成できます。'));
    return box;
  }
  box.append(h('div', {class: 'button-row'},
    h('button', {type: 'button', class: 'btn btn-primary', id: 'export-start', onclick: start},
      `証跡パッケージを作成する（${count(total)} 件）`)),
  h('p', {class: 'hint'}, `作成はサーバーで行われ、この画面で進み具合が分かります（別の画面へ移っても続きます）。`,
    `作成した ZIP ファイルは ${limits.keep_hours} 時間ダウンロードできます。`));
  return box;
}

export async function render(ctx) {
  document.title = '証跡出力 — kura';
  if (!mayExport(ctx.user)) {
    replace(ctx.main, h('h1', {}, '証跡出力'),
      h('p', {class: 'error-box', role: 'alert'}, '証跡出力は文書管理担当者だけが行えます。'));
    return;
  }
  const s = searchFrom(ctx.query);
  const conditions = conditionsOf(s);
  const departments = await departmentNames();
  const startArea = h('div', {}, h('p', {class: 'loading'}, '件数を数えています…'));
  const error = h('div', {});
  const jobsArea = h('div', {class: 'export-jobs'});
  const announcer = h('p', {class: 'sr-only', role: 'status', 'aria-live': 'polite'});
  replace(ctx.main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › 証跡出力'),
    h('h1', {}, '証跡出力'),
    h('p', {class: 'lead'}, '検索の条件に合う書類を、受け取ったままの原本・タイムスタンプ・改ざんがないことの証明・処理の履歴・報告書（PDF）とともに、',
      '1 つの ZIP ファイル（証跡パッケージ）にまとめます。税務署・監査委員・裁判所などに提出でき、受け取った人は kura がなくても確かめられます。'),
    searchForm(ctx, s, departments, '/export'),
    startArea, error,
    h('h2', {id: 'export-jobs-title', tabindex: '-1'}, '作成した証跡パッケージ'), announcer, jobsArea);

  let jobs = [];
  let limits = {max_documents: Infinity, keep_hours: 24};
  let total = null;
  let timer = null;
  const phases = new Map();  // id → what the announcer last said of it

  const shown = () => document.body.contains(jobsArea);
  const showError = (err) => replace(error, h('p', {class: 'error-box', role: 'alert'}, err.message));

  function drawStart() {
    if (total === null) return;
    replace(startArea, startBox(total, limits, jobs.some(j => j.state === 'running'), start));
  }

  function announce(list) {
    const said = [];
    for (const j of list) {
      const what = j.state === 'running' ? PHASES[j.phase] : `証跡パッケージの作成: ${STATES[j.state]}`;
      if (phases.get(j.id) !== what) said.push(what);
      phases.set(j.id, what);
    }
    if (said.length) announcer.textContent = said.join('。');
  }

  // Redraws the list; a running export that stays running only has its
  // bar and text updated, so that focus on its 中止 button stays.
  function drawJobs(list) {
    const focused = document.activeElement;
    const before = new Map([...jobsArea.querySelectorAll('.export-job')].map(el => [el.getAttribute('aria-labelledby'), el]));
    const nodes = list.map(job => {
      const old = before.get('export-' + job.id);
      if (old && job.state === 'running' && old.dataset.state === 'running') {
        const bar = old.querySelector('progress');
        bar.max = Math.max(1, job.documents_total);
        bar.value = job.documents_done;
        old.querySelector('.export-progress-text').textContent = progressText(job);
        return old;
      }
      const node = jobView(job, departments, {cancel, remove});
      if (old && old.contains(focused)) {
        queueMicrotask(() => (node.querySelector('a.btn') || node.querySelector('h3')).focus());
      }
      return node;
    });
    if (list.length === 0) nodes.push(h('p', {class: 'empty'}, 'まだありません。'));
    jobsArea.replaceChildren(...nodes);
    announce(list);
  }

  async function refresh() {
    timer = null;
    if (!shown()) return;
    try {
      const answer = await api.get('/api/v1/exports');
      if (!shown()) return;
      const wasRunning = jobs.some(j => j.state === 'running');
      jobs = answer.items;
      limits = answer.limits;
      drawJobs(jobs);
      if (wasRunning !== jobs.some(j => j.state === 'running')) drawStart();
    } catch (err) {
      if (err.status === 401) return;
      showError(err);
    }
    if (jobs.some(j => j.state === 'running') && shown()) timer = setTimeout(refresh, POLL_MS);
  }

  async function start() {
    error.replaceChildren();
    const button = document.getElementById('export-start');
    if (button) button.disabled = true;
    try {
      const job = await api.post('/api/v1/exports', {query: conditions});
      if (timer) clearTimeout(timer);
      await refresh();
      const heading = document.getElementById('export-' + job.id);
      if (heading) heading.focus();
    } catch (err) {
      if (button) button.disabled = false;
      if (err.status !== 401) showError(err);
    }
  }

  async function cancel(job) {
    error.replaceChildren();
    try {
      await api.del('/api/v1/exports/' + encodeURIComponent(job.id));
    } catch (err) {
      if (err.status !== 401) showError(err);
    }
    if (timer) clearTimeout(timer);
    await refresh();
  }

  async function remove(job) {
    if (job.state === 'done' && !window.confirm('この証跡パッケージ（ZIP ファイル）をサーバーから削除します。よろしいですか？')) return;
    await cancel(job);
    document.getElementById('export-jobs-title').focus();
  }

  await refresh();
  try {
    const answer = await api.get('/api/v1/documents' + query({...conditions, limit: 1}));
    total = answer.count;
  } catch (err) {
    if (err.status === 401) return;
    replace(startArea, h('p', {class: 'error-box', role: 'alert'}, err.message));
    return;
  }
  drawStart();
}
