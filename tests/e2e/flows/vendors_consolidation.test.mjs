// 旧債権者番号の統合 through the screens: 会計室 opens the page, the first
// cluster shows the numbers and reasons the API proposes with its suggested
// survivor preselected; it is merged with a reason (after a confirmation),
// appears under 統合済み and in the API, and is undone there. A Shift_JIS
// export with a wrong row is uploaded: the summary names the row's line.
// A clerk has no menu entry and gets 403 from the API.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {apiGet, checkPage, launchBrowser, login, newPage, startKura} from '../lib/kura.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');

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

const WORDS = {
  registration_number: '同じ登録番号', corporate_number: '同じ法人番号', bank_account: '同じ口座',
  name_address: '名称・所在地が一致', kana_address: 'カナ名・所在地が一致', merged: '統合済み',
};

async function loggedIn(loginName) {
  const page = await newPage(browser);
  await login(page, kura.url, loginName);
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

test('会計室 merges the first proposed cluster with a reason and undoes it', async () => {
  const kaikei = await loggedIn('kaikei');
  await kaikei.getByRole('link', {name: '旧債権者番号の統合'}).click();
  await kaikei.getByRole('heading', {name: '旧債権者番号の統合', level: 1}).waitFor();
  const clusters = await apiGet(kaikei, kura.url, '/api/v1/legacy-creditors/clusters?offset=0&limit=10');
  assert.ok(clusters.total > 0, 'the demo has legacy clusters');
  const first = clusters.items[0];
  const section = kaikei.locator('section.cluster').first();
  await section.waitFor();
  // The numbers side by side, in the API's order.
  const heads = await section.locator('thead .member-number').allTextContents();
  assert.deepEqual(heads, first.members.map(m => m.number));
  // The reasons as words.
  const badges = await section.locator('.reason-badge').allTextContents();
  assert.deepEqual(badges, [...new Set(first.links.map(l => WORDS[l.kind]))]);
  const names = await section.getByRole('row', {name: /^債権者名/}).locator('td').allTextContents();
  assert.deepEqual(names.map(t => t.replace('（統合先と同じ）', '')), first.members.map(m => m.name));
  const uses = await section.getByRole('row', {name: /^利用回数/}).locator('td').allTextContents();
  assert.deepEqual(uses, first.members.map(m => `${m.use_count.toLocaleString('ja-JP')} 回`));
  // The suggested survivor is preselected; the others are to be merged.
  const survivorRadio = section.getByRole('radio', {name: new RegExp(`統合先にする\\s*（${first.survivor}）`)});
  assert.ok(await survivorRadio.isChecked());
  const merged = first.members.filter(m => m.number !== first.survivor && m.source === 'legacy' && !m.merged_into)
    .map(m => m.number);
  for (const n of merged) assert.ok(await section.getByRole('checkbox', {name: new RegExp(`統合する\\s*（${n}）`)}).isChecked());
  await checkPage(kaikei, 'consolidation-clusters');

  const reason = section.getByRole('textbox', {name: /統合の理由/});
  await reason.fill('同じ登録番号。旧システムの課別番号をまとめる（テスト）');
  await section.getByRole('button', {name: '統合する'}).click();
  await section.getByText('に統合します。よろしいですか？').waitFor();
  await checkPage(kaikei, 'consolidation-confirm');
  await section.getByRole('group').getByRole('button', {name: '統合する'}).click();
  await kaikei.locator('#notice').getByText('に統合しました').waitFor();

  const after = await apiGet(kaikei, kura.url, '/api/v1/legacy-creditors/merges?limit=100');
  for (const n of merged) {
    const m = after.items.find(i => i.number === n);
    assert.ok(m, `${n} is merged`);
    assert.equal(m.survivor, first.survivor);
    assert.equal(m.reason, '同じ登録番号。旧システムの課別番号をまとめる（テスト）');
  }
  const now = await apiGet(kaikei, kura.url, '/api/v1/legacy-creditors/clusters?offset=0&limit=10');
  assert.equal(now.total, clusters.total - 1, 'the decided cluster is no longer proposed');

  await kaikei.getByRole('link', {name: '統合済み'}).click();
  const row = kaikei.getByRole('row', {name: new RegExp(merged[0])});
  await row.getByText('同じ登録番号。旧システムの課別番号をまとめる（テスト）').waitFor();
  await checkPage(kaikei, 'consolidation-merges');
  await row.getByRole('button', {name: `${merged[0]} の統合を取り消す`}).click();
  await kaikei.getByRole('textbox', {name: /取り消す理由/}).fill('確認のため取り消し');
  await kaikei.getByRole('group').getByRole('button', {name: '統合を取り消す'}).click();
  await kaikei.locator('#notice').getByText('の統合を取り消しました').waitFor();
  const undone = await apiGet(kaikei, kura.url, '/api/v1/legacy-creditors/merges?limit=100');
  assert.ok(!undone.items.some(i => i.number === merged[0]), 'the undone merge is gone from the list');
  assert.equal(undone.total, after.total - 1);
  await kaikei.context().close();
});

test('会計室 uploads a Shift_JIS export; a wrong row is named by its line', async () => {
  const kaikei = await loggedIn('kaikei');
  await kaikei.goto(`${kura.url}/#/vendors/consolidation?tab=import`);
  await kaikei.getByRole('heading', {name: '旧債権者番号の統合', level: 1}).waitFor();
  const bytes = Buffer.concat([readFileSync(join(repo, 'tests/workflow/testdata/legacy_cp932.csv')),
    Buffer.from('0088888,ABC\r\n')]);
  await kaikei.getByLabel(/債権者一覧（CSV）/).setInputFiles({name: '旧債権者一覧.csv', mimeType: 'text/csv', buffer: bytes});
  await kaikei.getByRole('button', {name: '取り込む'}).click();
  await kaikei.getByRole('heading', {name: '取り込んでいません'}).waitFor();
  await kaikei.getByRole('alert').getByText('何も取り込んでいません').waitFor();
  await kaikei.getByRole('cell', {name: '5 行目'}).waitFor();
  await checkPage(kaikei, 'consolidation-import-refused');
  await kaikei.getByLabel('誤りのある行を除いて取り込む').check();
  await kaikei.getByRole('button', {name: '取り込む'}).click();
  await kaikei.getByRole('heading', {name: '取り込みました'}).waitFor();
  await kaikei.getByText(/Shift_JIS（CP932） として読みました/).waitFor();
  await checkPage(kaikei, 'consolidation-import-done');
  await kaikei.context().close();
});

test('a clerk has no menu entry and the API refuses them', async () => {
  const clerk = await loggedIn('somu.tanto');
  assert.equal(await clerk.getByRole('link', {name: '旧債権者番号の統合'}).count(), 0);
  for (const path of ['/api/v1/legacy-creditors/clusters', '/api/v1/legacy-creditors/merges']) {
    const res = await clerk.request.get(kura.url + path);
    assert.equal(res.status(), 403, path);
  }
  const session = await apiGet(clerk, kura.url, '/api/v1/session');
  const res = await clerk.request.post(kura.url + '/api/v1/legacy-creditors/merges', {
    headers: {'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json'},
    data: {survivor: 'X', numbers: ['Y'], reason: 'テスト'},
  });
  assert.equal(res.status(), 403);
  await clerk.goto(`${kura.url}/#/vendors/consolidation`);
  await clerk.getByRole('alert').waitFor();
  await clerk.context().close();
});

test('an auditor reads the clusters and the merges but has nothing to press', async () => {
  const kansa = await loggedIn('kansa');
  await kansa.getByRole('link', {name: '旧債権者番号の統合'}).click();
  await kansa.getByText('閲覧のみです').waitFor();
  const clusters = await apiGet(kansa, kura.url, '/api/v1/legacy-creditors/clusters?limit=10');
  assert.ok(clusters.total > 0);
  await kansa.locator('section.cluster').first().waitFor();
  assert.equal(await kansa.locator('section.cluster').count(), Math.min(10, clusters.total));
  assert.equal(await kansa.getByRole('button', {name: '統合する'}).count(), 0);
  assert.equal(await kansa.getByRole('radio').count(), 0);
  await checkPage(kansa, 'consolidation-auditor');
  await kansa.getByRole('link', {name: '統合済み'}).click();
  await kansa.getByRole('table', {name: '統合済みの旧債権者番号'}).or(kansa.getByText('まだ統合した番号はありません。')).waitFor();
  assert.equal(await kansa.getByRole('button', {name: /取り消す/}).count(), 0);
  await kansa.context().close();
});
