// Payment orders and commitments through the screens: a clerk registers a
// commitment (its contract period leaves out the invoice's date, so the
// match shows a × the clerk may acknowledge), drafts the order from an
// unprocessed XML invoice by picking that commitment, acknowledges the ×
// and submits; the route's approvers approve; 会計室 opens the order from
// the home list, ticks the 会計審査 checklist, accepts and pays. Separately a
// 差戻し needs a reason and reaches the clerk's home with it, and a page
// left open while the order changed offers 再読み込み (409); and a bank
// account other than the vendor master's is shown to the clerk as 会計室's
// to settle, and 会計室 confirms it (口座確認) before accepting.

import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {KURA_BIN, apiGet, checkPage, launchBrowser, login, newPage, startKura} from '../lib/kura.mjs';

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

/** POST with the page's session and CSRF token; the answer's JSON. */
async function apiPost(page, path, body, status = 200) {
  const session = await apiGet(page, kura.url, '/api/v1/session');
  const res = await page.request.post(kura.url + path, {
    headers: {'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json'}, data: body,
  });
  assert.equal(res.status(), status, `${path}: ${await res.text()}`);
  return res.json();
}

async function loggedIn(loginName) {
  const page = await newPage(browser);
  await login(page, kura.url, loginName);
  await page.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  return page;
}

const used = new Set();
// An unprocessed XML invoice of somu (a total, a vendor, a date) with a
// demo commitment whose match has no × at all, not used by another test.
async function pickInvoice(page) {
  const inbox = await apiGet(page, kura.url, '/api/v1/inbox');
  for (const item of inbox.unprocessed) {
    if (used.has(item.id) || !item.amount || !item.counterparty) continue;
    const doc = await apiGet(page, kura.url, `/api/v1/documents/${item.id}`);
    if (doc.record.media_type !== 'application/xml' || !doc.current.fields.issue_date) continue;
    const candidates = await apiGet(page, kura.url, `/api/v1/documents/${item.id}/commitments`);
    const clean = candidates.items.find(c => c.match.every(m => m.status !== 'mismatch'));
    if (!clean) continue;
    used.add(item.id);
    return {doc, candidates, commitment: clean, vendor: candidates.vendors[0]};
  }
  throw new Error('no unprocessed XML invoice with a clean demo commitment in the demo');
}

