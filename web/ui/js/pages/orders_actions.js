// The order page's forms, one per action this person may take now (the
// API's available_actions): 提出 with the × acknowledged, 承認, 差戻し with a
// reason, 取下げ, 会計審査 (the seven items) and 審査完了, 支払, and the
// accounting office's 口座確認 and 債権者確認. Every action sends the version
// shown; a refusal shows the API's message (409: 再読み込み).

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {yen} from '../format.js';
import {ACCOUNTING_FIELDS, CHECKLIST, FIELDS, bankAccount, matchTable} from './orders_common.js';

const SUCCESS = {
  submit: '提出しました。承認者の承認を待っています。',
  approve: '承認しました。',
  return: '差し戻しました。起票者に理由が伝わります。',
  withdraw: '取り下げました。請求書は未処理に戻りました。',
  accept: '会計審査を完了しました。支払ができます。',
  pay: '支払を記録しました。',
  resume: '支払期限の計算を再開しました。',
  override_vendor: '債権者の不一致を確認しました。',
  confirm_bank_account: '振込先口座を確認し、債権者マスタを更新しました。',
};

let fieldSeq = 0;

function textArea(label, {required = false, hint = '', name = 'comment'} = {}) {
  const id = `f-${name}-${++fieldSeq}`;
  const hintId = hint ? id + '-hint' : null;
  const input = h('textarea', {id, name, rows: 3, 'aria-describedby': hintId, 'aria-required': required ? 'true' : null});
  return {input, node: h('div', {class: 'field'},
    h('label', {for: id}, label, required ? h('span', {class: 'required'}, '（必須）') : h('span', {class: 'optional'}, '（任意）')),
    hint ? h('p', {class: 'hint', id: hintId}, hint) : null,
    input)};
}

function section(title, ...children) {
  const id = 'act-' + (++fieldSeq);
  return h('section', {class: 'action-box', 'aria-labelledby': id}, h('h3', {id}, title), ...children);
}

// Sends action with the version shown; on success the page is drawn anew
// with a message, else the API's message goes to box.
async function act(ctx, order, opts, body, box, button) {
  replace(box);
  button.disabled = true;
  try {
    await api.post(`/api/v1/payment-orders/${encodeURIComponent(order.id)}/actions`,
      {...body, version: order.version});
    ctx.flash(SUCCESS[body.action] || '更新しました。', 'success');
    ctx.go(opts.path);
  } catch (err) {
    // A stale page stays stale: only 再読み込み helps.
    button.disabled = err.status === 409;
    opts.showError(box, err, opts.reload);
  }
}

