// 管理 › 課 (#/admin/departments): the departments (GET /api/v1/departments)
// with how many users each has, and, for administrators, a new one (POST
// /api/v1/departments: 課コード and 課名). A department cannot be renamed or
// removed here: documents and orders keep its code for ten years.
//
// Query: highlight (a department just added).

import {api, forgetDepartmentNames} from '../api.js';
import {h, replace} from '../dom.js';
import {count} from '../format.js';
import {adminTabs, breadcrumb, field, isAdmin, refusedPage, showProblem, textInput} from './admin_common.js';

function addForm(ctx) {
  const code = textInput('d-code', {maxlength: 32, autocapitalize: 'none', spellcheck: 'false'});
  const name = textInput('d-name', {maxlength: 100});
  const box = h('div', {});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, '課を追加する');
  const onsubmit = async (e) => {
    e.preventDefault();
    if (!code.value.trim()) return showProblem(box, '課コードを入力してください。');
    if (!name.value.trim()) return showProblem(box, '課名を入力してください。');
    submit.disabled = true;
    try {
      // The server checks the code's characters and that it is free.
      const d = await api.post('/api/v1/departments', {code: code.value.trim(), name: name.value.trim()});
      forgetDepartmentNames();
      ctx.flash(`${d.name}（${d.code}）を追加しました。ユーザーの所属課に選べます。`, 'success');
      ctx.go('/admin/departments?highlight=' + encodeURIComponent(d.code));
    } catch (err) {
      if (err.status === 401) throw err;
      submit.disabled = false;
      showProblem(box, err.message);
    }
  };
  return h('form', {class: 'panel admin-form', novalidate: true, onsubmit, 'aria-labelledby': 'add-dept-title'},
    h('h2', {id: 'add-dept-title'}, '課を追加'),
    h('div', {class: 'field-row'},
      field('課コード', code, {required: true,
        hint: '半角の英小文字・数字と _ -、32文字以内（例: kikaku）。書類や支出命令に記録され、あとから変えられません。'}),
      field('課名', name, {required: true, hint: '画面に表示する名前（例: 企画課）'})),
    box,
    h('p', {class: 'actions'}, submit));
}

function listTable(departments, members, highlight) {
  if (departments.length === 0) return h('p', {class: 'empty'}, '課はまだありません。');
  return h('table', {class: 'list departments-table'},
    h('caption', {class: 'visually-hidden'}, '課の一覧'),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, '課コード'), h('th', {scope: 'col'}, '課名'),
      members ? h('th', {scope: 'col'}, '所属ユーザー') : null)),
    h('tbody', {}, departments.map(d => h('tr', {class: d.code === highlight ? 'highlight' : null, id: 'd-' + d.code},
      h('td', {class: 'mono'}, d.code),
      h('td', {}, d.name),
      members ? h('td', {}, members.get(d.code)
        ? h('a', {href: '#/admin?department=' + encodeURIComponent(d.code)}, `${count(members.get(d.code))} 人`)
        : '0 人') : null))));
}

export async function render(ctx) {
  document.title = '課 — 管理 — kura';
  const admin = isAdmin(ctx.user);
  let departments;
  let members = null;
  try {
    const [d, u] = await Promise.all([api.get('/api/v1/departments'),
      admin ? api.get('/api/v1/users') : Promise.resolve(null)]);
    departments = d.items;
    if (u) {
      members = new Map();
      for (const user of u.items) members.set(user.department, (members.get(user.department) || 0) + 1);
    }
  } catch (err) {
    if (err.status === 401) throw err;
    return refusedPage(ctx, '課', err);
  }
  const highlight = ctx.query.get('highlight');
  replace(ctx.main,
    breadcrumb(ctx.user, '課'),
    h('h1', {}, '管理 ', h('span', {class: 'count'}, `課 ${count(departments.length)} 件`)),
    adminTabs(ctx.user, 'departments'),
    admin ? addForm(ctx) : h('p', {class: 'hint'}, '課の追加は管理者が行います。'),
    h('h2', {}, '登録されている課'),
    listTable(departments, members, highlight));
  const marked = highlight && document.getElementById('d-' + highlight);
  if (marked) marked.scrollIntoView({block: 'center'});
}
