// 管理 › ユーザーを追加 (#/admin/new-user): ログインID, 氏名, 課 (the departments
// as the server has them now, so one added a moment ago is there), 役割,
// 役職. The password is a temporary one generated here (admin_common.js)
// and sent with must_change_password, so the new user chooses their own at
// the first login; the administrator sees it once, on the answer.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {adminTabs, breadcrumb, departmentSelect, field, passwordPanel, refusedPage, roleChecks,
  showProblem, temporaryPassword, textInput, titleInput} from './admin_common.js';

function form(ctx, departments, users) {
  const login = textInput('u-login', {maxlength: 64, autocapitalize: 'none', spellcheck: 'false'});
  const name = textInput('u-name', {maxlength: 100});
  const dept = departmentSelect('u-dept', departments, '', {blank: '選んでください'});
  const roles = roleChecks('u-role', ['clerk']);
  const [title, titles] = titleInput('u-title', '', users);
  const box = h('div', {});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, '追加する');
  const refuse = (message, el) => {
    showProblem(box, message);
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      el.focus();
    }
  };
  const onsubmit = async (e) => {
    e.preventDefault();
    for (const el of e.target.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const id = login.value.trim();
    if (!id) return refuse('ログインIDを入力してください。', login);
    if (!/^[a-z0-9._-]{1,64}$/.test(id)) {
      return refuse('ログインIDは半角の英小文字・数字と . _ - で、64文字以内にしてください（例: somu.sato）。', login);
    }
    if (!name.value.trim()) return refuse('氏名を入力してください。', name);
    if (!dept.value) return refuse('所属課を選んでください。', dept);
    const chosen = roles.value();
    if (chosen.length === 0) return refuse('役割を一つ以上選んでください。', roles.boxes[0]);
    if (chosen.includes('approver') && !title.value.trim()) {
      return refuse('承認者（決裁者）には役職（課長・部長・副市長など）を入力してください。', title);
    }
    const password = temporaryPassword();
    submit.disabled = true;
    try {
      const user = await api.post('/api/v1/users', {
        login: id, name: name.value.trim(), department: dept.value, roles: chosen,
        title: title.value.trim(), password, must_change_password: true,
      });
      created(ctx, user, password, departments);
    } catch (err) {
      submit.disabled = false;
      showProblem(box, err.message);
    }
  };
  return h('form', {class: 'panel admin-form', novalidate: true, onsubmit, 'aria-labelledby': 'new-user-title'},
    h('h2', {id: 'new-user-title'}, '新しいユーザー'),
    h('div', {class: 'form-columns'},
      h('div', {},
        field('ログインID', login, {required: true, hint: '半角の英小文字・数字と . _ -（例: somu.sato）。あとから変えられません。'}),
        field('氏名', name, {required: true}),
        field('所属課', dept, {required: true, hint: '一覧にない課は「課」の画面で先に追加します。'}),
        field('役職（承認者は必須）', title, {hint: '承認の経路が名指しする職名です（課長・部長・副市長など）。'}),
        titles),
      h('div', {}, roles.node)),
    h('p', {class: 'hint'},
      '仮パスワードはこの画面が自動で作り、追加したあとに一度だけ表示します。本人は最初のログインで自分のパスワードに変更します。'),
    box,
    h('p', {class: 'actions'}, submit, h('a', {class: 'btn', href: '#/admin'}, 'やめる')));
}

// The answer: the user as stored and the temporary password, this once.
function created(ctx, user, password, departments) {
  const dept = departments.find(d => d.code === user.department);
  replace(ctx.main,
    breadcrumb(ctx.user, h('a', {href: '#/admin'}, 'ユーザー'), 'ユーザーを追加'),
    h('h1', {}, 'ユーザーを追加しました'),
    h('p', {class: 'notice notice-success', role: 'status'},
      `${user.name} さん（${dept ? dept.name : user.department}）のアカウントを作りました。`),
    passwordPanel(user.login, password, '最初のログインに使う仮パスワード'),
    h('p', {class: 'actions'},
      h('a', {class: 'btn btn-primary', href: '#/admin/users/' + encodeURIComponent(user.login)}, 'このユーザーを表示'),
      h('a', {class: 'btn', href: '#/admin/new-user'}, '続けて追加する'),
      h('a', {class: 'btn', href: '#/admin'}, 'ユーザーの一覧へ')));
  document.getElementById('password-once').focus();
}

export async function render(ctx) {
  document.title = 'ユーザーを追加 — 管理 — kura';
  let departments;
  let users;
  try {
    const [d, u] = await Promise.all([api.get('/api/v1/departments'), api.get('/api/v1/users')]);
    departments = d.items;
    users = u.items;
  } catch (err) {
    if (err.status === 401) throw err;
    return refusedPage(ctx, 'ユーザーを追加', err);
  }
  replace(ctx.main,
    breadcrumb(ctx.user, h('a', {href: '#/admin'}, 'ユーザー'), 'ユーザーを追加'),
    h('h1', {}, 'ユーザーを追加'),
    adminTabs(ctx.user, 'users'),
    form(ctx, departments, users));
  document.getElementById('u-login').focus();
}
