// 効果の見える化 (#/figures): the accounting office sees the month table with
// the API's numbers and the charts (Chart.js, drawn under the CSP without a
// console error); another period through the form; a 課長 sees their
// department's; a clerk has no menu entry and gets the API's refusal.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {apiGet, checkPage, launchBrowser, login, newPage, startKura} from '../lib/kura.mjs';

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

const num = n => n.toLocaleString('ja-JP');

async function userPage(loginName) {
  const page = await newPage(browser);
  await login(page, kura.url, loginName);
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

// The rows of a figures table as arrays of cell texts (tbody only).
async function tableRows(page, id) {
  return page.locator(`#${id} tbody tr`).evaluateAll(rows =>
    rows.map(r => [...r.children].map(c => c.textContent.trim())));
}

async function expectMonthsAsApi(page, figures) {
  const rows = await tableRows(page, 'figures-months');
  assert.equal(rows.length, figures.months.length);
  figures.months.forEach((m, i) => {
    const [y, mo] = m.month.split('-');
    assert.ok(rows[i][0].startsWith(`${+y}年${+mo}月`), rows[i][0]);
    assert.deepEqual(rows[i].slice(1, 4), [num(m.received), num(m.electronic), num(m.paper)]);
    assert.equal(rows[i][5], num(m.waiting_for_input));
  });
  const total = await page.locator('#figures-months tfoot tr').evaluate(r => [...r.children].map(c => c.textContent.trim()));
  assert.deepEqual(total.slice(0, 4), ['合計', num(figures.totals.received), num(figures.totals.electronic),
    num(figures.totals.paper)]);
  const payments = await tableRows(page, 'figures-payments');
  figures.months.forEach((m, i) => {
    assert.deepEqual(payments[i].slice(1, 3), [num(m.paid), num(m.paid_late)]);
    assert.equal(payments[i][4], m.median_days_to_payment === null ? '—' : `${num(m.median_days_to_payment)} 日`);
  });
}

// A clerk of 総務課 drafts an order from an unprocessed invoice against a
// commitment too small for it: its amount is ×, so the × chart has a bar.
async function draftWithAmountMismatch() {
  const page = await userPage('somu.tanto');
  const session = await apiGet(page, kura.url, '/api/v1/session');
  const post = async (path, data) => {
    const res = await page.request.post(kura.url + path, {
      headers: {'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json'}, data});
    assert.ok(res.ok(), `${path}: ${res.status()} ${await res.text()}`);
    return res.json();
  };
  const open = await apiGet(page, kura.url, '/api/v1/documents?state=received&format=jp-pint&limit=50');
  let target = null;
  for (const doc of open.items) {
    const candidates = await apiGet(page, kura.url, `/api/v1/documents/${doc.id}/commitments`);
    if (candidates.vendors.length && !candidates.blocked_reason) {
      target = {doc, vendor: candidates.vendors[0]};
      break;
    }
  }
  assert.ok(target, 'an unprocessed XML invoice of a vendor in the master');
  const today = new Date(Date.now() + 9 * 3600000);  // Japan
  const fy = today.getUTCMonth() >= 3 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  const commitment = await post('/api/v1/commitments', {
    department: 'somu', vendor_id: target.vendor.id, budget_line: '02-01-01-10', fiscal_year: fy,
    description: '少額の単価契約（e2e）', amount: '1000', expense_type: 'goods',
    contract_from: `${fy}-04-01`, contract_to: `${fy + 1}-03-31`});
  const order = await post('/api/v1/payment-orders', {document_id: target.doc.id, commitment_id: commitment.id});
  assert.equal(order.match.find(m => m.field === 'amount').status, 'mismatch');
  await page.context().close();
}

test('the accounting office sees the figures the API computes, as charts and tables', async () => {
  await draftWithAmountMismatch();
  const page = await userPage('kaikei');
  await page.getByRole('navigation', {name: 'メニュー'}).getByRole('link', {name: '効果の見える化'}).click();
  await page.waitForURL(/#\/figures$/);
  await page.getByRole('heading', {name: '効果の見える化', level: 1}).waitFor();
  await page.locator('#figures-months').waitFor();
  const figures = await apiGet(page, kura.url, '/api/v1/figures');
  assert.equal(figures.department, '');
  assert.ok(figures.totals.received > 0, 'the demo received invoices this fiscal year');
  assert.ok(figures.totals.paid > 0, 'the demo paid some orders');
  await expectMonthsAsApi(page, figures);

  // The charts: one canvas per section, drawn (Chart.js sized it).
  const canvases = page.locator('main .chart-box canvas');
  // The × chart only when some field was × (else a sentence says so).
  assert.equal(await canvases.count(), figures.mismatch_rates.some(r => r.mismatch > 0) ? 3 : 2);
  await page.waitForFunction(() => [...document.querySelectorAll('main .chart-box canvas')]
    .every(c => c.width > 0 && c.height > 0 && window.Chart && window.Chart.getChart(c)));
  const rates = await tableRows(page, 'figures-mismatch');
  assert.equal(rates.length, figures.mismatch_rates.length);
  figures.mismatch_rates.forEach((r, i) => assert.deepEqual(rates[i].slice(1, 3), [num(r.orders), num(r.mismatch)]));
  assert.ok(figures.mismatch_rates.find(r => r.field === 'amount').mismatch >= 1, 'the order drafted above');
  assert.ok(rates.find(r => r[0].startsWith('金額')), 'the field in Japanese');
  await checkPage(page, 'figures-all');

  // Another period and one department through the form.
  const [first] = figures.months;
  await page.getByLabel('期間（から）').fill(`${first.month}-01`);
  await page.getByLabel('期間（まで）').fill(figures.to);
  await page.getByLabel('課', {exact: true}).selectOption('somu');
  await page.getByRole('button', {name: '表示する'}).click();
  await page.waitForURL(/#\/figures\?.*department=somu/);
  await page.getByText(/総務課の /).waitFor();
  const somu = await apiGet(page, kura.url, `/api/v1/figures?from=${first.month}-01&to=${figures.to}&department=somu`);
  await page.locator('#figures-months').waitFor();
  await expectMonthsAsApi(page, somu);
  assert.ok(somu.totals.received < figures.totals.received);
  await checkPage(page, 'figures-somu');
  await page.context().close();
});

test('a 課長 sees their department\'s figures', async () => {
  const page = await userPage('somu.kacho');
  await page.getByRole('navigation', {name: 'メニュー'}).getByRole('link', {name: '効果の見える化'}).click();
  await page.locator('#figures-months').waitFor();
  const figures = await apiGet(page, kura.url, '/api/v1/figures');
  assert.equal(figures.department, 'somu');
  await expectMonthsAsApi(page, figures);
  assert.match(await page.locator('main .lead').innerText(), /総務課の/);
  assert.equal(await page.getByLabel('課', {exact: true}).count(), 0, 'no department to choose');
  await checkPage(page, 'figures-kacho');
  await page.context().close();
});

test('a clerk has no menu entry and is refused with the API\'s message', async () => {
  const page = await userPage('somu.tanto');
  const menu = page.getByRole('navigation', {name: 'メニュー'});
  await menu.getByRole('link', {name: '検索'}).waitFor();
  assert.equal(await menu.getByRole('link', {name: '効果の見える化'}).count(), 0);
  await page.goto(kura.url + '/#/figures');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const refused = await page.request.get(kura.url + '/api/v1/figures');
  assert.equal(refused.status(), 403);
  assert.equal((await alert.innerText()).trim(), (await refused.json()).error.message);
  await checkPage(page, 'figures-clerk-refused');
  await page.context().close();
});
