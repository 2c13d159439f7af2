// Logging in and the home screen: the counts a clerk sees are the inbox's,
// each links to its list; wrong passwords, logout and an ended session say
// so in Japanese; a temporary password must be replaced before anything else.

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

test('the login page comes first, and a wrong password is refused in Japanese', async () => {
  const page = await newPage(browser);
  await page.goto(kura.url + '/');
  await page.waitForURL(/#\/login/);
  await assert.doesNotReject(page.getByRole('heading', {name: 'kura 蔵 にログイン'}).waitFor());
  await checkPage(page, 'login');

  await login(page, kura.url, 'somu.tanto', 'wrong-password-123');
  const alert = page.locator('#login-error');
  await alert.getByText(/ログインID またはパスワード|ログインIDまたはパスワード|正しくありません/).waitFor();
  assert.match(await alert.innerText(), /[ぁ-んァ-ン一-龥]/);
  await checkPage(page, 'login-error');
  await page.context().close();
});

test('a clerk sees the inbox counts and each opens its list', async () => {
  const page = await newPage(browser);
  await login(page, kura.url, 'somu.tanto');
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  const inbox = await apiGet(page, kura.url, '/api/v1/inbox');
  assert.ok(inbox.counts.unprocessed > 0, 'the demo gives somu unprocessed invoices');

  const card = page.getByRole('link', {name: /未処理の請求書/});
  assert.match(await card.innerText(), new RegExp(`${inbox.counts.unprocessed}\\s*件`));
  await assert.doesNotReject(page.getByText('総務課').first().waitFor());
  await checkPage(page, 'home-clerk');

  await card.click();
  await page.waitForURL(/#\/inbox\/unprocessed$/);
  await page.getByRole('heading', {name: /未処理の請求書/, level: 1}).waitFor();
  const rows = page.locator('main table tbody tr');
  assert.equal(await rows.count(), Math.min(50, inbox.counts.unprocessed));
  await page.getByText(`${inbox.counts.unprocessed} 件中`).waitFor();
  const first = inbox.unprocessed[0];
  const row = rows.filter({hasText: first.id});
  assert.match(await row.innerText(), /¥[\d,]+/);
  assert.match(await row.innerText(), /令和\d+年/);
  await checkPage(page, 'inbox-unprocessed');
  await page.context().close();
});

test('logout and an ended session both return to the login with a message', async () => {
  const page = await newPage(browser);
  await login(page, kura.url, 'somu.kacho');
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  await page.getByRole('button', {name: 'ログアウト'}).click();
  await page.waitForURL(/#\/login/);
  await page.getByText('ログアウトしました。').waitFor();

  await login(page, kura.url, 'somu.kacho');
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  await page.context().clearCookies();  // as if the server had restarted
  await page.getByRole('link', {name: /^期限超過/}).click();
  await page.waitForURL(/#\/login\?next=/);
  await page.getByText(/セッションが終了しました/).waitFor();
  await checkPage(page, 'login-session-ended');

  await login(page, kura.url, 'somu.kacho', undefined, {navigate: false});  // back where they were going
  await page.waitForURL(/#\/inbox\/overdue$/);
  await page.context().close();
});

test('a temporary password must be replaced before anything else', async () => {
  const temporary = 'temporary-pass-1';
  const admin = await newPage(browser);
  await login(admin, kura.url, 'admin');
  await admin.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  const session = await apiGet(admin, kura.url, '/api/v1/session');
  const reset = await admin.request.post(kura.url + '/api/v1/users/joho.tanto/password', {
    headers: {'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json'},
    data: {password: temporary},
  });
  assert.equal(reset.status(), 200, await reset.text());
  await admin.context().close();

  const page = await newPage(browser);
  await login(page, kura.url, 'joho.tanto', temporary);
  await page.waitForURL(/#\/password$/);
  await page.getByText(/仮パスワードでログインしました/).waitFor();
  await page.goto(kura.url + '/#/');  // anything else leads back here
  await page.waitForURL(/#\/password$/);
  await checkPage(page, 'password-forced');

  await page.getByLabel('仮パスワード').fill(temporary);
  await page.getByLabel('新しいパスワード', {exact: true}).fill('short');
  await page.getByLabel('新しいパスワード（確認）').fill('short');
  await page.getByRole('button', {name: '変更する'}).click();
  await page.getByText('新しいパスワードは12文字以上にしてください。').waitFor();

  await page.getByLabel('新しいパスワード', {exact: true}).fill('joho-new-pass-2026');
  await page.getByLabel('新しいパスワード（確認）').fill('joho-new-pass-2026');
  await page.getByRole('button', {name: '変更する'}).click();
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  await page.getByText('パスワードを変更しました。').waitFor();
  assertNoProblems(page);
  await page.context().close();
});
