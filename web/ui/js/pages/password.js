// パスワード変更: one's own password; after an administrator's reset the only
// page a user can open until the temporary password is replaced.

import {api} from '../api.js';
import {h, replace} from '../dom.js';

const MIN_LENGTH = 12;

function field(id, label, autocomplete, hint) {
  const input = h('input', {id, name: id, type: 'password', autocomplete, required: true,
    'aria-describedby': hint ? id + '-hint' : null});
  return {input, node: h('div', {class: 'field'}, h('label', {for: id}, label), input,
    hint ? h('p', {class: 'hint', id: id + '-hint'}, hint) : null)};
}

export async function render(ctx) {
  document.title = 'パスワード変更 — kura';
  const forced = Boolean(ctx.user.must_change_password);
  const current = field('current-password', forced ? '仮パスワード' : '現在のパスワード',
    'current-password');
  const next = field('new-password', '新しいパスワード', 'new-password',
    `${MIN_LENGTH}文字以上。ほかのサービスと同じものは使わないでください。`);
  const again = field('new-password-again', '新しいパスワード（確認）', 'new-password');
  const error = h('div', {role: 'alert', class: 'form-error'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, '変更する');
  const form = h('form', {class: 'narrow-form', novalidate: true},
    current.node, next.node, again.node, error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problem = !current.input.value ? '現在のパスワードを入力してください。'
      : [...next.input.value].length < MIN_LENGTH
        ? `新しいパスワードは${MIN_LENGTH}文字以上にしてください。`
        : next.input.value !== again.input.value ? '確認のために入力したパスワードが一致しません。'
          : '';
    if (problem) {
      replace(error, h('p', {}, problem));
      return;
    }
    submit.disabled = true;
    try {
      // The server ends every session of the user and answers with a new one.
      const answer = await api.post('/api/v1/session/password',
        {current_password: current.input.value, new_password: next.input.value});
      ctx.flash('パスワードを変更しました。', 'success');
      ctx.loggedIn(answer);
    } catch (err) {
      replace(error, h('p', {}, err.message));
    } finally {
      submit.disabled = false;
    }
  });
  replace(ctx.main, h('h1', {}, 'パスワード変更'),
    forced ? h('p', {class: 'notice notice-info'},
      '管理者が設定した仮パスワードでログインしました。続けるには、新しいパスワードを設定してください。')
      : null,
    form);
}
