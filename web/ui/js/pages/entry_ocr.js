// What 項目入力 (invoice_entry.js) shows of a scan's OCR proposal (GET
// /api/v1/documents/{id}/ocr): where OCR stands (未読取 / 読み取り中 / 読み取れ
// なかった / 読み取り済み), each proposed value's confidence in words, the
// regions it was read from as boxes over the original (in percent of the
// page, so they follow the zoom), and the vendor master's entry that
// confirms the counterparty. The proposal stays data: nothing here is
// saved until the person confirms the form.

import {api} from '../api.js';
import {h} from '../dom.js';
import {time} from '../format.js';

/** The fields OCR proposes that the form has an input for. */
export const PROPOSED = ['issue_date', 'total', 'counterparty', 'registration_number', 'invoice_number'];

const REGION_LABELS = {
  issue_date: '取引年月日', total: '金額', counterparty: '取引先', registration_number: '登録番号',
  invoice_number: '請求書番号', tax_subtotals: '税率別の内訳',
};

/**
 * The proposal and the vendor master for a scan: {state, ocr, vendors}.
 * state is 'done', 'reading', 'waiting' (未読取) or 'failed'; ocr is the
 * API's body (null if it could not be read: the person types as before).
 */
export async function loadProposal(id) {
  const [ocr, vendors] = await Promise.all([
    api.get(`/api/v1/documents/${encodeURIComponent(id)}/ocr`).catch(() => null),
    api.get('/api/v1/vendors').then(r => r.items || []).catch(() => []),
  ]);
  return {state: ocrState(ocr), ocr, vendors};
}

function ocrState(ocr) {
  if (!ocr) return 'waiting';
  const status = String(ocr.status || '');
  if (status === 'reading') return 'reading';
  if (status === 'failed') return 'failed';
  if (ocr.done === true || status === 'done' || (ocr.proposal && Object.keys(ocr.proposal).length)) {
    return ocr.proposal ? 'done' : 'waiting';
  }
  return 'waiting';
}

/**
 * While the page shows a scan not read yet (or being read), asks every
 * `every` ms whether OCR has finished; calls onDone() once it has. Stops
 * when alive() turns false (the person left the page) or after an hour.
 */
export function watchProposal(id, alive, onDone, every = 3000) {
  const until = Date.now() + 3600 * 1000;
  const tick = async () => {
    if (!alive() || Date.now() > until) return;
    const ocr = await api.get(`/api/v1/documents/${encodeURIComponent(id)}/ocr`).catch(() => null);
    if (!alive()) return;
    if (ocrState(ocr) === 'done') onDone();
    else setTimeout(tick, every);
  };
  setTimeout(tick, every);
}

/** 確度 in words: 高 (0.9 and above), 中 (0.7 and above), 低 (to be checked). */
export function confidenceWord(c) {
  if (typeof c !== 'number') return {word: '不明', low: true};
  if (c >= 0.9) return {word: '高', low: false};
  if (c >= 0.7) return {word: '中', low: false};
  return {word: '低', low: true};
}

/**
 * The notice above the form: where OCR stands for this scan. confirmedIn is
 * the version in which a person entered the keys (0 while they are missing).
 */
export function ocrStatusBox(p, reload, confirmedIn = 0) {
  const again = h('button', {type: 'button', class: 'btn btn-small', onclick: reload}, '再読み込み');
  if (p.state === 'reading') {
    return h('div', {class: 'notice notice-info ocr-status', role: 'status'},
      h('p', {class: 'notice-title'}, 'OCR 読み取り中'),
      h('p', {}, '読み取りが終わると、読み取った値が入った状態で表示されます（', again,
        '）。待たずに原本を見ながら入力することもできます。'));
  }
  if (p.state === 'failed') {
    return h('div', {class: 'notice notice-warn ocr-status', role: 'status'},
      h('p', {class: 'notice-title'}, 'OCR で読み取れませんでした'),
      p.ocr && p.ocr.error ? h('p', {}, String(p.ocr.error.message || p.ocr.error)) : null,
      h('p', {}, '原本を見ながら入力してください。'));
  }
  if (p.state === 'waiting') {
    return h('div', {class: 'notice notice-info ocr-status', role: 'status'},
      h('p', {class: 'notice-title'}, 'OCR 未読取'),
      h('p', {}, 'この原本はまだ OCR で読み取っていません。原本を見ながら入力してください。'));
  }
  if (confirmedIn > 0) {
    return h('div', {class: 'notice notice-settled ocr-status', role: 'status'},
      h('p', {class: 'notice-title'}, `項目は入力済みです（第 ${confirmedIn} 版）`),
      h('p', {}, '色枠は OCR で読み取った場所です。いまの内容と違う読み取り結果は、各項目の上に参考として示しています。'));
  }
  return h('div', {class: 'notice notice-info ocr-status', role: 'status'},
    h('p', {class: 'notice-title'}, 'OCR の読み取り結果を入れてあります',
      p.ocr.at ? h('span', {class: 'sub'}, `（${time(p.ocr.at)} 読み取り）`) : null),
    h('p', {}, '原本の色枠が読み取った場所です（項目を選ぶと強調されます）。値を原本と見比べ、',
      h('strong', {}, '確度 低'), ' の項目は特に確認してください。保存すると、確認した内容が新しい版として記録されます。'));
}

