// Real-browser tests of rollbook, in Debian's Chromium driven by playwright-core.
//
//   node run.mjs <path-to-rollbook-binary> <repo-root> [name-filter…]
//
// Prints each test with ok/FAIL, ends with "N passed, M failed", exits 1 on any failure.
// Run by tests/browser.rs (`cargo test --test browser`); `bash .ci/run` installs Chromium
// and the npm packages.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  test, runAll, check, CheckFailed, startChild, stopChild, runCommand, withTimeout,
} from './harness.mjs';
import { startStaticServer } from './static-server.mjs';
import { axeSevere } from './axe.mjs';
import { registerRunbookTests } from './runbook.mjs';
import { registerPageKindTests } from './pages.mjs';
import { registerSearchTests } from './search.mjs';
import { registerReadingTests } from './reading.mjs';
import { registerEvaluationTests } from './evaluation.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [binArg, rootArg, ...only] = process.argv.slice(2);
if (!binArg || !rootArg) {
  console.error('usage: node run.mjs <path-to-rollbook-binary> <repo-root> [name-filter…]');
  process.exit(2);
}
const BIN = path.resolve(binArg);
const REPO = path.resolve(rootArg);
if (!fs.existsSync(BIN)) {
  console.error(`no rollbook binary at ${BIN}`);
  process.exit(2);
}
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'rollbook-browser-'));
const ARTIFACTS = path.join(HERE, 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const TODAY = '2026-11-26';
const PREFIX = '/ai-packs/';
const PACK = 'support-triage';
const PAGES = {
  dashboard: '',
  pack: `${PACK}/`,
  runbook: `${PACK}/runbook/`,
  checklist: `${PACK}/checklist/`,
};
const WEIGHT_BUDGET = 30 * 1024;

// ---------------------------------------------------------------------------------------
// Fixtures

const openServers = [];

const once = (f) => {
  let p;
  return () => (p ??= f());
};

function describeRun(r) {
  const tail = (s) => s.trim().split('\n').slice(-15).join('\n');
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}\n--- stderr (end) ---\n${tail(r.stderr)}\n--- stdout (end) ---\n${tail(r.stdout)}`;
}

/** The example site built for http://127.0.0.1:PORT/ai-packs and served like GitHub Pages. */
const site = once(async () => {
  const out = path.join(TMP, 'out');
  const server = await startStaticServer(out, PREFIX);
  openServers.push(server);
  const base = `${server.origin}${PREFIX}`;
  const args = ['--root', REPO, '--today', TODAY, 'build', '--base-url', base.replace(/\/$/, ''), '-o', out];
  const r = await runCommand(BIN, args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new CheckFailed(`rollbook ${args.join(' ')} failed: ${describeRun(r)}`);
  return { server, out, base, url: (p) => base + p };
});

/** The example site built with --offline, to open from disk. */
const offline = once(async () => {
  const out = path.join(TMP, 'offline');
  const args = ['--root', REPO, '--today', TODAY, 'build', '--offline', '-o', out];
  const r = await runCommand(BIN, args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new CheckFailed(`rollbook ${args.join(' ')} failed: ${describeRun(r)}`);
  return { out, url: (p) => pathToFileURL(path.join(out, p)).href };
});

function splitFrontMatter(text) {
  const m = text.replace(/^\uFEFF/, '').match(/^\+\+\+\r?\n([\s\S]*?)\r?\n\+\+\+[ \t]*\r?\n?([\s\S]*)$/);
  return m ? { front: m[1], body: m[2] } : { front: '', body: text };
}

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * A word that appears only in the notes of content/support-triage/incident.md: not in its
 * answers, not in any other content file, theme or source file, so only pages that show
 * those notes can match it.
 */
const distinctiveWord = once(() => {
  const file = path.join(REPO, 'content', PACK, 'incident.md');
  const { front, body } = splitFrontMatter(fs.readFileSync(file, 'utf8'));
  const elsewhere = [
    ...walk(path.join(REPO, 'content')).filter((f) => path.resolve(f) !== path.resolve(file)),
    ...walk(path.join(REPO, 'themes')),
    ...walk(path.join(REPO, 'templates')),
    ...walk(path.join(REPO, 'src')),
    path.join(REPO, 'site.toml'),
  ].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8').toLowerCase()).join('\n') + front.toLowerCase();
  // Split as the search index does, keep plain words.
  const words = new Set(body.toLowerCase().split(/[^\p{L}\p{N}_-]+/u).map((w) => w.replace(/^-+|-+$/g, '')));
  const candidates = [...words].filter((w) => /^[a-z]{6,}$/.test(w) && !elsewhere.includes(w))
    .sort((a, b) => b.length - a.length || a.localeCompare(b));
  check(candidates.length > 0, `no word of the notes of ${file} is absent from every other file; cannot test search`);
  return candidates[0];
});

// ---------------------------------------------------------------------------------------
// Helpers

/** Records console errors, page errors, failed requests and HTTP errors of a page. */
function watch(page, { allowStatus = () => false } = {}) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url || '';
    if (/status of 404/.test(m.text()) && allowStatus({ status: () => 404, url: () => where })) return;
    // Headless Chromium asks for /favicon.ico at the host root on its own (a browser window
    // does not log it); a project site on GitHub Pages cannot serve that path anyway.
    if (/^https?:\/\/[^/]+\/favicon\.ico$/.test(where)) return;
    problems.push(`console error: ${m.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowStatus(r)) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  return problems;
}

function checkClean(problems, where) {
  check(problems.length === 0, () => `${where}:\n  ${[...new Set(problems)].join('\n  ')}`);
}

/** Whether the site's style.css is applied: loaded with rules, and styles differ from the UA's. */
async function styleReport(page) {
  return page.evaluate(() => {
    const sheets = [...document.styleSheets].map((s) => {
      let rules = -1;
      try { rules = s.cssRules.length; } catch { /* cross-origin */ }
      return { href: s.href || '(inline)', rules };
    });
    const body = getComputedStyle(document.body);
    const h1 = document.querySelector('h1');
    return {
      sheets,
      computed: {
        'body font-family': body.fontFamily,
        'body margin': body.margin,
        'body line-height': body.lineHeight,
        'h1 font-size': h1 ? getComputedStyle(h1).fontSize : null,
        'skip link position': getComputedStyle(document.querySelector('.skip-link') || document.body).position,
      },
    };
  });
}

const uaDefaults = new Map();
async function checkStyled(page, where) {
  const key = page.context();
  if (!uaDefaults.has(key)) {
    const blank = await page.context().newPage();
    await blank.setContent('<!doctype html><html><body><a class="skip-link" href="#m">x</a><h1>x</h1></body></html>');
    uaDefaults.set(key, (await styleReport(blank)).computed);
    await blank.close();
  }
  const ua = uaDefaults.get(key);
  const r = await styleReport(page);
  const style = r.sheets.find((s) => /\/style\.css(\?|$)/.test(s.href));
  // From file:// the rules of a stylesheet cannot be read (-1); the computed styles tell.
  const fromDisk = page.url().startsWith('file:');
  check(style && (style.rules > 0 || (fromDisk && style.rules === -1)), () => `${where}: style.css is not loaded (stylesheets: ${JSON.stringify(r.sheets)})`);
  const differing = Object.keys(ua).filter((k) => ua[k] !== r.computed[k]);
  check(differing.length >= 3, () => `${where}: the page looks unstyled; computed styles equal the browser defaults except ${differing.join(', ') || 'nothing'}: ${JSON.stringify(r.computed)} vs defaults ${JSON.stringify(ua)}`);
}

