// Browser tests of a pack's evaluation page as its author reads it: a chart per gate
// metric with the gate's bound drawn and the latest value written, in light and dark, on
// a phone and a laptop; no sideways scrolling at 320 px; the charts without scripts and in
// print; and axe, with every table unfolded. Registered by run.mjs.

import path from 'node:path';
import { axeSevere } from './axe.mjs';

/** Registers the evaluation tests; `fx` holds run.mjs's fixtures and helpers. */
export function registerEvaluationTests(fx) {
  const { test, check, site, gotoOk, watch, checkClean, ARTIFACTS } = fx;
  // The example's complete pack: seven runs of two models, four gate metrics.
  const EVALUATION = 'support-triage/evaluation/';
  // A pack whose latest run fails its gate.
  const FAILING = 'returns-assistant/evaluation/';
  const SIZES = [
    { name: '390x844', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    { name: '1280x800', viewport: { width: 1280, height: 800 } },
  ];


  /** The gate metrics the latest-values table lists (rows with a verdict), in order. */
  const gateMetrics = (page) => page.$$eval('table.latest-values tbody tr:is(.met, .unmet) th code', (cs) => cs.map((c) => c.textContent.trim()));

  /** Each chart: its metric, how its drawing, bound lines and latest label show. */
  const charts = (page) => page.$$eval('figure.eval-chart', (figs) => figs.map((fig) => {
    const svg = fig.querySelector('svg.chart');
    const box = svg?.getBoundingClientRect();
    const shown = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return {
        visible: el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && (r.width > 0 || r.height > 0),
        inside: !!box && r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
        stroke: cs.stroke, fill: cs.fill, width: r.width, text: el.textContent.trim(),
      };
    };
    return {
      metric: fig.querySelector('figcaption code')?.textContent.trim(),
      caption: fig.querySelector('figcaption')?.innerText.trim(),
      role: svg?.getAttribute('role'),
      label: svg?.getAttribute('aria-label') || '',
      svg: svg && { width: box.width, height: box.height, visible: svg.checkVisibility() },
      bounds: [...fig.querySelectorAll('.chart-bound line')].map(shown),
      boundLabels: [...fig.querySelectorAll('.chart-bound text')].map(shown),
      latest: shown(fig.querySelector('.chart-latest text')),
      rows: fig.querySelectorAll('.chart-data tbody tr').length,
      bg: getComputedStyle(document.body).backgroundColor,
    };
  }));

  for (const size of SIZES) {
    for (const scheme of ['light', 'dark']) {
      const { name, ...opts } = size;
      test(`evaluation ${name} ${scheme}: a chart per gate metric with its bound and latest value; axe clean with the tables open`, async (t) => {
        const s = await site();
        const page = await t.newPage({ ...opts, colorScheme: scheme });
        await page.emulateMedia({ colorScheme: scheme });
        const problems = watch(page);
        await gotoOk(page, s.url(EVALUATION));
        const metrics = await gateMetrics(page);
        check(metrics.length === 4, `the latest-values table lists ${metrics.length} gate metrics: ${metrics.join(', ')}`);
        const seen = await charts(page);
        check(seen.map((c) => c.metric).join() === metrics.join(), `charts for ${seen.map((c) => c.metric).join(', ')}; gate metrics ${metrics.join(', ')}`);
        for (const c of seen) {
          const where = `${c.metric} at ${name} (${scheme})`;
          check(c.role === 'img' && c.label.includes(c.metric), `${where}: the chart has no text alternative (role ${c.role}, label "${c.label}")`);
          check(c.svg?.visible && c.svg.width >= 250 && c.svg.height >= 100, `${where}: the chart is ${JSON.stringify(c.svg)}`);
          check(c.bounds.length >= 1, `${where}: no bound line`);
          for (const b of c.bounds) {
            check(b.visible && b.inside && b.width > 10, `${where}: the bound line is not visible inside the chart: ${JSON.stringify(b)}`);
            check(b.stroke !== 'none' && b.stroke !== c.bg, `${where}: the bound line's stroke is ${b.stroke} on ${c.bg}`);
          }
          check(c.boundLabels.every((l) => l.visible && l.inside && /^(min|max|floor) /.test(l.text)), `${where}: bound labels ${JSON.stringify(c.boundLabels)}`);
          check(c.latest?.visible && c.latest.inside && /^-?\d/.test(c.latest.text), `${where}: the latest value is not written on the chart: ${JSON.stringify(c.latest)}`);
          check(c.caption.includes(`latest ${c.latest.text}`), `${where}: the caption "${c.caption}" does not give the latest value ${c.latest.text}`);
          check(c.rows === 7, `${where}: the text alternative lists ${c.rows} runs, expected 7`);
        }
        const bounds = await page.$eval('.chart-bound line', (l) => getComputedStyle(l).stroke);
        t.log(`${seen.length} charts; bound stroke ${bounds}`);
        await page.screenshot({ path: path.join(ARTIFACTS, `evaluation-${name}-${scheme}.png`), fullPage: true });
        // Every folded table open, so axe reads them at this width too.
        await page.$$eval('main details', (ds) => ds.forEach((d) => { d.open = true; }));
        const severe = await axeSevere(page);
        check(severe.length === 0, () => `axe on the evaluation page at ${name} (${scheme}):\n${severe.join('\n')}`);
        checkClean(problems, `evaluation page at ${name} (${scheme})`);
      });
    }
  }

  test('evaluation: a failing gate reads "gate failing" beside 100% complete; the warnings are on the page and the overview, axe clean', async (t) => {
    const s = await site();
    const page = await t.newPage({ viewport: { width: 390, height: 844 } });
    await gotoOk(page, s.url(FAILING));
    const summary = (await page.locator('.section-summary').innerText()).trim();
    check(/100% complete/.test(summary) && /gate failing/.test(summary), `the summary reads "${summary}"`);
    const warnings = await page.$$eval('.warnings li', (ls) => ls.map((l) => l.innerText));
    check(warnings.some((w) => /fails the release gate/.test(w)) && warnings.some((w) => /collect at least 20/.test(w)), `warnings shown: ${warnings.join(' | ')}`);
    const failing = await page.$$eval('figure.eval-chart-fail figcaption code', (cs) => cs.map((c) => c.textContent));
    check(failing.join() === 'policy_accuracy', `charts marked failing: ${failing.join(', ')}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'evaluation-failing-390x844.png'), fullPage: true });
    // The overview lists them all, each linked to its page, and stays axe clean in both schemes.
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await gotoOk(page, s.url(FAILING.replace(/evaluation\/$/, '')));
      const listed = await page.$$eval('#warnings + ul li a', (as) => as.map((a) => a.getAttribute('href')));
      check(listed.length >= 5 && listed.every((h) => /\/returns-assistant\/[a-z]+\/$/.test(h)), `overview warnings link to ${listed.join(', ')}`);
      const severe = await axeSevere(page);
      check(severe.length === 0, () => `axe on the overview with warnings (${scheme}):\n${severe.join('\n')}`);
      if (scheme === 'dark') await page.screenshot({ path: path.join(ARTIFACTS, 'overview-warnings-390x844-dark.png'), fullPage: true });
    }
  });

  test('evaluation 320px: no horizontal scroll, tables open or folded', async (t) => {
    const s = await site();
    const page = await t.newPage({ viewport: { width: 320, height: 700 } });
    for (const p of [EVALUATION, FAILING]) {
      await gotoOk(page, s.url(p));
      for (const open of [false, true]) {
        if (open) await page.$$eval('main details', (ds) => ds.forEach((d) => { d.open = true; }));
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        check(w <= 320, `${p} (${open ? 'tables open' : 'folded'}) is ${w}px wide at a 320px viewport`);
      }
    }
  });

  test('evaluation without scripts and in print: the charts are drawn, in black when printed', async (t) => {
    const s = await site();
    const page = await t.newPage({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false, colorScheme: 'dark' });
    await gotoOk(page, s.url(EVALUATION));
    const drawn = await charts(page);
    check(drawn.length === 4 && drawn.every((c) => c.svg?.visible && c.bounds.every((b) => b.visible)), `without scripts: ${JSON.stringify(drawn.map((c) => [c.metric, c.svg]))}`);
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ({
      bound: getComputedStyle(document.querySelector('.chart-bound line')).stroke,
      line: getComputedStyle(document.querySelector('.chart-series polyline')).stroke,
      text: getComputedStyle(document.querySelector('.chart-latest text')).fill,
    }));
    check(Object.values(printed).every((c) => c === 'rgb(0, 0, 0)'), `in print the chart is not black: ${JSON.stringify(printed)}`);
    await page.pdf({ path: path.join(ARTIFACTS, 'evaluation-print.pdf'), format: 'A4', timeout: 20_000 }).catch(() => {});
  });
}
