// 管理 › ユーザー › one user (#/admin/users/{login}): who they are and their
// state; 氏名・所属課・役割・役職 changed (POST /api/v1/users/{login}, only the
// members that changed); disabled or enabled after a confirmation; a
// temporary password issued after a confirmation and shown once; the login
// throttle lifted. Each success draws the page anew with a notice; a
// refusal shows the server's message.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {roleName} from '../format.js';
import {adminTabs, breadcrumb, departmentSelect, field, passwordPanel, refusedPage, roleChecks,
  showProblem, temporaryPassword, textInput, titleInput, twoStep} from './admin_common.js';
import {stateBadges} from './admin_users.js';

// A temporary password just issued, shown by the next drawing of its page.
let issued = null;

const path = login => '/admin/users/' + encodeURIComponent(login);

function facts(u, departments) {
  const dept = departments.find(d => d.code === u.department);
  return h('dl', {class: 'facts-grid user-facts'},
    [['ログインID', h('span', {class: 'mono'}, u.login)],
      ['氏名', u.name],
      ['所属課', dept ? dept.name : u.department],
      ['役割', u.roles.map(roleName).join('・')],
      ['役職', u.title || '—'],
      ['状態', stateBadges(u)]].map(([label, value]) =>
      h('div', {class: 'fact'}, h('dt', {}, label), h('dd', {}, value))));
}

// Sends a change; success draws the page anew with message, a refusal goes to box.
async function send(ctx, u, url, body, box, message) {
  try {
    const answer = await api.post(url, body);
    ctx.flash(message(answer), 'success');
    ctx.go(path(u.login));
    return answer;
  } catch (err) {
    if (err.status === 401) throw err;
    showProblem(box, err.message);
    return null;
  }
}

function profileForm(ctx, u, departments, users) {
  const name = textInput('e-name', {value: u.name, maxlength: 100});
  const dept = departmentSelect('e-dept', departments, u.department);
  const roles = roleChecks('e-role', u.roles);
  const [title, titles] = titleInput('e-title', u.title, users);
  const box = h('div', {});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, '変更を保存');
  const self = u.login === ctx.user.login;
  const onsubmit = async (e) => {
    e.preventDefault();
    const chosen = roles.value();
    const change = {};
    if (name.value.trim() !== u.name) change.name = name.value.trim();
    if (dept.value !== u.department) change.department = dept.value;
    const sameRoles = chosen.length === u.roles.length && chosen.every(r => u.roles.includes(r));
    if (!sameRoles) change.roles = chosen;
    if (title.value.trim() !== (u.title || '')) change.title = title.value.trim();
    if (!name.value.trim()) return showProblem(box, '氏名を入力してください。');
    if (chosen.length === 0) return showProblem(box, '役割を一つ以上選んでください。');
    if (chosen.includes('approver') && !title.value.trim()) {
      return showProblem(box, '承認者（決裁者）には役職（課長・部長・副市長など）を入力してください。');
    }
    if (Object.keys(change).length === 0) return showProblem(box, '変更された項目はありません。');
    submit.disabled = true;
    await send(ctx, u, '/api/v1/users/' + encodeURIComponent(u.login), change, box,
      () => `${u.login} の登録内容を変更しました。`);
    submit.disabled = false;
  };
  return h('form', {class: 'panel admin-form', novalidate: true, onsubmit, 'aria-labelledby': 'profile-title'},
    h('h2', {id: 'profile-title'}, '氏名・所属課・役割・役職の変更'),
    h('div', {class: 'form-columns'},
      h('div', {},
        field('氏名', name, {required: true}),
        field('所属課', dept, {required: true}),
        field('役職（承認者は必須）', title, {hint: '承認の経路が名指しする職名です（課長・部長・副市長など）。'}),
        titles),
      h('div', {}, roles.node)),
    h('p', {class: 'hint'}, self
      ? '自分の所属課・役割・役職を変えると、あなた自身のログインが終了し、ログインし直しになります。'
      : '所属課・役割・役職を変えると、このユーザーがいま開いている画面は終了し、ログインし直しになります（氏名だけの変更では終了しません）。'),
    box,
    h('p', {class: 'actions'}, submit));
}

