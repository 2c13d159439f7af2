// The invoice screens: the list (scoped to the clerk's department, newest
// receipt first, paged with the total), an XML invoice rendered from its
// original (lines and totals as the API records them), a PDF's pages drawn
// by pdf.js, entering the keys of a PDF whose total could not be read (a
// reason required, a stale version refused), and another department's
// invoice refused.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
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

const SAMPLES = process.env.KURA_SAMPLES_DIR ||
  resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/samples');

const yen = (v) => '¥' + String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

async function csrf(page) {
  return (await apiGet(page, kura.url, '/api/v1/session')).csrf_token;
}

// Uploads n copies of an XML invoice, each with its own invoice number and
// amount, as the page's user (so the department has more than a page).
async function uploadVariants(page, xml, n) {
  const token = await csrf(page);
  for (let i = 0; i < n; ++i) {
    const body = xml.replace(/<cbc:ID>([^<]+)<\/cbc:ID>/, `<cbc:ID>E2E-${1000 + i}</cbc:ID>`);
    const res = await page.request.post(kura.url + '/api/v1/documents', {
      headers: {'X-CSRF-Token': token},
      multipart: {file: {name: `e2e-${i}.xml`, mimeType: 'application/xml', buffer: Buffer.from(body)}},
    });
    assert.equal(res.status(), 201, await res.text());
  }
}