// "ｔ８０１０-４０１３-４９５９７" → "T8010401349597"; anything else as typed.
function canonicalNumber(text) {
  const t = String(text || '').normalize('NFKC').toUpperCase().replace(/[\s\-ー－]/g, '');
  return /^[0-9]{13}$/.test(t) ? 'T' + t : t;
}

function canonicalName(text) {
  return String(text || '').normalize('NFKC').replace(/\s/g, '')
    .replace(/株式会社|\(株\)|㈱/g, '(株)').replace(/有限会社|\(有\)|㈲/g, '(有)');
}

/**
 * The vendor master's entry for a registration number (first) or a name,
 * with how it matched: {vendor, by: 'registration_number'|'name'} or null.
 */
export function matchVendor(vendors, registrationNumber, name) {
  const number = canonicalNumber(registrationNumber);
  if (/^T[0-9]{13}$/.test(number)) {
    const v = vendors.find(x => x.registration_number === number);
    if (v) return {vendor: v, by: 'registration_number'};
  }
  const key = canonicalName(name);
  if (key.length >= 2) {
    const v = vendors.find(x => canonicalName(x.name) === key);
    if (v) return {vendor: v, by: 'name'};
  }
  return null;
}

function percent(part, whole) {
  return `${(100 * part / whole).toFixed(3)}%`;
}

// One box over the page for the fields read there (two fields may share
// it: a counterparty confirmed by its registration number), placed in
// percent of the page's pixels.
function regionBox(fields, box, size, onPick) {
  const names = fields.map(f => REGION_LABELS[f]).join('・');
  const el = h('div', {class: 'ocr-region', dataset: {fields: fields.join(' ')}, 'aria-hidden': 'true',
    title: `${names}（OCR で読み取った場所）`},
  h('span', {class: 'ocr-region-label'}, names));
  const pad = Math.max(6, Math.round(size.width / 160));
  el.style.left = percent(Math.max(0, box.x - pad), size.width);
  el.style.top = percent(Math.max(0, box.y - pad), size.height);
  el.style.width = percent(box.w + 2 * pad, size.width);
  el.style.height = percent(box.h + 2 * pad, size.height);
  el.addEventListener('click', () => onPick(fields[0]));
  return el;
}

/**
 * decorate(frame, page, size) for showOriginal: draws the regions of the
 * proposal that lie on that page. The page's pixel size comes from the API
 * ("pages"), else from the image itself; without either no box is drawn.
 */
export function regionDecorator(ocr, onPick) {
  const regions = (ocr && ocr.regions) || {};
  const sizes = (ocr && ocr.pages) || [];
  return (frame, page, natural) => {
    const known = sizes.find(s => s.page === page);
    const size = known && known.width > 0 ? known : natural;
    if (!size || !(size.width > 0) || !(size.height > 0)) return;
    const boxes = new Map();  // "x,y,w,h" → {box, fields}
    for (const [field, value] of Object.entries(regions)) {
      for (const box of Array.isArray(value) ? value : [value]) {
        if (!box || box.page !== page || !(box.w > 0) || !(box.h > 0)) continue;
        const key = [box.x, box.y, box.w, box.h].join(',');
        if (!boxes.has(key)) boxes.set(key, {box, fields: []});
        if (!boxes.get(key).fields.includes(field)) boxes.get(key).fields.push(field);
      }
    }
    frame.classList.toggle('has-regions', boxes.size > 0);
    for (const {box, fields} of boxes.values()) frame.appendChild(regionBox(fields, box, size, onPick));
  };
}

// Scrolls the original's own scroll areas (the sticky panel, a zoomed
// page) so that box shows, leaving the window where it is: the field the
// person is typing in stays in view.
function revealInPanel(box) {
  const margin = 32;
  const panel = box.closest('.original-panel');
  if (panel) {
    const p = panel.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    if (b.top < p.top + margin) panel.scrollTop -= p.top + margin - b.top;
    else if (b.bottom > p.bottom - margin) panel.scrollTop += b.bottom - p.bottom + margin;
  }
  const pages = box.closest('.pdf-pages, .scan-pages');
  if (pages) {
    const p = pages.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    if (b.left < p.left + margin) pages.scrollLeft -= p.left + margin - b.left;
    else if (b.right > p.right - margin) pages.scrollLeft += b.right - p.right + margin;
  }
}

/** Highlights (or not) the regions of one field; on focus, shows the first in the panel. */
export function highlightRegions(root, field, on, scroll = false) {
  const boxes = root.querySelectorAll(`.ocr-region[data-fields~="${field}"]`);
  boxes.forEach(b => b.classList.toggle('active', on));
  if (on && scroll && boxes[0]) revealInPanel(boxes[0]);
}