async function gotoOk(page, url, opts = {}) {
  const resp = await page.goto(url, { waitUntil: 'load', ...opts });
  check(resp, `no response for ${url}`);
  check(resp.status() === 200, `${url} answered HTTP ${resp.status()}, expected 200`);
  await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
  return resp;
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`;
}

/** Every link of a page, with its raw attribute. */
async function pageLinks(page) {
  return page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => ({
    raw: a.getAttribute('href'), text: a.textContent.trim().slice(0, 60),
  })));
}

/** On a file:// page: links that do not name a file (folders, site-absolute paths). */
async function offlineBadLinks(page) {
  const links = await pageLinks(page);
  const here = page.url();
  return links.filter((l) => {
    if (/^(mailto:|tel:|https?:|#)/i.test(l.raw)) return false;
    const p = l.raw.split(/[?#]/)[0];
    return p === '' ? false : (p.startsWith('/') || p.endsWith('/') || !/\.[a-z0-9]+$/i.test(p));
  }).map((l) => `${here.split('/offline/')[1] || here}: <a href="${l.raw}">${l.text}</a>`);
}

// ---------------------------------------------------------------------------------------
// a. The site under a sub-path, served like GitHub Pages

test('sub-path: dashboard, pack overview, runbook and checklist load cleanly under /ai-packs/ and are styled', async (t) => {
  const s = await site();
  const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page);
  for (const [name, p] of Object.entries(PAGES)) {
    const before = problems.length;
    await gotoOk(page, s.url(p));
    checkClean(problems.slice(before), `${name} page ${s.url(p)}`);
    await checkStyled(page, `${name} page ${s.url(p)}`);
    const h1 = (await page.locator('h1').first().textContent()).trim();
    check(h1.length > 0, `${name} page has an empty h1`);
  }
});

test('sub-path: every page of sitemap.xml loads cleanly and every internal link, asset and anchor resolves', async (t) => {
  const s = await site();
  const page = await t.newPage();
  const problems = watch(page);
  const sitemap = await page.request.get(s.url('sitemap.xml'));
  check(sitemap.status() === 200, `sitemap.xml: HTTP ${sitemap.status()}`);
  const locs = [...(await sitemap.text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  check(locs.length >= 10, `sitemap.xml lists only ${locs.length} pages`);
  const outside = locs.filter((u) => !u.startsWith(s.base));
  check(outside.length === 0, `sitemap.xml lists pages outside ${s.base}: ${outside.slice(0, 5).join(', ')}`);
  const targets = new Map(); // url without fragment -> [{fragment, from}]
  const loaded = new Set();
  for (const url of locs) {
    const before = problems.length;
    const resp = await page.goto(url, { waitUntil: 'load' });
    check(resp && resp.status() === 200, `${url} (from sitemap.xml): HTTP ${resp?.status()}`);
    checkClean(problems.slice(before), `page ${url}`);
    loaded.add(url);
    const refs = await page.evaluate(() => [
      ...[...document.querySelectorAll('a[href]')].map((a) => a.href),
      ...[...document.querySelectorAll('link[href]')].map((l) => l.href),
      ...[...document.querySelectorAll('img[src], script[src]')].map((e) => e.src),
    ]);
    for (const ref of refs) {
      const u = new URL(ref);
      if (u.origin !== s.server.origin) continue;
      const key = u.origin + u.pathname;
      if (!targets.has(key)) targets.set(key, []);
      targets.get(key).push({ fragment: decodeURIComponent(u.hash.slice(1)), from: url });
    }
  }
  const broken = [];
  for (const [target, uses] of targets) {
    const from = uses[0].from;
    if (!target.startsWith(s.base)) {
      broken.push(`${target} (linked from ${from}) is outside the sub-path ${PREFIX}`);
      continue;
    }
    const r = await page.request.get(target, { maxRedirects: 3 });
    if (r.status() !== 200) {
      broken.push(`${target} (linked from ${from}): HTTP ${r.status()}`);
      continue;
    }
    const fragments = [...new Set(uses.map((x) => x.fragment).filter(Boolean))];
    if (fragments.length && /text\/html/.test(r.headers()['content-type'] || '')) {
      const html = await r.text();
      const ids = new Set([...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => m[1]
        .replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')));
      for (const f of fragments) {
        if (!ids.has(f)) broken.push(`${target}#${f} (linked from ${uses.find((x) => x.fragment === f).from}): no element with id "${f}"`);
      }
    }
  }
  check(broken.length === 0, () => `${broken.length} broken internal reference(s):\n  ${broken.slice(0, 25).join('\n  ')}`);
  t.log(`${locs.length} pages loaded, ${targets.size} distinct internal URLs checked`);
});

test('sub-path: an unknown URL answers 404 with the styled 404.html', async (t) => {
  const s = await site();
  const page = await t.newPage();
  for (const p of ['no-such-pack/', `${PACK}/no-such-section/deeper/page.html`]) {
    const url = s.url(p);
    const problems = watch(page, { allowStatus: (r) => r.status() === 404 && r.url() === url });
    const resp = await page.goto(url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
    check(resp.status() === 404, `${url} answered HTTP ${resp.status()}, expected 404`);
    const h1 = (await page.locator('h1').first().textContent()).trim();
    check(/not found/i.test(h1), `${url} does not show the 404 page (h1: "${h1}")`);
    checkClean(problems, `404 page at ${url}`);
    await checkStyled(page, `404 page at ${url}`);
    const home = await page.locator('main a').first().getAttribute('href');
    check(home && new URL(home, url).pathname === PREFIX, `the 404 page's first link goes to ${home}, not to ${PREFIX}`);
    page.removeAllListeners('console');
    page.removeAllListeners('response');
    page.removeAllListeners('requestfailed');
    page.removeAllListeners('pageerror');
  }
});

// ---------------------------------------------------------------------------------------
// b. Search

test('search: "/" focuses the box, a word only in the incident notes finds the runbook, clicking opens it', async (t) => {
  const s = await site();
  const word = distinctiveWord();
  t.log(`search word: "${word}" (only in the notes of content/${PACK}/incident.md)`);
  const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page);
  await gotoOk(page, s.url(''));
  await page.keyboard.press('/');
  const focused = await page.evaluate(() => document.activeElement?.id);
  check(focused === 'search-input', `after pressing "/", the focus is on ${focused ? `#${focused}` : 'nothing'}, not #search-input`);
  check((await page.inputValue('#search-input')) === '', 'pressing "/" typed a "/" into the search box');
  await page.keyboard.type(word, { delay: 20 });
  const results = page.locator('#search-results a');
  await results.first().waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
    const status = await page.locator('#search-status').textContent();
    throw new CheckFailed(`no search results appeared for "${word}" (status: "${status}")`);
  });
  const hrefs = await results.evaluateAll((as) => as.map((a) => a.href));
  const runbook = hrefs.findIndex((h) => new URL(h).pathname.endsWith(`/${PACK}/runbook/`));
  check(runbook >= 0, `results for "${word}" do not include the ${PACK} runbook: ${hrefs.join(', ')}`);
  check(hrefs.every((h) => new URL(h).pathname.startsWith(PREFIX)), `search result links leave ${PREFIX}: ${hrefs.join(', ')}`);
  await Promise.all([page.waitForURL((u) => u.pathname === `${PREFIX}${PACK}/runbook/`), results.nth(runbook).click()]);
  await page.locator('section.rb-kill').waitFor({ state: 'visible' });
  checkClean(problems, 'search');
});

/** The search index of a built site (`search/`), read as search.js reads it. */
function readSearchIndex(out) {
  const load = (rel) => {
    let got;
    new Function('rollbookSearch', fs.readFileSync(path.join(out, 'search', rel), 'utf8'))((key, stamp, data) => { got = data; });
    return got;
  };
  const DIGITS = '0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-';
  const numbers = (text) => {
    const outNums = [];
    let n = 0;
    for (const c of text) {
      const d = DIGITS.indexOf(c);
      n = n * 32 + (d & 31);
      if (d < 32) { outNums.push(n); n = 0; }
    }
    return outNums;
  };
  const manifest = load('index.js');
  const shards = [];
  for (let n = 0; n <= manifest.t.length; n++) {
    const flat = load(`t/${n}.js`);
    const words = [];
    for (let i = 0; i < flat.length; i += 2) {
      let entry = 0;
      words.push({ word: flat[i], pages: numbers(flat[i + 1]).map((v) => (entry += Math.floor(v / 4))) });
    }
    shards.push(words);
  }
  const docs = [];
  numbers(manifest.d).forEach((count, n) => {
    const shard = load(`d/${n}.js`);
    for (const row of shard.d) docs.push({ url: shard.g[row[0]][1], anchor: row[1], shard: n });
  });
  /** The word shards search.js loads for a word (the words that begin with it). */
  const shardsFor = (w) => {
    let i = manifest.t.filter((f) => f <= w).length;
    const keys = [i];
    while (i < manifest.t.length && manifest.t[i].startsWith(w)) keys.push(++i);
    return keys;
  };
  return { firsts: manifest.t, shards, docs, shardsFor };
}

/**
 * Two words of the pack's runbook in different word shards, each in one shard only: the
 * word only its incident notes hold, and the longest plain word of the runbook in another
 * shard.
 */
