// What the invoice pages share: Japanese names of fields, formats, sources
// and history entries; the kind of an original (XML, PDF, scan); the
// original shown in the page (XML as a readable invoice, PDF pages drawn by
// pdf.js, a scanned image as an image) with the download of its exact bytes.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {date, time, yen} from '../format.js';

/** The labels of the invoice fields (GET /api/v1/documents/{id} current.fields). */
export const FIELD_LABELS = {
  issue_date: '取引年月日（請求日）',
  total: '取引金額（請求額）',
  tax_inclusive_total: '税込合計',
  counterparty: '取引先',
  registration_number: '登録番号（インボイス）',
  invoice_number: '請求書番号',
  due_date: '支払期日',
  bank_account: '振込先口座',
  currency: '通貨',
  document_type: '書類の種類',
  buyer: '宛先',
  tax_subtotals: '税率別の内訳',
  needs_metadata: '項目入力',
  format: '形式',
  page_count: 'ページ数',
  line_descriptions: '明細',
  specification_id: '仕様',
  supplier_tax_ids: '取引先の税番号',
  pdf_info: 'PDF の文書情報',
};

export const FORMATS = {
  'jp-pint': 'JP PINT（デジタルインボイス）',
  'peppol-bis': 'Peppol BIS',
  xrechnung: 'XRechnung',
  ubl: 'UBL',
  cii: 'UN/CEFACT CII',
  'factur-x': 'Factur-X（PDF＋XML）',
  zugferd: 'ZUGFeRD（PDF＋XML）',
  pdf: 'PDF',
  scan: 'スキャン（紙の請求書）',
  unknown: '不明',
};

const DOCUMENT_TYPES = {invoice: '請求書', credit_note: '返還請求書（値引・返品）', unknown: '不明'};

const SOURCES = {
  upload: '画面から登録',
  peppol: 'Peppol（デジタルインボイス）',
  email: '電子メール',
  scan: 'スキャン',
  cli: 'コマンドで取込',
  watch: '取込フォルダ',
};

/** How a document arrived, in words: the source, and an API token or a command by its receiver. */
export function sourceName(source, receiver = '') {
  if (receiver.startsWith('token:')) return 'APIトークン（連携システム）';
  return SOURCES[source] || source || '—';
}

/** Who received or changed it: a login, an API token, a command. */
export function actorName(actor) {
  if (!actor) return '—';
  if (actor.startsWith('token:')) return `APIトークン ${actor.slice(6)}`;
  if (actor.startsWith('cli:')) return `コマンド（${actor.slice(4)}）`;
  if (actor.startsWith('system:')) return `システム（${actor.slice(7)}）`;
  if (actor === 'kura') return '自動読取';
  return actor;
}

/** 種別 of a list item or record: 'xml', 'pdf', 'scan' or 'other'. */
export function kindOf(mediaType = '', source = '', format = '') {
  if (source === 'scan' || format === 'scan' || mediaType.startsWith('image/')) return 'scan';
  if (mediaType.includes('xml') || ['jp-pint', 'peppol-bis', 'xrechnung', 'ubl', 'cii'].includes(format)) {
    return 'xml';
  }
  if (mediaType === 'application/pdf' || format === 'pdf' || format === 'factur-x' || format === 'zugferd') {
    return 'pdf';
  }
  return 'other';
}

export const KIND_NAMES = {xml: 'XML', pdf: 'PDF', scan: 'スキャン', other: 'その他'};

/** An amount in its currency: yen with separators, others as "336.9 EUR". */
export function amountText(value, currency = 'JPY') {
  if (value === null || value === undefined || value === '') return '—';
  return !currency || currency === 'JPY' ? yen(value) : `${value} ${currency}`;
}

/** A field's value as a person reads it (amounts in currency). */
export function fieldText(name, value, currency = 'JPY') {
  if (value === null || value === undefined || value === '') return '—';
  if (name === 'total' || name === 'tax_inclusive_total') return amountText(value, currency);
  if (name === 'issue_date' || name === 'due_date') return date(value);
  if (name === 'document_type') return DOCUMENT_TYPES[value] || value;
  if (name === 'format') return FORMATS[value] || value;
  if (name === 'needs_metadata') return value ? '必要（読み取れない項目があります）' : '不要';
  if (name === 'currency') return value === 'JPY' ? '日本円（JPY）' : value;
  if (name === 'bank_account') return bankAccountText(value);
  if (name === 'tax_subtotals') {
    if (!Array.isArray(value) || value.length === 0) return '—';
    return value.map(t => h('div', {}, `${t.rate}%${t.rate === '8' ? '（軽減）' : ''}: 対象 ${
      amountText(t.taxable, currency)}／税 ${amountText(t.tax, currency)}`));
  }
  if (Array.isArray(value)) return value.length ? value.join('、') : '—';
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length ? entries.map(([k, v]) => `${k}: ${v}`).join('、') : '—';
  }
  return String(value);
}

const ACCOUNT_TYPES = {1: '普通', 2: '当座', 4: '貯蓄', 9: 'その他'};

/** "0017:273:1:9329536" → "金融機関 0017 支店 273 普通 9329536"; other text as it is. */
export function bankAccountText(value) {
  const m = /^(\d{4}):(\d{3}):(\d):(\d+)$/.exec(value || '');
  if (!m) return value || '—';
  return `金融機関 ${m[1]}・支店 ${m[2]}・${ACCOUNT_TYPES[m[3]] || '種別' + m[3]}・${m[4]}`;
}

