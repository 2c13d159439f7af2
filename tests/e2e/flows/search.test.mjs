// 検索 (#/search): the auditor finds an invoice by 取引年月日 range + 取引金額
// range + 取引先 and sees what the API finds; sorts by amount with the column
// header; downloads the CSV of the same search and checks its rows against
// the API; conditions live in the address (reload and back keep them); a
// clerk's search is confined to their department.

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

const yen = (v) => '¥' + String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

async function userPage(loginName) {
  const page = await newPage(browser);
  await login(page, kura.url, loginName);
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

async function openSearch(page) {
  await page.getByRole('navigation', {name: 'メニュー'}).getByRole('link', {name: '検索'}).click();
  await page.waitForURL(/#\/search$/);
  await page.getByRole('heading', {name: '書類の検索', level: 1}).waitFor();
  await page.locator('main table.search-results tbody tr').first().waitFor();
}

// The document ids the result table shows, in order.
async function shownIds(page) {
  const cells = page.locator('main table.search-results tbody tr td:first-child a');
  return (await cells.allInnerTexts()).map(s => s.trim());
}

// Splits one CSV line (RFC 4180: quoted fields may hold commas).
function csvFields(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; ++i) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; ++i; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

test('an auditor finds an invoice by date, amount and counterparty, sorts by amount and downloads the CSV', async () => {
  const page = await userPage('kansa');
  await openSearch(page);
  await checkPage(page, 'search-all');

  // The target: an invoice the API knows with a date, an amount and a name;
  // the ranges around it and part of the name find it (maybe with others).
  const all = await apiGet(page, kura.url, '/api/v1/documents?format=jp-pint&limit=1000');
  const target = all.items.find(i => i.issue_date && i.total && i.counterparty.length >= 4);
  assert.ok(target, 'the demo has XML invoices');
  const day = new Date(target.issue_date + 'T00:00:00Z');
  const iso = d => d.toISOString().slice(0, 10);
  const from = iso(new Date(day.getTime() - 3 * 86400000));
  const to = iso(new Date(day.getTime() + 3 * 86400000));
  const min = Math.floor(Number(target.total) * 0.9);
  const max = Math.ceil(Number(target.total) * 1.1);
  const name = target.counterparty.replace(/株式会社|有限会社|合同会社/g, '').slice(0, 3);

  await page.getByLabel('取引年月日（から）').fill(from);
  await page.getByLabel('取引年月日（まで）').fill(to);
  await page.getByLabel('取引金額（円）（から）').fill(min.toLocaleString('en-US'));  // "123,456" as people type it
  await page.getByLabel('取引金額（円）（まで）').fill(String(max));
  await page.getByLabel('取引先').fill(name);
  await page.getByRole('button', {name: '検索する'}).click();
  await page.waitForURL(/#\/search\?.*date_from=/);
  const params = new URLSearchParams({date_from: from, date_to: to, amount_min: min.toLocaleString('en-US'),
    amount_max: String(max), counterparty: name});
  assert.equal(new URLSearchParams(page.url().split('?')[1]).get('amount_min'), params.get('amount_min'));
  const api = await apiGet(page, kura.url, '/api/v1/documents?' + params + '&limit=50');
  assert.ok(api.count >= 1 && api.items.some(i => i.id === target.id));
  await page.getByText(`全 ${api.count} 件中`).first().waitFor();
  assert.deepEqual(await shownIds(page), api.items.map(i => i.id));
  const row = page.locator('main table.search-results tbody tr').filter({hasText: target.id});
  const rowText = await row.innerText();
  assert.ok(rowText.includes(yen(target.total)), rowText);
  assert.match(rowText, /令和\d+年/);
  assert.ok(rowText.includes(target.counterparty));
  await checkPage(page, 'search-found');

  // The address holds the search: a reload shows the same rows.
  await page.reload();
  await page.locator('main table.search-results tbody tr').first().waitFor();
  assert.deepEqual(await shownIds(page), api.items.map(i => i.id));
  assert.equal(await page.getByLabel('取引先').inputValue(), name);

  // The row opens the invoice; back returns to the search.
  await row.getByRole('link', {name: target.id, exact: true}).click();
  await page.waitForURL(new RegExp(`#/invoices/${target.id}$`));
  await page.goBack();
  await page.waitForURL(/#\/search\?.*date_from=/);
  await page.locator('main table.search-results tbody tr').first().waitFor();

  // Sort by amount: the whole year, so there is something to order.
  await page.getByRole('link', {name: '条件をクリア'}).click();
  await page.waitForURL(/#\/search$/);
  await page.locator('main table.search-results tbody tr').first().waitFor();
  await page.getByRole('columnheader', {name: /取引金額/}).getByRole('link').click();
  await page.waitForURL(/sort=amount/);
  await page.locator('th[aria-sort="ascending"]', {hasText: '取引金額'}).waitFor();
  const byAmount = await apiGet(page, kura.url, '/api/v1/documents?sort=amount&limit=50');
  await page.waitForFunction((first) => document.querySelector('main table.search-results tbody tr td a')?.textContent === first,
    byAmount.items[0].id);
  assert.deepEqual(await shownIds(page), byAmount.items.map(i => i.id));
  assert.equal(await page.locator('th[aria-sort="none"]', {hasText: '取引年月日'}).count(), 1);
  // Again: descending.
  await page.getByRole('columnheader', {name: /取引金額/}).getByRole('link').click();
  await page.locator('th[aria-sort="descending"]', {hasText: '取引金額'}).waitFor();
  const desc = await apiGet(page, kura.url, '/api/v1/documents?sort=amount&desc=true&limit=50');
  await page.waitForFunction((first) => document.querySelector('main table.search-results tbody tr td a')?.textContent === first,
    desc.items[0].id);
  assert.deepEqual(await shownIds(page), desc.items.map(i => i.id));
  await checkPage(page, 'search-sorted-amount');

  // The CSV of the same search: every hit, header first, amounts as the API's.
  const link = page.getByRole('link', {name: /CSVダウンロード/});
  const href = await link.getAttribute('href');
  assert.match(href, /output=csv/);
  assert.match(href, /sort=amount/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'kura-search.csv');
  const res = await page.request.get(kura.url + href);
  assert.equal(res.status(), 200);
  const text = await res.text();
  assert.ok(text.startsWith('\uFEFF'), 'a BOM for Excel');
  const lines = text.slice(1).split('\r\n').filter(Boolean);
  const header = csvFields(lines[0]);
  assert.deepEqual(header.slice(0, 7), ['文書ID', '版', '最新', '取引年月日', '取引金額', '通貨', '取引先']);
  const whole = await apiGet(page, kura.url, '/api/v1/documents?sort=amount&desc=true&limit=1000');
  assert.equal(lines.length - 1, whole.count);
  const first = csvFields(lines[1]);
  assert.equal(first[0], whole.items[0].id);
  assert.equal(first[header.indexOf('取引金額')], whole.items[0].total);
  const some = whole.items[Math.floor(whole.items.length / 2)];
  const line = lines.slice(1).map(csvFields).find(f => f[0] === some.id);
  assert.equal(line[header.indexOf('取引金額')], some.total ?? '');
  await page.context().close();
});

test('a clerk\'s search is confined to their department', async () => {
  const page = await userPage('somu.tanto');
  await openSearch(page);
  const api = await apiGet(page, kura.url, '/api/v1/documents?limit=50');
  const everyone = await apiGet(page, kura.url, '/api/v1/departments');
  assert.ok(api.count > 0);
  assert.ok(api.items.every(i => i.department === 'somu'));
  await page.getByText(`全 ${api.count} 件中`).first().waitFor();
  assert.deepEqual(await shownIds(page), api.items.map(i => i.id));
  assert.match(await page.locator('main .lead').innerText(), /総務課の書類/);
  assert.equal(await page.getByLabel('課', {exact: true}).count(), 0, 'no department to choose');
  const departments = await page.locator('main table.search-results tbody tr td:nth-child(6)').allInnerTexts();
  assert.ok(departments.every(d => d.trim() === '総務課'), departments.join());
  assert.ok(everyone.items.length > 1);
  await checkPage(page, 'search-clerk');

  // Another department by hand in the address: the API's refusal, as it is.
  await page.goto(kura.url + '/#/search?department=doboku');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /他の課（doboku）/);
  await checkPage(page, 'search-clerk-other-department');
  await page.context().close();
});