function wordsInTwoShards(index, word) {
  check(index.shards.length >= 2, `the example site's search index has ${index.shards.length} word shard(s); the cross-shard search tests need two`);
  const runbook = new Set(index.docs.flatMap((d, i) => (d.url === `${PACK}/runbook/` ? [i] : [])));
  check(runbook.size > 0, `the search index has no page ${PACK}/runbook/`);
  const first = index.shardsFor(word);
  check(first.length === 1, `"${word}" spans word shards ${first}`);
  const other = index.shards.flatMap((ws, n) => ws.filter((w) => n !== first[0] && /^[a-z]{5,}$/.test(w.word)
    && w.pages.some((e) => runbook.has(e)) && index.shardsFor(w.word).length === 1).map((w) => w.word))
    .sort((a, b) => b.length - a.length || a.localeCompare(b));
  check(other.length > 0, `no word of ${PACK}/runbook/ lies outside word shard ${first[0]}, which holds "${word}"`);
  return [word, other[0]];
}

/**
 * Opens a page, types `query` at once and checks that the runbook is among the results and
 * that search.js loaded the manifest, exactly the word shards of the query's words and
 * only the page shards of the results shown.
 */
async function checkShardedQuery(open, index, root, what, query) {
  const page = await open();
  await page.locator('#search-input').fill(query);
  const results = page.locator('#search-results a');
  await results.first().waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
    const st = await page.locator('#search-status').textContent();
    throw new CheckFailed(`${what}: no search results appeared for "${query}" (status: "${st}")`);
  });
  const hrefs = await results.evaluateAll((as) => as.map((a) => a.href));
  check(hrefs.some((h) => /\/runbook\/(index\.html)?$/.test(h.split(/[?#]/)[0]) && h.includes(`/${PACK}/`)), `${what}: results for "${query}" do not include the ${PACK} runbook: ${hrefs.join(', ')}`);
  const loaded = await page.evaluate(() => [...document.querySelectorAll('script[src]')]
    .map((s) => s.src).filter((u) => /\/search\/(index|[td]\/\d+)\.js$/.test(u))
    .map((u) => u.replace(/^.*\/search\//, '')));
  const termShards = loaded.filter((f) => f.startsWith('t/')).sort();
  const want = [...new Set(query.split(' ').flatMap(index.shardsFor))].map((n) => `t/${n}.js`).sort();
  check(loaded.includes('index.js'), `${what}: the manifest search/index.js was not loaded (loaded: ${loaded.join(', ')})`);
  check(JSON.stringify(termShards) === JSON.stringify(want), `${what}: for "${query}" search.js loaded the word shards ${termShards.join(', ')}, not exactly ${want.join(', ')}`);
  const docShards = loaded.filter((f) => f.startsWith('d/'));
  const shownShards = new Set();
  for (const h of hrefs) {
    check(h.startsWith(root), `${what}: the result ${h} is outside the site at ${root}`);
    const rel = h.split(/[?#]/)[0].slice(root.length).replace(/index\.html$/, '');
    const anchor = decodeURIComponent(new URL(h).hash.slice(1));
    const doc = index.docs.find((d) => d.url === rel && d.anchor === anchor);
    check(doc, `${what}: the result ${h} is no page of the search index`);
    shownShards.add(`d/${doc.shard}.js`);
  }
  check(docShards.length > 0 && docShards.every((f) => shownShards.has(f)), `${what}: search.js loaded page shards ${docShards.join(', ')}, not only those of the results shown (${[...shownShards].join(', ')})`);
  return { page, loaded };
}

/**
 * One word, then two words from two word shards, each typed into a freshly opened page:
 * the first loads one word shard of the index, the second both, and each finds the runbook.
 */
async function checkShardedSearch(t, open, index, root, what) {
  const words = wordsInTwoShards(index, distinctiveWord());
  const pages = [];
  for (const query of [words[0], words.join(' ')]) {
    const r = await checkShardedQuery(open, index, root, what, query);
    t.log(`${what}: "${query}" loaded search/${r.loaded.join(', search/')} (${index.shards.length} word shards)`);
    pages.push(r);
  }
  return pages;
}

test('search: one word loads its word shard, two words from two shards load both, from http', async (t) => {
  const s = await site();
  const index = readSearchIndex(s.out);
  const open = async () => {
    const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    const requested = [];
    page.on('request', (r) => { if (r.url().includes(`${PREFIX}search/`)) requested.push(r.url().replace(/^.*\/search\//, '')); });
    await gotoOk(page, s.url(''));
    Object.assign(page, { problems, requested });
    return page;
  };
  for (const { page, loaded } of await checkShardedSearch(t, open, index, s.base, 'http')) {
    check(JSON.stringify([...page.requested].sort()) === JSON.stringify([...loaded].sort()), `the browser requested ${page.requested.join(', ')} but search.js added scripts for ${loaded.join(', ')}`);
    checkClean(page.problems, 'sharded search');
  }
});

// ---------------------------------------------------------------------------------------
// c. Phone

// The runbook at 390x844 and 1280x800: see runbook.mjs.
registerRunbookTests({ test, check, CheckFailed, site, offline, gotoOk, watch, checkClean, ARTIFACTS });
registerSearchTests({ test, check, CheckFailed, site, offline, gotoOk, watch, checkClean, runCommand, BIN, TMP, TODAY });
registerReadingTests({ test, check, CheckFailed, site, offline, gotoOk, watch, checkClean, ARTIFACTS });
registerEvaluationTests({ test, check, site, gotoOk, watch, checkClean, ARTIFACTS });

test('weight: the runbook page HTML + style.css + syntax.css transfer under 30 KB', async (t) => {
  const s = await site();
  const page = await t.newPage();
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await gotoOk(page, s.url(PAGES.runbook));
  const wanted = {
    'runbook HTML': (u) => u.pathname === `${PREFIX}${PAGES.runbook}`,
    'style.css': (u) => u.pathname === `${PREFIX}style.css`,
    'syntax.css': (u) => u.pathname === `${PREFIX}syntax.css`,
  };
  const rows = [];
  let everything = 0;
  for (const r of responses) {
    const sizes = await r.request().sizes();
    const transfer = sizes.responseBodySize + sizes.responseHeadersSize;
    everything += transfer;
    const u = new URL(r.url());
    const name = Object.keys(wanted).find((k) => wanted[k](u));
    if (!name) continue;
    const body = await r.body();
    rows.push({ name, transfer, body: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length });
  }
  const has = new Set(rows.map((r) => r.name));
  check(has.has('runbook HTML') && has.has('style.css'), `the runbook did not load its HTML and style.css (got ${[...has].join(', ')})`);
  const total = rows.reduce((a, r) => a + r.transfer, 0);
  const gz = rows.reduce((a, r) => a + r.gzip, 0);
  const detail = rows.map((r) => `${r.name} ${kb(r.transfer)} (body ${r.body} B, gzip ${r.gzip} B)`).join(' + ');
  t.log(`runbook weight: ${kb(total)} transferred uncompressed (${total} B) = ${detail}; gzip-compressed it would be ${kb(gz)}; everything the page loaded: ${kb(everything)}`);
  check(total < WEIGHT_BUDGET, `the runbook weighs ${kb(total)} (${total} B) uncompressed, over the ${kb(WEIGHT_BUDGET)} budget: ${detail}`);
});

// ---------------------------------------------------------------------------------------
// d. Offline copy, opened from disk

test('file://: the --offline copy links dashboard → pack → runbook through index.html files', async (t) => {
  const o = await offline();
  const status = JSON.parse(fs.readFileSync(path.join(o.out, 'status.json'), 'utf8'));
  const packName = status.packs.find((p) => p.slug === PACK)?.name;
  check(packName, `status.json of the offline copy has no pack ${PACK}`);
  const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page);
  const bad = [];
  await page.goto(o.url('index.html'), { waitUntil: 'load' });
  await checkStyled(page, 'offline dashboard');
  bad.push(...await offlineBadLinks(page));

  const steps = [
    { what: `the dashboard's link to the ${PACK} pack`, re: new RegExp(`(^|/)${PACK}/(index\\.html)?$`), lands: `/${PACK}/index.html`, ready: 'h1' },
    { what: `the pack overview's link to its runbook`, re: /(^|\/)runbook\/(index\.html)?$/, lands: `/${PACK}/runbook/index.html`, ready: 'section.rb-kill' },
  ];
  for (const step of steps) {
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
    const i = links.findIndex((h) => step.re.test(h.split('#')[0]));
    check(i >= 0, `${page.url()}: found no link for ${step.what} (links: ${links.slice(0, 30).join(' ')})`);
    const raw = links[i];
    check(raw.split('#')[0].endsWith('index.html'), () => `${step.what} is href="${raw}": it names a folder, which file:// opens as a directory listing, not the page; offline links must name index.html.\n  All links on the pages visited that do not name a file:\n  ${[...new Set([...bad])].slice(0, 20).join('\n  ')}`);
    await Promise.all([page.waitForURL((u) => u.href.endsWith(step.lands)), page.locator('a[href]').nth(i).click()]);
    await page.locator(step.ready).first().waitFor({ state: 'visible' });
    await checkStyled(page, `offline ${page.url()}`);
    bad.push(...await offlineBadLinks(page));
  }
  const h1 = await page.locator('h1').first().textContent();
  check(h1.includes(packName), `the offline runbook's h1 "${h1.trim()}" does not name the pack "${packName}"`);
  checkClean(problems, 'offline copy');
  check(bad.length === 0, () => `${bad.length} link(s) in the offline copy do not name a file (folders or site-absolute paths do not open from disk):\n  ${[...new Set(bad)].slice(0, 20).join('\n  ')}`);
});

test('file://: search works in the --offline copy and a result opens its page', async (t) => {
  const o = await offline();
  const word = distinctiveWord();
  const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page);
  await page.goto(o.url('index.html'), { waitUntil: 'load' });
  await page.locator('#search-input').click();
  await page.keyboard.type(word, { delay: 20 });
  const results = page.locator('#search-results a');
  await results.first().waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
    const st = await page.locator('#search-status').textContent();
    throw new CheckFailed(`no search results appeared from disk for "${word}" (status: "${st}"; problems: ${problems.join('; ') || 'none'})`);
  });
  const hrefs = await results.evaluateAll((as) => as.map((a) => a.href));
  const i = hrefs.findIndex((h) => h.split(/[?#]/)[0].endsWith(`/${PACK}/runbook/index.html`));
  check(i >= 0, `offline results for "${word}" include no link to ${PACK}/runbook/index.html: ${hrefs.join(', ')}`);
  await Promise.all([page.waitForURL((u) => u.href === hrefs[i]), results.nth(i).click()]);
  await page.locator('section.rb-kill').waitFor({ state: 'visible' });
  checkClean(problems, 'offline search');
});

test('file://: search with one word, then two words from two word shards, works from disk', async (t) => {
  const o = await offline();
  const index = readSearchIndex(o.out);
  const open = async () => {
    const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    await page.goto(o.url('index.html'), { waitUntil: 'load' });
    return Object.assign(page, { problems });
  };
  for (const { page } of await checkShardedSearch(t, open, index, `${pathToFileURL(o.out).href}/`, 'file://')) {
    checkClean(page.problems, 'offline sharded search');
  }
});

// ---------------------------------------------------------------------------------------
// e. Accessibility

// axe on every kind of page, at 390x844 and 1280x800, light and dark: see pages.mjs.
registerPageKindTests({ test, check, site, watch, ARTIFACTS });

test('keyboard: the first Tab reaches the skip link, which becomes visible and works; focused links show an outline', async (t) => {
  const s = await site();
  const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
  for (const [name, p] of [['dashboard', PAGES.dashboard], ['runbook', PAGES.runbook]]) {
    await gotoOk(page, s.url(p));
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      return { tag: el?.tagName, cls: el?.className, text: el?.textContent.trim(), href: el?.getAttribute('href') };
    });
    check(skip.tag === 'A' && /skip-link/.test(skip.cls), `${name}: the first Tab focuses <${skip.tag} class="${skip.cls}">${skip.text}</${skip.tag}>, not the skip link`);
    // It may slide in with a transition: give it a moment to come fully into view.
    const visible = await page.waitForFunction(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && r.width > 1 && r.height > 1
        && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
    }, null, { timeout: 3000 }).then(() => true, () => false);
    const rect = await page.evaluate(() => JSON.stringify(document.activeElement.getBoundingClientRect()));
    check(visible, `${name}: the focused skip link is not visible in the viewport (rect ${rect})`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#main', null, { timeout: 3000 }).catch(() => {});
    const target = await page.evaluate(() => ({ hash: location.hash, active: document.activeElement?.id || document.activeElement?.tagName }));
    check(target.hash === '#main' && target.active === 'main', `${name}: activating the skip link leaves the focus on ${target.active} (hash ${target.hash}), not on #main`);
    // The next Tab goes into the content: a link there must show its focus.
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return { tag: el.tagName, text: el.textContent.trim().slice(0, 40), inMain: !!el.closest('main'), outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, outlineColor: cs.outlineColor };
    });
    check(focus.inMain, `${name}: after the skip link, Tab focuses <${focus.tag}> "${focus.text}" outside <main>`);
    check(focus.outlineStyle !== 'none' && focus.outlineWidth !== '0px', `${name}: the keyboard-focused <${focus.tag}> "${focus.text}" has no outline (outline-style ${focus.outlineStyle}, width ${focus.outlineWidth})`);
  }
  // And a link in the header, reached by Tab from the top.
  await gotoOk(page, s.url(''));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const brand = await page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    return { tag: el.tagName, text: el.textContent.trim().slice(0, 40), outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth };
  });
  check(brand.tag === 'A', `the second Tab focuses <${brand.tag}>, expected the first header link`);
  check(brand.outlineStyle !== 'none' && brand.outlineWidth !== '0px', `the keyboard-focused header link "${brand.text}" has no outline (outline-style ${brand.outlineStyle}, width ${brand.outlineWidth})`);
});

// Full-page screenshots of every kind of page, and no sideways scroll at 320px: see pages.mjs.

// ---------------------------------------------------------------------------------------
// f2. The dashboard: summary, filters, cards on phones, the sections grid

/** The slugs of the packs status.json puts in each dashboard filter. */
function statusFilters(status) {
  const slugs = (f) => status.packs.filter(f).map((p) => p.slug).sort();
  return {
    ready: slugs((p) => p.ready),
    'gate-failing': slugs((p) => p.gate === 'fail'),
    stale: slugs((p) => p.stale),
    ahead: slugs((p) => p.ahead_of_bar),
  };
}

/** The slugs of the dashboard's table rows that are shown. */
async function shownPacks(page) {
  return page.evaluate((prefix) => [...document.querySelectorAll('table.packs > tbody > tr')]
    .filter((tr) => tr.checkVisibility())
    .map((tr) => tr.querySelector('th a').getAttribute('href').slice(prefix.length).replace(/\/$/, ''))
    .sort(), new URL(PREFIX, 'http://x').pathname);
}

/** The summary's numbers, by filter, as the page shows them. */
async function summaryCounts(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.summary .count')]
    .map((c) => [c.className.match(/count-(\S+)/)[1], Number(c.textContent.trim().match(/^\d+/)[0])])));
}

for (const [w, h] of [[390, 844], [1280, 800]]) {
  for (const scheme of ['light', 'dark']) {
    test(`dashboard ${w}x${h} ${scheme}: summary counts equal status.json, each filter shows only its packs, layout holds`, async (t) => {
      const s = await site();
      const status = JSON.parse(fs.readFileSync(path.join(s.out, 'status.json'), 'utf8'));
      const want = statusFilters(status);
      const page = await t.newPage({ viewport: { width: w, height: h }, colorScheme: scheme });
      await page.emulateMedia({ colorScheme: scheme });
      const problems = watch(page);
      await gotoOk(page, s.url(''));

      const counts = await summaryCounts(page);
      for (const [name, slugs] of Object.entries(want)) {
        check(counts[name] === slugs.length, () => `summary says ${counts[name]} for "${name}", status.json has ${slugs.length} (${slugs.join(', ')})`);
      }
      check(want.ready.length > 0 && want['gate-failing'].length > 0 && want.stale.length > 0 && want.ahead.length > 0,
        () => `the example site should have a pack in every filter to test them: ${JSON.stringify(want)}`);
      const all = status.packs.map((p) => p.slug).sort();
      check(JSON.stringify(await shownPacks(page)) === JSON.stringify(all), 'before any filter every pack is shown');

      for (const [name, slugs] of Object.entries(want)) {
        await page.locator(`.summary a[data-filter="${name}"]`).click();
        await page.waitForFunction((n) => location.hash === `#filter-${n}`, name);
        const shown = await shownPacks(page);
        check(JSON.stringify(shown) === JSON.stringify(slugs), () => `filter "${name}" shows ${shown.join(', ')}; status.json says ${slugs.join(', ')}`);
        const grid = await page.evaluate(() => [...document.querySelectorAll('.sections-grid > tbody > tr')].filter((r) => r.checkVisibility()).length);
        check(grid === slugs.length, () => `filter "${name}" leaves ${grid} grid rows, expected ${slugs.length}`);
        // The page's `hashchange` handler marks the link, after the hash itself has changed.
        const marked = await page.waitForFunction(
          (n) => document.querySelector(`.summary a[data-filter="${n}"]`)?.getAttribute('aria-current') === 'true',
          name, { timeout: 5000 },
        ).then(() => true, () => false);
        check(marked, `with script the active filter "${name}" is marked aria-current`);
      }
      await page.locator('.filter-note-ahead a[href="#summary"]').click();
      await page.waitForFunction(() => location.hash === '#summary');
      check((await shownPacks(page)).length === all.length, '"Show all" shows every pack again');

      const layout = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const flags = [...document.querySelectorAll('table.packs .flag, table.packs time')].map((el) => ({
          text: el.textContent.trim(), lines: el.getClientRects().length,
          height: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight) || 20,
        }));
        // The gate, ready and needs cells (5th, 6th and 8th), each with its label shown.
        const cells = [...document.querySelectorAll('table.packs > tbody > tr')].flatMap((tr) => [['Gate', 4], ['Ready', 5], ['Needs', 7]].map(([label, i]) => {
          const td = tr.querySelectorAll('td')[i];
          const r = td.getBoundingClientRect();
          const shown = getComputedStyle(td, '::before').content;
          return { label, shown, pack: tr.querySelector('th').textContent.trim(), left: r.left, right: r.right, visible: td.checkVisibility() && r.width > 0 };
        }));
        const wrap = document.querySelector('table.packs').parentElement;
        return { width, scrollWidth: document.documentElement.scrollWidth, flags, cells, table: wrap.scrollWidth, wrap: wrap.clientWidth };
      });
      check(layout.scrollWidth <= layout.width + 1, () => `the page scrolls sideways at ${w}px: ${layout.scrollWidth}px wide`);
      if (w === 1280) {
        const wrapped = layout.flags.filter((f) => f.lines !== 1 || f.height > f.line * 1.6 + 4);
        check(wrapped.length === 0, () => `pills or dates wrap at 1280px: ${JSON.stringify(wrapped)}`);
        check(layout.table <= layout.wrap + 1, () => `the table is ${layout.table}px wide in ${layout.wrap}px at 1280px: it scrolls sideways`);
      } else {
        const hidden = layout.cells.filter((c) => !c.visible || c.left < 0 || c.right > layout.width + 1);
        check(hidden.length === 0, () => `on a phone these are off-screen: ${JSON.stringify(hidden)}`);
        const unlabelled = layout.cells.filter((c) => c.shown !== JSON.stringify(c.label));
        check(unlabelled.length === 0, () => `on a phone these cards' cells are not labelled as their column: ${JSON.stringify(unlabelled)}`);
      }

      checkClean(problems, `dashboard at ${w}px`);
    });
  }
}

test('dashboard without script: a summary link filters the table by :target alone', async (t) => {
  const s = await site();
  const want = statusFilters(JSON.parse(fs.readFileSync(path.join(s.out, 'status.json'), 'utf8')));
  const page = await t.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  await gotoOk(page, s.url(''));
  for (const [name, slugs] of Object.entries(want)) {
    await page.locator(`.summary a[data-filter="${name}"]`).click();
    await page.waitForURL((u) => u.hash === `#filter-${name}`);
    const shown = await shownPacks(page);
    check(JSON.stringify(shown) === JSON.stringify(slugs), () => `without script, filter "${name}" shows ${shown.join(', ')}; status.json says ${slugs.join(', ')}`);
    check(await page.locator(`.filter-note-${name}`).isVisible(), `without script, filter "${name}" says what it shows`);
  }
});

// ---------------------------------------------------------------------------------------
// g. Live reload with `rollbook serve`

const LIVE_SITE = {
  'site.toml': 'title = "Live reload test"\nbase_url = "https://x.example/docs"\n',
  'content/demo/workflow.md': '+++\nname = "Demo workflow"\nprimary_user = "Support agents"\n+++\nThe first version of the notes: original-notes-text.\n',
  'content/demo/incident.md': '+++\nimmediate_actions = ["Turn it off"]\n+++\nIncident notes.\n',
};
const SECTION = 'content/demo/workflow.md';

// Saves a file whole at once, as editors do (a temp file renamed over it): the server
// rebuilds once the folder is quiet for a few milliseconds, so an in-place write on a
// slow machine could be seen half written, and a half-written page may have no error.
function save(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function writeSite(dir, files) {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
}

async function startServe(dir, port = 0) {
  const child = startChild(BIN, ['--root', dir, 'serve', '-p', String(port)]);
  const url = await withTimeout(new Promise((resolve, reject) => {
    const look = () => {
      const m = child.stdoutText.match(/serving .* at (http:\/\/127\.0\.0\.1:(\d+)\/docs\/)/);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', look);
    look();
    child.exited.then(({ code }) => reject(new CheckFailed(`rollbook serve exited (${code}) before it served:\n${child.stderrText}${child.stdoutText}`)));
  }), 30_000, `rollbook serve printing "serving … at http://127.0.0.1:PORT/docs/" (stdout so far: ${JSON.stringify(child.stdoutText)})`);
  return { child, url, port: Number(new URL(url).port) };
}

/**
 * Resolves with the live-reload WebSocket of `page` once its first message (`hello`) has
 * arrived: from then on the server has the page registered and no rebuild is missed.
 * Records every hello the page gets in `page.liveHellos` (time, generation).
 */
function liveHello(page) {
  if (!page.liveHellos) {
    page.liveHellos = [];
    page.liveWaiters = [];
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/docs/__rollbook/events')) return;
      ws.on('framereceived', (f) => {
        let m;
        try { m = JSON.parse(typeof f.payload === 'string' ? f.payload : f.payload.toString()); } catch { return; }
        if (m.type !== 'hello') return;
        page.liveHellos.push([Date.now(), m.generation]);
        for (const w of page.liveWaiters.splice(0)) w(ws);
      });
    });
  }
  return new Promise((resolve) => page.liveWaiters.push(resolve));
}

/** Opens `url` and waits until its live-reload WebSocket is connected and greeted. */
async function openLive(page, url) {
  const hello = liveHello(page);
  await page.goto(url, { waitUntil: 'load' });
  await withTimeout(hello, 10_000, `${url} connecting to its live-reload WebSocket`).catch(() => {
    throw new CheckFailed(`${url} never got the hello of its live-reload WebSocket /docs/__rollbook/events`);
  });
}

/** Marks the current document, so that a reload can be told from an in-place change. */
const mark = (page) => page.evaluate(() => { window.__rollbookTestMark = 1; });
const reloaded = (page) => page.evaluate(() => window.__rollbookTestMark === undefined);

async function waitForText(page, text, what) {
  await page.waitForFunction((x) => document.body && document.body.innerText.includes(x), text, { timeout: 10_000, polling: 100 })
    .catch(() => { throw new CheckFailed(`${what}: "${text}" did not appear within 10 s`); });
}

test('live reload: an edit reloads the page, broken TOML shows #rollbook-errors with file:line, the fix clears it', async (t) => {
  const dir = fs.mkdtempSync(path.join(TMP, 'live-'));
  writeSite(dir, LIVE_SITE);
  const serve = await startServe(dir);
  const page = await t.newPage();
  const pageUrl = `${serve.url}demo/workflow/`;
  await openLive(page, pageUrl);
  await waitForText(page, 'original-notes-text', 'the section page');

  await mark(page);
  save(path.join(dir, SECTION), LIVE_SITE[SECTION].replace('original-notes-text', 'edited-notes-text'));
  await waitForText(page, 'edited-notes-text', `after editing ${SECTION}, the open page`);
  check(await reloaded(page), 'the new text appeared without a page reload');

  await mark(page);
  save(path.join(dir, SECTION), '+++\nname = "Demo workflow\nprimary_user = "Support agents"\n+++\nBroken.\n');
  const overlay = page.locator('#rollbook-errors');
  await overlay.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
    throw new CheckFailed(`after writing invalid TOML to ${SECTION}, #rollbook-errors did not appear within 10 s (server stderr: ${serve.child.stderrText.trim().slice(-400)})`);
  });
  const errorText = await overlay.innerText();
  check(/content\/demo\/workflow\.md:\d+/.test(errorText), `#rollbook-errors does not name the file and line (content/demo/workflow.md:LINE): "${errorText}"`);
  check((await page.locator('body').innerText()).includes('edited-notes-text'), 'while the build is broken the page no longer shows the last good version');
  t.log(`overlay: ${errorText.replace(/\s+/g, ' ').slice(0, 160)}`);
  // A page opened while the build is broken shows the errors too, in the served HTML.
  const fresh = await page.context().newPage();
  await fresh.goto(pageUrl, { waitUntil: 'load' });
  const served = await fresh.locator('#rollbook-errors').count();
  check(served === 1, 'a page opened while the build is broken does not show #rollbook-errors');
  await fresh.close();

  save(path.join(dir, SECTION), LIVE_SITE[SECTION].replace('original-notes-text', 'fixed-notes-text'));
  await waitForText(page, 'fixed-notes-text', `after fixing ${SECTION}, the open page`);
  check(await reloaded(page), 'the fixed text appeared without a page reload');
  await page.waitForFunction(() => !document.getElementById('rollbook-errors'), null, { timeout: 10_000 })
    .catch(() => { throw new CheckFailed('after the fix, #rollbook-errors is still on the page'); });
  await stopChild(serve.child);
});