const EVENT_NAMES = {
  received: '受領',
  received_again: '同じファイルを再受領',
  corrected: '項目入力・訂正',
  timestamped: 'タイムスタンプ付与',
  'order.draft': '支出命令を起票',
  'order.submit': '支出命令を提出',
  'order.approve': '承認',
  'order.return': '差戻し',
  'order.withdraw': '取下げ',
  'order.accept': '会計審査完了',
  'order.pay': '支払',
  'order.resume': '再開',
  'order.override_vendor': '債権者の確認（会計室）',
  'order.confirm_bank_account': '口座の確認（会計室）',
  'order.document_corrected': '請求書の訂正を支出命令に反映',
};
export function eventName(kind) {
  return EVENT_NAMES[kind] || kind;
}

/**
 * The warnings of the reader at receipt, in Japanese as the server gives
 * them; settled (true once a person has entered the keys) shows them as a
 * record rather than as something to do.
 */
export function warningsBox(warnings, settled = false) {
  if (!warnings || warnings.length === 0) return null;
  const title = settled ? '受領時の注意（項目は入力済みです）' : '注意';
  return h('div', {class: 'notice ' + (settled ? 'notice-settled' : 'notice-warn'), role: 'note', 'aria-label': title},
    h('p', {class: 'notice-title'}, title),
    h('ul', {}, warnings.map(w => h('li', {}, w.message || w.code))));
}

/** The original's address, and a download link for its exact bytes. */
export function originalUrl(id) {
  return '/api/v1/documents/' + encodeURIComponent(id) + '/original';
}

export function downloadLink(record, receipts) {
  const name = receipts && receipts[0] ? receipts[0].file_name : record.id;
  return h('a', {class: 'btn', href: originalUrl(record.id), download: name},
    '原本をダウンロード（', name, '）');
}

/**
 * The record of one document (GET /api/v1/documents/{id}), or null after
 * showing in main why it cannot be seen (another department's: 403; no
 * such document: 404) with the way back to the list.
 */
export async function loadDocument(id, main) {
  try {
    return await api.get('/api/v1/documents/' + encodeURIComponent(id));
  } catch (err) {
    if (!main || (err.status !== 403 && err.status !== 404)) throw err;
    document.title = '請求書を表示できません — kura';
    replace(main,
      h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › ', h('a', {href: '#/invoices'}, '請求書'), ' › ', id),
      h('h1', {}, '請求書を表示できません'),
      h('p', {class: 'error-box', role: 'alert'}, err.message),
      h('p', {}, h('a', {href: '#/invoices'}, '請求書の一覧へ戻る')));
    return null;
  }
}

/**
 * Fills `area` with the original as received: an XML invoice rendered
 * from its bytes with the raw text one click away, a PDF's pages, a
 * scanned image, or a note for anything else. Always with the download of
 * the exact bytes. decorate(frame, page, size?) is called for each page of
 * a PDF or an image drawn (size: the image's pixels, for an image).
 */
export async function showOriginal(area, doc, {decorate = null} = {}) {
  const record = doc.record;
  const download = downloadLink(doc, doc.receipts);
  const kind = kindOf(record.media_type, (doc.receipts[0] || {}).source, doc.current?.fields?.format);
  replace(area, h('p', {class: 'loading'}, '原本を読み込み中…'));
  try {
    if (record.media_type.includes('xml')) {
      const res = await fetch(originalUrl(doc.id), {credentials: 'same-origin'});
      if (!res.ok) throw new Error(`原本を読み込めませんでした（${res.status}）。`);
      const text = await res.text();
      const {renderXmlInvoice} = await import('./invoice_xml.js');
      replace(area, renderXmlInvoice(text), h('p', {class: 'original-actions'}, download));
      return;
    }
    if (record.media_type === 'application/pdf') {
      const {renderPdf} = await import('./pdf_view.js');
      const pages = h('div', {class: 'pdf-pages'});
      replace(area, pages, h('p', {class: 'original-actions'}, download));
      await renderPdf(pages, originalUrl(doc.id), doc.current?.fields?.page_count, decorate);
      return;
    }
    const {isImageType, renderImage} = await import('./image_view.js');
    if (isImageType(record.media_type)) {
      const pages = h('div', {class: 'scan-view'});
      replace(area, pages, h('p', {class: 'original-actions'}, download));
      const shown = await renderImage(pages, originalUrl(doc.id), {label: `請求書 ${doc.id} の原本`,
        pages: doc.current?.scan?.pages || doc.current?.fields?.page_count || 1, decorate});
      if (!shown) {
        replace(area, h('p', {class: 'original-note'}, 'この形式は表示できません（',
          record.media_type.replace(/^image\//, '').toUpperCase(), ' 画像）。ダウンロードして開いてください。'), h('p', {class: 'original-actions'}, download));
      }
      return;
    }
    replace(area, h('p', {}, `この形式（${record.media_type || '不明'}）は画面に表示できません。`,
      'ダウンロードして開いてください。'), h('p', {class: 'original-actions'}, download));
  } catch (err) {
    replace(area, h('p', {class: 'error-box', role: 'alert'}, err.message || String(err)),
      h('p', {class: 'original-actions'}, download));
  }
  return kind;
}

export {date, time, yen};
