// 項目入力 (#/invoices/{id}/entry): for a scanned or unreadable invoice, or
// to correct what was read: the original on the left, the keys on the
// right, a reason required. Only the fields changed are sent, with the
// version they were entered against, so a change by someone else meanwhile
// is refused (409) with a reload button instead of being overwritten.
// For a scan with an OCR proposal (entry_ocr.js) the fields come prefilled
// with what was read, each with its confidence in words, the regions it was
// read from highlighted on the original, and the vendor master's entry when
// the registration number or the name is known: saving is the person's
// confirmation, a correction version with its reason; the proposal stays data.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {FIELD_LABELS, amountText, fieldText, kindOf, loadDocument, showOriginal, warningsBox} from './invoice_common.js';
import {
  PROPOSED, confidenceWord, highlightRegions, loadProposal, matchVendor, ocrStatusBox, regionDecorator,
  watchProposal,
} from './entry_ocr.js';

// The fields of POST /api/v1/documents/{id}/corrections, as form inputs.
const INPUTS = [
  {name: 'issue_date', type: 'date', key: true},
  {name: 'total', type: 'amount', key: true, hint: '税込の請求金額（例: 33,000）'},
  {name: 'counterparty', type: 'text', key: true, hint: '請求書に書かれた名前のとおりに'},
  {name: 'registration_number', type: 'text', key: true, hint: 'T と 13 桁の数字（例: T7010705000725）', pattern: 'T?[0-9０-９]{13}'},
  {name: 'invoice_number', type: 'text'},
  {name: 'due_date', type: 'date'},
  {name: 'tax_inclusive_total', type: 'amount', hint: '税込合計が請求金額と違うときだけ（前払いがある場合など）'},
  {name: 'bank_account', type: 'text', hint: '金融機関コード:支店コード:種別:口座番号（例: 0005:123:1:1234567）'},
  {name: 'document_type', type: 'select', options: [['invoice', '請求書'], ['credit_note', '返還請求書（値引・返品）']]},
];

function currentText(value) {
  if (value === null || value === undefined) return '';
  return String(value);
}

// What OCR read for one field: the note under its label, and the value to
// prefill (the proposal, unless a person already entered something else).
function proposedFor(spec, fields, proposal) {
  if (!proposal || !PROPOSED.includes(spec.name)) return null;
  const read = proposal.ocr.proposal[spec.name];
  if (read === null || read === undefined || read === '') return null;
  const current = currentText(fields[spec.name]);
  const {word, low} = confidenceWord(proposal.ocr.confidence?.[spec.name]);
  return {value: String(read), prefill: current === '' || current === String(read), word, low};
}

function ocrNote(id, spec, read) {
  if (!read) return null;
  if (!read.prefill) {
    return h('p', {class: 'ocr-note', id: id + '-ocr'}, 'OCR の読み取り: ',
      fieldText(spec.name, read.value), '（いまの内容と違います）');
  }
  return h('p', {class: 'ocr-note' + (read.low ? ' ocr-low' : ''), id: id + '-ocr'},
    h('span', {class: 'badge ' + (read.low ? 'badge-warn' : 'badge-good')}, `確度 ${read.word}`),
    read.low ? ' 読み取りに自信がありません。原本と見比べて確認してください（要確認）' : ' OCR で読み取った値です');
}

