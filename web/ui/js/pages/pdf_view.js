// A received PDF's pages drawn in the page with pdf.js (web/ui/vendor/pdfjs,
// see its README): one canvas per page, scaled to the width of the area,
// with buttons to enlarge (small print on a scanned invoice) and shrink.
// No eval (the CSP forbids it), its worker and image decoders served from
// /ui/vendor/, no
// scripts or forms of the PDF run; the text of the pages is not copied into
// the page. At most MAX_PAGES pages are drawn; the rest are named. Each
// canvas sits in a .page-frame of its size, which a caller's decorate(frame,
// number) may fill with boxes placed in percent (the OCR regions of 項目入力).

import {h, replace} from '../dom.js';

const PDFJS = '../../vendor/pdfjs/pdf.min.mjs';
const WORKER = '/ui/vendor/pdfjs/pdf.worker.min.mjs';
const DECODERS = '/ui/vendor/pdfjs/wasm/';
const MAX_PAGES = 20;

let pdfjsPromise = null;
function loadPdfjs() {
  if (!pdfjsPromise) {
    pdfjsPromise = import(PDFJS).then((lib) => {
      lib.GlobalWorkerOptions.workerSrc = WORKER;
      return lib;
    }).catch((err) => {
      pdfjsPromise = null;
      throw err;
    });
  }
  return pdfjsPromise;
}

async function drawPage(pdf, number, width, count, decorate) {
  const page = await pdf.getPage(number);
  const natural = page.getViewport({scale: 1});
  const scale = Math.max(0.3, Math.min(6, width / natural.width));
  const viewport = page.getViewport({scale});
  const ratio = window.devicePixelRatio || 1;
  const canvas = h('canvas', {class: 'pdf-page', role: 'img',
    'aria-label': `原本の ${number} ページ目（全 ${count} ページ）`});
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  const frame = h('div', {class: 'page-frame'}, canvas);
  const figure = h('figure', {class: 'pdf-figure'}, frame,
    h('figcaption', {}, `${number} / ${count} ページ`));
  const context = canvas.getContext('2d');
  await page.render({
    canvasContext: context, canvas, viewport,
    transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
  }).promise;
  page.cleanup();
  if (decorate) decorate(frame, number);
  return figure;
}

/**
 * Draws the PDF at url into area (replacing its content). expectedPages
 * (the archive's page count) is shown if pdf.js cannot open the file;
 * decorate(frame, number), if given, is called for each page drawn.
 * Throws an Error with a Japanese message when the PDF cannot be shown.
 */
export async function renderPdf(area, url, expectedPages, decorate = null) {
  replace(area, h('p', {class: 'loading'}, 'PDF を表示しています…'));
  let lib;
  try {
    lib = await loadPdfjs();
  } catch (_) {
    throw new Error('PDF を表示する部品を読み込めませんでした。ダウンロードして開いてください。');
  }
  let pdf;
  try {
    pdf = await lib.getDocument({
      url, withCredentials: true, isEvalSupported: false, enableXfa: false,
      stopAtErrors: false, useSystemFonts: false,
      // JBIG2 and JPEG 2000 images (scanners make them) are decoded by
      // pdf.js's JavaScript builds of its decoders: WebAssembly would need
      // 'wasm-unsafe-eval' in the CSP.
      useWasm: false, wasmUrl: DECODERS,
    }).promise;
  } catch (err) {
    const pages = expectedPages ? `（${expectedPages} ページ）` : '';
    throw new Error(`この PDF${pages}は画面に表示できませんでした（${err && err.name === 'PasswordException'
      ? 'パスワードで保護されています' : 'ファイルを読み取れません'}）。ダウンロードして開いてください。`);
  }
  const count = pdf.numPages;
  const fit = Math.min(Math.max(area.clientWidth - 24, 320), 900);
  const pages = h('div', {class: 'pdf-pages'});
  const level = h('span', {class: 'pdf-zoom-level', 'aria-live': 'polite'}, '100%');
  let zoom = 1;
  let drawing = Promise.resolve();
  const draw = async () => {
    const figures = [];
    for (let n = 1; n <= Math.min(count, MAX_PAGES); ++n) {
      figures.push(await drawPage(pdf, n, fit * zoom, count, decorate));
    }
    replace(pages, figures, count > MAX_PAGES ? h('p', {class: 'hint'},
      `${MAX_PAGES + 1} ページ目以降（残り ${count - MAX_PAGES} ページ）は、ダウンロードして確認してください。`) : null);
    level.textContent = `${Math.round(zoom * 100)}%`;
  };
  const zoomTo = (z) => {
    zoom = Math.max(0.5, Math.min(3, z));
    drawing = drawing.then(draw).catch(() => {});
  };
  replace(area,
    h('div', {class: 'pdf-toolbar', role: 'toolbar', 'aria-label': '原本の表示の大きさ'},
      h('span', {class: 'pdf-count'}, `全 ${count} ページ`),
      h('button', {type: 'button', class: 'btn btn-small', onclick: () => zoomTo(zoom - 0.25)}, '－ 縮小'),
      level,
      h('button', {type: 'button', class: 'btn btn-small', onclick: () => zoomTo(zoom + 0.25)}, '＋ 拡大'),
      h('button', {type: 'button', class: 'btn btn-small', onclick: () => zoomTo(1)}, '幅に合わせる')),
    pages);
  drawing = draw();
  await drawing;
  area.dataset.pages = String(count);
  return count;
}
