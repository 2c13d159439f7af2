// 管理 › 債権者マスタ: one entry registered (#/admin/new-vendor, POST
// /api/v1/vendors; its number assigned unless one is given) or changed
// (#/admin/vendors/{id}, POST /api/v1/vendors/{id} with the members that
// changed and the entry as it was read, so a change made meanwhile — an
// account the accounting office confirmed — is a 409, not overwritten).
// The registration number and the 法人番号 are checked by the server
// (check digits; a 法人's T-number is T + its 法人番号) and its message
// shown as it is; the フリガナ is stored as full-width katakana. An entry
// shows the departments that use it (derived by the server, not typed). The bank account is four fields
// (金融機関コード, 支店コード, 種別, 口座番号); changing it asks for a
// confirmation that shows the account before and after.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {adminTabs, breadcrumb, confirmPanel, field, mayManageVendors, refusedPage, showProblem,
  textInput} from './admin_common.js';

/** 預金種目 (workflow kBankAccountTypes). */
export const ACCOUNT_TYPES = [['1', '普通'], ['2', '当座'], ['4', '貯蓄'], ['9', 'その他']];

/** "0005:123:1:1234567" → {bank, branch, type, number}, or null. */
export function accountParts(text) {
  const m = /^(\d{4}):(\d{3}):(\d):(\d{7})$/.exec(text || '');
  return m ? {bank: m[1], branch: m[2], type: m[3], number: m[4]} : null;
}

/** "0005:123:1:1234567" → "金融機関 0005・支店 123・普通 1234567". */
export function accountText(text) {
  if (!text) return h('span', {class: 'muted'}, 'なし');
  const p = accountParts(text);
  if (!p) return text;
  const type = (ACCOUNT_TYPES.find(([v]) => v === p.type) || [p.type, '種別' + p.type])[1];
  return h('span', {class: 'account'},
    h('span', {class: 'nowrap'}, `金融機関 ${p.bank}`), '・', h('span', {class: 'nowrap'}, `支店 ${p.branch}`), '・',
    h('span', {class: 'nowrap'}, `${type} ${p.number}`));
}

// "１２３" → "123"; spaces and dashes dropped.
function digits(s) {
  return s.normalize('NFKC').replace(/[\s\-‐−ー]/g, '');
}

function bankFields(current) {
  const p = accountParts(current) || {bank: '', branch: '', type: '1', number: ''};
  const input = (id, value, size) => textInput(id, {value, inputmode: 'numeric', maxlength: size + 2,
    class: 'digits digits-' + size});
  const bank = input('v-bank', p.bank, 4);
  const branch = input('v-branch', p.branch, 3);
  const number = input('v-number', p.number, 7);
  const type = h('select', {id: 'v-type'}, ACCOUNT_TYPES.map(([v, l]) => h('option', {value: v, selected: v === p.type}, l)));
  const unreadable = current && !accountParts(current);
  const node = h('fieldset', {class: 'bank-fields', 'aria-describedby': 'v-bank-hint'},
    h('legend', {}, '振込先口座'),
    h('p', {class: 'hint', id: 'v-bank-hint'},
      '全銀協の金融機関コード（4桁）・支店コード（3桁）と口座番号（7桁）。口座がなければ4つとも空欄にします。'),
    unreadable ? h('p', {class: 'notice notice-warn'},
      `いまの登録「${current}」はこの形式ではありません。変更するときは4つの欄に入力し直してください（空欄のままなら変わりません）。`) : null,
    h('div', {class: 'bank-row'},
      field('金融機関コード', bank), field('支店コード', branch), field('種別', type), field('口座番号', number)));
  // The account as entered: "" for none, null if partly filled or malformed.
  const value = () => {
    const b = digits(bank.value), br = digits(branch.value), n = digits(number.value);
    if (!b && !br && !n) return unreadable ? current : '';
    if (!/^\d{4}$/.test(b) || !/^\d{3}$/.test(br) || !/^\d{7}$/.test(n)) return null;
    return `${b}:${br}:${type.value}:${n}`;
  };
  return {node, value, first: bank};
}

// The entry the form describes; null (with the refusal shown) if incomplete.
function entered(inputs, box) {
  const account = inputs.bank.value();
  if (!inputs.name.value.trim()) {
    showProblem(box, '名称を入力してください。');
    inputs.name.focus();
    return null;
  }
  if (account === null) {
    showProblem(box, '振込先口座は、金融機関コード4桁・支店コード3桁・口座番号7桁をすべて数字で入力してください（口座がなければ空欄）。');
    inputs.bank.first.focus();
    return null;
  }
  return {
    name: inputs.name.value.trim(),
    registration_number: inputs.reg.value.trim(),
    bank_account: account,
    address: inputs.address.value.trim(),
    account_holder: inputs.holder.value.trim(),
    corporate_number: inputs.corp.value.trim(),
    kana_name: inputs.kana.value.trim(),
  };
}