function dayAfter(iso) {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function flash(page, text) {
  await page.locator('#notice').getByText(text).waitFor();
}

test('a clerk registers a commitment, drafts, acknowledges a × and submits; approval, 会計審査 and payment follow', async () => {
  const clerk = await loggedIn('somu.tanto');
  const {doc, vendor} = await pickInvoice(clerk);
  const fields = doc.current.fields;
  const fy = (await apiGet(clerk, kura.url, '/api/v1/commitments')).items[0].fiscal_year;

  // 支出負担行為: register through the screen, the vendor found by search.
  await clerk.getByRole('link', {name: '支出負担行為', exact: true}).click();
  await clerk.getByRole('heading', {name: /支出負担行為/, level: 1}).waitFor();
  await clerk.getByRole('link', {name: '新しい支出負担行為を登録'}).click();
  await clerk.getByRole('heading', {name: '支出負担行為の登録'}).waitFor();
  await clerk.getByLabel('債権者を検索').fill(vendor.registration_number || vendor.name);
  await clerk.getByRole('listbox', {name: /債権者/}).selectOption(vendor.id);
  const description = `${vendor.name} 追加発注（e2e）`;
  await clerk.getByLabel(/^件名/).fill(description);
  await clerk.getByLabel(/^予算科目/).fill('02-01-01-13');
  await clerk.getByLabel(/^会計年度/).fill(String(fy));
  const amount = Number(fields.total) * 2;
  await clerk.getByLabel(/^契約額/).fill(amount.toLocaleString('ja-JP'));
  // The contract starts the day after the invoice's date: 請求日 is a ×.
  await clerk.getByLabel(/^契約期間（開始）/).fill(dayAfter(fields.issue_date));
  await clerk.getByLabel(/^契約期間（終了）/).fill(`${fy + 1}-03-31`);
  await checkPage(clerk, 'commitments-register');
  await clerk.getByRole('button', {name: '登録する'}).click();
  await flash(clerk, /支出負担行為 C\d{4}-\d+ を登録しました/);
  const mine = (await apiGet(clerk, kura.url, `/api/v1/commitments?vendor_id=${vendor.id}`)).items
    .find(c => c.description === description);
  assert.ok(mine, 'the commitment was registered');
  assert.equal(mine.amount, String(amount));
  const row = clerk.locator('tr.highlight');
  assert.match(await row.innerText(), new RegExp(mine.id));
  assert.match(await row.innerText(), /追加発注（e2e）/);
  assert.match(await row.innerText(), new RegExp(`¥${amount.toLocaleString('ja-JP')}`));
  await checkPage(clerk, 'commitments-list');

  // 起票: the candidates are the vendor's commitments of somu; pick ours.
  await clerk.goto(`${kura.url}/#/orders/new?document=${doc.id}`);
  await clerk.getByRole('heading', {name: '支出負担行為を選ぶ'}).waitFor();
  const candidates = await apiGet(clerk, kura.url, `/api/v1/documents/${doc.id}/commitments`);
  assert.equal(await clerk.locator('.pick-table tbody tr').count(), candidates.items.length);
  await clerk.getByLabel(mine.id).check();
  const preview = clerk.locator('#match-preview');
  await preview.getByText(`${mine.id} で起票した場合の照合結果`).waitFor();
  assert.match(await preview.locator('tr[data-field="invoice_date"]').innerText(), /×\s*不一致/);
  await checkPage(clerk, 'order-new');
  await clerk.getByRole('button', {name: 'この支出負担行為で起票する'}).click();
  await clerk.waitForURL(/#\/orders\/P\d{4}-\d+$/);
  const orderId = decodeURIComponent(clerk.url().split('/').pop());
  await flash(clerk, `支出命令 ${orderId} を起票しました`);
  let order = await apiGet(clerk, kura.url, `/api/v1/payment-orders/${orderId}`);
  assert.deepEqual(order.unacknowledged, ['invoice_date']);
  const dateRow = clerk.locator('.submit-form tr[data-field="invoice_date"]');
  assert.match(await dateRow.innerText(), /×\s*不一致/);
  assert.match(await clerk.locator('.submit-form tr[data-field="vendor"]').innerText(), /○\s*一致/);
  await checkPage(clerk, 'order-draft');

  // Submitting without confirming the × is refused, in Japanese.
  await clerk.getByRole('button', {name: '提出', exact: true}).click();
  await clerk.getByRole('alert').getByText(/請求日.*確認しました/).waitFor();
  const comment = '契約変更前の納品分で、請求日が契約期間の前日であることを確認';
  await clerk.getByLabel('請求日の × を確認しました').check();
  await clerk.getByLabel(/× を確認した内容/).fill(comment);
  await clerk.getByRole('button', {name: '提出', exact: true}).click();
  await flash(clerk, '提出しました');
  order = await apiGet(clerk, kura.url, `/api/v1/payment-orders/${orderId}`);
  assert.equal(order.state, 'pending_approval');
  assert.equal(order.acknowledgements[0].comment, comment);
  await clerk.locator('tr[data-field="invoice_date"]').getByText(`確認済み（somu.tanto）: ${comment}`).waitFor();
  assert.equal(await clerk.getByRole('button', {name: '承認', exact: true}).count(), 0, 'the drafter does not approve');
  await clerk.context().close();

  // The route: each step's holder approves from the order's page.
  for (const step of order.route) {
    const approver = await loggedIn(APPROVERS[step.title]);
    await approver.goto(`${kura.url}/#/orders/${orderId}`);
    await approver.getByRole('heading', {name: `承認（${step.title}）`}).waitFor();
    assert.equal(await approver.getByRole('button', {name: '提出', exact: true}).count(), 0);
    assert.equal(await approver.getByRole('button', {name: '支払', exact: true}).count(), 0);
    await checkPage(approver, `order-approve-${step.title}`);
    await approver.getByRole('button', {name: '承認', exact: true}).click();
    await flash(approver, '承認しました');
    // The page drawn anew: the step approved, by whom.
    await approver.locator('.route-table tbody tr').filter({hasText: step.title})
      .filter({hasText: '承認済'}).filter({hasText: APPROVERS[step.title]}).waitFor();
    await approver.context().close();
  }

  // 会計室: from the home list to the order, the checklist, accept, pay.
  const kaikei = await loggedIn('kaikei');
  await kaikei.getByRole('link', {name: orderId}).first().click();
  await kaikei.waitForURL(new RegExp(`#/orders/${orderId}$`));
  await kaikei.getByRole('heading', {name: '会計審査', exact: true}).waitFor();
  order = await apiGet(kaikei, kura.url, `/api/v1/payment-orders/${orderId}`);
  assert.equal(order.state, 'accounting_review');
  assert.deepEqual(order.available_actions.sort(), ['accept', 'return']);
  await kaikei.getByRole('button', {name: '審査完了'}).click();
  await kaikei.getByRole('alert').getByText(/7項目すべての確認が必要です/).waitFor();
  const checklist = kaikei.getByRole('group', {name: /確認項目/});
  for (const label of ['会計年度', '予算科目', '正当債権者', '金額', '履行確認', '債務確定', '支払方法・支払日']) {
    await checklist.getByLabel(label, {exact: true}).check();
  }
  await checkPage(kaikei, 'order-review');
  await kaikei.getByRole('button', {name: '審査完了'}).click();
  await flash(kaikei, '会計審査を完了しました');
  await kaikei.getByRole('button', {name: '支払', exact: true}).click();
  await flash(kaikei, '支払を記録しました');
  await kaikei.locator('h1').getByText('支払済').waitFor();
  order = await apiGet(kaikei, kura.url, `/api/v1/payment-orders/${orderId}`);
  assert.equal(order.state, 'paid');
  assert.equal(order.paid_by, 'kaikei');
  assert.ok(order.checklist.length === 7 && order.checklist.every(c => c.confirmed));
  assert.match(await kaikei.locator('h1').innerText(), /支払済/);
  assert.equal(await kaikei.locator('.actions-panel').count(), 0, 'nothing left to do');
  const history = kaikei.locator('.history-table tbody');
  for (const action of ['起票', '提出', '承認', '審査完了', '支払']) await history.getByText(action).first().waitFor();
  await checkPage(kaikei, 'order-paid');
  await kaikei.context().close();
});

test('a 差戻し needs a reason and reaches the clerk with it; a stale page offers 再読み込み', async () => {
  const clerk = await loggedIn('somu.tanto');
  const {doc, commitment} = await pickInvoice(clerk);
  let order = await apiPost(clerk, '/api/v1/payment-orders', {document_id: doc.id, commitment_id: commitment.id}, 201);
  order = await apiPost(clerk, `/api/v1/payment-orders/${order.id}/actions`, {action: 'submit', version: order.version});
  const orderId = order.id;

  const kacho = await loggedIn('somu.kacho');
  await kacho.goto(`${kura.url}/#/orders/${orderId}`);
  await kacho.getByRole('button', {name: '差戻し', exact: true}).click();
  await kacho.getByRole('button', {name: '差戻しを確定'}).click();
  await kacho.getByRole('alert').getByText('差戻しの理由を入力してください。理由のない差戻しはできません。').waitFor();
  await checkPage(kacho, 'order-return-empty');
  assert.equal((await apiGet(kacho, kura.url, `/api/v1/payment-orders/${orderId}`)).state, 'pending_approval');
  const reason = '検収日の記載がありません。検収調書を添付してください';
  await kacho.getByLabel(/差戻しの理由/).fill(reason);
  await kacho.getByRole('button', {name: '差戻しを確定'}).click();
  await flash(kacho, '差し戻しました');
  order = await apiGet(kacho, kura.url, `/api/v1/payment-orders/${orderId}`);
  assert.equal(order.state, 'draft');
  assert.equal(order.last_return_reason, reason);
  await kacho.context().close();

  // The clerk's home lists it with the reason; the order shows it on top.
  await clerk.goto(`${kura.url}/#/`);
  await clerk.reload();
  await clerk.getByRole('heading', {name: 'ホーム', level: 1}).waitFor();
  const row = clerk.locator('main table tbody tr').filter({hasText: orderId}).first();
  assert.match(await row.innerText(), new RegExp(`差戻し理由: ${reason}`));
  await checkPage(clerk, 'home-clerk-returned');
  await row.getByRole('link', {name: orderId}).click();
  await clerk.locator('.return-box').getByText(reason).waitFor();
  await clerk.locator('.history-table').getByText(reason).waitFor();

  // Meanwhile the order is submitted elsewhere: the page open here is stale.
  const fresh = await apiGet(clerk, kura.url, `/api/v1/payment-orders/${orderId}`);
  await apiPost(clerk, `/api/v1/payment-orders/${orderId}/actions`, {action: 'submit', version: fresh.version});
  await clerk.getByRole('button', {name: '提出', exact: true}).click();
  const alert = clerk.getByRole('alert');
  await alert.getByText(/他の操作で更新されています/).waitFor();
  await checkPage(clerk, 'order-stale');
  await alert.getByRole('button', {name: '再読み込み'}).click();
  await clerk.locator('h1').getByText('承認待ち').waitFor();
  assert.equal(await clerk.getByRole('button', {name: '提出', exact: true}).count(), 0);
  await clerk.context().close();
});

test('a changed bank account is 会計室\'s to confirm (口座確認) before 審査完了', async () => {
  const clerk = await loggedIn('somu.tanto');
  const {doc, commitment, vendor} = await pickInvoice(clerk);
  // The vendor master gets another account than the invoice states (the
  // CLI writes beside the running server, as an administrator would).
  const invoiceAccount = vendor.bank_account;
  const masterAccount = invoiceAccount.slice(0, -1) + (invoiceAccount.endsWith('9') ? '0' : '9');
  execFileSync(KURA_BIN, ['--data', join(kura.dataDir, 'kura-data'), 'vendor', 'add', '--id', vendor.id,
    '--name', vendor.name, '--registration-number', vendor.registration_number,
    '--bank-account', masterAccount, '--address', vendor.address], {stdio: 'pipe'});

  await clerk.goto(`${kura.url}/#/orders/new?document=${doc.id}`);
  await clerk.getByLabel(commitment.id).check();
  await clerk.getByRole('button', {name: 'この支出負担行為で起票する'}).click();
  await clerk.waitForURL(/#\/orders\/P\d{4}-\d+$/);
  const orderId = decodeURIComponent(clerk.url().split('/').pop());
  const bankRow = clerk.locator('.submit-form tr[data-field="bank_account"]');
  assert.match(await bankRow.innerText(), /×\s*不一致[\s\S]*会計室が確認します（担当者は確認できません）/);
  assert.equal(await bankRow.getByRole('checkbox').count(), 0, 'no checkbox for the clerk');
  await clerk.locator('.submit-form').getByText(/振込先口座の × は会計室だけが確認します/).waitFor();
  await checkPage(clerk, 'order-draft-bank');
  await clerk.getByRole('button', {name: '提出', exact: true}).click();
  await flash(clerk, '提出しました');
  let order = await apiGet(clerk, kura.url, `/api/v1/payment-orders/${orderId}`);
  assert.deepEqual(order.accounting_required, ['bank_account']);
  await clerk.context().close();
  for (const step of order.route) {
    const approver = await loggedIn(APPROVERS[step.title]);
    order = await apiPost(approver, `/api/v1/payment-orders/${orderId}/actions`, {action: 'approve', version: order.version});
    await approver.context().close();
  }

  const kaikei = await loggedIn('kaikei');
  await kaikei.goto(`${kura.url}/#/orders/${orderId}`);
  await kaikei.getByRole('heading', {name: '口座確認（会計室）'}).waitFor();
  // Accepting first is refused by the server, in its own words.
  const checklist = kaikei.getByRole('group', {name: /確認項目/});
  for (const box of await checklist.getByRole('checkbox').all()) await box.check();
  await kaikei.getByRole('button', {name: '審査完了'}).click();
  await kaikei.getByRole('alert').getByText(/口座/).waitFor();
  assert.equal((await apiGet(kaikei, kura.url, `/api/v1/payment-orders/${orderId}`)).state, 'accounting_review');
  await checkPage(kaikei, 'order-bank-confirm');
  await kaikei.getByLabel(/確認した内容（変更届など）/).fill('振込先口座変更届（債権者から提出）を確認済み');
  await kaikei.getByRole('button', {name: '口座確認'}).click();
  await flash(kaikei, '振込先口座を確認し');
  // The master took the invoice's account: the × became ○.
  await kaikei.locator('tr[data-field="bank_account"] .mark-ok').waitFor();
  await kaikei.locator('.history-table').getByText('振込先口座変更届（債権者から提出）を確認済み').waitFor();
  const vendors = await apiGet(kaikei, kura.url, '/api/v1/vendors');
  assert.equal(vendors.items.find(v => v.id === vendor.id).bank_account, invoiceAccount);
  for (const box of await kaikei.getByRole('group', {name: /確認項目/}).getByRole('checkbox').all()) await box.check();
  await kaikei.getByRole('button', {name: '審査完了'}).click();
  await flash(kaikei, '会計審査を完了しました');
  await kaikei.locator('h1').getByText('審査済（支払待ち）').waitFor();
  await kaikei.context().close();
});

test('what the screens say to others: a scan cannot be drafted yet, 課長 does not draft, 部長 approves as 代決, 会計室 filters by 課', async () => {
  const clerk = await loggedIn('somu.tanto');
  const inbox = await apiGet(clerk, kura.url, '/api/v1/inbox');
  const scan = inbox.unprocessed.find(i => !i.amount);
  assert.ok(scan, 'the demo has a PDF without a readable total');
  await clerk.goto(`${kura.url}/#/orders/new?document=${scan.id}`);
  await clerk.getByRole('alert').getByText(/請求金額が読み取れません/).waitFor();
  assert.equal(await clerk.getByRole('link', {name: '項目入力へ'}).getAttribute('href'), `#/invoices/${scan.id}/entry`);
  await checkPage(clerk, 'order-new-blocked');
  const {doc, commitment} = await pickInvoice(clerk);
  let order = await apiPost(clerk, '/api/v1/payment-orders', {document_id: doc.id, commitment_id: commitment.id}, 201);
  order = await apiPost(clerk, `/api/v1/payment-orders/${order.id}/actions`, {action: 'submit', version: order.version});
  const other = await pickInvoice(clerk);
  await clerk.context().close();

  // 課長 sees the candidates of an invoice but is told who drafts.
  const kacho = await loggedIn('somu.kacho');
  await kacho.goto(`${kura.url}/#/orders/new?document=${other.doc.id}`);
  await kacho.getByText('起票できるのは総務課の会計担当者です。').waitFor();
  assert.equal(await kacho.getByRole('button', {name: 'この支出負担行為で起票する'}).count(), 0);
  await checkPage(kacho, 'order-new-approver');
  await kacho.context().close();

  // 部長 stands in for 課長 (代決): told so, and the route says so.
  const bucho = await loggedIn('somu.bucho');
  await bucho.goto(`${kura.url}/#/orders/${order.id}`);
  await bucho.getByText(/代決: 課長の代わりに、あなた（部長）が承認します/).waitFor();
  await checkPage(bucho, 'order-substitute');
  await bucho.getByRole('button', {name: '承認', exact: true}).click();
  await flash(bucho, '承認しました');
  await bucho.locator('.route-table').getByText('代決（課長の代わりに承認）').waitFor();
  const approved = await apiGet(bucho, kura.url, `/api/v1/payment-orders/${order.id}`);
  assert.equal(approved.route[0].substitute_for, '課長');
  assert.equal(approved.route[0].approved_by, 'somu.bucho');
  await bucho.context().close();

  // 会計室 reads every department's commitments and filters by 課.
  const kaikei = await loggedIn('kaikei');
  await kaikei.getByRole('link', {name: '支出負担行為', exact: true}).click();
  await kaikei.getByLabel('課', {exact: true}).selectOption('doboku');
  await kaikei.getByRole('button', {name: '絞り込む'}).click();
  await kaikei.waitForURL(/department=doboku/);
  const doboku = await apiGet(kaikei, kura.url, `/api/v1/commitments?department=doboku&fiscal_year=${approved.fiscal_year}`);
  const rows = kaikei.locator('.commitments-table tbody tr');
  // The list drawn anew for the filter (the previous one had every 課).
  await kaikei.waitForFunction(n => document.querySelectorAll('.commitments-table tbody tr').length === n,
    doboku.items.length);
  for (const text of await rows.allInnerTexts()) assert.match(text, /土木課/);
  await checkPage(kaikei, 'commitments-accountant');

  // A long list comes in pages of 50.
  const year = approved.fiscal_year + 1;
  const vendor = (await apiGet(kaikei, kura.url, '/api/v1/vendors')).items[0];
  for (let i = 1; i <= 51; ++i) {
    await apiPost(kaikei, '/api/v1/commitments', {department: 'kyoiku', vendor_id: vendor.id,
      budget_line: '10-01-01-11', fiscal_year: year, description: `翌年度分 ${i}`, amount: '10000',
      contract_from: `${year}-04-01`, contract_to: `${year + 1}-03-31`, expense_type: 'goods'}, 201);
  }
  await kaikei.goto(`${kura.url}/#/commitments?fiscal_year=${year}&department=kyoiku`);
  await kaikei.getByText('51 件中 1〜50 件目').waitFor();
  assert.equal(await rows.count(), 50);
  await kaikei.getByRole('link', {name: '次のページ'}).click();
  await kaikei.getByText('2 / 2 ページ').waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /翌年度分 51/);
  await checkPage(kaikei, 'commitments-paged');
  await kaikei.context().close();
});
