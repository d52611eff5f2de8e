// Browser tests of search as a reader uses it: a heading found and opened at its anchor
// with the words marked, snippets with the words in <mark> and markup shown as text, a
// count that matches the results shown and "show more", Ctrl+K / Cmd+K to focus, arrows
// and Enter to choose, Escape to close, axe clean with the results open, from http:// and
// from file://. Registered by run.mjs.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { axeSevere } from './axe.mjs';

/** Registers the search tests; `fx` holds run.mjs's fixtures and helpers. */
export function registerSearchTests(fx) {
  const { test, check, CheckFailed, site, offline, gotoOk, watch, checkClean, runCommand, BIN, TMP, TODAY } = fx;
  const PACK = 'support-triage';
  // A heading of the example pack's incident notes, and its id.
  const HEADING_QUERY = 'harness misroute';
  const ANCHOR = 'november-harness-misroute';
  const MANY = 'kill switch';

  /** Waits for the results of `query` (each result's link carries its query). */
  async function resultsOf(page, query) {
    await page.waitForFunction((q) => {
      const links = [...document.querySelectorAll('#search-results li a')];
      return links.length > 0 && links.every((a) => new URL(a.href).searchParams.get('q') === q);
    }, query, { timeout: 10_000 }).catch(async () => {
      const st = await page.locator('#search-status').textContent();
      throw new CheckFailed(`no search results appeared for "${query}" (status: "${st}")`);
    });
  }

  /** Types `query` into the search box and waits for its results. */
  async function search(page, query) {
    await page.locator('#search-input').fill(query);
    await resultsOf(page, query);
  }

  /** Each result as shown: its link, text, snippet's HTML and marked words. */
  const results = (page) => page.$$eval('#search-results li', (lis) => lis.map((li) => ({
    href: li.querySelector('a')?.href ?? '',
    text: li.querySelector('a')?.textContent ?? '',
    snippet: li.querySelector('p')?.innerHTML ?? '',
    marks: [...li.querySelectorAll('p mark')].map((m) => m.textContent),
    elements: [...li.querySelectorAll('p *')].map((e) => e.tagName.toLowerCase()),
  })));


  /**
   * Searches for the heading, checks its result links to the heading's anchor with the
   * words in its snippet marked, opens it and checks the page is at the anchor with the
   * words marked in its main content.
   */
  async function headingOpensAtAnchor(page, what) {
    await search(page, HEADING_QUERY);
    const shown = await results(page);
    const i = shown.findIndex((r) => new URL(r.href).hash === `#${ANCHOR}` && new URL(r.href).pathname.includes(`/${PACK}/incident/`));
    check(i >= 0, `${what}: no result for "${HEADING_QUERY}" opens ${PACK}/incident/ at #${ANCHOR}: ${shown.map((r) => r.href).join(', ')}`);
    const hit = shown[i];
    check(hit.text === 'November harness misroute', `${what}: the result names "${hit.text}", not the heading`);
    check(new URL(hit.href).searchParams.get('q') === HEADING_QUERY, `${what}: the result ${hit.href} does not carry the query`);
    check(hit.marks.some((m) => /^harness$/i.test(m)), `${what}: the snippet marks ${JSON.stringify(hit.marks)}, not "harness": ${hit.snippet}`);
    await Promise.all([page.waitForURL((u) => u.hash === `#${ANCHOR}`), page.locator('#search-results li a').nth(i).click()]);
    await page.locator('main mark.search-hit').first().waitFor({ state: 'attached', timeout: 10_000 }).catch(() => {
      throw new CheckFailed(`${what}: the page opened from the result marks no word`);
    });
    const opened = await page.evaluate((id) => {
      const h = document.getElementById(id);
      const r = h && h.getBoundingClientRect();
      return {
        top: r ? Math.round(r.top) : null,
        height: innerHeight,
        marks: [...document.querySelectorAll('mark.search-hit')].map((m) => ({ text: m.textContent, inMain: !!m.closest('main') })),
        inHeading: h ? [...h.querySelectorAll('mark.search-hit')].map((m) => m.textContent.toLowerCase()) : [],
      };
    }, ANCHOR);
    check(opened.top !== null, `${what}: the opened page has no #${ANCHOR}`);
    check(opened.top >= -2 && opened.top < opened.height / 2, `${what}: #${ANCHOR} is at y ${opened.top}, not at the top of the window (${opened.height}px)`);
    check(opened.marks.every((m) => m.inMain), `${what}: words marked outside the main content`);
    check(opened.inHeading.includes('harness') && opened.inHeading.includes('misroute'), `${what}: the heading marks ${JSON.stringify(opened.inHeading)}`);
  }

  test('search: a heading is found, its result opens at the heading\'s anchor with the words marked, from http', async (t) => {
    const s = await site();
    const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    await gotoOk(page, s.url(''));
    await headingOpensAtAnchor(page, 'http');
    const severe = await axeSevere(page);
    check(severe.length === 0, () => `axe on a page with words marked:\n${severe.join('\n')}`);
    checkClean(problems, 'search to a heading');
  });

  test('file://: a heading is found in the --offline copy and opens at its anchor with the words marked', async (t) => {
    const o = await offline();
    const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    await page.goto(o.url('index.html'), { waitUntil: 'load' });
    await headingOpensAtAnchor(page, 'file://');
    check(page.url().includes(`/${PACK}/incident/index.html?q=`), `from disk the result opened ${page.url()}, not the incident page's file`);
    checkClean(problems, 'offline search to a heading');
  });

  test('search: the count says how many results there are and how many are shown; "show more" shows the rest; axe clean', async (t) => {
    const s = await site();
    const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    await gotoOk(page, s.url(''));
    await search(page, MANY);
    const status = () => page.locator('#search-status').textContent();
    const count = () => page.locator('#search-results li').count();
    const first = await status();
    const m = first.match(/^Showing (\d+) of (\d+) results$/);
    check(m, `for "${MANY}" the status says "${first}"; the example site has more than 10 results, so it must say "Showing 10 of N results"`);
    const total = Number(m[2]);
    check(Number(m[1]) === 10 && await count() === 10, `the status says ${m[1]} shown, the list shows ${await count()}`);
    const shown = await results(page);
    const unmarked = shown.filter((r) => /\b(kill|switch)/i.test(r.snippet) && !r.marks.length);
    check(shown.some((r) => r.marks.length) && !unmarked.length, () => `snippets with the words unmarked: ${unmarked.map((r) => r.snippet).join(' | ') || 'no snippet marks a word'}`);
    check(shown.every((r) => r.elements.every((e) => e === 'mark')), 'a snippet holds elements other than <mark>');
    const severe = await axeSevere(page);
    check(severe.length === 0, () => `axe with the results open:\n${severe.join('\n')}`);
    const more = page.locator('#search-more');
    let rounds = 0;
    while (await more.isVisible()) {
      check(++rounds < 100, '"show more" never ran out');
      const before = await count();
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length > n, before);
      const n = await count();
      check(n === Math.min(total, before + 10), `"show more" took the list from ${before} to ${n} of ${total}`);
      const said = await status();
      check(said === (n < total ? `Showing ${n} of ${total} results` : `${total} results`), `with ${n} of ${total} shown the status says "${said}"`);
    }
    check(await count() === total, `after "show more" ran out ${await count()} results are shown, the count said ${total}`);
    const hrefs = (await results(page)).map((r) => r.href);
    check(new Set(hrefs).size === hrefs.length, 'a result is shown twice');
    t.log(`"${MANY}": ${total} results, all shown after ${rounds} "show more"`);
    checkClean(problems, 'show more');
  });

  test('search: Ctrl+K and Cmd+K focus the box; arrows move through the results, Enter opens one; Escape closes them', async (t) => {
    const s = await site();
    const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    await gotoOk(page, s.url(`${PACK}/`));
    // Whether the page kept the browser from its own Ctrl+K, seen after the page's handlers.
    await page.evaluate(() => {
      window.lastKey = null;
      window.addEventListener('keydown', (e) => { window.lastKey = { key: e.key, prevented: e.defaultPrevented }; });
    });
    for (const combo of ['Control+k', 'Meta+k']) {
      await page.locator('main').click({ position: { x: 5, y: 5 } });
      check(await page.evaluate(() => document.activeElement?.id) !== 'search-input', 'the search box had the focus before the shortcut');
      await page.keyboard.press(combo);
      const after = await page.evaluate(() => ({ id: document.activeElement?.id, key: window.lastKey }));
      check(after.id === 'search-input', `after ${combo} the focus is on ${after.id || 'nothing'}, not #search-input`);
      check(after.key?.prevented, `${combo} was left to the browser`);
    }
    await page.keyboard.type(MANY);
    await resultsOf(page, MANY);
    const focus = () => page.evaluate(() => {
      const a = document.activeElement;
      const links = [...document.querySelectorAll('#search-results a')];
      const cs = getComputedStyle(a);
      return { index: links.indexOf(a), id: a.id, href: a.href, visible: a.matches(':focus-visible') && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 };
    });
    await page.keyboard.press('ArrowDown');
    let f = await focus();
    check(f.index === 0 && f.visible, `ArrowDown from the box focused result ${f.index} (#${f.id}), ${f.visible ? '' : 'with no visible focus, '}not the first`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    f = await focus();
    check(f.index === 2 && f.visible, `two more ArrowDown focused result ${f.index}, not the third`);
    await page.keyboard.press('ArrowUp');
    f = await focus();
    check(f.index === 1, `ArrowUp focused result ${f.index}, not the second`);
    // Escape closes the results and gives the focus back to the box.
    await page.keyboard.press('Escape');
    const closed = await page.evaluate(() => ({ hidden: document.getElementById('search-panel').hidden, id: document.activeElement?.id }));
    check(closed.hidden && closed.id === 'search-input', `after Escape the results are ${closed.hidden ? 'closed' : 'open'} and the focus is on ${closed.id || 'nothing'}`);
    check(!(await page.locator('#search-results a').first().isVisible()), 'a result is still visible after Escape');
    // Typing opens them again; the arrows and Enter open the second.
    await page.keyboard.type(' ');
    await page.locator('#search-results li a').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    f = await focus();
    check(f.index === 1, `ArrowDown twice focused result ${f.index}`);
    const target = new URL(f.href);
    await Promise.all([page.waitForURL((u) => u.pathname === target.pathname && u.hash === target.hash), page.keyboard.press('Enter')]);
    check(new URL(page.url()).searchParams.get('q') === `${MANY}`, `Enter opened ${page.url()}, without the query`);
    await page.locator('main mark.search-hit').first().waitFor({ state: 'attached', timeout: 10_000 });
    checkClean(problems, 'search keyboard');
  });

  test('search: a snippet shows the markup written in the text as text, with the words in <mark>, from file://', async (t) => {
    const root = path.join(TMP, 'search-markup');
    fs.mkdirSync(path.join(root, 'content'), { recursive: true });
    fs.writeFileSync(path.join(root, 'site.toml'), 'title = "Markup"\nbase_url = "https://markup.example/docs"\n');
    fs.writeFileSync(path.join(root, 'content', 'markup.md'), [
      '+++', 'title = "Markup notes"', '+++',
      '## Tags kept as text', '',
      'Write `<img src=x onerror="document.title=\'owned\'">` and `<b>zebrafish</b>` literally.', '',
    ].join('\n'));
    const out = path.join(root, 'out');
    const args = ['--root', root, '--today', TODAY, 'build', '--offline', '-o', out];
    const r = await runCommand(BIN, args, { timeoutMs: 60_000 });
    check(r.code === 0, `rollbook ${args.join(' ')} failed: ${r.stderr}`);
    const page = await t.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    await page.goto(pathToFileURL(path.join(out, 'index.html')).href, { waitUntil: 'load' });
    await search(page, 'zebrafish');
    const shown = await results(page);
    const hit = shown.find((x) => new URL(x.href).hash === '#tags-kept-as-text');
    check(hit, `no result opens markup/ at #tags-kept-as-text: ${shown.map((x) => x.href).join(', ')}`);
    check(JSON.stringify(hit.elements) === '["mark"]', `the snippet holds the elements ${JSON.stringify(hit.elements)}, not one <mark>: ${hit.snippet}`);
    check(JSON.stringify(hit.marks) === '["zebrafish"]', `the snippet marks ${JSON.stringify(hit.marks)}`);
    check(hit.snippet.includes('&lt;img src=x onerror="document.title=\'owned\'"&gt;') && hit.snippet.includes('&lt;b&gt;<mark>zebrafish</mark>&lt;/b&gt;'),
      `the snippet does not show the markup as text: ${hit.snippet}`);
    check(await page.title() !== 'owned', 'markup in the text ran');
    checkClean(problems, 'snippet markup');
  });
}