// The field a refusal of the server names ("登録番号…", "振込先口座…",
// "債権者名…", "債権者番号…") is marked and focused.
function markRefused(inputs, message) {
  const target = message.startsWith('登録番号') ? inputs.reg
    : message.startsWith('法人番号') ? inputs.corp
    : message.startsWith('フリガナ') ? inputs.kana
    : message.startsWith('振込先口座') ? inputs.bank.first
      : message.startsWith('口座名義') ? inputs.holder
      : message.startsWith('債権者名') ? inputs.name
        : message.startsWith('債権者番号') ? inputs.id : null;
  if (!target || !target.isConnected) return;
  target.setAttribute('aria-invalid', 'true');
  target.focus();
}

function clearMarks(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function formInputs(v) {
  return {
    id: textInput('v-id', {maxlength: 32, autocapitalize: 'characters', spellcheck: 'false', placeholder: '空欄なら自動'}),
    name: textInput('v-name', {value: v.name || '', maxlength: 200}),
    reg: textInput('v-reg', {value: v.registration_number || '', maxlength: 20, spellcheck: 'false',
      placeholder: 'T1234567890123', class: 'mono'}),
    address: textInput('v-address', {value: v.address || '', maxlength: 200}),
    corp: textInput('v-corp', {value: v.corporate_number || '', maxlength: 20, inputmode: 'numeric',
      spellcheck: 'false', placeholder: '1234567890123', class: 'mono'}),
    kana: textInput('v-kana', {value: v.kana_name || '', maxlength: 200}),
    bank: bankFields(v.bank_account || ''),
    holder: textInput('v-holder', {value: v.account_holder || '', maxlength: 60}),
  };
}

function formBody(inputs, isNew) {
  return [
    h('div', {class: 'form-columns'},
      h('div', {},
        isNew ? field('債権者番号', inputs.id, {optional: true,
          hint: '空欄にすると次の番号（V + 5桁）を自動で付けます。あとから変えられません。'}) : null,
        field('名称', inputs.name, {required: true, hint: '登記上の名称（例: 山田商事株式会社）'}),
        field('フリガナ', inputs.kana, {optional: true,
          hint: '名称の読みをカタカナで（例: ヤマダショウジ）。ひらがな・半角カナで入力してもカタカナで登録します。'}),
        field('登録番号', inputs.reg, {optional: true,
          hint: '適格請求書発行事業者の登録番号（T + 13桁）。検査用数字をサーバーが確かめます。'}),
        field('法人番号', inputs.corp, {optional: true,
          hint: '13桁。法人の登録番号は T と法人番号なので、両方入力するときは同じ番号にします。個人事業者は空欄。'}),
        field('住所', inputs.address, {optional: true})),
      h('div', {}, inputs.bank.node,
        field('口座名義（カナ）', inputs.holder, {optional: true,
          hint: '銀行に届けた名義をカナで（例: ヤマダシヨウジ（カ）。総合振込ファイルの受取人名になります。'}))),
  ];
}

function newForm(ctx) {
  const inputs = formInputs({});
  const box = h('div', {});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, '登録する');
  const onsubmit = async (e) => {
    e.preventDefault();
    clearMarks(e.target);
    const body = entered(inputs, box);
    if (!body) return;
    if (inputs.id.value.trim()) body.id = inputs.id.value.trim();
    submit.disabled = true;
    try {
      const v = await api.post('/api/v1/vendors', body);
      ctx.flash(`債権者 ${v.id}（${v.name}）を登録しました。`, 'success');
      ctx.go('/admin/vendors?highlight=' + encodeURIComponent(v.id));
    } catch (err) {
      if (err.status === 401) throw err;
      submit.disabled = false;
      showProblem(box, err.message);
      markRefused(inputs, err.message);
    }
  };
  return h('form', {class: 'panel admin-form', novalidate: true, onsubmit, 'aria-labelledby': 'vendor-form-title'},
    h('h2', {id: 'vendor-form-title'}, '新しい債権者'),
    formBody(inputs, true), box,
    h('p', {class: 'actions'}, submit, h('a', {class: 'btn', href: '#/admin/vendors'}, 'やめる')));
}

