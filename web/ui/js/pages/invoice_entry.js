// 項目入力 (#/invoices/{id}/entry): for a scanned or unreadable invoice, or
// to correct what was read: the original on the left, the keys on the
// right, a reason required. Only the fields changed are sent, with the
// version they were entered against, so a change by someone else meanwhile
// is refused (409) with a reload button instead of being overwritten.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {FIELD_LABELS, fieldText, loadDocument, showOriginal, warningsBox} from './invoice_common.js';

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

function inputFor(spec, fields) {
  const id = 'e-' + spec.name;
  const value = currentText(fields[spec.name]);
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
      'aria-describedby': spec.hint ? id + '-hint' : null, pattern: spec.pattern || null});
  }
  const node = h('div', {class: 'field' + (spec.key ? ' key-field' : '')},
    h('label', {for: id}, FIELD_LABELS[spec.name], spec.key ? h('span', {class: 'key-mark'}, '検索キー') : null),
    control,
    spec.hint ? h('p', {class: 'hint', id: id + '-hint'}, spec.hint) : null);
  return {spec, control, node, before: value};
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

function entryForm(ctx, doc) {
  const fields = doc.current.fields;
  const inputs = INPUTS.map(spec => inputFor(spec, fields));
  const done = h('input', {id: 'e-done', type: 'checkbox', checked: true});
  const reason = h('textarea', {id: 'e-reason', name: 'reason', rows: 2, required: true,
    'aria-describedby': 'e-reason-hint', 'aria-required': 'true'});
  const error = h('div', {class: 'form-error', role: 'alert', id: 'entry-error'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, '保存する');
  const form = h('form', {class: 'entry-form', novalidate: true, 'aria-labelledby': 'entry-title'},
    h('h2', {id: 'entry-title'}, '請求書の項目'),
    h('p', {class: 'hint'}, '原本を見ながら入力してください。変えた項目だけが新しい版として記録され、元の内容も残ります。'),
    h('fieldset', {class: 'keys'}, h('legend', {}, '検索キー（電子帳簿保存法）'),
      inputs.filter(i => i.spec.key).map(i => i.node)),
    h('fieldset', {}, h('legend', {}, 'そのほかの項目'), inputs.filter(i => !i.spec.key).map(i => i.node)),
    h('div', {class: 'field check'}, done,
      h('label', {for: 'e-done'}, '入力が終わった（「項目入力が必要」の印を外す）')),
    h('div', {class: 'field'},
      h('label', {for: 'e-reason'}, '訂正理由', h('span', {class: 'required'}, '必須')),
      reason,
      h('p', {class: 'hint', id: 'e-reason-hint'}, '例: 紙の請求書から入力／読み取った金額の誤りを訂正')),
    error,
    h('div', {class: 'button-row'}, submit,
      h('a', {class: 'btn', href: '#/invoices/' + encodeURIComponent(doc.id)}, '取り消して戻る')));
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
  replace(ctx.main, head,
    h('p', {class: 'lead'}, `いまの内容（第 ${doc.current.number} 版）: `,
      ['issue_date', 'total', 'counterparty'].map(name => `${FIELD_LABELS[name].replace(/（.*）/, '')} ${
        fields[name] ? fieldText(name, fields[name], fields.currency) : '未入力'}`).join('・')),
    warningsBox(doc.current.warnings, doc.current.number > 1 && !fields.needs_metadata),
    h('div', {class: 'entry-grid'},
      h('section', {class: 'panel original-panel', 'aria-labelledby': 'orig-title'},
        h('h2', {id: 'orig-title'}, '原本'), original),
      h('div', {class: 'panel'}, entryForm(ctx, doc))));
  await showOriginal(original, doc);
}