function inputFor(spec, fields, proposal) {
  const id = 'e-' + spec.name;
  const read = proposedFor(spec, fields, proposal);
  const before = currentText(fields[spec.name]);
  const value = read && read.prefill ? read.value : before;
  const describedBy = [spec.hint ? id + '-hint' : null, read ? id + '-ocr' : null].filter(Boolean).join(' ');
  let control;
  if (spec.type === 'select') {
    // A document whose type could not be read is taken for an invoice: what
    // is entered here is the keys of an invoice (the person may change it).
    const chosen = value === '' || value === 'unknown' ? spec.options[0][0] : value;
    control = h('select', {id, name: spec.name},
      spec.options.map(([v, label]) => h('option', {value: v, selected: v === chosen}, label)));
  } else {
    control = h('input', {id, name: spec.name, type: spec.type === 'amount' ? 'text' : spec.type,
      value, inputmode: spec.type === 'amount' ? 'numeric' : null, autocomplete: 'off',
      'aria-describedby': describedBy || null, pattern: spec.pattern || null});
  }
  const match = spec.name === 'counterparty' ? h('p', {class: 'vendor-match', id: id + '-vendor', 'aria-live': 'polite'}) : null;
  const node = h('div', {class: 'field' + (spec.key ? ' key-field' : '') + (read && read.low && read.prefill ? ' needs-check' : ''),
    dataset: {field: spec.name}},
  h('label', {for: id}, FIELD_LABELS[spec.name], spec.key ? h('span', {class: 'key-mark'}, '検索キー') : null),
  ocrNote(id, spec, read),
  control,
  match,
  spec.hint ? h('p', {class: 'hint', id: id + '-hint'}, spec.hint) : null);
  if (match) control.setAttribute('aria-describedby', [describedBy, id + '-vendor'].filter(Boolean).join(' '));
  return {spec, control, node, before, match};
}

// {field: value|null} of the inputs that differ from the current version.
function changesOf(inputs, done, fields) {
  const changes = {};
  for (const i of inputs) {
    const now = i.control.value.trim();
    if (now === i.before) continue;
    changes[i.spec.name] = now === '' ? null : now;
  }
  if (done && fields.needs_metadata) changes.needs_metadata = false;
  if (!done && !fields.needs_metadata) changes.needs_metadata = true;
  return changes;
}

function conflictBox(message, ctx) {
  const reload = h('button', {type: 'button', class: 'btn btn-primary'}, '再読み込み');
  reload.addEventListener('click', () => ctx.go(`/invoices/${encodeURIComponent(ctx.params[0])}/entry`));
  return [h('p', {}, message),
    h('p', {}, '入力した内容は保存されていません。最新の内容を確認してから、もう一度入力してください。'), reload];
}

// The vendor master confirms the counterparty: a registration number (or a
// name) found there shows 取引先マスタと一致 and puts the master's name in.
function wireVendorMatch(inputs, vendors) {
  const by = name => inputs.find(i => i.spec.name === name);
  const number = by('registration_number');
  const party = by('counterparty');
  const check = (fill) => {
    const m = matchVendor(vendors, number.control.value, party.control.value);
    party.node.classList.toggle('vendor-matched', Boolean(m));
    if (!m) {
      replace(party.match);
      return;
    }
    if (fill && party.control.value !== m.vendor.name) party.control.value = m.vendor.name;
    replace(party.match, h('span', {class: 'badge badge-good'}, '取引先マスタと一致'), ' ',
      `${m.vendor.name}（${m.vendor.id}・${m.by === 'registration_number' ? '登録番号' : '名前'}で一致）`);
  };
  number.control.addEventListener('input', () => check(true));
  party.control.addEventListener('input', () => check(false));
  // On opening, the master's name goes in only where nobody entered one yet
  // (empty, or the proposal's): a person's earlier entry is not replaced.
  check(party.control.value.trim() === '' || party.control.value !== party.before);
}

// Hovering or focusing a field highlights where OCR read it on the original.
function wireHighlights(form, names) {
  const page = () => form.ownerDocument;
  for (const node of form.querySelectorAll('[data-field]')) {
    const field = node.dataset.field;
    if (!names.includes(field)) continue;
    node.addEventListener('mouseenter', () => highlightRegions(page(), field, true));
    node.addEventListener('mouseleave', () => {
      if (!node.contains(page().activeElement)) highlightRegions(page(), field, false);
    });
    node.addEventListener('focusin', () => highlightRegions(page(), field, true, true));
    node.addEventListener('focusout', () => highlightRegions(page(), field, false));
  }
}