test('live reload: the page reconnects when the server restarts on the same port, and edits reload it again', async (t) => {
  const dir = fs.mkdtempSync(path.join(TMP, 'live-'));
  writeSite(dir, LIVE_SITE);
  const first = await startServe(dir);
  const page = await t.newPage();
  const pageUrl = `${first.url}demo/workflow/`;
  await openLive(page, pageUrl);
  await waitForText(page, 'original-notes-text', 'the section page');

  await stopChild(first.child);
  await page.waitForTimeout(700); // the page notices the lost connection and starts retrying
  const restarted = Date.now();
  let second;
  for (let attempt = 1; ; attempt += 1) {
    try {
      second = await startServe(dir, first.port);
      break;
    } catch (e) {
      if (attempt >= 5) throw new CheckFailed(`cannot restart rollbook serve on port ${first.port}: ${e.message}`);
      await page.waitForTimeout(500);
    }
  }
  check(second.url === first.url, `the restarted server serves ${second.url}, not ${first.url}`);
  // The page reconnects by itself and, greeted by a new server, reloads: wait for the
  // hello of the reconnection and the one of the reloaded page.
  const deadline = Date.now() + 10_000;
  while (page.liveHellos.filter(([at]) => at >= restarted).length < 2) {
    check(Date.now() < deadline, 'the open page did not reconnect to the live-reload WebSocket and reload within 10 s of the server restart');
    await page.waitForTimeout(100);
  }
  await page.waitForLoadState('load');
  await waitForText(page, 'original-notes-text', 'after the restart, the page');

  await mark(page).catch(() => {}); // the page may be reloading right now
  save(path.join(dir, SECTION), LIVE_SITE[SECTION].replace('original-notes-text', 'after-restart-text'));
  await waitForText(page, 'after-restart-text', `after the restart, editing ${SECTION}: the open page`);
  await stopChild(second.child);
});