async function clerk() {
  const page = await newPage(browser);
  await login(page, kura.url, 'somu.tanto');
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

async function firstOf(page, params) {
  const found = await apiGet(page, kura.url, '/api/v1/documents?limit=1&' + params);
  assert.ok(found.items.length > 0, `a document with ${params}`);
  return found.items[0];
}

test('a clerk lists the department\'s invoices, newest first, and pages through them', async () => {
  const page = await clerk();
  const xml = await firstOf(page, 'format=jp-pint');
  const original = await page.request.get(`${kura.url}/api/v1/documents/${xml.id}/original`);
  await uploadVariants(page, await original.text(), 35);
  const api = await apiGet(page, kura.url, '/api/v1/documents?sort=received&desc=true&limit=50');
  assert.ok(api.count > 50, 'more than one page');

  await page.getByRole('navigation', {name: 'メニュー'}).getByRole('link', {name: '請求書'}).click();
  await page.waitForURL(/#\/invoices$/);
  await page.getByRole('heading', {name: '請求書', level: 1}).waitFor();
  const rows = page.locator('main table.invoices tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 50);
  const pager = page.getByRole('navigation', {name: 'ページ送り（上）'});
  assert.match(await pager.innerText(), new RegExp(`全 ${api.count} 件中 1〜50 件`));
  // Newest receipt first, as the API orders them; every row the clerk's department.
  assert.match(await rows.first().innerText(), new RegExp(api.items[0].id));
  assert.match(await rows.nth(49).innerText(), new RegExp(api.items[49].id));
  for (const text of await rows.locator('td:nth-child(3)').allInnerTexts()) assert.equal(text, '総務課');
  assert.match(await rows.first().innerText(), /XML/);
  await checkPage(page, 'invoices-list');

  await pager.getByRole('link', {name: '次のページ →'}).click();
  await page.waitForURL(/page=2/);
  await page.getByText(new RegExp(`全 ${api.count} 件中 51〜${api.count} 件`)).first().waitFor();
  assert.equal(await rows.count(), api.count - 50);
  await checkPage(page, 'invoices-list-page2');
  await page.getByRole('navigation', {name: 'ページ送り（上）'}).getByRole('link', {name: '← 前のページ'}).click();
  await page.getByText(new RegExp(`全 ${api.count} 件中 1〜50 件`)).first().waitFor();

  // The filters: unprocessed PDFs that need their keys entered.
  await page.getByLabel('状態').selectOption('received');
  await page.getByLabel('項目入力が必要なものだけ').check();
  await page.getByRole('button', {name: '絞り込む'}).click();
  await page.waitForURL(/state=received/);
  const needing = await apiGet(page, kura.url, '/api/v1/documents?state=received&needs_metadata=true&limit=1');
  await page.getByText(new RegExp(`全 ${needing.count} 件中`)).first().waitFor();
  assert.equal(await rows.count(), needing.count);
  // PDFs by e-mail or paper scanned at the counter (the demo has both).
  for (const text of await rows.locator('td:nth-child(6)').allInnerTexts()) {
    assert.ok(text === 'PDF' || text === 'スキャン', text);
  }
  await checkPage(page, 'invoices-list-filtered');
  await page.context().close();
});

test('an XML invoice shows its parties, lines, tax per rate and totals as the API records them', async () => {
  const page = await clerk();
  // One with both rates, 8 % (軽減税率) and 10 %, as the demo's newspapers are.
  // Still without an order, so that the clerk may draft one from it.
  const candidates = await apiGet(page, kura.url, '/api/v1/documents?format=jp-pint&state=received&limit=100');
  let item = null;
  let doc = null;
  for (const c of candidates.items) {
    doc = await apiGet(page, kura.url, `/api/v1/documents/${c.id}`);
    if (doc.current.fields.tax_subtotals.length > 1) {
      item = c;
      break;
    }
  }
  assert.ok(item, 'the demo has an invoice with 8 % and 10 %');
  const f = doc.current.fields;
  assert.deepEqual(f.tax_subtotals.map(t => t.rate).sort(), ['10', '8']);
  await page.goto(`${kura.url}/#/invoices/${item.id}`);
  const invoice = page.locator('.xml-invoice');
  await invoice.waitFor();
  assert.match(await invoice.locator('.xml-party').first().innerText(), new RegExp(f.counterparty));
  assert.match(await invoice.locator('.xml-party').first().innerText(), new RegExp(f.registration_number));
  const descriptions = await invoice.locator('table.xml-lines tbody td:nth-child(2) .line-name').allInnerTexts();
  assert.deepEqual(descriptions, f.line_descriptions);
  const taxes = await invoice.locator('table.xml-taxes tbody tr').allInnerTexts();
  assert.equal(taxes.length, f.tax_subtotals.length);
  for (const t of f.tax_subtotals) {
    assert.ok(taxes.some(row => row.includes(`${t.rate}%`) && row.includes(yen(t.taxable)) && row.includes(yen(t.tax))),
      `tax row ${JSON.stringify(t)} in ${taxes}`);
  }
  assert.ok(taxes.some(row => /^8%（軽減税率）/.test(row)), `the 8 % row is marked: ${taxes}`);
  assert.match(await invoice.locator('tr.xml-payable').innerText(), new RegExp(yen(f.total)));
  // The extracted fields, the receipt and the time-stamp beside it.
  assert.match(await page.locator('dl.fields').first().innerText(), new RegExp(f.invoice_number));
  await page.getByText('有効（検証済み）').waitFor();
  assert.equal(doc.timestamp.status, 'verified');
  assert.match(await page.getByRole('region', {name: '受領の記録'}).innerText(), /Peppol/);
  // 支出命令を起票 for the clerk of the receiving department, no order yet.
  assert.equal(doc.may_draft_order, true);
  assert.equal(await page.getByRole('link', {name: '支出命令を起票'}).getAttribute('href'),
    `#/orders/new?document=${item.id}`);
  await checkPage(page, 'invoice-xml');
  // The raw XML one click away.
  await page.getByText('XML の原文を表示').click();
  assert.match(await page.locator('.xml-raw pre').innerText(), new RegExp(`<cbc:ID>${f.invoice_number}</cbc:ID>`));
  await checkPage(page, 'invoice-xml-raw');
  await page.context().close();
});

test('a UN/CEFACT CII invoice is rendered too', {skip: !existsSync(SAMPLES) && 'no shared samples'}, async () => {
  const page = await clerk();
  const xml = readFileSync(resolve(SAMPLES, 'xrechnung/01.01a-INVOICE_uncefact.xml'));
  const res = await page.request.post(kura.url + '/api/v1/documents', {
    headers: {'X-CSRF-Token': await csrf(page)},
    multipart: {file: {name: 'xrechnung-cii.xml', mimeType: 'application/xml', buffer: xml}},
  });
  assert.ok([200, 201].includes(res.status()), await res.text());
  const {id} = await res.json();
  const doc = await apiGet(page, kura.url, `/api/v1/documents/${id}`);
  const f = doc.current.fields;
  assert.equal(f.format, 'xrechnung');
  await page.goto(`${kura.url}/#/invoices/${id}`);
  const invoice = page.locator('.xml-invoice');
  await invoice.waitFor();
  assert.match(await invoice.locator('h3').innerText(), /CII/);
  assert.match(await invoice.locator('.xml-party').first().innerText(), new RegExp(f.counterparty));
  const lines = xml.toString().split('<ram:IncludedSupplyChainTradeLineItem>').length - 1;
  assert.equal(await invoice.locator('table.xml-lines tbody tr').count(), lines);
  assert.deepEqual(await invoice.locator('table.xml-lines tbody td:nth-child(2) .line-name').allInnerTexts(),
    f.line_descriptions);
  assert.match(await invoice.locator('tr.xml-payable').innerText(), new RegExp(`${f.total.replace('.', '\\.')} ${f.currency}`));
  assert.equal(await invoice.locator('table.xml-taxes tbody tr').count(), f.tax_subtotals.length);
  await checkPage(page, 'invoice-cii');
  await page.context().close();
});

test('a PDF invoice shows its pages and the download of its exact bytes', async () => {
  const page = await clerk();
  const item = await firstOf(page, 'format=pdf');
  const doc = await apiGet(page, kura.url, `/api/v1/documents/${item.id}`);
  await page.goto(`${kura.url}/#/invoices/${item.id}`);
  const canvas = page.locator('canvas.pdf-page');
  await canvas.first().waitFor();
  assert.equal(await canvas.count(), doc.current.fields.page_count);
  // Drawn, not blank: some pixels are dark (the text of the invoice).
  const dark = await canvas.first().evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 3] > 0) ++n;
    return n;
  });
  assert.ok(dark > 1000, `the page has ink (${dark} dark pixels)`);
  const download = page.getByRole('link', {name: /原本をダウンロード/});
  assert.equal(await download.getAttribute('href'), `/api/v1/documents/${item.id}/original`);
  const bytes = await page.request.get(kura.url + await download.getAttribute('href'));
  assert.equal((await bytes.body()).length, doc.record.size);
  await page.getByText('項目入力が必要').first().waitFor();
  await checkPage(page, 'invoice-pdf');
  await page.context().close();
});

