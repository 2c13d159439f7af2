// A scanned original received as an image (JPEG, PNG; TIFF where the
// browser can draw it) shown in the page, fitted to the width of the area
// with buttons to enlarge (small print) and shrink. The image sits in a
// .page-frame of its size, which a caller's decorate(frame, 1, size) may
// fill with boxes placed in percent (the OCR regions of 項目入力); size is
// the image's pixels. A format the browser cannot draw (TIFF in most
// browsers) is the caller's to say, with the download.

import {h, replace} from '../dom.js';

/** Whether a media type is an image the page may try to draw. */
export function isImageType(mediaType = '') {
  return /^image\/(jpeg|png|tiff|gif|webp)$/.test(mediaType);
}

function loaded(img) {
  return new Promise((ok) => {
    img.addEventListener('load', () => ok(img.naturalWidth > 0), {once: true});
    img.addEventListener('error', () => ok(false), {once: true});
  });
}

/**
 * Draws the image at url into area. pages (the scan's page count) names the
 * pages the browser does not show (only the first page of a TIFF is drawn).
 * False (area emptied) when the browser cannot draw it.
 */
export async function renderImage(area, url, {label = '原本', pages = 1, decorate = null} = {}) {
  replace(area, h('p', {class: 'loading'}, '画像を読み込んでいます…'));
  const img = h('img', {class: 'scan-image', src: url, alt: `${label}（スキャン画像）`});
  if (!(await loaded(img))) {
    replace(area);
    return false;
  }
  const frame = h('div', {class: 'page-frame'}, img);
  const holder = h('div', {class: 'scan-pages'},
    h('figure', {class: 'scan-figure'}, frame,
      h('figcaption', {}, pages > 1 ? `1 / ${pages} ページ（2 ページ目以降はダウンロードして確認してください）`
        : '1 / 1 ページ')));
  const level = h('span', {class: 'pdf-zoom-level', 'aria-live': 'polite'}, '100%');
  let zoom = 1;
  const zoomTo = (z) => {
    zoom = Math.max(0.5, Math.min(3, z));
    frame.style.width = `${Math.round(zoom * 100)}%`;
    level.textContent = `${Math.round(zoom * 100)}%`;
  };
  replace(area,
    h('div', {class: 'pdf-toolbar', role: 'toolbar', 'aria-label': '原本の表示の大きさ'},
      h('span', {class: 'pdf-count'}, pages > 1 ? `全 ${pages} ページ` : 'スキャン画像'),
      h('button', {type: 'button', class: 'btn btn-small', onclick: () => zoomTo(zoom - 0.25)}, '－ 縮小'),
      level,
      h('button', {type: 'button', class: 'btn btn-small', onclick: () => zoomTo(zoom + 0.25)}, '＋ 拡大'),
      h('button', {type: 'button', class: 'btn btn-small', onclick: () => zoomTo(1)}, '幅に合わせる')),
    holder);
  if (decorate) decorate(frame, 1, {width: img.naturalWidth, height: img.naturalHeight});
  return true;
}
