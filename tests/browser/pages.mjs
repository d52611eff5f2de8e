// Every kind of page of the example site, each at 390x844 (phone) and 1280x800 (laptop),
// in light and dark: it loads with no console error, axe finds no serious or critical
// violation, the page does not scroll sideways at 320 px, and a full-page screenshot is
// saved to tests/browser/artifacts/<kind>-<width>-<scheme>.png. Registered by run.mjs.

import fs from 'node:fs';
import path from 'node:path';
import { axeSevere } from './axe.mjs';

/** The kinds of page, each with one page of the example site that shows it. */
const PAGE_KINDS = [
  ['dashboard', ''],
  ['pack', 'support-triage/'],
  ['pack-barely-started', 'store-inventory-forecast/'],
  ...['workflow', 'accountability', 'data', 'evaluation', 'operability', 'incident', 'rollout', 'models', 'rhythm']
    .map((s) => [`section-${s}`, `support-triage/${s}/`]),
  // A gate failing on its latest run, and a section whose file does not exist yet.
  ['section-evaluation-failing', 'returns-assistant/evaluation/'],
  ['section-missing', 'store-inventory-forecast/evaluation/'],
  ['pack-page', 'support-triage/escalation-matrix/'],
  ['site-page', 'how-we-review/'],
  ['runbook', 'support-triage/runbook/'],
  ['checklist', 'support-triage/checklist/'],
  ['checklist-barely-started', 'store-inventory-forecast/checklist/'],
  ['runbooks', 'runbooks/'],
  ['runbooks-print', 'runbooks/print/'],
  ['owners', 'owners/'],
  ['owners-letter', 'owners/m/'],
  ['404', 'no-such-page/'],
];

const VIEWS = [
  { size: '390', opts: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  { size: '1280', opts: { viewport: { width: 1280, height: 800 } } },
].flatMap((v) => ['light', 'dark'].map((scheme) => ({ ...v, scheme, name: `${v.opts.viewport.width}x${v.opts.viewport.height} ${scheme}` })));

/** Registers the page-kind tests; `fx` holds run.mjs's fixtures and helpers. */
export function registerPageKindTests(fx) {
  const { test, check, site, watch, ARTIFACTS } = fx;

  // One browser context and one page per size and scheme (and one at 320 px), shared by
  // every kind: opening a context costs more than loading a page in it.
  const tabs = new Map();
  async function tab(t, key, opts) {
    if (!tabs.has(key)) {
      tabs.set(key, (async () => {
        const ctx = await t.browser.newContext(opts);
        ctx.setDefaultTimeout(15_000);
        ctx.setDefaultNavigationTimeout(20_000);
        const page = await ctx.newPage();
        if (opts.colorScheme) await page.emulateMedia({ colorScheme: opts.colorScheme });
        const slot = { page, missing: false };
        // The 404 page is meant to answer 404; every other status of 400 and up is a problem.
        slot.problems = watch(page, { allowStatus: (r) => slot.missing && r.status() === 404 && r.url() === slot.url });
        return slot;
      })());
    }
    return tabs.get(key);
  }

  /** Opens `url` in a shared tab, answering 200 (404 for the 404 page), with no problem left from before. */
  async function open(slot, url, kind) {
    slot.problems.length = 0;
    slot.missing = kind === '404';
    slot.url = url;
    const resp = await slot.page.goto(url, { waitUntil: 'load' });
    const want = slot.missing ? 404 : 200;
    check(resp && resp.status() === want, `${url} answered ${resp ? `HTTP ${resp.status()}` : 'nothing'}, expected ${want}`);
    await slot.page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
  }

  /** axe's serious and critical violations, each with the nodes it found, as readable lines. */

  /** The page's width at the current viewport, and the outermost elements sticking out of it. */
  const overflow = (page) => page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Inside a deliberate scroll container (a wide table's region) sticking out is fine.
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    const offenders = [...document.body.querySelectorAll('*')].filter((el) => {
      const b = el.getBoundingClientRect();
      if (b.right <= width + 1 || clipped(el)) return false;
      return el.parentElement.getBoundingClientRect().right <= width + 1;
    }).slice(0, 6).map((el) => `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> right edge ${Math.round(el.getBoundingClientRect().right)}px: "${el.textContent.trim().replace(/\s+/g, ' ').slice(0, 50)}"`);
    return { width, scrollWidth: document.documentElement.scrollWidth, offenders };
  });

  test('pages: every kind of page in the built site (its <body class="kind-…">) is among those tested below', async (t) => {
    const s = await site();
    const kindOf = (file) => fs.readFileSync(file, 'utf8').match(/<body class="kind-([^"\s]+)/)?.[1] ?? '(none)';
    const files = (dir) => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.html') ? [path.join(dir, e.name)] : []));
    const built = new Map(files(s.out).map((f) => [kindOf(f), path.relative(s.out, f)]));
    const tested = new Set(PAGE_KINDS.map(([kind, p]) => kindOf(path.join(s.out, kind === '404' ? '404.html' : `${p}index.html`))));
    const untested = [...built].filter(([k]) => !tested.has(k)).map(([k, f]) => `kind-${k} (e.g. ${f})`);
    t.log(`kinds built: ${[...built.keys()].sort().join(', ')}`);
    check(untested.length === 0, () => `pages of these kinds are not in PAGE_KINDS of pages.mjs: ${untested.join(', ')}`);
  });

  for (const [kind, p] of PAGE_KINDS) {
    test(`pages: ${kind} (/${p}) at 390x844 and 1280x800, light and dark: no console error, axe clean, no sideways scroll at 320px; screenshots`, async (t) => {
      const s = await site();
      const url = s.url(p);
      const failures = [];
      for (const v of VIEWS) {
        const slot = await tab(t, `${v.size}-${v.scheme}`, { ...v.opts, colorScheme: v.scheme });
        await open(slot, url, kind);
        const { page } = slot;
        check(await page.evaluate((sc) => matchMedia(`(prefers-color-scheme: ${sc})`).matches, v.scheme), `prefers-color-scheme: ${v.scheme} is not in effect`);
        const shot = path.join(ARTIFACTS, `${kind}-${v.size}-${v.scheme}.png`);
        await page.screenshot({ path: shot, fullPage: true, timeout: 20_000 });
        check(fs.statSync(shot).size > 5000, `${shot} is suspiciously small`);
        const severe = await axeSevere(page);
        if (severe.length) failures.push(`${severe.length} axe finding(s) (serious or critical, or a contrast it cannot measure) at ${v.name}:\n  ${severe.join('\n  ')}`);
        if (slot.problems.length) failures.push(`at ${v.name}:\n  ${[...new Set(slot.problems)].join('\n  ')}`);
      }
      const narrow = await tab(t, '320', { viewport: { width: 320, height: 700 } });
      await open(narrow, url, kind);
      const r = await overflow(narrow.page);
      if (r.scrollWidth > r.width + 1) failures.push(`the page is ${r.scrollWidth}px wide at a 320px viewport; sticking out:\n    ${r.offenders.join('\n    ') || '(no single element found)'}`);
      t.log(`screenshots: tests/browser/artifacts/${kind}-{390,1280}-{light,dark}.png; 320px: ${r.scrollWidth}px wide`);
      check(failures.length === 0, () => `${url}:\n${failures.join('\n')}`);
    });
  }
}