// A scan whose page is a JPEG 2000 image (tests/e2e/data/scan-jpeg2000.pdf,
// made with opj_compress and img2pdf from a demo invoice): pdf.js needs its
// decoder, which runs as JavaScript (no WebAssembly under the CSP).
test('a scanned invoice whose page is a JPEG 2000 image is drawn', async () => {
  const page = await clerk();
  const bytes = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../data/scan-jpeg2000.pdf'));
  const res = await page.request.post(kura.url + '/api/v1/documents', {
    headers: {'X-CSRF-Token': await csrf(page)},
    multipart: {file: {name: 'スキャン請求書.pdf', mimeType: 'application/pdf', buffer: bytes}},
  });
  assert.equal(res.status(), 201, await res.text());
  const {id} = await res.json();
  await page.goto(`${kura.url}/#/invoices/${id}`);
  const canvas = page.locator('canvas.pdf-page');
  await canvas.first().waitFor();
  await page.waitForFunction(() => document.querySelector('.pdf-pages figure') !== null);
  const dark = await canvas.first().evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 3] > 0) ++n;
    return n;
  });
  assert.ok(dark > 1000, `the scanned page is drawn (${dark} dark pixels)`);
  await checkPage(page, 'invoice-scan-jpeg2000');
  await page.context().close();
});

