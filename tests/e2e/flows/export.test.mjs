// 証跡出力 (#/export): the compliance officer searches on 検索, takes the
// search to 証跡出力 (「この条件で証跡出力」), sees how many documents it holds
// (checked against the API), starts the export, follows its progress and
// downloads the ZIP; the ZIP unpacked, `sha256sum -c manifest-sha256.txt`
// passes in its root and it holds one original folder per document. An
// auditor has no menu entry and is told why on the page itself.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {apiGet, checkPage, launchBrowser, login, newPage, startKura} from '../lib/kura.mjs';

let kura;
let browser;
let scratch;
before(async () => {
  kura = await startKura();
  browser = await launchBrowser();
  scratch = mkdtempSync(join(tmpdir(), 'kura-e2e-export-'));
});
after(async () => {
  await browser?.close();
  await kura?.stop();
  if (scratch) rmSync(scratch, {recursive: true, force: true});
});

async function userPage(loginName) {
  const page = await newPage(browser);
  await login(page, kura.url, loginName);
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

test('the compliance officer exports a search result and the ZIP verifies with sha256sum', async () => {
  const page = await userPage('compliance');
  const menu = page.getByRole('navigation', {name: 'メニュー'});
  // The search: one department's documents.
  await menu.getByRole('link', {name: '検索'}).click();
  await page.getByRole('heading', {name: '書類の検索', level: 1}).waitFor();
  const department = page.getByLabel('課', {exact: true});
  const code = await department.locator('option').nth(1).getAttribute('value');
  await department.selectOption(code);
  await page.getByRole('button', {name: '検索する'}).click();
  await page.waitForURL(new RegExp(`department=${code}`));
  await page.locator('main table.search-results tbody tr').first().waitFor();
  const expected = (await apiGet(page, kura.url, `/api/v1/documents?department=${code}&limit=1`)).count;
  assert.ok(expected > 0);

  // … taken to 証跡出力 with the same condition.
  await page.getByRole('link', {name: 'この条件で証跡出力'}).click();
  await page.waitForURL(new RegExp(`#/export\\?department=${code}`));
  await page.getByRole('heading', {name: '証跡出力', level: 1}).waitFor();
  assert.equal(await menu.getByRole('link', {name: '証跡出力'}).getAttribute('aria-current'), 'page');
  assert.equal(await page.getByLabel('課', {exact: true}).inputValue(), code);
  await page.getByText(`この条件に合う書類は ${expected.toLocaleString('ja-JP')} 件です。`).waitFor();
  await page.getByText('まだありません。').waitFor();
  await checkPage(page, 'export-start');

  // Start: the job appears, running (with its progress bar) or already done.
  await page.getByRole('button', {name: `証跡パッケージを作成する（${expected.toLocaleString('ja-JP')} 件）`}).click();
  const job = page.locator('section.export-job').first();
  await job.waitFor();
  if (await job.getAttribute('data-state') === 'running') {
    const bar = job.getByRole('progressbar');
    assert.equal(await bar.count(), 1);
    assert.ok(Number(await bar.getAttribute('max')) >= 1);
    await job.getByRole('button', {name: '中止する'}).waitFor();
    await checkPage(page, 'export-running');
  }
  const download = job.getByRole('link', {name: /ZIP ファイルをダウンロード/});
  await download.waitFor({timeout: 60_000});
  const listed = await apiGet(page, kura.url, '/api/v1/exports');
  assert.equal(listed.items.length, 1);
  assert.equal(listed.items[0].state, 'done');
  assert.equal(listed.items[0].documents_done, expected);
  assert.deepEqual(listed.items[0].query, {department: code});
  await job.getByText(`${expected.toLocaleString('ja-JP')} 件の書類`).waitFor();
  await checkPage(page, 'export-done');

  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  assert.match(file.suggestedFilename(), /^証跡出力_\d{8}-\d{4}\.zip$/);
  const zip = join(scratch, 'bag.zip');
  await file.saveAs(zip);
  const bag = join(scratch, 'bag');
  execFileSync('unzip', ['-q', zip, '-d', bag]);
  // The bag's own check, with nothing of kura: every payload file's SHA-256.
  const checked = execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], {cwd: bag}).toString();
  assert.ok(!/FAILED/.test(checked));
  assert.ok(checked.trim().split('\n').length > expected);
  assert.equal(readdirSync(join(bag, 'data', 'originals')).length, expected);
});

test('an auditor has no 証跡出力 in the menu and is told who may export', async () => {
  const page = await userPage('kansa');
  const menu = page.getByRole('navigation', {name: 'メニュー'});
  assert.equal(await menu.getByRole('link', {name: '証跡出力'}).count(), 0);
  await page.goto(kura.url + '/#/export');
  await page.getByRole('alert').filter({hasText: '証跡出力は文書管理担当者だけが行えます。'}).waitFor();
});