// A refusal of the form itself (a missing reason, an item not ticked); it
// goes away as soon as the person changes something in the form.
function refuse(box, message, field = null) {
  replace(box, h('p', {class: 'error-box', role: 'alert'}, message));
  box.dataset.local = '1';
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

// The form, whose local refusal in box is cleared on any change.
function form(attrs, box, ...children) {
  const clear = () => {
    if (!box.dataset.local) return;
    delete box.dataset.local;
    replace(box);
    for (const el of box.closest('form')?.querySelectorAll('[aria-invalid]') || []) el.removeAttribute('aria-invalid');
  };
  return h('form', {novalidate: true, oninput: clear, onchange: clear, ...attrs}, ...children);
}

// 提出: the ○/× table with a checkbox for each × the clerk must confirm, one
// comment for them, and the note that vendor and account × are the
// accounting office's. A section of its own, above the other actions.
function submitForm(ctx, order, opts) {
  const need = order.unacknowledged || [];
  const boxes = new Map();
  const acct = (order.accounting_required || []);
  const table = matchTable(order.match, {order, departments: opts.departments, captionHidden: true,
    caption: '請求書と支出負担行為・債権者マスタの照合',
    extra: (m, ack) => {
      if (m.status !== 'mismatch' || ack) return null;
      if (ACCOUNTING_FIELDS.includes(m.field)) {
        return acct.includes(m.field) ? h('div', {class: 'ack-note ack-accounting'}, '会計室が確認します（担当者は確認できません）') : null;
      }
      if (!need.includes(m.field)) return null;
      const id = 'ack-' + m.field;
      const box = h('input', {type: 'checkbox', id, name: 'acknowledge', value: m.field});
      boxes.set(m.field, box);
      return h('div', {class: 'ack-check'}, box,
        h('label', {for: id}, h('span', {class: 'visually-hidden'}, `${FIELDS[m.field].label}の × を`), '確認しました'));
    }});
  const comment = textArea('× を確認した内容', {required: need.length > 0,
    hint: '例: 住所の表記違い（丁目と番地）で同一と確認。請求日が契約期間外だが、契約変更前の納品分と確認。'});
  const box = h('div', {});
  const button = h('button', {type: 'submit', class: 'btn btn-primary'}, '提出');
  const onsubmit = (e) => {
    e.preventDefault();
    const missing = need.filter(f => !boxes.get(f).checked);
    if (missing.length) {
      return refuse(box, `× の項目（${missing.map(f => FIELDS[f].label).join('・')}）を確かめて「確認しました」にチェックを入れてください。`,
        boxes.get(missing[0]));
    }
    const text = comment.input.value.trim();
    if (need.length && !text) return refuse(box, '× を確認した内容を入力してください。', comment.input);
    const body = {action: 'submit'};
    if (need.length) body.acknowledge = need;
    if (text) body.comment = text;
    act(ctx, order, opts, body, box, button);
  };
  return h('section', {class: 'panel actions-panel', 'aria-labelledby': 'submit-title'},
    h('h2', {id: 'submit-title'}, '照合結果（○/×）を確認して提出'),
    form({class: 'submit-form', onsubmit}, box,
      h('p', {class: 'hint'}, need.length
        ? '× の項目は、請求書の原本と見比べて問題がないことを確かめ、「確認しました」にチェックを入れて内容を記入してください。'
        : '× の項目で担当者が確認するものはありません。内容を確かめて提出してください。'),
      table,
      acct.length ? h('p', {class: 'notice notice-warn'},
        acct.map(f => FIELDS[f].label).join('・'),
        'の × は会計室だけが確認します（担当者は確認できません）。このまま提出でき、会計室が審査のときに確認します。') : null,
      need.length ? comment.node : null, box, h('p', {class: 'actions'}, button)));
}

function approveForm(ctx, order, opts) {
  const step = order.route[order.step] || {};
  const mine = (ctx.user.title || '') === step.title;
  const comment = textArea('コメント');
  const box = h('div', {});
  const button = h('button', {type: 'submit', class: 'btn btn-primary'}, '承認');
  return form({onsubmit: (e) => {
    e.preventDefault();
    const body = {action: 'approve'};
    if (comment.input.value.trim()) body.comment = comment.input.value.trim();
    act(ctx, order, opts, body, box, button);
  }}, box, section(`承認（${step.title || ''}）`,
    h('p', {class: 'hint'}, '照合結果（○/×）と請求書を確かめてから承認してください。'),
    mine ? null : h('p', {class: 'notice notice-info'}, `代決: ${step.title}の代わりに、あなた（${ctx.user.title}）が承認します。履歴に代決と記録されます。`,
      order.route.slice(order.step + 1).some(s => s.title === ctx.user.title)
        ? `代決すると、この回の${ctx.user.title}の決裁はあなたにはできません（一人が同じ回に二つの決裁をすることはできません）。` : ''),
    comment.node, box, h('p', {class: 'actions'}, button)));
}

// A button that opens a small form (差戻し, 取下げ) and closes it again.
function twoStep(label, buildForm, danger = true) {
  const holder = h('div', {});
  const open = h('button', {type: 'button', class: danger ? 'btn btn-danger' : 'btn', 'aria-expanded': 'false'}, label);
  const close = () => {
    replace(holder);
    open.setAttribute('aria-expanded', 'false');
    open.hidden = false;
    open.focus();
  };
  open.addEventListener('click', () => {
    open.setAttribute('aria-expanded', 'true');
    open.hidden = true;
    const built = buildForm(close);
    replace(holder, built.form);
    built.focus.focus();
  });
  return h('div', {class: 'two-step'}, open, holder);
}

function returnForm(ctx, order, opts) {
  return twoStep('差戻し', (close) => {
    const reason = textArea('差戻しの理由', {required: true, name: 'reason',
      hint: '起票者のホーム画面に、この理由とともに表示されます。'});
    const defectId = 'defect-' + (++fieldSeq);
    const defect = h('input', {type: 'checkbox', id: defectId});
    const box = h('div', {});
    const button = h('button', {type: 'submit', class: 'btn btn-danger'}, '差戻しを確定');
    const built = form({class: 'inline-form', onsubmit: (e) => {
      e.preventDefault();
      const text = reason.input.value.trim();
      if (!text) return refuse(box, '差戻しの理由を入力してください。理由のない差戻しはできません。', reason.input);
      act(ctx, order, opts, {action: 'return', comment: text, defect: defect.checked}, box, button);
    }}, box, reason.node,
    h('div', {class: 'field check'}, defect, h('label', {for: defectId},
      '請求書そのものに不備がある（訂正された請求書が届くまで支払期限の計算を止めます）')),
    box, h('p', {class: 'actions'}, button, ' ', h('button', {type: 'button', class: 'btn', onclick: close}, 'やめる')));
    return {form: built, focus: reason.input};
  });
}

function withdrawForm(ctx, order, opts) {
  return twoStep('取下げ', (close) => {
    const comment = textArea('取下げの理由');
    const box = h('div', {});
    const button = h('button', {type: 'submit', class: 'btn btn-danger'}, '取下げを確定');
    const built = form({class: 'inline-form', onsubmit: (e) => {
      e.preventDefault();
      const body = {action: 'withdraw'};
      if (comment.input.value.trim()) body.comment = comment.input.value.trim();
      act(ctx, order, opts, body, box, button);
    }}, box, h('p', {}, '取り下げると、この支出命令は終了し、請求書は未処理に戻ります（別の支出負担行為から起票し直せます）。'),
    comment.node, box, h('p', {class: 'actions'}, button, ' ', h('button', {type: 'button', class: 'btn', onclick: close}, 'やめる')));
    return {form: built, focus: comment.input};
  });
}

// 会計審査: the seven items as checkboxes, all needed for 審査完了.
function acceptForm(ctx, order, opts) {
  const boxes = CHECKLIST.map(c => {
    const id = 'check-' + c.item;
    const input = h('input', {type: 'checkbox', id, name: 'checklist', value: c.item, 'aria-describedby': id + '-help'});
    return {c, input, node: h('li', {class: 'check'}, input,
      h('label', {for: id}, c.label), h('span', {class: 'field-help', id: id + '-help'}, c.help))};
  });
  const box = h('div', {});
  const button = h('button', {type: 'submit', class: 'btn btn-primary'}, '審査完了');
  const acct = order.accounting_required || [];
  return form({onsubmit: (e) => {
    e.preventDefault();
    const open = boxes.filter(b => !b.input.checked);
    if (open.length) {
      return refuse(box, `会計審査の項目（${open.map(b => b.c.label).join('・')}）を確認してチェックを入れてください。7項目すべての確認が必要です。`,
        open[0].input);
    }
    const checklist = {};
    for (const b of boxes) checklist[b.c.item] = true;
    act(ctx, order, opts, {action: 'accept', checklist}, box, button);
  }}, box, section('会計審査',
    acct.length ? h('p', {class: 'notice notice-warn'}, acct.map(f => FIELDS[f].label).join('・'),
      'の × を先に確認してください（',
      acct.filter(f => f !== 'department').map(f => f === 'vendor' ? '「債権者確認」' : '「口座確認」').join(''),
      acct.includes('department') ? '担当課の × は確認できないため、差し戻してください' : '',
      '）。確認するまで審査完了できません。') : null,
    h('fieldset', {}, h('legend', {}, '確認項目（7項目すべて）'), h('ul', {class: 'checklist'}, boxes.map(b => b.node))),
    box, h('p', {class: 'actions'}, button)));
}

function payForm(ctx, order, opts) {
  const box = h('div', {});
  const button = h('button', {type: 'submit', class: 'btn btn-primary'}, '支払');
  return form({onsubmit: (e) => {
    e.preventDefault();
    act(ctx, order, opts, {action: 'pay'}, box, button);
  }}, box, section('支払',
    h('p', {}, `${yen(order.amount)} を ${bankAccount(order.bank_account)} へ支払ったことを記録します。`),
    box, h('p', {class: 'actions'}, button)));
}

// 口座確認 / 債権者確認: the accounting office settles a × with a reason.
function settleForm(ctx, order, opts, action) {
  const field = action === 'confirm_bank_account' ? 'bank_account' : 'vendor';
  const m = order.match.find(x => x.field === field) || {};
  const bank = field === 'bank_account';
  const reason = textArea(bank ? '確認した内容（変更届など）' : '一致しないまま支払ってよい理由', {required: true, name: field});
  const box = h('div', {});
  const button = h('button', {type: 'submit', class: 'btn'}, bank ? '口座確認' : '債権者確認');
  return form({onsubmit: (e) => {
    e.preventDefault();
    const text = reason.input.value.trim();
    if (!text) return refuse(box, '確認した内容（理由）を入力してください。', reason.input);
    act(ctx, order, opts, {action, comment: text}, box, button);
  }}, box, section(bank ? '口座確認（会計室）' : '債権者確認（会計室）',
    bank ? h('p', {}, `請求書の口座 ${bankAccount(m.invoice_value)} が、債権者マスタの口座 ${bankAccount(m.expected_value)} と異なります。`,
      '振込先の変更届などで確かめたときだけ確認してください。債権者マスタの口座が請求書の口座に更新されます。')
      : h('p', {}, `請求書の債権者「${m.invoice_value || '—'}」が、支出負担行為の債権者「${m.expected_value || '—'}」と一致しません。`,
        '同一の債権者と確かめたときだけ、理由を記して確認してください。'),
    reason.node, box, h('p', {class: 'actions'}, button)));
}

function resumeForm(ctx, order, opts) {
  const box = h('div', {});
  const button = h('button', {type: 'submit', class: 'btn'}, '再開');
  return form({onsubmit: (e) => {
    e.preventDefault();
    act(ctx, order, opts, {action: 'resume'}, box, button);
  }}, box, section('支払期限の計算の再開',
    h('p', {}, '請求書の不備で差し戻したため、支払期限の計算が止まっています。訂正された請求書が届いたら再開してください（今日から再開します）。'),
    box, h('p', {class: 'actions'}, button)));
}

/**
 * The forms of order.available_actions. opts: {departments, reload, path,
 * showError}. Returns {submit: the 提出 section with the ○/× table (or
 * null), panel: the other actions (or null)}.
 */
export function actionForms(ctx, order, opts) {
  const can = new Set(order.available_actions || []);
  const acct = order.accounting_required || [];
  const parts = [];
  if (can.has('resume')) parts.push(resumeForm(ctx, order, opts));
  if (can.has('approve')) parts.push(approveForm(ctx, order, opts));
  if (can.has('override_vendor') && acct.includes('vendor')) parts.push(settleForm(ctx, order, opts, 'override_vendor'));
  if (can.has('confirm_bank_account') && acct.includes('bank_account')) {
    parts.push(settleForm(ctx, order, opts, 'confirm_bank_account'));
  }
  if (can.has('accept')) parts.push(acceptForm(ctx, order, opts));
  if (can.has('pay')) parts.push(payForm(ctx, order, opts));
  const others = [];
  if (can.has('return')) others.push(returnForm(ctx, order, opts));
  if (can.has('withdraw')) others.push(withdrawForm(ctx, order, opts));
  if (others.length) {
    const row = h('div', {class: 'other-actions'}, others);
    parts.push(parts.length ? section('ほかの操作', row) : row);
  }
  return {
    submit: can.has('submit') ? submitForm(ctx, order, opts) : null,
    panel: parts.length ? h('section', {class: 'panel actions-panel', 'aria-labelledby': 'actions-title'},
      h('h2', {id: 'actions-title'}, can.has('submit') ? 'ほかの操作' : 'あなたの操作'), parts) : null,
  };
}
