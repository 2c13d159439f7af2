// ログイン: login name and password; the server's message on failure (wrong
// password, disabled account, too many attempts) is shown as it is.

import {api} from '../api.js';
import {h, replace} from '../dom.js';

export async function render(ctx) {
  document.title = 'ログイン — kura';
  const error = h('div', {id: 'login-error', role: 'alert', class: 'form-error'});
  const login = h('input', {id: 'login', name: 'login', type: 'text', autocomplete: 'username',
    required: true, autocapitalize: 'none', spellcheck: 'false'});
  const password = h('input', {id: 'password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, 'ログイン');
  const form = h('form', {class: 'login-form', novalidate: true},
    h('div', {class: 'field'}, h('label', {for: 'login'}, 'ログインID'), login),
    h('div', {class: 'field'}, h('label', {for: 'password'}, 'パスワード'), password),
    error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!login.value.trim() || !password.value) {
      replace(error, h('p', {}, 'ログインIDとパスワードを入力してください。'));
      (login.value.trim() ? password : login).focus();
      return;
    }
    submit.disabled = true;
    replace(error);
    try {
      const answer = await api.post('/api/v1/session',
        {login: login.value.trim(), password: password.value}, {allow401: true});
      ctx.loggedIn(answer, ctx.query.get('next'));
    } catch (err) {
      replace(error, h('p', {}, err.message));
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  replace(ctx.main, h('section', {class: 'login-panel', 'aria-labelledby': 'login-title'},
    h('h1', {id: 'login-title'}, 'kura 蔵 にログイン'),
    h('p', {class: 'lead'}, '請求書の受領・支出命令・会計審査・電子帳簿保存'),
    form,
    h('p', {class: 'hint'},
      'パスワードを忘れたときや、ログインできなくなったときは、システム管理者に連絡してください。')));
  login.focus();
}