test('a clerk enters the keys of a PDF whose total was unreadable; a reason is required', async () => {
  const page = await clerk();
  const item = await firstOf(page, 'format=pdf&needs_metadata=true&state=received');
  await page.goto(`${kura.url}/#/invoices/${item.id}`);
  await page.getByRole('link', {name: '項目入力・訂正'}).click();
  await page.waitForURL(new RegExp(`#/invoices/${item.id}/entry$`));
  await page.locator('canvas.pdf-page').first().waitFor();  // the original on the left
  await page.getByLabel(/取引年月日/).fill('2026-11-20');
  await page.getByLabel(/取引金額/).fill('33,000');
  await page.getByLabel(/^取引先/).fill('株式会社山田商事');
  await page.getByLabel(/登録番号/).fill('T7010705000725');
  await page.getByRole('button', {name: '保存する'}).click();
  const alert = page.locator('#entry-error');
  await alert.getByText('訂正理由を入力してください').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'e-reason');
  await checkPage(page, 'invoice-entry-no-reason');
  let doc = await apiGet(page, kura.url, `/api/v1/documents/${item.id}`);
  assert.equal(doc.current.number, 1, 'nothing saved without a reason');

  await page.getByLabel(/訂正理由/).fill('紙の請求書から入力');
  await checkPage(page, 'invoice-entry');
  await page.getByRole('button', {name: '保存する'}).click();
  await page.waitForURL(new RegExp(`#/invoices/${item.id}$`));
  await page.getByText(`請求書 ${item.id} の項目を保存しました（第 2 版）。`).waitFor();
  doc = await apiGet(page, kura.url, `/api/v1/documents/${item.id}`);
  assert.equal(doc.current.number, 2);
  assert.equal(doc.current.fields.total, '33000');
  assert.equal(doc.current.fields.issue_date, '2026-11-20');
  assert.equal(doc.current.fields.needs_metadata, false);
  const fields = await page.locator('dl.fields').first().innerText();
  assert.match(fields, /¥33,000/);
  assert.match(fields, /2026年11月20日（令和8年）/);
  assert.match(fields, /株式会社山田商事/);
  const corrections = page.locator('table.corrections');
  assert.match(await corrections.innerText(), /紙の請求書から入力/);
  assert.match(await corrections.innerText(), /取引金額（請求額）: — → ¥33,000/);
  assert.match(await corrections.innerText(), /somu\.tanto/);
  await checkPage(page, 'invoice-after-entry');

  // A change by someone else meanwhile: 409, and the page says to reload.
  await page.getByRole('link', {name: '項目入力・訂正'}).click();
  await page.getByLabel(/訂正理由/).waitFor();
  const res = await page.request.post(`${kura.url}/api/v1/documents/${item.id}/corrections`, {
    headers: {'X-CSRF-Token': await csrf(page), 'Content-Type': 'application/json'},
    data: {changes: {invoice_number: 'KAA-1'}, reason: '別の画面から', version: 2},
  });
  assert.equal(res.status(), 200, await res.text());
  await page.getByLabel(/取引金額/).fill('33,500');
  await page.getByLabel(/訂正理由/).fill('金額の誤り');
  await page.getByRole('button', {name: '保存する'}).click();
  await alert.getByText(/再読み込み/).first().waitFor();
  await alert.getByRole('button', {name: '再読み込み'}).waitFor();
  await checkPage(page, 'invoice-entry-conflict');
  assert.equal((await apiGet(page, kura.url, `/api/v1/documents/${item.id}`)).current.number, 3);
  await page.context().close();
});

