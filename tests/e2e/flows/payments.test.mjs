// 支払処理 through the screens: an order of 総務課 is taken to 審査済 through
// the API (its vendor given a 口座名義 in kana), then 会計室 opens 支払処理,
// previews the run for a date (the order among those paid, the refused ones
// with their reason), creates it, downloads the 全銀 file — 120-byte records
// each ending in CRLF, header 1 … end 9 — and the CSV for 財務会計 (UTF-8
// with BOM), confirms the run, and the order shows 支払済.

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

const APPROVERS = {課長: 'somu.kacho', 部長: 'somu.bucho', 副市長: 'fukushicho'};
const CHECKLIST = ['fiscal_year', 'budget_line', 'legitimate_creditor', 'amount', 'delivery_done',
  'debt_fixed', 'payment_method_and_date'];

async function loggedIn(loginName) {
  const page = await newPage(browser);
  await login(page, kura.url, loginName);
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

async function apiPost(page, path, body, status = 200) {
  const session = await apiGet(page, kura.url, '/api/v1/session');
  const res = await page.request.post(kura.url + path, {
    headers: {'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json'}, data: body,
  });
  assert.equal(res.status(), status, `${path}: ${await res.text()}`);
  return res.json();
}

// An unprocessed XML invoice of somu with a demo commitment whose match
// has no ×, drafted, approved along its route and accepted by kaikei.
async function acceptedOrder(kaikei) {
  const clerk = await loggedIn('somu.tanto');
  const inbox = await apiGet(clerk, kura.url, '/api/v1/inbox');
  for (const item of inbox.unprocessed) {
    if (!item.amount || !item.counterparty) continue;
    const candidates = await apiGet(clerk, kura.url, `/api/v1/documents/${item.id}/commitments`);
    const clean = candidates.items.find(c => c.match.every(m => m.status !== 'mismatch'));
    if (!clean || candidates.duplicates.length) continue;
    let order = await apiPost(clerk, '/api/v1/payment-orders',
      {document_id: item.id, commitment_id: clean.id}, 201);
    order = await apiPost(clerk, `/api/v1/payment-orders/${order.id}/actions`, {
      action: 'submit', version: order.version, acknowledge: order.unacknowledged,
      ...(order.unacknowledged.length ? {comment: '確認済み'} : {}),
    });
    for (const step of order.route) {
      const approver = await loggedIn(APPROVERS[step.title]);
      order = await apiPost(approver, `/api/v1/payment-orders/${order.id}/actions`,
        {action: 'approve', version: order.version});
      await approver.context().close();
    }
    const checklist = Object.fromEntries(CHECKLIST.map(k => [k, true]));
    order = await apiPost(kaikei, `/api/v1/payment-orders/${order.id}/actions`,
      {action: 'accept', version: order.version, checklist});
    assert.equal(order.state, 'accepted');
    // The bank wants the payee's name in kana (口座名義).
    const vendor = await apiGet(kaikei, kura.url, `/api/v1/vendors/${order.vendor_id}`);
    if (!vendor.account_holder) {
      await apiPost(kaikei, `/api/v1/vendors/${order.vendor_id}`,
        {account_holder: 'カ）テストシヨウジ', expected: vendor});
    }
    await clerk.context().close();
    return order;
  }
  throw new Error('no unprocessed XML invoice with a clean demo commitment in the demo');
}

test('会計室 previews, creates, downloads and confirms a payment run; the order is paid', async () => {
  const kaikei = await loggedIn('kaikei');
  const order = await acceptedOrder(kaikei);

  await kaikei.goto(`${kura.url}/#/payments`);
  await kaikei.getByRole('heading', {name: '支払処理', level: 1}).waitFor();
  await kaikei.getByRole('textbox', {name: '振込指定日'}).fill('2026-12-25');
  await kaikei.getByRole('button', {name: '支払う支出命令を確認する'}).click();
  await kaikei.getByRole('heading', {name: '支払う支出命令（確認）'}).waitFor();
  const preview = await apiGet(kaikei, kura.url, '/api/v1/payment-runs/preview?date=2026-12-25');
  assert.ok(preview.lines.some(l => l.order_id === order.id), 'our order is to be paid');
  const rows = kaikei.locator('table', {hasText: order.id}).first();
  await rows.getByRole('link', {name: order.id}).waitFor();
  for (const r of preview.refused) {
    await kaikei.getByRole('link', {name: r.order_id, exact: true}).first().waitFor();
  }
  await checkPage(kaikei, 'payments-preview');

  await kaikei.getByRole('button', {name: 'この内容で支払処理を作成する'}).click();
  await kaikei.locator('#notice').getByText('を作成しました').waitFor();
  const runs = await apiGet(kaikei, kura.url, '/api/v1/payment-runs');
  const run = runs.items[0];
  assert.equal(run.state, 'recorded');
  assert.ok(run.lines.some(l => l.order_id === order.id));
  await kaikei.getByRole('heading', {name: `支払処理 ${run.id}`}).waitFor();
  await checkPage(kaikei, 'payments-run');

  // The 全銀 file as bytes: 120-byte records, each ending in CRLF.
  const zenginLink = kaikei.getByRole('link', {name: '全銀ファイル（総合振込）をダウンロード'});
  const zengin = await kaikei.request.get(kura.url + await zenginLink.getAttribute('href'));
  assert.equal(zengin.status(), 200);
  const bytes = await zengin.body();
  assert.equal(bytes.length % 122, 0, 'records of 120 bytes + CRLF');
  const records = bytes.length / 122;
  assert.equal(records, run.count + 3, 'header, one data record per payee, trailer, end');
  for (let i = 0; i < records; ++i) {
    assert.equal(bytes[i * 122 + 120], 0x0d, `record ${i + 1} ends in CR`);
    assert.equal(bytes[i * 122 + 121], 0x0a, `record ${i + 1} ends in LF`);
  }
  assert.deepEqual([0, 1, records - 2, records - 1].map(i => String.fromCharCode(bytes[i * 122])),
    ['1', '2', '8', '9']);
  const csvLink = kaikei.getByRole('link', {name: '財務会計へのCSVをダウンロード'});
  const csv = await (await kaikei.request.get(kura.url + await csvLink.getAttribute('href'))).body();
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
  assert.ok(csv.toString('utf8').includes(order.id));

  await kaikei.getByRole('button', {name: '銀行が受け付けたので確定する'}).click();
  await kaikei.locator('#notice').getByText('を確定しました').waitFor();
  await kaikei.getByText('確定（支払済）').first().waitFor();
  assert.equal(await kaikei.getByRole('button', {name: '確定前の支払処理を取り消す'}).count(), 0);
  const paid = await apiGet(kaikei, kura.url, `/api/v1/payment-orders/${order.id}`);
  assert.equal(paid.state, 'paid');

  await kaikei.goto(`${kura.url}/#/orders/${order.id}`);
  await kaikei.getByRole('heading', {name: `支出命令 ${order.id}`}).getByText('支払済').waitFor();
  await kaikei.goto(`${kura.url}/#/payments`);
  await kaikei.getByRole('link', {name: run.id}).waitFor();
  await checkPage(kaikei, 'payments-list');
});
