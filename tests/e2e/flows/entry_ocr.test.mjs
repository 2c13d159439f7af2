// 項目入力 with OCR proposals (issue 15): a scanned invoice, drawn here with
// ImageMagick and uploaded, shows as an image (or, as a PDF, drawn by
// pdf.js) with the regions OCR read highlighted; its fields come prefilled
// with the proposal of `kura ocr` (run as a second writer beside the
// server), the vendor master confirms the counterparty, and confirming
// saves a correction version with the values while the proposal stays.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {KURA_BIN, OUT, apiGet, checkPage, launchBrowser, login, newPage, startKura} from '../lib/kura.mjs';

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

function have(command) {
  try {
    execFileSync(command, ['--version'], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}
const tools = have('convert') && have('img2pdf');

// An A4 invoice at 200 dpi in colour (format: png, jpg or tif) from
// 東和ビルメンテナンス株式会社 (V00002 of the demo's vendor master), or with
// known false from a vendor not in the master and without a registration
// number (OCR then proposes the counterparty with a low confidence).
function scan(format, known = true) {
  const args = ['-size', '1654x2339', 'xc:white', '-fill', 'black',
    '-font', '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf',
    '-pointsize', '64', '-annotate', '+680+220', '請求書',
    '-pointsize', '34', '-annotate', '+140+380', '総務課 御中',
    '-annotate', '+1000+380', '請求日 2026年11月10日',
    '-annotate', '+1000+440', '請求書番号 INV-2026-1110',
    '-annotate', '+1000+560', known ? '東和ビルメンテナンス株式会社' : '株式会社さくら文具',
    '-annotate', '+1000+620', known ? '登録番号 T1010801590328' : 'TEL 03-1234-5678',
    '-pointsize', '44', '-annotate', '+140+800', '合計金額 ¥33,000',
    '-pointsize', '34', '-annotate', '+140+1000', '10%対象 30,000円 消費税 3,000円',
    '-fill', '#c03030', '-draw', 'rectangle 1400,120 1500,220',
    '-type', 'TrueColor', '-units', 'PixelsPerInch', '-density', '200'];
  return execFileSync('convert', [...args, ...(format === 'jpg' ? ['-quality', '90'] : []), `${format}:-`],
    {maxBuffer: 64 << 20});
}

async function upload(page, name, mimeType, bytes) {
  const {csrf_token: token} = await apiGet(page, kura.url, '/api/v1/session');
  const res = await page.request.post(kura.url + '/api/v1/documents', {
    headers: {'X-CSRF-Token': token},
    multipart: {file: {name, mimeType, buffer: bytes}},
  });
  assert.equal(res.status(), 201, await res.text());
  return (await res.json()).id;
}

// `kura ocr ID` on the server's data directory (a second writer process).
function runOcr(id) {
  const out = execFileSync(KURA_BIN, ['--data', join(kura.dataDir, 'kura-data'), 'ocr', id],
    {encoding: 'utf8', env: {...process.env, OMP_THREAD_LIMIT: '1'}});
  return JSON.parse(out.trim().split('\n').pop());
}

const INPUT_OF = {
  issue_date: '#e-issue_date', total: '#e-total', counterparty: '#e-counterparty',
  registration_number: '#e-registration_number', invoice_number: '#e-invoice_number',
};

// The regions drawn over the page, as fractions of their frame, by field.
async function regionsOnPage(page) {
  return page.locator('.ocr-region').evaluateAll(els => els.map((el) => {
    const frame = el.parentElement.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return {fields: el.dataset.fields.split(' '), left: (box.left - frame.left) / frame.width,
      top: (box.top - frame.top) / frame.height};
  }));
}

function expectedRegions(ocr) {
  const out = [];
  for (const [field, value] of Object.entries(ocr.regions)) {
    for (const box of Array.isArray(value) ? value : [value]) out.push({field, box});
  }
  return out;
}

// Every region of the API drawn where it was read (two fields read at the
// same place share one box).
function assertRegionsPlaced(shown, ocr) {
  const expected = expectedRegions(ocr);
  const distinct = new Set(expected.map(({box}) => [box.x, box.y, box.w, box.h].join(',')));
  assert.equal(shown.length, distinct.size, JSON.stringify(shown));
  const size = ocr.pages[0];
  for (const {field, box} of expected) {
    const near = shown.filter(s => s.fields.includes(field)).some(s =>
      Math.abs(s.left - box.x / size.width) < 0.02 && Math.abs(s.top - box.y / size.height) < 0.02);
    assert.ok(near, `region of ${field} at ${JSON.stringify(box)} not drawn there: ${JSON.stringify(shown)}`);
  }
}

test('a scan with an OCR proposal is confirmed in 項目入力 into a new version', {skip: !tools && 'no ImageMagick/img2pdf'}, async () => {
  const page = await newPage(browser);
  await login(page, kura.url, 'somu.tanto');
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  const id = await upload(page, 'scan-toyo.png', 'image/png', scan('png'));

  // Before OCR (or while the server reads it): said so, and the person may type.
  const before = await apiGet(page, kura.url, `/api/v1/documents/${id}/ocr`);
  let line;
  if (!before.done) {
    await page.goto(`${kura.url}/#/invoices/${id}/entry`);
    await page.getByRole('heading', {name: `項目入力・訂正 ${id}`, level: 1}).waitFor();
    assert.match(await page.locator('.ocr-status').innerText(), /未読取|読み取り中/);
    assert.equal(await page.locator('#e-total').inputValue(), '');
    await page.locator('.scan-image').waitFor();
    await checkPage(page, 'entry-ocr-not-read');
    // OCR finishing while the page is open is said, and the values come in on request.
    line = runOcr(id);
    await page.getByText('OCR の読み取りが終わりました').waitFor();
    await checkPage(page, 'entry-ocr-read-done');
    await page.getByRole('button', {name: '読み取り結果を入れて表示する'}).click();
  } else {
    line = runOcr(id);
    // From the invoice's page, as a clerk would (its original is shown there too).
    await page.goto(`${kura.url}/#/invoices/${id}`);
    await page.getByRole('heading', {name: `請求書 ${id}`, level: 1}).waitFor();
    await page.locator('#original .scan-image').waitFor();
    await page.getByRole('link', {name: '項目入力・訂正'}).click();
  }
  await page.getByRole('heading', {name: `項目入力・訂正 ${id}`, level: 1}).waitFor();
  const ocr = await apiGet(page, kura.url, `/api/v1/documents/${id}/ocr`);
  assert.equal(ocr.done, true);
  assert.deepEqual(ocr.proposal, line.proposal);
  assert.deepEqual(ocr.pages, [{page: 1, width: 1654, height: 2339}]);
  assert.equal(ocr.counterparty_vendor, 'V00002');
  assert.ok(ocr.proposal.total, JSON.stringify(ocr));

  await page.locator('.ocr-region').first().waitFor();
  // The image is drawn (JPEG/PNG originals are shown) and the regions sit where OCR read.
  assert.ok(await page.locator('.scan-image').evaluate(img => img.naturalWidth) === 1654);
  assertRegionsPlaced(await regionsOnPage(page), ocr);
  // Each proposed field is prefilled with the proposal, its confidence in words.
  const proposed = Object.keys(INPUT_OF).filter(f => ocr.proposal[f]);
  for (const field of proposed) {
    assert.equal(await page.locator(INPUT_OF[field]).inputValue(), ocr.proposal[field], field);
    const note = page.locator(`.field[data-field="${field}"] .ocr-note`);
    assert.match(await note.innerText(), /確度 (高|中|低)/, field);
  }
  const vendor = page.locator('.vendor-match');
  assert.match(await vendor.innerText(), /取引先マスタと一致/);
  assert.match(await vendor.innerText(), /V00002/);
  assert.equal(await page.locator('#e-reason').inputValue(), 'OCR読取結果を確認');
  // Focusing a field highlights its region.
  await page.locator('#e-total').focus();
  assert.equal(await page.locator('.ocr-region.active').count(), 1);
  assert.equal(await page.locator('.ocr-region.active').getAttribute('data-fields'), 'total');
  await checkPage(page, 'entry-ocr-proposal');
  // Lower in the form, the field and its region are both in view.
  await page.locator('#e-invoice_number').focus();
  const inView = async (locator) => {
    const b = await locator.boundingBox();
    return b && b.y >= 0 && b.y + b.height <= 768;
  };
  assert.ok(await inView(page.locator('#e-invoice_number')));
  assert.ok(await inView(page.locator('.ocr-region.active')));
  await page.screenshot({path: join(OUT, 'entry-ocr-focus.png')});  // the screen as the clerk sees it

  await page.getByRole('button', {name: '確認して保存する'}).click();
  await page.getByRole('heading', {name: `請求書 ${id}`, level: 1}).waitFor();
  const doc = await apiGet(page, kura.url, `/api/v1/documents/${id}`);
  assert.equal(doc.current.number, 2);
  for (const field of proposed) assert.equal(doc.current.fields[field], ocr.proposal[field], field);
  assert.equal(doc.current.fields.needs_metadata, false);
  assert.equal(doc.current.reason, 'OCR読取結果を確認');
  // The proposal stays as data beside the version.
  assert.deepEqual((await apiGet(page, kura.url, `/api/v1/documents/${id}/ocr`)).proposal, ocr.proposal);
  await page.locator('.scan-image').waitFor();
  await checkPage(page, 'entry-ocr-saved-detail');
  // Opened again, the keys are entered: no reason is put in for the next correction.
  await page.getByRole('link', {name: '項目入力・訂正'}).click();
  await page.locator('.ocr-region').first().waitFor();
  assert.match(await page.locator('.ocr-status').innerText(), /入力済みです（第 2 版）/);
  assert.equal(await page.locator('#e-reason').inputValue(), '');
  assert.equal(await page.locator('#e-total').inputValue(), ocr.proposal.total);
  await page.context().close();
});

test('a PDF scan shows its regions over the drawn page; a TIFF offers its download', {skip: !tools && 'no ImageMagick/img2pdf'}, async () => {
  const page = await newPage(browser);
  await login(page, kura.url, 'somu.tanto');
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  const pdf = execFileSync('img2pdf', ['-'], {input: scan('jpg', false), maxBuffer: 64 << 20});
  const id = await upload(page, 'scan-toyo.pdf', 'application/pdf', pdf);
  runOcr(id);
  const ocr = await apiGet(page, kura.url, `/api/v1/documents/${id}/ocr`);
  assert.deepEqual(ocr.pages, [{page: 1, width: 1654, height: 2339}]);
  await page.goto(`${kura.url}/#/invoices/${id}/entry`);
  await page.locator('canvas.pdf-page').waitFor();
  await page.locator('.ocr-region').first().waitFor();
  assertRegionsPlaced(await regionsOnPage(page), ocr);
  // A counterparty read without the vendor master is low: marked for checking.
  assert.equal(ocr.counterparty_vendor, null);
  assert.ok(ocr.confidence.counterparty < 0.7, JSON.stringify(ocr));
  assert.equal(await page.locator('#e-counterparty').inputValue(), ocr.proposal.counterparty);
  const party = page.locator('.field.needs-check[data-field="counterparty"]');
  assert.match(await party.innerText(), /確度 低.*要確認/s);
  assert.equal(await page.locator('.vendor-match').innerText(), '');
  // Enlarged, the regions follow the page.
  await page.getByRole('button', {name: '＋ 拡大'}).click();
  await page.locator('.pdf-zoom-level', {hasText: '125%'}).waitFor();
  await page.locator('.ocr-region').first().waitFor();
  assertRegionsPlaced(await regionsOnPage(page), ocr);
  await checkPage(page, 'entry-ocr-pdf');

  const tiff = await upload(page, 'scan-toyo.tif', 'image/tiff', scan('tif'));
  await page.goto(`${kura.url}/#/invoices/${tiff}`);
  await page.getByRole('heading', {name: `請求書 ${tiff}`, level: 1}).waitFor();
  const area = page.locator('#original');
  await area.getByText('この形式は表示できません').waitFor();
  assert.ok(await area.getByRole('link', {name: /原本をダウンロード/}).isVisible());
  await checkPage(page, 'invoice-tiff');
  await page.context().close();
});
