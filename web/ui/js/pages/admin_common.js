// What the 管理 pages share (#/admin: ユーザー, 課, 債権者マスタ): the tabs,
// who may use which, the roles in words, form fields with their labels and
// hints, the two-step confirmation of a consequential action, the temporary
// password (generated here, shown once), and the 403 page.

import {h, replace} from '../dom.js';

export const isAdmin = user => user.roles.includes('admin');
/** Who may change the vendor master (workflow MayManageVendors). */
export const mayManageVendors = user => ['admin', 'accountant'].some(r => user.roles.includes(r));

/**
 * The roles (workflow/organization.h) as an administrator chooses them;
 * each label begins with format.js roleName, the word the lists use.
 */
export const ROLES = [
  {role: 'clerk', label: '担当者（会計担当）', help: '請求書の受付、支出負担行為の登録、支出命令の起票・提出（所属課）'},
  {role: 'approver', label: '承認者（決裁者）', help: '支出命令の承認。役職（課長・部長・副市長など）が必要です'},
  {role: 'accountant', label: '会計室', help: '会計審査・支払・債権者マスタの管理（全課）'},
  {role: 'auditor', label: '監査', help: 'すべての課の記録の閲覧（変更はできません）'},
  {role: 'compliance', label: 'コンプライアンス', help: '証拠の書き出し（閲覧のみ）'},
  {role: 'admin', label: '管理者', help: 'ユーザー・課・債権者マスタの管理'},
];

/** Titles the approval routes name by default ([routes] of kura.toml). */
export const TITLES = ['課長', '部長', '副市長'];

/** The tabs of 管理; only those the person may use. */
export function adminTabs(user, current) {
  const tabs = [
    isAdmin(user) ? {href: '#/admin', label: 'ユーザー', key: 'users'} : null,
    isAdmin(user) ? {href: '#/admin/departments', label: '課', key: 'departments'} : null,
    mayManageVendors(user) ? {href: '#/admin/vendors', label: '債権者マスタ', key: 'vendors'} : null,
  ].filter(Boolean);
  if (tabs.length < 2) return null;
  return h('nav', {class: 'admin-tabs', 'aria-label': '管理の項目'},
    h('ul', {}, tabs.map(t => h('li', {},
      h('a', {href: t.href, 'aria-current': t.key === current ? 'page' : null}, t.label)))));
}

/** The breadcrumb: ホーム › 管理 › …; the last item is the page itself. */
export function breadcrumb(user, ...items) {
  // The accounting office has the vendor master only: no 管理 above it.
  const parts = [h('a', {href: '#/'}, 'ホーム'), isAdmin(user) ? h('a', {href: '#/admin'}, '管理') : null, ...items]
    .filter(Boolean);
  const out = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(' › ');
    out.push(p);
  });
  return h('p', {class: 'breadcrumb'}, out);
}

/** The page shown instead when the server refuses (403) or fails. */
export function refusedPage(ctx, title, err) {
  document.title = `${title} — kura`;
  replace(ctx.main,
    h('h1', {}, title),
    h('div', {class: 'error-box', role: 'alert'}, h('p', {}, err.message)),
    err.status === 403
      ? h('p', {}, 'この画面は管理者（債権者マスタは会計室も）が使います。必要なときは、システム管理者に依頼してください。')
      : null,
    h('p', {}, h('a', {href: '#/'}, 'ホームへ戻る')));
}

let seq = 0;

/**
 * A labelled field: {input, node}. opts: hint (shown under the label and
 * tied to the input), required (marked, aria-required), note (after the
 * input).
 */
export function field(label, input, {hint = '', required = false, optional = false} = {}) {
  if (!input.id) input.id = 'a-field-' + (++seq);
  const hintId = hint ? input.id + '-hint' : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  if (required) input.setAttribute('aria-required', 'true');
  return h('div', {class: 'field'},
    h('label', {for: input.id}, label,
      required ? h('span', {class: 'required'}, '必須') : null,
      optional ? h('span', {class: 'optional'}, '（任意）') : null),
    hint ? h('p', {class: 'hint', id: hintId}, hint) : null,
    input);
}

/** A text input. */
export function textInput(id, attrs = {}) {
  return h('input', {type: 'text', id, name: id, autocomplete: 'off', ...attrs});
}

/** The 課 select: departments as [{code, name}], value preselected. */
export function departmentSelect(id, departments, value, {blank = ''} = {}) {
  return h('select', {id, name: id},
    blank ? h('option', {value: ''}, blank) : null,
    departments.map(d => h('option', {value: d.code, selected: d.code === value}, `${d.name}（${d.code}）`)));
}

/** Role checkboxes in a fieldset: {node, value() → ['clerk', ...], boxes}. */
export function roleChecks(idPrefix, selected = []) {
  const boxes = ROLES.map(r => h('input', {type: 'checkbox', id: `${idPrefix}-${r.role}`, name: 'roles',
    value: r.role, checked: selected.includes(r.role), 'aria-describedby': `${idPrefix}-${r.role}-help`}));
  const node = h('fieldset', {class: 'role-checks'},
    h('legend', {}, '役割', h('span', {class: 'required'}, '必須')),
    h('p', {class: 'hint'}, '一つ以上選びます。複数を兼ねることができます。'),
    h('ul', {}, ROLES.map((r, i) => h('li', {},
      boxes[i],
      h('label', {for: boxes[i].id}, r.label),
      h('span', {class: 'field-help', id: `${idPrefix}-${r.role}-help`}, r.help)))));
  return {node, boxes, value: () => boxes.filter(b => b.checked).map(b => b.value)};
}