function activeAction(ctx, u) {
  if (u.login === ctx.user.login) {
    return h('section', {class: 'admin-action'}, h('h3', {}, 'アカウントの無効化'),
      h('p', {class: 'hint'}, '自分自身のアカウントは無効にできません（ほかの管理者に依頼してください）。'));
  }
  const url = '/api/v1/users/' + encodeURIComponent(u.login);
  if (!u.active) {
    return twoStep({title: 'アカウントの有効化', intro: 'このアカウントは無効です。有効にすると、いまのパスワードで再びログインできます。',
      button: '有効にする', question: `${u.name}（${u.login}）のアカウントを有効にしますか？`,
      confirm: '有効にする（確定）', run: box => send(ctx, u, url, {active: true}, box,
        () => `${u.login} のアカウントを有効にしました。`)});
  }
  return twoStep({title: 'アカウントの無効化', intro: '異動・退職などで使わなくなったアカウントを止めます。記録はそのまま残ります。',
    button: '無効にする', danger: true,
    question: `${u.name}（${u.login}）のアカウントを無効にしますか？`,
    detail: h('p', {}, '無効にすると、このユーザーはログインできなくなり、いま開いている画面もすぐに使えなくなります。あとで有効に戻せます。'),
    confirm: '無効にする（確定）', run: box => send(ctx, u, url, {active: false}, box,
      () => `${u.login} のアカウントを無効にしました。ログインできません。`)});
}

function passwordAction(ctx, u) {
  return twoStep({title: '仮パスワードの発行',
    intro: 'パスワードを忘れたときに使います。いまのパスワードは使えなくなり、本人は仮パスワードでログインして自分のパスワードに変更します。',
    button: '仮パスワードを発行する', question: `${u.name}（${u.login}）に仮パスワードを発行しますか？`,
    detail: h('p', {}, 'いまのパスワードは使えなくなり、開いている画面は終了します。ログインの制限も解除されます。'),
    confirm: '発行する（確定）',
    run: async (box) => {
      const password = temporaryPassword();
      issued = {login: u.login, password};
      const answer = await send(ctx, u, `/api/v1/users/${encodeURIComponent(u.login)}/password`, {password}, box,
        () => `${u.login} に仮パスワードを発行しました。下の仮パスワードを本人に伝えてください。`);
      if (!answer) issued = null;
    }});
}

function unlockAction(ctx, u) {
  const box = h('div', {});
  const button = h('button', {type: 'button', class: 'btn'}, 'ログインの制限を解除する');
  button.addEventListener('click', async () => {
    button.disabled = true;
    await send(ctx, u, `/api/v1/users/${encodeURIComponent(u.login)}/unlock`, {}, box,
      () => `${u.login} のログインの制限を解除しました。すぐにログインできます。`);
    button.disabled = false;
  });
  return h('section', {class: 'admin-action', 'aria-labelledby': 'unlock-title'},
    h('h3', {id: 'unlock-title'}, 'ログインの制限の解除'),
    h('p', {class: 'hint'}, u.throttled_until
      ? 'パスワードを何度も間違えたため、このユーザーはしばらくログインを待たされています。本人と確認できたら解除します。'
      : 'いまこのサーバーでログインの制限はかかっていません。パスワードを何度も間違えて待たされているときに使います。'),
    button, box);
}

export async function render(ctx) {
  const login = decodeURIComponent(ctx.params[0]);
  document.title = `${login} — ユーザー — 管理 — kura`;
  let users;
  let departments;
  try {
    const [u, d] = await Promise.all([api.get('/api/v1/users'), api.get('/api/v1/departments')]);
    users = u.items;
    departments = d.items;
  } catch (err) {
    if (err.status === 401) throw err;
    return refusedPage(ctx, 'ユーザー', err);
  }
  const u = users.find(x => x.login === login);
  const crumbs = breadcrumb(ctx.user, h('a', {href: '#/admin'}, 'ユーザー'), login);
  if (!u) {
    replace(ctx.main, crumbs, h('h1', {}, 'ユーザーが見つかりません'),
      h('p', {class: 'error-box', role: 'alert'}, `ログインID ${login} のユーザーは登録されていません。`),
      h('p', {}, h('a', {href: '#/admin'}, 'ユーザーの一覧へ')));
    return;
  }
  const shown = issued && issued.login === u.login ? issued : null;
  issued = null;
  replace(ctx.main,
    crumbs,
    h('h1', {}, `${u.name} `, h('span', {class: 'count'}, u.login)),
    adminTabs(ctx.user, 'users'),
    u.active ? null : h('p', {class: 'notice notice-warn'},
      'このアカウントは無効です。このユーザーはログインできません（下の「アカウントの有効化」で戻せます）。'),
    shown ? passwordPanel(u.login, shown.password, '仮パスワード') : null,
    facts(u, departments),
    profileForm(ctx, u, departments, users),
    h('section', {class: 'panel admin-actions', 'aria-labelledby': 'account-title'},
      h('h2', {id: 'account-title'}, 'アカウントの操作'),
      h('div', {class: 'admin-action-grid'},
        activeAction(ctx, u), passwordAction(ctx, u), unlockAction(ctx, u))));
  if (shown) document.getElementById('password-once').focus();
}
