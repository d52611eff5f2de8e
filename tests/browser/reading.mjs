// Browser tests of the reading aids: the contents beside the page on wide screens and
// folded at its top on phones, permalinks shown on hover and focus (always on touch), copy
// buttons on code blocks (Clipboard API and the fallback), the light/dark toggle (system by
// default, remembered, applied before reading.js runs), axe in both chosen schemes, and
// no sideways scrolling at 320px. Registered by run.mjs.

import path from 'node:path';
import { axeSevere } from './axe.mjs';

/** Registers the reading-aid tests; `fx` holds run.mjs's fixtures and helpers. */
export function registerReadingTests(fx) {
  const { test, check, CheckFailed, site, offline, gotoOk, watch, checkClean, ARTIFACTS } = fx;
  const PACK = 'support-triage/';
  // A section page with a code block and four headings (answers, notes and two of its own).
  const SECTION = `${PACK}operability/`;
  const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
  const WIDE = { viewport: { width: 1280, height: 800 } };
  const LIGHT_BG = 'rgb(255, 255, 255)';
  const DARK_BG = 'rgb(13, 17, 23)';


  /** The contents' box, whether it is open, and the page's scroll position and height. */
  const tocState = (page) => page.evaluate(() => {
    const toc = document.querySelector('details.toc');
    if (!toc) return { missing: true };
    const r = toc.getBoundingClientRect();
    const content = document.querySelector('.page-content').getBoundingClientRect();
    return {
      open: toc.open, top: Math.round(r.top), bottom: Math.round(r.bottom), left: Math.round(r.left),
      contentRight: Math.round(content.right), contentTop: Math.round(content.top),
      linkVisible: !!toc.querySelector('nav a')?.checkVisibility(),
      scrollY: Math.round(scrollY), height: document.documentElement.scrollHeight,
    };
  });

  /** The page's scheme as painted: its background and the toggle's state. */
  const scheme = (page) => page.evaluate(() => ({
    bg: getComputedStyle(document.body).backgroundColor,
    chosen: document.documentElement.getAttribute('data-theme'),
    pressed: document.querySelector('button.theme-toggle')?.getAttribute('aria-pressed') ?? null,
    stored: localStorage.getItem('rollbook-theme'),
  }));

  test('contents at 1280x800: open beside the page, and still in view after scrolling to the end', async (t) => {
    const s = await site();
    const page = await t.newPage(WIDE);
    const problems = watch(page);
    for (const p of [SECTION, `${PACK}checklist/`, `${PACK}runbook/`]) {
      await gotoOk(page, s.url(p));
      await page.waitForFunction(() => document.querySelector('details.toc')?.open, null, { timeout: 5000 })
        .catch(() => { throw new CheckFailed(`${p}: the contents never opened at 1280x800 (reading.js did not run?)`); });
      const before = await tocState(page);
      check(before.left >= before.contentRight, `${p}: the contents (x ${before.left}) are not beside the page (its right edge at ${before.contentRight})`);
      check(before.linkVisible, `${p}: the contents' links are not shown`);
      check(before.height > 800 + 200, `${p}: the page is ${before.height}px tall, too short to scroll`);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForFunction(() => scrollY > 0);
      const after = await tocState(page);
      check(after.scrollY > 200, `${p}: the page scrolled only ${after.scrollY}px`);
      check(after.top >= 0 && after.bottom <= 800 && after.linkVisible, () => `${p}: after scrolling ${after.scrollY}px the contents span y ${after.top}–${after.bottom}, not within the 800px viewport`);
      t.log(`${p}: contents at y ${before.top} before, ${after.top} after scrolling ${after.scrollY}px`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'contents-1280x800.png') });
    checkClean(problems, 'contents at 1280x800');
  });

  test('contents at 390x844: folded at the top of the page; opening them and following a link lands on the heading', async (t) => {
    const s = await site();
    const page = await t.newPage(PHONE);
    const problems = watch(page);
    await gotoOk(page, s.url(SECTION));
    const folded = await tocState(page);
    check(!folded.missing && !folded.open && !folded.linkVisible, () => `at 390x844 the contents are not folded: ${JSON.stringify(folded)}`);
    check(folded.bottom <= folded.contentTop && folded.bottom < 844, `the folded contents (y ${folded.top}–${folded.bottom}) are not above the page's text (y ${folded.contentTop})`);
    await page.click('details.toc > summary');
    const open = await tocState(page);
    check(open.open && open.linkVisible, 'a tap on "On this page" does not open the contents');
    const link = page.locator('details.toc nav a').last();
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForFunction((h) => location.hash === h, href, { timeout: 5000 })
      .catch(() => { throw new CheckFailed(`following ${href} did not change the address`); });
    const landed = await page.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return { top: Math.round(r.top), bottom: Math.round(r.bottom) };
    }, decodeURIComponent(href.slice(1)));
    check(landed.top >= 0 && landed.top < 844, `${href} is at y ${landed.top} after following it`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'contents-390x844.png') });
    checkClean(problems, 'contents at 390x844');
  });

  test('permalinks: shown on hover and on keyboard focus at 1280x800, always on a touch screen', async (t) => {
    const s = await site();
    const wide = await t.newPage(WIDE);
    await gotoOk(wide, s.url(SECTION));
    const answer = wide.locator('.answer[id] dt .permalink').first();
    const heading = wide.locator('h2#answers .permalink');
    const opacity = (l) => l.evaluate((a) => getComputedStyle(a).opacity);
    check(await opacity(heading) === '0', `a heading's permalink shows at rest: opacity ${await opacity(heading)}`);
    await wide.hover('h2#answers');
    check(await opacity(heading) === '1', 'hovering a heading does not show its permalink');
    await wide.mouse.move(0, 0);
    await answer.focus();
    check(await opacity(answer) === '1', 'a focused answer permalink is not shown');
    check(await answer.evaluate((a) => document.activeElement === a), 'an answer permalink cannot take focus');
    const phone = await t.newPage(PHONE);
    await gotoOk(phone, s.url(SECTION));
    const touch = await phone.locator('.permalink').evaluateAll((all) => all.filter((a) => getComputedStyle(a).opacity !== '1').length);
    check(touch === 0, `${touch} permalinks are hidden on a touch screen`);
  });

  test('copy buttons: copy a code block over http and from file://, with the fallback when the Clipboard API is missing, announce it, and need scripts', async (t) => {
    const s = await site();
    const o = await offline();
    const cases = [
      ['http', s.url(SECTION), false],
      ['file://', o.url(`${SECTION}index.html`), false],
      ['http, no Clipboard API', s.url(SECTION), true],
    ];
    for (const [where, url, noApi] of cases) {
      const ctx = await t.newContext(WIDE);
      await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], url.startsWith('http') ? { origin: new URL(url).origin } : undefined).catch(() => {});
      const page = await ctx.newPage();
      // The fallback path: the page sees no navigator.clipboard; the test keeps it to read.
      if (noApi) {
        await page.addInitScript(() => {
          window.__clipboard = navigator.clipboard;
          Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
        });
      }
      const problems = watch(page);
      await page.goto(url, { waitUntil: 'load' });
      const button = page.locator('pre.code button.copy-code').first();
      await button.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {
        throw new CheckFailed(`${where}: no copy button showed (reading.js did not run?)`);
      });
      const want = await page.locator('pre.code').first().evaluate((pre) => pre.querySelector('code').textContent);
      check(want.length > 10, `${where}: the code block holds "${want}"`);
      // Emptied first, so what an earlier case copied cannot pass for this one's.
      await page.evaluate(() => (window.__clipboard || navigator.clipboard).writeText('-'));
      await button.click();
      await page.waitForFunction(() => document.querySelector('button.copy-code')?.textContent === 'Copied', null, { timeout: 5000 })
        .catch(async () => { throw new CheckFailed(`${where}: after a click the button says "${await button.textContent()}", not "Copied"`); });
      const said = await page.evaluate(() => document.querySelector('[role=status].visually-hidden:not(.rb-copied)')?.textContent);
      check(said === 'Copied', `${where}: the live region says "${said}", not "Copied"`);
      const copied = await page.evaluate(() => (window.__clipboard || navigator.clipboard).readText()).catch((e) => `(clipboard unreadable: ${e.message})`);
      check(copied === want, `${where}: the clipboard holds "${copied}", not the code block's "${want}"`);
      check(!(await page.locator('.copy-buffer').count()), `${where}: the fallback's text area was left on the page`);
      t.log(`${where}: copied ${copied.length} characters`);
      checkClean(problems, `copy on ${where}`);
    }
    const page = await t.newPage({ ...WIDE, javaScriptEnabled: false });
    await gotoOk(page, s.url(SECTION));
    check(await page.locator('button.copy-code').count() === 0, 'without scripts a copy button is on the page');
    check(!(await page.locator('button.theme-toggle').isVisible()), 'without scripts the theme toggle shows');
  });

  for (const system of ['light', 'dark']) {
    test(`theme toggle (system ${system}): defaults to the system, switches, is remembered across a reload before scripts run, and follows the system again when switched back`, async (t) => {
      const s = await site();
      const ctx = await t.newContext({ ...WIDE, colorScheme: system });
      const page = await ctx.newPage();
      const problems = watch(page);
      await gotoOk(page, s.url(SECTION));
      const other = system === 'light' ? 'dark' : 'light';
      const bg = { light: LIGHT_BG, dark: DARK_BG };
      const start = await scheme(page);
      check(start.bg === bg[system] && start.chosen === null && start.pressed === String(system === 'dark'),
        () => `with the system ${system} and no choice the page is ${JSON.stringify(start)}`);
      const comment = () => page.evaluate(() => getComputedStyle(document.querySelector('pre.code .hl-comment')).color);
      const systemComment = await comment();
      const toggle = page.getByRole('button', { name: 'Dark theme' });
      await toggle.click();
      const switched = await scheme(page);
      check(switched.bg === bg[other] && switched.chosen === other && switched.stored === other && switched.pressed === String(other === 'dark'),
        () => `after the toggle the page is ${JSON.stringify(switched)}`);
      check(await comment() !== systemComment, `the code's colours did not follow the toggle (comments stay ${systemComment})`);
      // The choice is applied by the head's script, before the page's scripts run.
      await page.route('**/reading.js', (r) => r.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
      await page.reload({ waitUntil: 'load' });
      const kept = await scheme(page);
      check(kept.bg === bg[other] && kept.chosen === other, () => `after a reload without reading.js the page is ${JSON.stringify(kept)}`);
      await page.unroute('**/reading.js');
      await page.reload({ waitUntil: 'load' });
      check((await scheme(page)).pressed === String(other === 'dark'), 'after a reload the toggle does not show the choice');
      await toggle.click();
      const back = await scheme(page);
      check(back.bg === bg[system] && back.chosen === null && back.stored === null,
        () => `switched back to the system's scheme the page is ${JSON.stringify(back)}`);
      await page.reload({ waitUntil: 'load' });
      check((await scheme(page)).bg === bg[system], 'switched back, the reload is not in the system scheme');
      checkClean(problems, `theme toggle (system ${system})`);
    });
  }

  test('theme toggle: axe finds no serious or critical violation on a section page in either chosen scheme', async (t) => {
    const s = await site();
    const page = await t.newPage({ ...WIDE, colorScheme: 'light' });
    await gotoOk(page, s.url(SECTION));
    for (const want of ['dark', 'light']) {
      await page.getByRole('button', { name: 'Dark theme' }).click();
      const now = await scheme(page);
      check(now.bg === (want === 'dark' ? DARK_BG : LIGHT_BG), `the toggle did not switch to ${want}: ${JSON.stringify(now)}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `section-toggled-${want}.png`), fullPage: true });
      const severe = await axeSevere(page);
      check(severe.length === 0, () => `axe on ${SECTION} toggled ${want}:\n${severe.join('\n')}`);
    }
  });

  test('reading aids at 320px: no horizontal scroll with the contents folded or open', async (t) => {
    const s = await site();
    const page = await t.newPage({ viewport: { width: 320, height: 700 }, isMobile: true, hasTouch: true });
    for (const p of [SECTION, PACK, `${PACK}checklist/`, `${PACK}runbook/`, `${PACK}evaluation/`]) {
      await gotoOk(page, s.url(p));
      const folded = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.evaluate(() => { const d = document.querySelector('details.toc'); if (d) d.open = true; });
      const open = await page.evaluate(() => document.documentElement.scrollWidth);
      check(folded <= 320 && open <= 320, `${p} is ${folded}px wide (${open}px with the contents open) at a 320px viewport`);
    }
  });
}