test('live reload: 20 tabs of one site all load and all reload on one save, and a 21st tab still loads', async (t) => {
  const dir = fs.mkdtempSync(path.join(TMP, 'live-'));
  writeSite(dir, LIVE_SITE);
  const serve = await startServe(dir);
  // One browser context: its tabs share the six HTTP/1.1 connections a browser allows per host.
  const ctx = await t.newContext();
  const pages = [];
  const urls = ['', 'demo/', 'demo/workflow/', 'demo/incident/', 'demo/runbook/'];
  for (let i = 0; i < 20; i += 1) {
    const page = await ctx.newPage();
    const url = serve.url + urls[i % urls.length];
    await openLive(page, url).catch((e) => {
      throw new CheckFailed(`tab ${i + 1} of 20 (${url}): ${e.message}`);
    });
    const h1 = await page.locator('h1').first().textContent({ timeout: 5000 }).catch(() => '');
    check(h1.trim().length > 0, `tab ${i + 1} of 20 (${url}) shows no heading`);
    pages.push(page);
  }
  for (const page of pages) await mark(page);
  save(path.join(dir, SECTION), LIVE_SITE[SECTION].replace('original-notes-text', 'twenty-tabs-text'));
  const notReloaded = [];
  await Promise.all(pages.map(async (page, i) => {
    const ok = await page.waitForFunction(() => window.__rollbookTestMark === undefined && document.readyState === 'complete', null, { timeout: 15_000, polling: 100 })
      .then(() => true, () => false);
    if (!ok) notReloaded.push(`tab ${i + 1} (${page.url()})`);
  }));
  check(notReloaded.length === 0, () => `after one save, ${notReloaded.length} of 20 tabs did not reload: ${notReloaded.join(', ')}`);
  await waitForText(pages[2], 'twenty-tabs-text', 'the reloaded section page');
  const extra = await ctx.newPage();
  await openLive(extra, `${serve.url}demo/workflow/`).catch((e) => {
    throw new CheckFailed(`the 21st tab: ${e.message}`);
  });
  await waitForText(extra, 'twenty-tabs-text', 'the 21st tab');
  await stopChild(serve.child);
});