// The amounts per tax rate that OCR read: shown for checking (the form has no input for them).
function taxNote(proposal) {
  const taxes = proposal?.ocr?.proposal?.tax_subtotals;
  if (!Array.isArray(taxes) || taxes.length === 0) return null;
  const {word, low} = confidenceWord(proposal.ocr.confidence?.tax_subtotals);
  return h('div', {class: 'field ocr-taxes', dataset: {field: 'tax_subtotals'}},
    h('p', {class: 'label'}, '税率別の内訳（OCR の読み取り・参考）',
      h('span', {class: 'badge ' + (low ? 'badge-warn' : 'badge-good')}, `確度 ${word}`)),
    h('ul', {}, taxes.map(t => h('li', {}, `${t.rate}%${t.reduced ? '（軽減税率）' : ''}: 対象 ${
      amountText(t.taxable)}／消費税 ${amountText(t.tax)}`))));
}

function entryForm(ctx, doc, proposal, vendors) {
  const fields = doc.current.fields;
  const inputs = INPUTS.map(spec => inputFor(spec, fields, proposal));
  const done = h('input', {id: 'e-done', type: 'checkbox', checked: true});
  const reason = h('textarea', {id: 'e-reason', name: 'reason', rows: 2, required: true,
    'aria-describedby': 'e-reason-hint', 'aria-required': 'true'});
  const error = h('div', {class: 'form-error', role: 'alert', id: 'entry-error'});
  // Confirming what OCR read is the first entry of a scan's keys; a later
  // correction names its own reason.
  const confirming = Boolean(proposal) && Boolean(fields.needs_metadata);
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, confirming ? '確認して保存する' : '保存する');
  if (confirming) reason.value = 'OCR読取結果を確認';
  const form = h('form', {class: 'entry-form', novalidate: true, 'aria-labelledby': 'entry-title'},
    h('h2', {id: 'entry-title'}, '請求書の項目'),
    h('p', {class: 'hint'}, confirming
      ? 'OCR で読み取った値が入っています。原本と見比べて、違うところを直してから保存してください。変えた項目だけが新しい版として記録され、元の内容も残ります。'
      : '原本を見ながら入力してください。変えた項目だけが新しい版として記録され、元の内容も残ります。'),
    h('fieldset', {class: 'keys'}, h('legend', {}, '検索キー（電子帳簿保存法）'),
      inputs.filter(i => i.spec.key).map(i => i.node)),
    taxNote(proposal),
    h('fieldset', {}, h('legend', {}, 'そのほかの項目'), inputs.filter(i => !i.spec.key).map(i => i.node)),
    h('div', {class: 'field check'}, done,
      h('label', {for: 'e-done'}, '入力が終わった（「項目入力が必要」の印を外す）')),
    h('div', {class: 'field'},
      h('label', {for: 'e-reason'}, '訂正理由', h('span', {class: 'required'}, '必須')),
      reason,
      h('p', {class: 'hint', id: 'e-reason-hint'}, confirming
        ? '読み取り結果を直したときは、例: 「OCR読取結果を確認（金額を訂正）」'
        : '例: 紙の請求書から入力／読み取った金額の誤りを訂正')),
    error,
    h('div', {class: 'button-row'}, submit,
      h('a', {class: 'btn', href: '#/invoices/' + encodeURIComponent(doc.id)}, '取り消して戻る')));
  if (vendors && vendors.length) wireVendorMatch(inputs, vendors);
  if (proposal) wireHighlights(form, Object.keys(proposal.ocr.regions || {}));
  reason.addEventListener('input', () => {
    if (reason.getAttribute('aria-invalid')) {
      reason.removeAttribute('aria-invalid');
      replace(error);
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(error);
    reason.removeAttribute('aria-invalid');
    if (!reason.value.trim()) {
      replace(error, h('p', {}, '訂正理由を入力してください（だれが、なぜ入力・訂正したかを記録に残します）。'));
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    const changes = changesOf(inputs, done.checked, fields);
    if (Object.keys(changes).length === 0) {
      replace(error, h('p', {}, '変更された項目がありません。'));
      return;
    }
    submit.disabled = true;
    try {
      const version = await api.post(`/api/v1/documents/${encodeURIComponent(doc.id)}/corrections`,
        {changes, reason: reason.value.trim(), version: doc.current.number});
      ctx.flash(`請求書 ${doc.id} の項目を保存しました（第 ${version.number} 版）。`, 'success');
      ctx.go('/invoices/' + encodeURIComponent(doc.id));
    } catch (err) {
      replace(error, err.status === 409 ? conflictBox(err.message, ctx) : h('p', {}, err.message));
      error.scrollIntoView({block: 'nearest'});
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// OCR finishing while the page is open: said so, with a button to show
// the values read (what the person typed meanwhile is not replaced unasked).
function watchUntilRead(ctx, id) {
  const status = ctx.main.querySelector('.ocr-status');
  watchProposal(id, () => status.isConnected, () => {
    const show = h('button', {type: 'button', class: 'btn btn-primary btn-small'}, '読み取り結果を入れて表示する');
    show.addEventListener('click', () => ctx.go(`/invoices/${encodeURIComponent(id)}/entry`));
    status.className = 'notice notice-success ocr-status';
    replace(status, h('p', {class: 'notice-title'}, 'OCR の読み取りが終わりました'),
      h('p', {}, '読み取った値を入れて表示し直します（ここまでに入力した内容は消えます）。 ', show));
  });
}

export async function render(ctx) {
  const id = ctx.params[0];
  document.title = `項目入力 ${id} — kura`;
  const doc = await loadDocument(id, ctx.main);
  if (!doc) return;
  const back = h('a', {href: '#/invoices/' + encodeURIComponent(doc.id)}, doc.id);
  const head = [
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › ', h('a', {href: '#/invoices'}, '請求書'),
      ' › ', back, ' › 項目入力'),
    h('h1', {}, `項目入力・訂正 ${doc.id}`),
  ];
  if (!doc.may_correct) {
    replace(ctx.main, head, h('p', {class: 'error-box', role: 'alert'},
      doc.correct_refusal || 'この請求書の項目は入力・訂正できません。'),
    h('p', {}, h('a', {href: '#/invoices/' + encodeURIComponent(doc.id)}, '請求書に戻る')));
    return;
  }
  const original = h('div', {class: 'original-area'});
  const fields = doc.current.fields;
  const scan = kindOf(doc.record.media_type, (doc.receipts[0] || {}).source, fields.format) === 'scan';
  const ocr = scan ? await loadProposal(doc.id) : null;
  const proposal = ocr && ocr.state === 'done' ? ocr : null;
  replace(ctx.main, head,
    h('p', {class: 'lead'}, `いまの内容（第 ${doc.current.number} 版）: `,
      ['issue_date', 'total', 'counterparty'].map(name => `${FIELD_LABELS[name].replace(/（.*）/, '')} ${
        fields[name] ? fieldText(name, fields[name], fields.currency) : '未入力'}`).join('・')),
    warningsBox(doc.current.warnings, doc.current.number > 1 && !fields.needs_metadata),
    ocr ? ocrStatusBox(ocr, () => ctx.go(`/invoices/${encodeURIComponent(doc.id)}/entry`),
      fields.needs_metadata ? 0 : doc.current.number) : null,
    h('div', {class: 'entry-grid'},
      h('section', {class: 'panel original-panel', 'aria-labelledby': 'orig-title'},
        h('h2', {id: 'orig-title'}, '原本', proposal ? h('span', {class: 'sub'}, '（色枠: OCR で読み取った場所）') : null),
        original),
      h('div', {class: 'panel'}, entryForm(ctx, doc, proposal, ocr ? ocr.vendors : null))));
  if (ocr && (ocr.state === 'waiting' || ocr.state === 'reading')) watchUntilRead(ctx, doc.id);
  const pick = field => document.getElementById('e-' + field)?.focus();
  await showOriginal(original, doc, {decorate: proposal ? regionDecorator(proposal.ocr, pick) : null});
}
