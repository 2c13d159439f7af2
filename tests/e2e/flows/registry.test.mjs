// 登録番号の確認 (#/registry) through the screens: 会計室 sees that no 国税庁
// 公表データ is imported yet, with how to import it and the attribution.
// A tiny registry in the published layout is then imported by the operator's
// `kura registry import` (a second process on the server's data directory):
// one demo vendor's registration expired the day after its latest invoice.
// After a reload the page shows the snapshot and lists exactly that vendor's
// invoices, as GET /api/v1/registry/lapsed has them; such an invoice's page
// shows the check of its number as of its date (valid then, lapsed later)
// and one of a number the registry lacks says so, each with the source
// attribution, as GET /api/v1/documents/{id} "registry" has it. A clerk has
// no menu entry and gets 403.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {KURA_BIN, apiGet, checkPage, launchBrowser, login, newPage, startKura} from '../lib/kura.mjs';

const ATTRIBUTION = '出典：国税庁適格請求書発行事業者公表サイト（国税庁）（https://www.invoice-kohyo.nta.go.jp/）を加工して作成';

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

async function loggedIn(loginName) {
  const page = await newPage(browser);
  await login(page, kura.url, loginName);
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

// One record of the published layout (24 columns, no header).
function row(seq, number, process, registered, expired, name) {
  return [seq, number, process, '0', '2', '1', '1', registered, '2024-01-10', '', expired,
    '"東京都千代田区霞が関3丁目1-1"', '13', '101', '', '', '', '', `"${name}"`, '', '', '', '', ''].join(',') + '\n';
}

function nextDay(iso) {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

test('会計室 sees no registry yet, then the invoices whose registration lapsed', async () => {
  const kaikei = await loggedIn('kaikei');
  await kaikei.getByRole('link', {name: '登録番号の確認'}).click();
  await kaikei.getByRole('heading', {name: '登録番号の確認', level: 1}).waitFor();
  await kaikei.getByText('国税庁の公表データはまだ取り込まれていません').waitFor();
  assert.equal((await apiGet(kaikei, kura.url, '/api/v1/registry')).imported, false);
  await kaikei.getByText('kura registry import', {exact: false}).waitFor();
  assert.equal(await kaikei.locator('.registry-attribution').textContent(), ATTRIBUTION);
  await checkPage(kaikei, 'registry-none');
  // Before any import an invoice says the registry is not imported.
  const firstDoc = (await apiGet(kaikei, kura.url, '/api/v1/documents?limit=1')).items[0];
  await kaikei.goto(`${kura.url}/#/invoices/${firstDoc.id}`);
  const noneBox = kaikei.locator('section.registry-check');
  await noneBox.getByRole('heading', {name: /適格請求書発行事業者の確認/}).waitFor();
  assert.equal((await apiGet(kaikei, kura.url, `/api/v1/documents/${firstDoc.id}`)).registry.status,
    firstDoc.registration_number && firstDoc.issue_date ? 'no_registry'
      : firstDoc.registration_number ? 'no_date' : 'no_number');
  await kaikei.goto(`${kura.url}/#/registry`);
  await kaikei.getByRole('heading', {name: '登録番号の確認', level: 1}).waitFor();

  // A demo vendor's number and its latest invoice; the registration expires
  // the day after (on or before today, Japan).
  const docs = await apiGet(kaikei, kura.url, '/api/v1/documents?limit=1000');
  const today = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
  const dated = docs.items.filter(d => /^T\d{13}$/.test(d.registration_number) && d.issue_date && d.issue_date < today);
  assert.ok(dated.length > 0, 'the demo has invoices with a registration number');
  const number = dated[0].registration_number;
  const ofNumber = dated.filter(d => d.registration_number === number);
  const latest = ofNumber.map(d => d.issue_date).sort().pop();
  const lapse = nextDay(latest);
  const other = dated.find(d => d.registration_number !== number);
  const dir = mkdtempSync(join(tmpdir(), 'kura-registry-'));
  const file = join(dir, 'nta_all.csv');
  writeFileSync(file, row(1, number, '03', '2023-10-01', lapse, ofNumber[0].counterparty) +
    (other ? row(2, other.registration_number, '01', '2023-10-01', '', other.counterparty) : ''));
  const out = execFileSync(KURA_BIN, ['--data', join(kura.dataDir, 'kura-data'), 'registry', 'import', file],
    {encoding: 'utf8'});
  const imported = JSON.parse(out.trim().split('\n').pop());
  assert.equal(imported.registry.rows, other ? 2 : 1);

  await kaikei.reload();
  await kaikei.getByRole('heading', {name: /請求書の日付より後に登録が取消・失効した請求書/}).waitFor();
  const status = await apiGet(kaikei, kura.url, '/api/v1/registry');
  assert.equal(status.snapshot.id, imported.registry.id);
  const snapshot = await kaikei.locator('.registry-snapshot').textContent();
  assert.match(snapshot, new RegExp(`${status.snapshot.rows} 件`));
  assert.match(snapshot, new RegExp(status.snapshot.id));
  assert.equal(await kaikei.locator('.registry-attribution').textContent(), ATTRIBUTION);

  const lapsed = await apiGet(kaikei, kura.url, '/api/v1/registry/lapsed');
  // Paged by the server: 50 by default, total beside the page.
  assert.equal(lapsed.offset, 0);
  assert.equal(lapsed.limit, 50);
  assert.equal(lapsed.total, lapsed.count);
  assert.equal(lapsed.items.length, Math.min(50, lapsed.total));
  if (lapsed.total > 1) {
    const second = await apiGet(kaikei, kura.url, '/api/v1/registry/lapsed?offset=1&limit=1');
    assert.equal(second.total, lapsed.total);
    assert.deepEqual(second.items.map(i => i.id), [lapsed.items[1].id]);
  }
  await kaikei.getByRole('heading', {name: `請求書の日付より後に登録が取消・失効した請求書（${lapsed.total} 件）`}).waitFor();
  assert.deepEqual(lapsed.items.map(i => i.id).sort(), lapse <= today ? ofNumber.map(d => d.id).sort() : []);
  const rows = kaikei.locator('table.list tbody tr');
  assert.equal(await rows.count(), lapsed.items.length);
  for (let i = 0; i < lapsed.items.length; i++) {
    const item = lapsed.items[i];
    const cells = await rows.nth(i).locator('td').allTextContents();
    assert.equal(cells[0], item.id);
    assert.ok(cells[1].startsWith(item.counterparty), cells[1]);
    assert.equal(cells[2], item.registration_number);
    assert.match(cells[3], /^\d{4}年\d+月\d+日（令和\d+年）$/);
    assert.equal(item.kind, 'expired');
    assert.ok(cells[4].startsWith('失効'), cells[4]);
    assert.match(cells[4], /令和/);
  }
  await checkPage(kaikei, 'registry-lapsed');
  // The link opens the invoice, which shows the registry's word on its
  // number as of its date as GET /api/v1/documents/{id} has it.
  await rows.first().getByRole('link').click();
  await kaikei.waitForURL(new RegExp(`#/invoices/${lapsed.items[0].id}$`));
  const doc = await apiGet(kaikei, kura.url, `/api/v1/documents/${lapsed.items[0].id}`);
  assert.equal(doc.registry.status, 'valid');
  assert.equal(doc.registry.number, number);
  assert.equal(doc.registry.expired_on, lapse);
  assert.equal(doc.registry.snapshot.id, imported.registry.id);
  const box = kaikei.locator('section.registry-check');
  await box.getByRole('heading', {name: /適格請求書発行事業者の確認/}).waitFor();
  const boxText = await box.innerText();
  assert.match(boxText, /登録あり（請求書の日付で有効）/);
  assert.match(boxText, /のちに取消・失効/);
  assert.match(boxText, new RegExp(number));
  assert.match(boxText, /失効年月日\s*\d{4}年\d+月\d+日（令和\d+年）/);
  assert.equal(doc.registry.name_matches === false, /名称不一致/.test(boxText));
  const attribution = await box.locator('.registry-attribution').textContent();
  assert.ok(attribution.startsWith(ATTRIBUTION), attribution);
  assert.match(attribution, new RegExp(`${imported.registry.id}・全件`));
  await checkPage(kaikei, 'registry-invoice-valid');

  // A number the registry does not hold: not registered, in Japanese.
  const unknown = dated.find(d => d.registration_number !== number &&
    (!other || d.registration_number !== other.registration_number));
  if (unknown) {
    await kaikei.goto(`${kura.url}/#/invoices/${unknown.id}`);
    await box.getByRole('heading', {name: /適格請求書発行事業者の確認/}).waitFor();
    const missing = await apiGet(kaikei, kura.url, `/api/v1/documents/${unknown.id}`);
    assert.equal(missing.registry.status, 'not_found');
    assert.match(await box.innerText(), /公表データにない番号/);
    assert.match(await box.innerText(), new RegExp(`登録番号 ${unknown.registration_number} は公表データにありません`));
    await checkPage(kaikei, 'registry-invoice-not-found');
  }
  await kaikei.close();
});

test('a clerk has no menu entry and the API refuses them', async () => {
  const clerk = await loggedIn('somu.tanto');
  assert.equal(await clerk.getByRole('link', {name: '登録番号の確認'}).count(), 0);
  for (const path of ['/api/v1/registry', '/api/v1/registry/lapsed']) {
    const res = await clerk.request.get(kura.url + path);
    assert.equal(res.status(), 403, path);
  }
  await clerk.goto(`${kura.url}/#/registry`);
  await clerk.getByRole('alert').filter({hasText: '会計室・管理者・監査'}).waitFor();
  await checkPage(clerk, 'registry-clerk');
  await clerk.close();
});