/** The overlay as the reader sees it: every error's location, link, code frame and hint. */
async function overlayReport(page) {
  return page.evaluate(() => {
    const box = document.getElementById('rollbook-errors');
    if (!box) return null;
    return {
      title: box.querySelector('.rb-title')?.textContent || '',
      first: document.body.firstElementChild === box,
      items: [...box.querySelectorAll('li')].map((li) => ({
        loc: li.querySelector('.rb-loc')?.textContent.trim() || '',
        href: li.querySelector('.rb-loc a')?.getAttribute('href') || null,
        frame: li.querySelector('.rb-frame')?.textContent || null,
        hint: li.querySelector('.rb-hint')?.textContent || null,
      })),
    };
  });
}


test('live reload: the error overlay shows file, line, source line and caret for every error, links to the field, and passes axe in light and dark', async (t) => {
  const dir = fs.mkdtempSync(path.join(TMP, 'live-'));
  writeSite(dir, LIVE_SITE);
  const serve = await startServe(dir);
  const light = await t.newPage({ colorScheme: 'light', viewport: { width: 1280, height: 800 } });
  await light.emulateMedia({ colorScheme: 'light' });
  await openLive(light, `${serve.url}demo/workflow/`);
  await mark(light);
  // Two files broken in one save: both errors are listed.
  const brokenWorkflow = '+++\nname = "Demo workflow"\nprimary_user = "Support agents\n+++\nBroken.\n';
  const brokenIncident = '+++\nimmediate_actions = "Turn it off"\nkill_swich = "The flag"\n+++\nIncident notes.\n';
  save(path.join(dir, 'content/demo/incident.md'), brokenIncident);
  save(path.join(dir, SECTION), brokenWorkflow);
  const shown = async (page, what) => {
    await page.waitForFunction(() => document.querySelectorAll('#rollbook-errors li').length >= 2, null, { timeout: 10_000, polling: 100 })
      .catch(async () => { throw new CheckFailed(`${what}: the overlay did not list two errors within 10 s: ${JSON.stringify(await overlayReport(page))}\n${serve.child.stderrText.slice(-600)}`); });
    return overlayReport(page);
  };
  const checkOverlay = (r, what) => {
    check(r.first, `${what}: the overlay is not the first element of the body`);
    check(/last good version/.test(r.title), `${what}: the title does not say the last good version is shown: "${r.title}"`);
    const wf = r.items.find((i) => i.loc.startsWith('content/demo/workflow.md:'));
    check(wf, `${what}: no error names content/demo/workflow.md: ${JSON.stringify(r.items)}`);
    check(/^content\/demo\/workflow\.md:3:\d+$/.test(wf.loc), `${what}: the location is not file:line:column at line 3: "${wf.loc}"`);
    check(wf.frame && wf.frame.includes('primary_user = "Support agents'), `${what}: the code frame does not show the source line: ${JSON.stringify(wf.frame)}`);
    const [src, caret] = (wf.frame || '').split('\n');
    const column = Number(wf.loc.split(':')[2]);
    const at = src.indexOf('| ') + 2;
    check(caret && caret.indexOf('^') === at + column - 1, `${what}: the caret is not under column ${column}:\n${src}\n${caret}`);
    const inc = r.items.find((i) => i.loc.startsWith('content/demo/incident.md:'));
    check(inc, `${what}: the second error (content/demo/incident.md) is not listed: ${JSON.stringify(r.items)}`);
    check(inc.href, `${what}: the location of the incident error is not a link`);
    return { wf, inc };
  };
  const live = checkOverlay(await shown(light, 'the open page (light)'), 'the open page (light)');
  check(!(await reloaded(light)), 'the open page reloaded instead of showing the errors in place');
  t.log(`overlay items: ${JSON.stringify(live.wf)} ${JSON.stringify(live.inc)}`);
  await light.screenshot({ path: path.join(ARTIFACTS, 'overlay-light.png') });
  let severe = await axeSevere(light);
  check(severe.length === 0, () => `axe (light): \n${severe.join('\n')}`);

  // A page opened now gets the same overlay in its HTML; in dark mode.
  const dark = await t.newPage({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
  await dark.emulateMedia({ colorScheme: 'dark' });
  await openLive(dark, `${serve.url}demo/`);
  const served = checkOverlay(await shown(dark, 'a page opened while broken (dark)'), 'a page opened while broken (dark)');
  check(JSON.stringify(served) === JSON.stringify(live), () => `the served overlay differs from the live one:\n${JSON.stringify(served)}\n${JSON.stringify(live)}`);
  await dark.screenshot({ path: path.join(ARTIFACTS, 'overlay-dark.png') });
  severe = await axeSevere(dark);
  check(severe.length === 0, () => `axe (dark): \n${severe.join('\n')}`);

  // The location opens the section page at the field.
  const href = new URL(live.inc.href, dark.url());
  check(href.pathname === '/docs/demo/incident/', `the incident error links to ${href.pathname}, not the section page /docs/demo/incident/`);
  await dark.goto(href.href, { waitUntil: 'load' });
  if (href.hash) {
    const target = await dark.evaluate((id) => !!document.getElementById(id), decodeURIComponent(href.hash.slice(1)));
    check(target, `the section page has no element ${href.hash} the overlay links to`);
  }

  save(path.join(dir, 'content/demo/incident.md'), LIVE_SITE['content/demo/incident.md']);
  save(path.join(dir, SECTION), LIVE_SITE[SECTION]);
  await light.waitForFunction(() => !document.getElementById('rollbook-errors'), null, { timeout: 10_000 })
    .catch(() => { throw new CheckFailed('after the fix, #rollbook-errors is still on the page'); });
  await stopChild(serve.child);
});

// ---------------------------------------------------------------------------------------
// h. Print

test('print: the runbook hides the site header, nav and search, and keeps the kill switch and actions', async (t) => {
  const s = await site();
  const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
  await gotoOk(page, s.url(PAGES.runbook));
  await page.emulateMedia({ media: 'print' });
  check(await page.evaluate(() => matchMedia('print').matches), 'print media is not in effect');
  const state = await page.evaluate((sels) => sels.map((sel) => {
    const el = document.querySelector(sel);
    if (!el) return { sel, missing: true };
    let hiddenBy = null;
    for (let a = el; a; a = a.parentElement) {
      if (getComputedStyle(a).display === 'none') { hiddenBy = a === el ? 'itself' : `<${a.tagName.toLowerCase()} class="${a.className}">`; break; }
    }
    return { sel, display: getComputedStyle(el).display, hiddenBy, rendered: el.getClientRects().length > 0 };
  }), ['.site-header', '.site-nav', '.search', '#search-input', '.skip-link', '.rb-kill', '.rb-actions li:first-child', '.rb-people li:first-child']);
  const shouldHide = ['.site-header', '.site-nav', '.search', '#search-input'];
  const problems = [];
  for (const st of state) {
    if (st.missing) { problems.push(`${st.sel} is not on the page`); continue; }
    if (shouldHide.includes(st.sel) && !st.hiddenBy) problems.push(`${st.sel} is printed (display ${st.display}); it should be display: none in print`);
    if (!shouldHide.includes(st.sel) && st.sel !== '.skip-link' && !st.rendered) problems.push(`${st.sel} is not printed`);
  }
  check(problems.length === 0, () => problems.join('\n'));
  const pdf = path.join(ARTIFACTS, 'runbook-print.pdf');
  await page.pdf({ path: pdf, format: 'A4', timeout: 20_000 });
  t.log(`printed to tests/browser/artifacts/runbook-print.pdf (${kb(fs.statSync(pdf).size)})`);
});

// ---------------------------------------------------------------------------------------
// i. Mermaid diagrams and alerts

const DIAGRAM_SOURCE = 'flowchart LR\n  A[Flag on] --> B{Kill switch works?}\n  B -->|yes| C[Roll out]\n  B -->|no| D[Fix the flag]';
const ALERT_KINDS = ['note', 'tip', 'important', 'warning', 'caution'];
const ALERTS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Alerts</title>
<link rel="stylesheet" href="style.css"><link rel="stylesheet" href="alerts.css"></head>
<body><main id="main"><h1>Alerts</h1>
${ALERT_KINDS.map((k) => `<div class="markdown-alert markdown-alert-${k}" role="note"><p class="markdown-alert-title">${k[0].toUpperCase()}${k.slice(1)}</p><p>Text of the ${k} alert, with <a href="#main">a link</a>.</p></div>`).join('\n')}
</main></body></html>
`;
const DIAGRAM_SITE = {
  'site.toml': 'title = "Diagram test"\nbase_url = "https://x.example/docs"\n',
  'content/demo/workflow.md': '+++\nname = "Demo workflow"\nprimary_user = "Support agents"\n+++\nNo diagram here.\n',
  'content/demo/incident.md': `+++\nimmediate_actions = ["Turn it off"]\n+++\nHow a rollout goes:\n\n\`\`\`mermaid\n${DIAGRAM_SOURCE}\n\`\`\`\n`,
  // The markup of GitHub-style alerts as the renderer writes it, on a page of its own.
  'static/alerts.html': ALERTS_PAGE,
};
const DIAGRAM_PAGE = 'demo/incident/';

/** A small site with a diagram, built for http://127.0.0.1:PORT/docs/ and as an offline copy. */
const diagramSite = once(async () => {
  const dir = fs.mkdtempSync(path.join(TMP, 'diagram-'));
  writeSite(dir, DIAGRAM_SITE);
  const out = path.join(dir, 'public');
  const server = await startStaticServer(out, '/docs/');
  openServers.push(server);
  const base = `${server.origin}/docs/`;
  for (const args of [['build', '--base-url', base.replace(/\/$/, ''), '-o', out], ['build', '--offline', '-o', path.join(dir, 'offline')]]) {
    const r = await runCommand(BIN, ['--root', dir, '--today', TODAY, ...args], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new CheckFailed(`rollbook ${args.join(' ')} failed: ${describeRun(r)}`);
  }
  return {
    server,
    url: (p) => base + p,
    fileUrl: (p) => pathToFileURL(path.join(dir, 'offline', p)).href,
  };
});

/** Every request of a page whose URL is not under `allowed` (data: URLs aside). */
function foreignRequests(page, allowed) {
  const foreign = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith(allowed)) foreign.push(u);
  });
  return foreign;
}

