// 管理 through the screens, while the server runs: an administrator adds a
// clerk of 総務課, who logs in with the temporary password shown once, must
// choose their own and reaches the home screen; a disabled user's login is
// refused in Japanese; a temporary password issued for a user works once
// and must be replaced; roles and title change; a department added appears
// in the user form's select; a vendor with a wrong 登録番号 is refused in
// Japanese, with a right one registered and found in the list, and a
// bank-account change is confirmed before it is saved (a page left open
// while the entry changed gets 再読み込み); a clerk sees no 管理 and gets
// the 403 message at #/admin, and the accounting office reaches only the
// vendor master. A vendor's 法人番号 must agree with its 登録番号, its
// フリガナ typed in hiragana is stored in katakana, and its page lists the
// departments that use it as GET /api/v1/vendors/{id} derives them. Every page through checkPage (axe-core, screenshot).

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {apiGet, assertNoProblems, checkPage, launchBrowser, login, newPage, startKura} from '../lib/kura.mjs';

let kura;
let browser;
before(async () => {
  kura = await startKura();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kura?.stop();
});

async function loggedIn(loginName, password) {
  const page = await newPage(browser);
  await login(page, kura.url, loginName, password);
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

/** POST with the page's session and CSRF token; the answer's JSON. */
async function apiPost(page, path, body, status = 200) {
  const session = await apiGet(page, kura.url, '/api/v1/session');
  const res = await page.request.post(kura.url + path, {
    headers: {'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json'}, data: body,
  });
  assert.equal(res.status(), status, `${path}: ${await res.text()}`);
  return res.json();
}

async function userOf(page, loginName) {
  const users = await apiGet(page, kura.url, '/api/v1/users');
  return users.items.find(u => u.login === loginName);
}

test('an admin adds a clerk of 総務課 who logs in with the temporary password and chooses their own', async () => {
  const admin = await loggedIn('admin');
  await admin.getByRole('navigation', {name: 'メニュー'}).getByRole('link', {name: '管理'}).click();
  await admin.waitForURL(/#\/admin$/);
  await admin.getByRole('heading', {name: /管理/, level: 1}).waitFor();
  const users = await apiGet(admin, kura.url, '/api/v1/users');
  const rows = admin.locator('table.users-table tbody tr');
  assert.equal(await rows.count(), Math.min(50, users.items.length));
  assert.match(await admin.locator('h1').innerText(), new RegExp(`ユーザー ${users.items.length} 人`));
  const kacho = rows.filter({hasText: 'somu.kacho'});
  assert.match(await kacho.innerText(), /総務課/);
  assert.match(await kacho.innerText(), /課長/);
  assert.match(await kacho.innerText(), /有効/);
  await checkPage(admin, 'admin-users');

  await admin.getByRole('link', {name: 'ユーザーを追加'}).click();
  await admin.waitForURL(/#\/admin\/new-user$/);
  await admin.getByRole('heading', {name: 'ユーザーを追加', level: 1}).waitFor();
  await checkPage(admin, 'admin-user-new');
  // A form left incomplete is refused in Japanese before anything is sent.
  await admin.getByRole('button', {name: '追加する'}).click();
  await admin.getByRole('alert').getByText('ログインIDを入力してください。').waitFor();
  await admin.getByLabel('ログインID').fill('somu.shinjin');
  await admin.getByLabel('氏名').fill('新人 花子');
  await admin.getByLabel('所属課').selectOption('somu');
  assert.equal(await admin.getByRole('checkbox', {name: '会計担当'}).isChecked(), true);
  await admin.getByRole('button', {name: '追加する'}).click();
  await admin.getByRole('heading', {name: 'ユーザーを追加しました', level: 1}).waitFor();
  const temporary = (await admin.locator('.temporary-password').innerText()).trim();
  assert.match(temporary, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await checkPage(admin, 'admin-user-created');
  const added = await userOf(admin, 'somu.shinjin');
  assert.deepEqual([added.name, added.department, added.roles, added.active, added.must_change_password],
    ['新人 花子', 'somu', ['clerk'], true, true]);
  await admin.context().close();

  const page = await newPage(browser);
  await login(page, kura.url, 'somu.shinjin', temporary);
  await page.waitForURL(/#\/password$/);
  await page.getByText(/仮パスワードでログインしました/).waitFor();
  await page.getByLabel('仮パスワード').fill(temporary);
  await page.getByLabel('新しいパスワード', {exact: true}).fill('shinjin-own-pass-2026');
  await page.getByLabel('新しいパスワード（確認）').fill('shinjin-own-pass-2026');
  await page.getByRole('button', {name: '変更する'}).click();
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  assert.match(await page.locator('#user-box').innerText(), /新人 花子/);
  assert.match(await page.locator('#user-box').innerText(), /総務課/);
  assertNoProblems(page);
  await page.context().close();
});

test('an admin disables a user after a confirmation, and that user cannot log in', async () => {
  const admin = await loggedIn('admin');
  await admin.goto(kura.url + '/#/admin?q=kyoiku.tanto');
  const row = admin.locator('table.users-table tbody tr').filter({hasText: 'kyoiku.tanto'});
  await row.getByRole('link', {name: 'kyoiku.tanto'}).click();
  await admin.waitForURL(/#\/admin\/users\/kyoiku\.tanto$/);
  await admin.getByRole('heading', {name: 'アカウントの操作'}).waitFor();
  await checkPage(admin, 'admin-user');

  await admin.getByRole('button', {name: '無効にする', exact: true}).click();
  await admin.getByText('のアカウントを無効にしますか？').waitFor();
  // Nothing has changed yet.
  assert.equal((await userOf(admin, 'kyoiku.tanto')).active, true);
  await checkPage(admin, 'admin-user-disable-confirm');
  await admin.getByRole('button', {name: '無効にする（確定）'}).click();
  await admin.getByText('kyoiku.tanto のアカウントを無効にしました。ログインできません。').waitFor();
  assert.equal((await userOf(admin, 'kyoiku.tanto')).active, false);
  await admin.getByRole('button', {name: '有効にする', exact: true}).waitFor();
  await checkPage(admin, 'admin-user-disabled');

  const page = await newPage(browser);
  await login(page, kura.url, 'kyoiku.tanto');
  await page.locator('#login-error').getByText('このアカウントは無効です').waitFor();
  assert.match(page.url(), /#\/login/);
  await checkPage(page, 'admin-disabled-login-refused');
  await page.context().close();

  // The list shows it too.
  await admin.goto(kura.url + '/#/admin?state=disabled');
  const disabled = admin.locator('table.users-table tbody tr');
  await disabled.filter({hasText: 'kyoiku.tanto'}).waitFor();
  assert.match(await disabled.filter({hasText: 'kyoiku.tanto'}).innerText(), /無効/);
  await admin.context().close();
});

test('a temporary password issued by an admin works once and must be replaced; roles and title change', async () => {
  const admin = await loggedIn('admin');
  await admin.goto(kura.url + '/#/admin/users/fukushi.tanto');
  await admin.getByRole('button', {name: '仮パスワードを発行する'}).click();
  await admin.getByRole('button', {name: '発行する（確定）'}).click();
  await admin.getByText('fukushi.tanto に仮パスワードを発行しました。').waitFor();
  const temporary = (await admin.locator('.temporary-password').innerText()).trim();
  assert.match(temporary, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  assert.equal((await userOf(admin, 'fukushi.tanto')).must_change_password, true);
  await checkPage(admin, 'admin-user-password-issued');
  // Shown once: drawn anew, the page no longer has it.
  await admin.reload();
  await admin.getByRole('heading', {name: 'アカウントの操作'}).waitFor();
  assert.equal(await admin.locator('.temporary-password').count(), 0);

  const user = await newPage(browser);
  await login(user, kura.url, 'fukushi.tanto');  // the old password no longer works
  await user.locator('#login-error').getByText(/ログインIDまたはパスワードが違います/).waitFor();
  await login(user, kura.url, 'fukushi.tanto', temporary);
  await user.waitForURL(/#\/password$/);
  await user.context().close();

  // 福祉課's clerk becomes its 課長 as well.
  await admin.getByRole('checkbox', {name: '承認者'}).check();
  await admin.getByRole('button', {name: '変更を保存'}).click();
  await admin.getByRole('alert').getByText('承認者（決裁者）には役職（課長・部長・副市長など）を入力してください。').waitFor();
  await admin.getByLabel('役職（承認者は必須）').fill('課長');
  await admin.getByRole('button', {name: '変更を保存'}).click();
  await admin.getByText('fukushi.tanto の登録内容を変更しました。').waitFor();
  const changed = await userOf(admin, 'fukushi.tanto');
  assert.deepEqual([changed.roles, changed.title], [['clerk', 'approver'], '課長']);
  assert.match(await admin.locator('.user-facts').innerText(), /担当者・承認者/);
  await admin.getByRole('button', {name: 'ログインの制限を解除する'}).click();
  await admin.getByText('fukushi.tanto のログインの制限を解除しました。').waitFor();
  assertNoProblems(admin);
  await admin.context().close();
});

test('a department added by an admin appears in the user form at once', async () => {
  const admin = await loggedIn('admin');
  await admin.goto(kura.url + '/#/admin');
  await admin.getByRole('navigation', {name: '管理の項目'}).getByRole('link', {name: '課'}).click();
  await admin.waitForURL(/#\/admin\/departments$/);
  await admin.getByRole('heading', {name: '課を追加'}).waitFor();
  const before = await apiGet(admin, kura.url, '/api/v1/departments');
  assert.equal(await admin.locator('table.departments-table tbody tr').count(), before.items.length);
  await checkPage(admin, 'admin-departments');

  await admin.getByLabel('課コード').fill('kikaku');
  await admin.getByLabel('課名').fill('企画課');
  await admin.getByRole('button', {name: '課を追加する'}).click();
  await admin.getByText('企画課（kikaku）を追加しました。').waitFor();
  const row = admin.locator('table.departments-table tbody tr.highlight');
  assert.match(await row.innerText(), /kikaku\s+企画課/);
  const after = await apiGet(admin, kura.url, '/api/v1/departments');
  assert.ok(after.items.some(d => d.code === 'kikaku' && d.name === '企画課'));
  await checkPage(admin, 'admin-department-added');

  // The same code again: the server's message.
  await admin.getByLabel('課コード').fill('kikaku');
  await admin.getByLabel('課名').fill('別の課');
  await admin.getByRole('button', {name: '課を追加する'}).click();
  await admin.getByRole('alert').getByText('課コードはすでに使われています: kikaku').waitFor();
  await checkPage(admin, 'admin-department-refused');

  await admin.getByRole('navigation', {name: '管理の項目'}).getByRole('link', {name: 'ユーザー'}).click();
  await admin.getByRole('link', {name: 'ユーザーを追加'}).click();
  await admin.getByLabel('所属課').waitFor();
  const options = await admin.getByLabel('所属課').locator('option').allInnerTexts();
  assert.ok(options.includes('企画課（kikaku）'), options.join(', '));
  assertNoProblems(admin);
  await admin.context().close();
});

test('a vendor with a wrong 登録番号 is refused, a right one is registered and found; its account change is confirmed', async () => {
  const admin = await loggedIn('admin');
  await admin.goto(kura.url + '/#/admin');
  await admin.getByRole('navigation', {name: '管理の項目'}).getByRole('link', {name: '債権者マスタ'}).click();
  await admin.waitForURL(/#\/admin\/vendors$/);
  const vendors = await apiGet(admin, kura.url, '/api/v1/vendors');
  await admin.getByRole('heading', {name: new RegExp(`債権者マスタ\\s*${vendors.items.length} 件`)}).waitFor();
  assert.equal(await admin.locator('table.vendors-table tbody tr').count(), Math.min(50, vendors.items.length));
  await checkPage(admin, 'admin-vendors');

  // A search by registration number as someone might type it (full width).
  const some = vendors.items.find(v => v.registration_number);
  const typed = some.registration_number.replace(/[0-9T]/g, c => String.fromCharCode(c.charCodeAt(0) + 0xFEE0));
  await admin.getByLabel('検索', {exact: true}).fill(typed);
  await admin.getByRole('button', {name: '検索する'}).click();
  await admin.getByText(/」に該当: 1 件/).waitFor();
  assert.equal(await admin.locator('table.vendors-table tbody tr').count(), 1);
  assert.match(await admin.locator('table.vendors-table tbody tr').innerText(), new RegExp(some.id));
  await checkPage(admin, 'admin-vendors-search');

  await admin.getByRole('link', {name: '債権者を登録'}).click();
  await admin.waitForURL(/#\/admin\/new-vendor$/);
  await admin.getByLabel('名称').fill('株式会社みどり文具');
  await admin.getByLabel('登録番号').fill('T1234567890123');
  await admin.getByLabel('金融機関コード').fill('0005');
  await admin.getByLabel('支店コード').fill('123');
  await admin.getByLabel('種別').selectOption('1');
  await admin.getByLabel('口座番号').fill('1234567');
  await admin.getByLabel('住所').fill('埼玉県草加市高砂2丁目7番1号');
  await admin.getByRole('button', {name: '登録する'}).click();
  await admin.getByRole('alert').getByText(/登録番号の検査用数字（T の次の1桁）が合いません/).waitFor();
  assert.equal((await apiGet(admin, kura.url, '/api/v1/vendors')).items.length, vendors.items.length);
  await checkPage(admin, 'admin-vendor-refused');

  // The account holder is what the bank file carries: kana, not kanji.
  await admin.getByLabel('登録番号').fill('T8040001079502');
  await admin.getByLabel('口座名義（カナ）').fill('株式会社みどり文具');
  await admin.getByRole('button', {name: '登録する'}).click();
  await admin.getByRole('alert').getByText(/口座名義は銀行に届けたカナで入力してください/).waitFor();
  assert.equal(await admin.getByLabel('口座名義（カナ）').getAttribute('aria-invalid'), 'true');
  await admin.getByLabel('口座名義（カナ）').fill('カ）ミドリブング');
  await admin.getByRole('button', {name: '登録する'}).click();
  await admin.getByText(/債権者 V\d+（株式会社みどり文具）を登録しました。/).waitFor();
  const created = (await apiGet(admin, kura.url, '/api/v1/vendors')).items.find(v => v.name === '株式会社みどり文具');
  assert.deepEqual([created.registration_number, created.bank_account, created.address, created.account_holder],
    ['T8040001079502', '0005:123:1:1234567', '埼玉県草加市高砂2丁目7番1号', 'カ）ミドリブング']);
  const marked = admin.locator('table.vendors-table tbody tr.highlight');
  assert.match(await marked.innerText(), new RegExp(`${created.id}\\s+株式会社みどり文具\\s+T8040001079502`));
  await checkPage(admin, 'admin-vendor-added');

  // Found in the list by name.
  await admin.getByLabel('検索', {exact: true}).fill('みどり文具');
  await admin.getByRole('button', {name: '検索する'}).click();
  await admin.getByText('「みどり文具」に該当: 1 件').waitFor();
  await admin.getByRole('link', {name: `${created.id} 株式会社みどり文具を変更`}).click();
  await admin.waitForURL(new RegExp(`#/admin/vendors/${created.id}$`));
  await checkPage(admin, 'admin-vendor-edit');

  // A new account number: confirmed with before and after, then saved.
  await admin.getByLabel('口座番号').fill('7654321');
  await admin.getByRole('button', {name: '変更を保存'}).click();
  await admin.getByText('株式会社みどり文具 の振込先口座を変更します。よろしいですか？').waitFor();
  assert.match(await admin.locator('.account-change').innerText(), /普通 1234567[\s\S]*普通 7654321/);
  await checkPage(admin, 'admin-vendor-bank-confirm');
  await admin.getByRole('button', {name: '口座を変更する'}).click();
  await admin.getByText(`債権者 ${created.id}（株式会社みどり文具）を変更しました。`).waitFor();
  assert.equal((await apiGet(admin, kura.url, `/api/v1/vendors/${created.id}`)).bank_account, '0005:123:1:7654321');

  // A page left open while someone else changed the entry: 409, 再読み込み.
  await admin.goto(kura.url + `/#/admin/vendors/${created.id}`);
  await admin.getByLabel('住所').waitFor();
  await apiPost(admin, `/api/v1/vendors/${created.id}`, {address: '埼玉県草加市高砂2丁目7番2号'});
  await admin.getByLabel('名称').fill('株式会社みどり文具店');
  await admin.getByRole('button', {name: '変更を保存'}).click();
  await admin.getByRole('alert').getByText(/他の操作で変更されています/).waitFor();
  await checkPage(admin, 'admin-vendor-stale');
  await admin.getByRole('button', {name: '再読み込み'}).click();
  await admin.waitForFunction(() => document.getElementById('v-address')?.value === '埼玉県草加市高砂2丁目7番2号');
  assert.equal((await apiGet(admin, kura.url, `/api/v1/vendors/${created.id}`)).name, '株式会社みどり文具');

  // Past 50 entries the list is paged.
  const more = await apiPost(admin, '/api/v1/vendors', {name: '株式会社ページ送り商店'}, 201);
  const total = (await apiGet(admin, kura.url, '/api/v1/vendors')).items.length;
  assert.ok(total > 50, `${total} entries`);
  await admin.goto(kura.url + '/#/admin/vendors');
  await admin.getByText(`${total} 件中 1〜50 件目`).waitFor();
  await admin.getByRole('navigation', {name: 'ページ'}).getByRole('link', {name: '次のページ'}).click();
  await admin.getByText(`${total} 件中 51〜${total} 件目`).waitFor();
  assert.match(await admin.locator('table.vendors-table tbody').innerText(), new RegExp(`${more.id}\\s+株式会社ページ送り商店`));
  await checkPage(admin, 'admin-vendors-page2');
  await admin.context().close();
});

test('a vendor 法人番号 must agree with its 登録番号, its フリガナ is stored in katakana, and the departments that use it are shown', async () => {
  const admin = await loggedIn('admin');
  // A demo vendor some department contracts with.
  const commitments = await apiGet(admin, kura.url, '/api/v1/commitments');
  const vendors = (await apiGet(admin, kura.url, '/api/v1/vendors')).items;
  const used = vendors.find(v => v.registration_number && commitments.items.some(c => c.vendor_id === v.id));
  assert.ok(used, 'a demo vendor with a commitment and a registration number');
  await admin.goto(kura.url + `/#/admin/vendors/${used.id}`);
  await admin.getByRole('heading', {name: 'この債権者を使っている課'}).waitFor();
  const entry = await apiGet(admin, kura.url, `/api/v1/vendors/${used.id}`);
  assert.ok(entry.departments.length > 0, JSON.stringify(entry));
  const items = await admin.locator('.vendor-dept-list li').allInnerTexts();
  assert.equal(items.length, entry.departments.length);
  entry.departments.forEach((d, i) => {
    assert.ok(items[i].startsWith(`${d.name}（${d.code}）`), items[i]);
    if (d.commitments) assert.match(items[i], new RegExp(`契約・支出負担行為 ${d.commitments}件`));
    if (d.invoices) assert.match(items[i], new RegExp(`請求書 ${d.invoices.toLocaleString('ja-JP')}件`));
  });

  // Another company's 法人番号 (valid on its own) is refused, named.
  const other = used.registration_number.slice(1) === '4011001098993' ? '7010705000725' : '4011001098993';
  await admin.getByLabel('法人番号').fill(other);
  await admin.getByRole('button', {name: '変更を保存'}).click();
  await admin.getByRole('alert').getByText(/と登録番号 .* が一致しません/).waitFor();
  assert.equal(await admin.getByLabel('法人番号').getAttribute('aria-invalid'), 'true');
  await checkPage(admin, 'admin-vendor-corporate-refused');

  // Its own 法人番号 (the T-number's digits) and the reading in hiragana.
  await admin.getByLabel('法人番号').fill(used.registration_number.slice(1));
  await admin.getByLabel('フリガナ').fill('かぶしきがいしゃ てすと');
  await admin.getByRole('button', {name: '変更を保存'}).click();
  await admin.getByText(`債権者 ${used.id}（${used.name}）を変更しました。`).waitFor();
  const saved = await apiGet(admin, kura.url, `/api/v1/vendors/${used.id}`);
  assert.equal(saved.corporate_number, used.registration_number.slice(1));
  assert.equal(saved.kana_name, 'カブシキガイシャ テスト');
  await admin.goto(kura.url + `/#/admin/vendors/${used.id}`);
  await admin.waitForFunction(() => document.getElementById('v-kana')?.value === 'カブシキガイシャ テスト');
  assert.equal(await admin.getByLabel('法人番号').inputValue(), saved.corporate_number);
  await checkPage(admin, 'admin-vendor-corporate-kana');
  await admin.context().close();
});

test('a clerk sees no 管理 and is refused at #/admin; the accounting office reaches the vendor master only', async () => {
  const clerk = await loggedIn('somu.tanto');
  const menu = clerk.getByRole('navigation', {name: 'メニュー'});
  assert.equal(await menu.getByRole('link', {name: '管理'}).count(), 0);
  assert.equal(await menu.getByRole('link', {name: '債権者マスタ'}).count(), 0);
  await clerk.goto(kura.url + '/#/admin');
  await clerk.getByRole('alert').getByText('利用者の管理は管理者だけが行えます').waitFor();
  assert.equal(await clerk.locator('table').count(), 0);
  await checkPage(clerk, 'admin-forbidden');
  await clerk.goto(kura.url + '/#/admin/new-vendor');
  await clerk.getByRole('alert').getByText('債権者マスタは会計室または管理者だけが変更できます').waitFor();
  await clerk.context().close();

  const kaikei = await loggedIn('kaikei');
  await kaikei.getByRole('navigation', {name: 'メニュー'}).getByRole('link', {name: '債権者マスタ'}).click();
  await kaikei.waitForURL(/#\/admin\/vendors$/);
  await kaikei.getByRole('link', {name: '債権者を登録'}).waitFor();
  assert.equal(await kaikei.getByRole('navigation', {name: '管理の項目'}).count(), 0);
  await checkPage(kaikei, 'admin-vendors-accounting');
  await kaikei.context().close();
});
