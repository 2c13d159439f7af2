// Scans (issue 15): a scanned paper invoice uploaded from the browser is a
// scan on its screen, with its スキャナ保存 warnings and its input deadline;
// the home screen has the 入力期限間近 / 入力期限超過 cards and their lists.
// The scans are made here with ImageMagick (A4 at 200 and 150 dpi).

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
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

function haveConvert() {
  try {
    execFileSync('convert', ['-version'], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}

// A white A4 page with a line of text, as JPEG at dpi, in colour or grey.
function scanJpeg(dpi, grey) {
  const w = Math.round(8.27 * dpi), hgt = Math.round(11.69 * dpi);
  return execFileSync('convert', ['-size', `${w}x${hgt}`, 'xc:white', '-fill', 'black',
    // A font file of install-deps (ImageMagick's default Helvetica needs Ghostscript's fonts).
    '-font', '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf',
    '-pointsize', String(Math.round(dpi / 6)), '-annotate', '+100+200', 'INVOICE 2026-11-24',
    ...(grey ? ['-colorspace', 'Gray'] : ['-fill', 'red', '-draw', 'rectangle 50,50 120,120']),
    '-units', 'PixelsPerInch', '-density', String(dpi), '-quality', '85', 'jpg:-']);
}

async function upload(page, name, bytes) {
  const {csrf_token: token} = await apiGet(page, kura.url, '/api/v1/session');
  const res = await page.request.post(kura.url + '/api/v1/documents', {
    headers: {'X-CSRF-Token': token},
    multipart: {file: {name, mimeType: 'image/jpeg', buffer: bytes}},
  });
  assert.equal(res.status(), 201, await res.text());
  return (await res.json()).id;
}

test('an uploaded scan shows as a scan with its input deadline and checks', {skip: !haveConvert() && 'no ImageMagick'}, async () => {
  const page = await newPage(browser);
  await login(page, kura.url, 'somu.tanto');
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();

  const good = await upload(page, 'scan-200dpi.jpg', scanJpeg(200, false));
  const doc = await apiGet(page, kura.url, `/api/v1/documents/${good}`);
  assert.equal(doc.current.fields.format, 'scan');
  assert.equal(doc.current.scan.min_dpi, 200);
  assert.equal(doc.current.scan.colour, 'rgb');
  assert.equal(doc.input_deadline.status, 'on_time');
  await page.goto(`${kura.url}/#/invoices/${good}`);
  await page.getByRole('heading', {name: `請求書 ${good}`, level: 1}).waitFor();
  const badge = page.locator('.input-deadline');
  await badge.waitFor();
  assert.match(await badge.innerText(), /入力期限内（令和\d+年\d+月\d+日 まで）|入力期限内（.+まで）/);
  assert.match(await page.locator('.status-line').innerText(), /スキャン/);
  await checkPage(page, 'invoice-scan');

  // 150 dpi in grey: two warnings for an invoice (重要書類), never a refusal.
  const poor = await upload(page, 'scan-150dpi-grey.jpg', scanJpeg(150, true));
  await page.goto(`${kura.url}/#/invoices/${poor}`);
  // Every warning of the scan is shown (the input request first, then the checks).
  const notices = page.locator('.notice-warn');
  await page.getByText(/150 dpi/).first().waitFor();
  const text = (await notices.allInnerTexts()).join('\n');
  assert.match(text, /150 dpi/);
  assert.match(text, /重要書類の要件はカラー/);
  await checkPage(page, 'invoice-scan-warnings');

  // The home screen has the input-deadline cards; each opens its list.
  await page.goto(`${kura.url}/#/`);
  const inbox = await apiGet(page, kura.url, '/api/v1/inbox');
  const card = page.getByRole('link', {name: /入力期限超過/});
  await card.waitFor();
  assert.match(await card.innerText(), new RegExp(`${inbox.counts.input_overdue}\\s*件`));
  assert.ok(await page.getByRole('link', {name: /入力期限間近/}).isVisible());
  await card.click();
  await page.waitForURL(/#\/inbox\/input_overdue$/);
  await page.getByRole('heading', {name: /入力期限超過/, level: 1}).waitFor();
  await checkPage(page, 'inbox-input-overdue');
  await page.context().close();
});