/** Waits for the diagram's SVG and says what it shows. */
async function drawnDiagram(page, where) {
  await page.locator('pre.mermaid svg').first().waitFor({ state: 'visible', timeout: 15_000 }).catch(async () => {
    const html = await page.evaluate(() => document.querySelector('pre.mermaid')?.outerHTML.slice(0, 300));
    throw new CheckFailed(`${where}: no <svg> diagram was drawn in pre.mermaid: ${html}`);
  });
  return page.evaluate(() => {
    const svg = document.querySelector('pre.mermaid svg');
    const r = svg.getBoundingClientRect();
    const node = svg.querySelector('.node rect, .node polygon, .node path');
    return { text: svg.textContent, width: r.width, height: r.height, fill: node ? getComputedStyle(node).fill : null };
  });
}

for (const [how, url, origin] of [
  ['http://', (d) => d.url(DIAGRAM_PAGE), (d) => d.server.origin + '/'],
  ['file:// (--offline)', (d) => d.fileUrl(`${DIAGRAM_PAGE}index.html`), (d) => d.fileUrl('')],
]) {
  test(`diagrams over ${how}: a mermaid block is drawn as an SVG from the theme's copy of Mermaid, and nothing is asked of another host`, async (t) => {
    const d = await diagramSite();
    const fills = {};
    for (const scheme of ['light', 'dark']) {
      const page = await t.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
      const foreign = foreignRequests(page, origin(d));
      const problems = watch(page);
      const scripts = [];
      page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
      await page.goto(url(d), { waitUntil: 'load' });
      const drawn = await drawnDiagram(page, `${how} (${scheme})`);
      for (const label of ['Flag on', 'Kill switch works?', 'Roll out', 'Fix the flag']) {
        check(drawn.text.includes(label), `${how} (${scheme}): the diagram does not show "${label}": ${drawn.text.slice(0, 200)}`);
      }
      check(drawn.width > 100 && drawn.height > 20, `${how} (${scheme}): the diagram is ${drawn.width}x${drawn.height}`);
      check(scripts.some((s) => s.endsWith('/mermaid/mermaid.min.js')), `${how}: mermaid.min.js was not loaded: ${scripts.join(', ')}`);
      check(foreign.length === 0, `${how} (${scheme}): the page asked other hosts for ${foreign.join(', ')}`);
      checkClean(problems, `diagram page over ${how} (${scheme})`);
      t.log(`${how} ${scheme}: ${Math.round(drawn.width)}x${Math.round(drawn.height)} svg, node fill ${drawn.fill}`);
      if (how === 'http://') await page.screenshot({ path: path.join(ARTIFACTS, `diagram-${scheme}.png`), fullPage: true });
      fills[scheme] = drawn.fill;
    }
    check(fills.light && fills.light !== fills.dark, `the diagram looks the same in light and dark (node fill ${fills.light})`);
  });
}

