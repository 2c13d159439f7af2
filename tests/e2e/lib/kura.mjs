// What every browser test needs: a kura server of its own (serve --demo on a
// fresh data directory and a free loopback port), Debian's chromium through
// playwright-core, axe-core on every page, and screenshots under build/e2e/.
//
// Environment: KURA_BIN (default build/kura), E2E_OUT (default build/e2e),
// CHROMIUM (default /usr/bin/chromium).

import {spawn} from 'node:child_process';
import {mkdtempSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {chromium} from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const KURA_BIN = process.env.KURA_BIN || join(repo, 'build/kura');
export const OUT = process.env.E2E_OUT || join(repo, 'build/e2e');
export const PASSWORD = 'demo-pass-2026';

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitHealthy(url, child, log) {
  for (let i = 0; i < 600; ++i) {
    if (child.exitCode !== null) throw new Error(`kura exited (${child.exitCode}):\n${log.join('')}`);
    try {
      const res = await fetch(url + '/healthz');
      if (res.ok) return;
    } catch (_) {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`kura did not answer /healthz within 60 s:\n${log.join('')}`);
}

/** Starts `kura serve --demo` on its own data directory; stop() ends it. */
export async function startKura({demo = true} = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kura-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ['--data', join(dataDir, 'kura-data'), 'serve', '--listen', `127.0.0.1:${port}`];
  if (demo) args.push('--demo');
  const child = spawn(KURA_BIN, args, {stdio: ['ignore', 'pipe', 'pipe']});
  const log = [];
  child.stdout.on('data', d => log.push(d.toString()));
  child.stderr.on('data', d => log.push(d.toString()));
  await waitHealthy(url, child, log);
  return {
    url,
    dataDir,
    log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise(r => child.once('exit', r));
      }
      rmSync(dataDir, {recursive: true, force: true});
    },
  };
}

/** Debian's chromium, headless, as the issue prescribes. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--lang=ja-JP'],
    // Chromium draws date inputs in its own UI language (年/月/日 in
    // Japanese, as on the clerks' browsers), not in the page's locale; it
    // takes that from LANGUAGE and needs chromium-l10n for it.
    env: {...process.env, LANGUAGE: 'ja'},
  });
}

/**
 * A page at 1366×768 in Japanese and Japan time. Console errors and page
 * errors (a CSP violation, a failed module import, an exception) are
 * collected in page.problems and fail assertNoProblems.
 */
export async function newPage(browser) {
  const context = await browser.newContext({
    viewport: {width: 1366, height: 768}, locale: 'ja-JP', timezoneId: 'Asia/Tokyo',
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', m => {
    // A failed request the page expects (401 before login, 4xx the test
    // provokes) is logged by chromium as a console error; those are checked
    // by the tests themselves.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      page.problems.push(m.text());
    }
  });
  page.on('pageerror', e => page.problems.push(String(e)));
  return page;
}

export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], 'console or page errors');
}

/**
 * Runs axe-core on the page as it is now and fails on any serious or
 * critical violation; then saves a full-page screenshot as OUT/name.png.
 */
export async function checkPage(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, {resultTypes: ['violations']}));
  const bad = result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  const describe = bad.map(v => `${v.impact} ${v.id}: ${v.help}\n  ` +
    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('\n  ')).join('\n');
  mkdirSync(OUT, {recursive: true});
  await page.screenshot({path: join(OUT, name + '.png'), fullPage: true});
  assert.equal(bad.length, 0, `axe-core on ${name}:\n${describe}`);
  assertNoProblems(page);
}

/** Logs in through the login page (opening it first unless navigate is false). */
export async function login(page, url, loginName, password = PASSWORD, {navigate = true} = {}) {
  if (navigate) await page.goto(url + '/#/login');
  await page.getByLabel('ログインID').fill(loginName);
  await page.getByLabel('パスワード', {exact: true}).fill(password);
  await page.getByRole('button', {name: 'ログイン'}).click();
}

/** The JSON API with the page's session (its cookie), for checking what the screen shows. */
export async function apiGet(page, url, path) {
  const res = await page.request.get(url + path);
  assert.equal(res.status(), 200, `${path}: ${await res.text()}`);
  return res.json();
}