test('an invoice with an order names it and its steps; a 課長 reads it without buttons', async () => {
  const page = await clerk();
  const item = await firstOf(page, 'format=jp-pint&state=received&sort=received');
  const vendors = await apiGet(page, kura.url, '/api/v1/vendors');
  const vendor = vendors.items.find(v => v.registration_number === item.registration_number);
  assert.ok(vendor, 'the demo has the vendor of its invoices');
  const commitments = await apiGet(page, kura.url, `/api/v1/commitments?department=somu&vendor_id=${vendor.id}`);
  const drafted = await page.request.post(kura.url + '/api/v1/payment-orders', {
    headers: {'X-CSRF-Token': await csrf(page), 'Content-Type': 'application/json'},
    data: {document_id: item.id, commitment_id: commitments.items[0].id},
  });
  assert.equal(drafted.status(), 201, await drafted.text());
  const order = await drafted.json();

  await page.goto(`${kura.url}/#/invoices/${item.id}`);
  await page.locator('.xml-invoice').waitFor();
  const open = page.getByRole('link', {name: new RegExp(`支出命令 ${order.id}（起票中）を開く`)});
  assert.equal(await open.getAttribute('href'), `#/orders/${order.id}`);
  assert.equal(await page.getByRole('link', {name: '支出命令を起票'}).count(), 0);
  assert.equal(await page.getByRole('link', {name: '項目入力・訂正'}).count(), 1);  // a draft follows its invoice
  const history = page.getByRole('region', {name: /経過/});
  assert.match(await history.innerText(), new RegExp(`支出命令を起票\\s+somu\\.tanto\\s+${order.id}`));
  await checkPage(page, 'invoice-with-order');
  await page.context().close();

  const kacho = await newPage(browser);
  await login(kacho, kura.url, 'somu.kacho');
  await kacho.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  await kacho.goto(`${kura.url}/#/invoices/${item.id}`);
  await kacho.locator('.xml-invoice').waitFor();
  assert.equal(await kacho.getByRole('link', {name: '項目入力・訂正'}).count(), 0);
  assert.equal(await kacho.getByRole('link', {name: '支出命令を起票'}).count(), 0);
  await kacho.getByRole('link', {name: new RegExp(`支出命令 ${order.id}`)}).waitFor();
  await checkPage(kacho, 'invoice-approver');
  await kacho.context().close();
});

test('the accounting office lists every department and narrows to one', async () => {
  const page = await newPage(browser);
  await login(page, kura.url, 'kaikei');
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  await page.goto(`${kura.url}/#/invoices`);
  await page.getByRole('heading', {name: '請求書', level: 1}).waitFor();
  const all = await apiGet(page, kura.url, '/api/v1/documents?limit=1');
  await page.getByText(new RegExp(`全 ${all.count} 件中 1〜50 件`)).first().waitFor();
  await page.getByLabel('課').selectOption('doboku');
  await page.getByRole('button', {name: '絞り込む'}).click();
  await page.waitForURL(/department=doboku/);
  const doboku = await apiGet(page, kura.url, '/api/v1/documents?department=doboku&limit=1');
  await page.getByText(new RegExp(`全 ${doboku.count} 件中`)).first().waitFor();
  for (const text of await page.locator('main table.invoices tbody td:nth-child(3)').allInnerTexts()) {
    assert.equal(text, '土木課');
  }
  await checkPage(page, 'invoices-list-accountant');
  await page.context().close();
});

test('another department\'s invoice is not listed and its address is refused', async () => {
  const accountant = await newPage(browser);
  await login(accountant, kura.url, 'kaikei');
  await accountant.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  const other = await firstOf(accountant, 'department=doboku&needs_metadata=false');
  await accountant.context().close();

  const page = await clerk();
  await page.goto(`${kura.url}/#/invoices?counterparty=${encodeURIComponent(other.counterparty)}`);
  await page.getByRole('heading', {name: '請求書', level: 1}).waitFor();
  await page.locator('.results').getByText(/全 \d+ 件中|条件に合う請求書はありません/).first().waitFor();
  assert.equal(await page.locator(`main a[href="#/invoices/${other.id}"]`).count(), 0);

  await page.goto(`${kura.url}/#/invoices/${other.id}`);
  await page.getByRole('heading', {name: '請求書を表示できません'}).waitFor();
  const refusal = page.getByRole('alert');
  await refusal.getByText(/他の課（doboku）の書類・支出命令は見られません/).waitFor();
  assert.equal(await page.locator('.xml-invoice, canvas.pdf-page').count(), 0);
  assert.equal(await page.getByRole('link', {name: '請求書の一覧へ戻る'}).getAttribute('href'), '#/invoices');
  await checkPage(page, 'invoice-other-department');
  assertNoProblems(page);
  await page.context().close();
});