test('diagrams under rollbook serve: the diagram is drawn and nothing is asked of another host', async (t) => {
  const dir = fs.mkdtempSync(path.join(TMP, 'diagram-serve-'));
  writeSite(dir, DIAGRAM_SITE);
  const serve = await startServe(dir);
  try {
    const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
    const foreign = foreignRequests(page, `http://127.0.0.1:${serve.port}/`);
    const problems = watch(page);
    await openLive(page, `${serve.url}${DIAGRAM_PAGE}`);
    const drawn = await drawnDiagram(page, 'rollbook serve');
    check(drawn.text.includes('Kill switch works?'), `rollbook serve: the diagram lacks its labels: ${drawn.text.slice(0, 200)}`);
    check(foreign.length === 0, `rollbook serve: the page asked other hosts for ${foreign.join(', ')}`);
    checkClean(problems, 'diagram page under rollbook serve');
  } finally {
    await stopChild(serve.child);
  }
});

test('diagrams: a page without one loads no Mermaid; switching to dark draws the diagram again in dark', async (t) => {
  const d = await diagramSite();
  const page = await t.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const scripts = [];
  page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
  await gotoOk(page, d.url('demo/workflow/'));
  check(scripts.length > 0 && !scripts.some((s) => /mermaid|diagrams\.js/.test(s)), `a page without a diagram loaded ${scripts.join(', ')}`);
  await gotoOk(page, d.url(DIAGRAM_PAGE));
  const light = await drawnDiagram(page, 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  const changed = await page.waitForFunction((before) => {
    const node = document.querySelector('pre.mermaid svg .node rect, pre.mermaid svg .node polygon');
    return node && getComputedStyle(node).fill !== before;
  }, light.fill, { timeout: 10_000 }).then(() => true, () => false);
  check(changed, `after switching to dark, the diagram's node fill is still ${light.fill}`);
  const again = await drawnDiagram(page, 'dark after the switch');
  check(again.text.includes('Kill switch works?'), `the diagram drawn again lost its labels: ${again.text.slice(0, 200)}`);
});

test('diagrams without JavaScript, and in print: the source shows as a readable code block', async (t) => {
  const d = await diagramSite();
  for (const [how, url] of [['http://', d.url(DIAGRAM_PAGE)], ['file://', d.fileUrl(`${DIAGRAM_PAGE}index.html`)]]) {
    const page = await t.newPage({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
    await page.goto(url, { waitUntil: 'load' });
    const shown = await page.evaluate(() => {
      const pre = document.querySelector('pre.mermaid');
      const cs = getComputedStyle(pre);
      return { text: pre.innerText, svg: !!pre.querySelector('svg'), font: cs.fontFamily, whiteSpace: cs.whiteSpace, visible: pre.checkVisibility() };
    });
    check(shown.visible && !shown.svg, `${how}, no JavaScript: the diagram block is not shown as text (${JSON.stringify(shown)})`);
    check(shown.text.trim() === DIAGRAM_SOURCE, `${how}, no JavaScript: the block shows ${JSON.stringify(shown.text)}, not the source`);
    check(/monospace/.test(shown.font) && /pre/.test(shown.whiteSpace), `${how}, no JavaScript: the source is not set as code (${shown.font}, white-space ${shown.whiteSpace})`);
  }
  const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
  await gotoOk(page, d.url(DIAGRAM_PAGE));
  await drawnDiagram(page, 'before print');
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const after = getComputedStyle(document.querySelector('pre.mermaid'), '::after');
    return { content: after.content, display: after.display, color: after.color, svg: getComputedStyle(document.querySelector('pre.mermaid svg')).display };
  });
  const content = printed.content.replace(/^"|"$/g, '').replace(/\\a /g, '\n').replace(/\\"/g, '"');
  check(printed.display === 'block' && content === DIAGRAM_SOURCE, `in print the source is not shown under the diagram: ${JSON.stringify(printed)}`);
  check(printed.color === 'rgb(0, 0, 0)' && printed.svg !== 'none', `in print (light): ${JSON.stringify(printed)}`);
  await page.pdf({ path: path.join(ARTIFACTS, 'diagram-print.pdf'), format: 'A4', timeout: 20_000 });
});

for (const scheme of ['light', 'dark']) {
  test(`alerts (${scheme}): all five kinds have a coloured border, a titled icon, and axe finds no serious or critical violation`, async (t) => {
    const d = await diagramSite();
    const page = await t.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
    const foreign = foreignRequests(page, d.server.origin + '/');
    const problems = watch(page);
    await gotoOk(page, d.url('alerts.html'));
    await checkStyled(page, `alerts (${scheme})`);
    const alerts = await page.evaluate(() => [...document.querySelectorAll('.markdown-alert')].map((el) => {
      const cs = getComputedStyle(el);
      const title = el.querySelector('.markdown-alert-title');
      const icon = getComputedStyle(title, '::before');
      return {
        kind: el.className, border: `${cs.borderLeftStyle} ${cs.borderLeftWidth} ${cs.borderLeftColor}`,
        borderColor: cs.borderLeftColor, titleColor: getComputedStyle(title).color, fg: getComputedStyle(el.querySelector('p:not(.markdown-alert-title)')).color,
        icon: { display: icon.display, width: icon.width, mask: icon.maskImage || icon.webkitMaskImage },
      };
    }));
    check(alerts.length === 5, `expected 5 alerts, found ${alerts.length}`);
    for (const a of alerts) {
      check(/solid/.test(a.border) && parseFloat(a.border.split(' ')[1]) >= 3, `${a.kind}: no left border (${a.border})`);
      check(a.titleColor === a.borderColor && a.titleColor !== a.fg, `${a.kind}: the title is not in the alert's colour (${a.titleColor}, border ${a.borderColor}, text ${a.fg})`);
      check(a.icon.display !== 'none' && parseFloat(a.icon.width) > 8 && /data:image\/svg\+xml/.test(a.icon.mask), `${a.kind}: no icon (${JSON.stringify(a.icon)})`);
    }
    const colours = new Set(alerts.map((a) => a.borderColor));
    check(colours.size === 5, `the five kinds share colours: ${[...colours].join(', ')}`);
    await page.screenshot({ path: path.join(ARTIFACTS, `alerts-${scheme}.png`), fullPage: true });
    const severe = await axeSevere(page);
    check(severe.length === 0, () => `axe (${scheme}): \n${severe.join('\n')}`);
    if (scheme === 'light') {
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => [...document.querySelectorAll('.markdown-alert')].map((el) => {
        const cs = getComputedStyle(el);
        const title = el.querySelector('.markdown-alert-title');
        return { border: `${cs.borderLeftStyle} ${cs.borderLeftWidth} ${cs.borderLeftColor}`, title: getComputedStyle(title).color, text: title.innerText, bg: cs.backgroundImage + cs.backgroundColor };
      }));
      const bad = printed.filter((p) => !/^solid \d/.test(p.border) || !/rgb\(0, 0, 0\)$/.test(p.border) || p.title !== 'rgb(0, 0, 0)' || !p.text);
      check(bad.length === 0, `in print, alerts are not black border + black title: ${JSON.stringify(bad)}`);
    }
    check(foreign.length === 0, `the alerts page asked other hosts for ${foreign.join(', ')}`);
    checkClean(problems, `alerts (${scheme})`);
  });
}

test('a11y: axe finds no serious or critical violations on a page with a drawn diagram (light and dark)', async (t) => {
  const d = await diagramSite();
  for (const scheme of ['light', 'dark']) {
    const page = await t.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
    await gotoOk(page, d.url(DIAGRAM_PAGE));
    await drawnDiagram(page, scheme);
    const severe = await axeSevere(page);
    check(severe.length === 0, () => `axe on the diagram page (${scheme}): \n${severe.join('\n')}`);
  }
});

// ---------------------------------------------------------------------------------------

let ok = false;
try {
  ok = await runAll({ only: only.length ? only : undefined });
} finally {
  await Promise.allSettled(openServers.map((s) => withTimeout(s.close(), 5000, 'closing the static server')));
  fs.rmSync(TMP, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
