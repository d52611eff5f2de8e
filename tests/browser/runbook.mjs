// Browser tests of the runbook as a responder uses it on a phone at night: the incident
// owner's call button, the kill switch and the first action above the fold, every person
// to page labelled with a role, the fallback when nobody is on the paging list, the copy
// button, no sideways scrolling, and axe, in light and dark. Registered by run.mjs.

import path from 'node:path';
import { axeSevere } from './axe.mjs';

/** Registers the runbook tests; `fx` holds run.mjs's fixtures and helpers. */
export function registerRunbookTests(fx) {
  const { test, check, CheckFailed, site, offline, gotoOk, watch, checkClean, ARTIFACTS } = fx;
  const RUNBOOK = 'support-triage/runbook/';
  // The example pack with no incident section: nobody on its paging list, no incident
  // owner, its DRI known.
  const FALLBACK = 'store-inventory-forecast/runbook/';
  const COMMAND = 'flagpole set support_triage.enabled off --env prod';
  const ABOVE_FOLD = ['.rb-first a.contact', '.rb-kill', '.rb-actions li:first-child'];
  const SIZES = [
    { name: '390x844', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    { name: '1280x800', viewport: { width: 1280, height: 800 } },
  ];

  /** Where each selector's first element sits, and whether it is visible. */
  const boxes = (page, sels) => page.evaluate((list) => list.map((sel) => {
    const el = document.querySelector(sel);
    if (!el) return { sel, missing: true };
    const r = el.getBoundingClientRect();
    return {
      sel, top: Math.round(r.top), bottom: Math.round(r.bottom),
      visible: el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && r.width > 0 && r.height > 0,
      text: el.textContent.trim().replace(/\s+/g, ' ').slice(0, 60),
    };
  }), sels);

  /** Each person under "Who to page": name, roles as shown, and their links. */
  const paged = (page) => page.$$eval('.rb-people ol.rb-contacts > li', (lis) => lis.map((li) => ({
    name: li.querySelector('.person')?.textContent.trim() ?? '',
    roles: li.querySelector('.rb-roles')?.innerText.trim() ?? '',
    rolesVisible: !!li.querySelector('.rb-roles')?.checkVisibility(),
    links: [...li.querySelectorAll('a.contact')].map((a) => a.getAttribute('href')),
  })));


  for (const size of SIZES) {
    for (const scheme of ['light', 'dark']) {
      const { name, ...opts } = size;
      test(`runbook ${name} ${scheme}: call button, kill switch and first action above the fold; every person to page has a role; axe clean`, async (t) => {
        const s = await site();
        const page = await t.newPage({ ...opts, colorScheme: scheme });
        await page.emulateMedia({ colorScheme: scheme });
        const problems = watch(page);
        await gotoOk(page, s.url(RUNBOOK));
        check(await page.evaluate((sc) => matchMedia(`(prefers-color-scheme: ${sc})`).matches, scheme), `prefers-color-scheme: ${scheme} is not in effect`);
        const shot = `runbook-${name}-${scheme}.png`;
        await page.screenshot({ path: path.join(ARTIFACTS, shot) });
        const height = opts.viewport.height;
        const found = await boxes(page, ABOVE_FOLD);
        t.log(`${found.map((b) => `${b.sel} ${b.missing ? 'missing' : `${b.top}–${b.bottom}`}`).join('; ')} (screenshot: tests/browser/artifacts/${shot})`);
        check(await page.evaluate(() => scrollY) === 0, 'the page opened scrolled');
        const bad = found.filter((b) => b.missing || !b.visible || b.top < 0 || b.bottom > height).map((b) => (b.missing
          ? `${b.sel} is not on the page`
          : `${b.sel} ("${b.text}") ${b.visible ? '' : 'is not visible, '}spans y ${b.top}–${b.bottom}, must be within 0–${height}`));
        check(bad.length === 0, () => `at ${name} a responder must scroll to see:\n  ${bad.join('\n  ')}`);
        const call = await page.$eval('.rb-first a.contact', (a) => ({ href: a.getAttribute('href'), text: a.textContent.trim(), h: a.getBoundingClientRect().height }));
        check(call.href.startsWith('tel:'), `the first button at the top is ${call.href}, not a phone call`);
        check(call.h >= 44, `the call button is ${call.h}px tall; a thumb needs 44`);

        const people = await paged(page);
        check(people.length >= 2, `Who to page lists ${people.length} people`);
        const unlabelled = people.filter((p) => !p.roles || !p.rolesVisible);
        check(unlabelled.length === 0, () => `people to page with no visible role: ${unlabelled.map((p) => p.name).join(', ')}`);
        const security = people.filter((p) => /security owner/i.test(p.roles)).map((p) => p.name);
        check(security.length === 1 && security[0] === 'Priya Raman', `the security owner under Who to page is ${security.join(', ') || 'nobody'}, expected Priya Raman`);
        const names = people.map((p) => p.name.toLowerCase());
        check(new Set(names).size === names.length, `someone is listed twice: ${names.join(', ')}`);

        const severe = await axeSevere(page);
        check(severe.length === 0, () => `axe on the runbook at ${name} (${scheme}):\n${severe.join('\n')}`);
        checkClean(problems, `runbook at ${name} (${scheme})`);
      });
    }
  }

  test('runbook fallback: with nobody on the paging list, the DRI is shown to call, above the fold, with no red paging section', async (t) => {
    const s = await site();
    const { name: _phone, ...phone } = SIZES[0];
    const page = await t.newPage(phone);
    const problems = watch(page);
    await gotoOk(page, s.url(FALLBACK));
    await page.screenshot({ path: path.join(ARTIFACTS, 'runbook-fallback-390x844.png') });
    const note = page.locator('.rb-people .rb-fallback');
    check(await note.isVisible(), 'no fallback note under Who to page');
    const said = (await note.innerText()).trim();
    check(said.startsWith('No paging list yet — call the DRI.'), `the fallback note says "${said}"`);
    check(await page.locator('.rb-people .rb-alert').count() === 0, 'Who to page still shows a red alert although the DRI can be called');
    const people = await paged(page);
    check(people.length >= 1 && people[0].name === 'Helen Okafor' && /DRI/.test(people[0].roles), () => `the fallback list is ${JSON.stringify(people)}`);
    check(people[0].links.some((h) => h.startsWith('mailto:')), `Helen Okafor has no e-mail link: ${people[0].links}`);
    const [first] = await boxes(page, ['.rb-first a.contact']);
    check(!first.missing && first.visible && first.bottom <= 844, `the DRI's contact at the top spans ${first.top}–${first.bottom}`);
    check(/call the DRI/i.test(await page.locator('.rb-first h2').innerText()), 'the top of the page does not say to call the DRI');
    checkClean(problems, 'fallback runbook');
  });

  test('runbook copy button: copies the kill-switch command over http and from file://; without scripts the command stays plain text', async (t) => {
    const s = await site();
    const o = await offline();
    for (const [where, url] of [['http', s.url(RUNBOOK)], ['file://', o.url(`${RUNBOOK}index.html`)]]) {
      const ctx = await t.newContext({ viewport: { width: 390, height: 844 } });
      await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], where === 'http' ? { origin: new URL(url).origin } : undefined).catch(() => {});
      const page = await ctx.newPage();
      const problems = watch(page);
      await page.goto(url, { waitUntil: 'load' });
      const button = page.locator('.rb-kill button.rb-copy');
      await button.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {
        throw new CheckFailed(`${where}: the copy button never showed (runbook.js did not run?)`);
      });
      const code = (await page.locator('.rb-kill pre code').textContent());
      check(code === COMMAND, `${where}: the command block holds "${code}"`);
      check(await button.getAttribute('data-copy') === await page.locator('.rb-kill pre code').getAttribute('id'), `${where}: the button does not name the command`);
      await button.click();
      await page.waitForFunction(() => document.querySelector('.rb-copy')?.textContent === 'Copied', null, { timeout: 5000 })
        .catch(async () => { throw new CheckFailed(`${where}: after a click the button says "${await button.textContent()}", not "Copied"`); });
      const copied = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `(clipboard unreadable: ${e.message})`);
      check(copied === COMMAND, `${where}: the clipboard holds "${copied}", not "${COMMAND}"`);
      t.log(`${where}: copied "${copied}"`);
      checkClean(problems, `copy on ${where}`);
    }
    const page = await t.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    await gotoOk(page, s.url(RUNBOOK));
    check(!(await page.locator('.rb-copy').isVisible()), 'without scripts a copy button that cannot work is shown');
    const code = page.locator('.rb-kill pre code');
    check(await code.isVisible(), 'without scripts the command is not shown');
    const select = await code.evaluate((c) => getComputedStyle(c).userSelect);
    check(select !== 'none', 'the command cannot be selected');
  });

  test('phone navigation: from every page of a pack the runbook link is on the first screen at 390x844, and the sidebar is hidden there at 1280x800', async (t) => {
    const s = await site();
    const { name: _phone, ...phone } = SIZES[0];
    const page = await t.newPage(phone);
    const problems = watch(page);
    const pack = RUNBOOK.replace(/runbook\/$/, '');
    const pages = ['', 'workflow/', 'incident/', 'evaluation/', 'rhythm/', 'checklist/'].map((p) => pack + p);
    for (const p of pages) {
      await gotoOk(page, s.url(p));
      const [link] = await boxes(page, ['.pack-bar a.pack-bar-runbook']);
      check(!link.missing && link.visible && link.top >= 0 && link.bottom <= 844, () => `${p} at 390x844: the runbook link ${link.missing ? 'is missing' : `spans y ${link.top}–${link.bottom}`}`);
      await page.click('.pack-bar a.pack-bar-runbook');
      await page.waitForURL((u) => u.pathname.endsWith(RUNBOOK));
      await page.goBack();
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'pack-bar-390x844.png') });
    const wide = await t.newPage({ viewport: { width: 1280, height: 800 } });
    await gotoOk(wide, s.url(pack + 'workflow/'));
    check(!(await wide.locator('.pack-bar').isVisible()), 'at 1280x800 the phone bar shows beside the sidebar');
    checkClean(problems, 'phone navigation');
  });

  test('runbook 320px: no horizontal scroll on a full runbook or a fallback one', async (t) => {
    const s = await site();
    const page = await t.newPage({ viewport: { width: 320, height: 700 } });
    for (const p of [RUNBOOK, FALLBACK]) {
      await gotoOk(page, s.url(p));
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      check(w <= 320, `${p} is ${w}px wide at a 320px viewport`);
    }
  });
}