// The change: only what differs from v; bank_account asks to be confirmed.
function editForm(ctx, v) {
  const inputs = formInputs(v);
  const box = h('div', {});
  const confirmArea = h('div', {});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, '変更を保存');
  const reload = () => ctx.go('/admin/vendors/' + encodeURIComponent(v.id));
  const save = async (change, where) => {
    try {
      const saved = await api.post('/api/v1/vendors/' + encodeURIComponent(v.id), {...change, expected: v});
      ctx.flash(`債権者 ${saved.id}（${saved.name}）を変更しました。`, 'success');
      ctx.go('/admin/vendors?highlight=' + encodeURIComponent(saved.id));
    } catch (err) {
      if (err.status === 401) throw err;
      showProblem(where, err.message, {stale: err.status === 409, reload});
      markRefused(inputs, err.message);
    }
  };
  const onsubmit = async (e) => {
    e.preventDefault();
    replace(box);
    replace(confirmArea);
    clearMarks(e.target);
    const body = entered(inputs, box);
    if (!body) return;
    const change = {};
    for (const k of ['name', 'registration_number', 'bank_account', 'address', 'account_holder',
      'corporate_number', 'kana_name']) {
      if (body[k] !== (v[k] || '')) change[k] = body[k];
    }
    if (Object.keys(change).length === 0) return showProblem(box, '変更された項目はありません。');
    if (change.bank_account === undefined) {
      submit.disabled = true;
      await save(change, box);
      submit.disabled = false;
      return;
    }
    // A different account is where the city's money goes: say so first.
    submit.disabled = true;
    const panel = confirmPanel({
      question: `${v.name} の振込先口座を変更します。よろしいですか？`,
      detail: h('div', {},
        h('dl', {class: 'fields account-change'},
          h('dt', {}, '変更前'), h('dd', {}, accountText(v.bank_account)),
          h('dt', {}, '変更後'), h('dd', {}, accountText(change.bank_account))),
        h('p', {}, '口座の変更は支払先を変えます。債権者からの口座振替依頼書などで確かめてから変更してください。変更は記録に残ります。')),
      confirm: '口座を変更する', danger: true,
      run: stepBox => save(change, stepBox),
      cancel: () => {
        replace(confirmArea);
        submit.disabled = false;
        submit.focus();
      }});
    replace(confirmArea, panel);
    panel.focusQuestion();
  };
  return h('form', {class: 'panel admin-form', novalidate: true, onsubmit, 'aria-labelledby': 'vendor-form-title'},
    h('h2', {id: 'vendor-form-title'}, '登録内容の変更'),
    formBody(inputs, false), box, confirmArea,
    h('p', {class: 'actions'}, submit, h('a', {class: 'btn', href: '#/admin/vendors'}, 'やめる')));
}

// The departments that use the vendor (GET's "departments": derived from
// invoices received, commitments and merged legacy numbers).
function departmentsPanel(v) {
  const used = v.departments || [];
  const counts = d => [
    d.invoices ? `請求書 ${d.invoices.toLocaleString('ja-JP')}件` : null,
    d.commitments ? `契約・支出負担行為 ${d.commitments.toLocaleString('ja-JP')}件` : null,
    d.legacy_numbers.length ? `旧債権者番号 ${d.legacy_numbers.join('、')}` : null,
  ].filter(Boolean).join('・');
  return h('section', {class: 'panel vendor-departments', 'aria-labelledby': 'vendor-depts-title'},
    h('h2', {id: 'vendor-depts-title'}, 'この債権者を使っている課'),
    h('p', {class: 'hint'},
      '受け付けた請求書（登録番号が同じもの）、契約・支出負担行為、統合した旧債権者番号の所管課から自動で集めています。入力する項目ではありません。'),
    used.length === 0 ? h('p', {class: 'muted'}, 'まだどの課にも使われていません。')
      : h('ul', {class: 'vendor-dept-list'}, used.map(d =>
        h('li', {}, h('strong', {}, d.name === d.code ? d.code : `${d.name}（${d.code}）`), ' — ', counts(d)))));
}

export async function render(ctx) {
  const id = ctx.params[0] ? decodeURIComponent(ctx.params[0]) : '';
  const title = id ? `債権者 ${id}` : '債権者を登録';
  document.title = `${title} — 管理 — kura`;
  const crumbs = breadcrumb(ctx.user, h('a', {href: '#/admin/vendors'}, '債権者マスタ'), id || '債権者を登録');
  if (!mayManageVendors(ctx.user)) {
    return refusedPage(ctx, title, {status: 403, message: '債権者マスタは会計室または管理者だけが変更できます'});
  }
  if (!id) {
    replace(ctx.main, crumbs, h('h1', {}, '債権者を登録'), adminTabs(ctx.user, 'vendors'), newForm(ctx));
    document.getElementById('v-name').focus();
    return;
  }
  let v;
  try {
    v = await api.get('/api/v1/vendors/' + encodeURIComponent(id));
  } catch (err) {
    if (err.status === 401) throw err;
    return refusedPage(ctx, title, err);
  }
  replace(ctx.main, crumbs,
    h('h1', {}, `${v.name} `, h('span', {class: 'count'}, v.id)),
    adminTabs(ctx.user, 'vendors'),
    editForm(ctx, v),
    departmentsPanel(v));
}