/** The 役職 input with the usual titles offered (any other may be typed). */
export function titleInput(id, value, users = []) {
  const listId = id + '-titles';
  const known = new Set(TITLES);
  for (const u of users) if (u.title) known.add(u.title);
  return [h('input', {type: 'text', id, name: id, value: value || '', list: listId, autocomplete: 'off',
    maxlength: 40}),
  h('datalist', {id: listId}, [...known].map(t => h('option', {value: t})))];
}

/**
 * An error (the API's Japanese message as it is, or the form's own) in
 * box; a stale page (409) also gets a 再読み込み button that calls reload.
 * A success notice still at the top of the page is taken away: it was
 * about an earlier step.
 */
export function showProblem(box, message, {stale = false, reload = null} = {}) {
  document.getElementById('notice')?.replaceChildren();
  replace(box, h('div', {class: 'error-box problem', role: 'alert'},
    h('p', {}, message),
    stale && !message.includes('再読み込み')
      ? h('p', {}, 'この画面を開いた後に、ほかの人が内容を変えています。再読み込みして、いまの内容を確かめてから、もう一度操作してください。')
      : null,
    stale && reload ? h('p', {}, h('button', {type: 'button', class: 'btn', onclick: reload}, '再読み込み')) : null));
  box.scrollIntoView({block: 'nearest'});
}

/**
 * A confirmation: the question (focused, so a screen reader reads it), what
 * will happen, and two buttons. run(box) acts (refusals go to box);
 * cancel() is called on やめる.
 */
export function confirmPanel({question, detail = null, confirm, danger = false, run, cancel}) {
  const id = 'confirm-' + (++seq);
  const box = h('div', {});
  const go = h('button', {type: 'button', class: danger ? 'btn btn-danger-solid' : 'btn btn-primary'}, confirm);
  const no = h('button', {type: 'button', class: 'btn'}, 'やめる');
  const text = h('p', {class: 'confirm-question', tabindex: '-1', id}, question);
  go.addEventListener('click', async () => {
    go.disabled = true;
    no.disabled = true;
    try {
      await run(box);
    } finally {
      go.disabled = false;
      no.disabled = false;
    }
  });
  no.addEventListener('click', cancel);
  const panel = h('div', {class: 'confirm-box', role: 'group', 'aria-labelledby': id},
    text, detail, box, h('p', {class: 'actions'}, go, no));
  panel.focusQuestion = () => text.focus();
  return panel;
}

/**
 * A consequential action in two steps: the first button opens a
 * confirmation (confirmPanel) that says what will happen; only its button
 * acts. {title, intro, button, question, detail, confirm, danger, run}.
 */
export function twoStep({title, intro = '', button, question, detail = null, confirm, danger = false, run}) {
  const id = 'step-' + (++seq);
  const area = h('div', {});
  const first = h('button', {type: 'button', class: danger ? 'btn btn-danger' : 'btn'}, button);
  first.addEventListener('click', () => {
    const panel = confirmPanel({question, detail, confirm, danger, run, cancel: () => {
      replace(area);
      first.hidden = false;
      first.focus();
    }});
    replace(area, panel);
    first.hidden = true;
    panel.focusQuestion();
  });
  return h('section', {class: 'admin-action', 'aria-labelledby': id},
    h('h3', {id}, title), intro ? h('p', {class: 'hint'}, intro) : null, first, area);
}

// Letters and digits that cannot be mistaken for one another when read
// aloud or copied by hand (no 0/o, 1/l/i).
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A temporary password: 16 random characters of ALPHABET (about 79 bits)
 * from the browser's cryptographic generator, in groups of four
 * ("k7mq-p4tx-9hwe-r3ab"). It is sent once and shown once; the user
 * replaces it at the first login.
 */
export function temporaryPassword() {
  const out = [];
  const bytes = new Uint8Array(64);
  while (out.length < 16) {
    crypto.getRandomValues(bytes);
    for (const b of bytes) {
      // Rejection sampling keeps every character equally likely.
      if (b < 256 - (256 % ALPHABET.length) && out.length < 16) out.push(ALPHABET[b % ALPHABET.length]);
    }
  }
  return [0, 4, 8, 12].map(i => out.slice(i, i + 4).join('')).join('-');
}

/** The panel that shows a temporary password this once. */
export function passwordPanel(login, password, heading) {
  return h('section', {class: 'panel password-once', 'aria-labelledby': 'password-once-title', tabindex: '-1',
    id: 'password-once'},
  h('h2', {id: 'password-once-title'}, heading),
  h('dl', {class: 'fields'},
    h('dt', {}, 'ログインID'), h('dd', {}, h('span', {class: 'mono login-shown'}, login)),
    h('dt', {}, '仮パスワード'), h('dd', {}, h('span', {class: 'mono temporary-password'}, password))),
  h('p', {class: 'notice notice-warn'},
    'この仮パスワードは、いまこの画面にだけ表示されます（保存されず、あとから見ることはできません）。' +
    '本人に直接、または封書など安全な方法で伝えてください。本人は最初のログインで自分のパスワードに変更します。'));
}
