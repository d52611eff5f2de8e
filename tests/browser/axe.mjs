// axe-core in a page: the serious and critical violations, each as readable lines (the
// rule, then up to eight of its elements with why they fail), and any text whose contrast
// axe cannot measure because a gradient or picture is behind it.

import fs from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Why axe may not measure a text's contrast that a page can avoid: a gradient or a
 *  picture behind it. (Text in an image, which has its own text alternative, or under an
 *  open panel, is left unmeasured on purpose.) */
const BEHIND = ['bgGradient', 'bgImage'];

/** Runs axe on the page; every serious or critical violation, and every text whose
 *  contrast cannot be measured for a gradient or picture behind it, one string each. */
export async function axeSevere(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (behind) => {
    const r = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const severe = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const unmeasured = r.incomplete
      .filter((v) => v.id === 'color-contrast')
      .map((v) => ({ ...v, impact: 'unmeasured', help: 'the contrast of this text cannot be measured: a gradient or picture is behind it', nodes: v.nodes.filter((n) => n.any.some((a) => a.data && behind.includes(a.data.messageKey))) }))
      .filter((v) => v.nodes.length > 0);
    return [...severe, ...unmeasured].map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160), summary: (n.failureSummary || n.any.map((a) => a.message).join('; ')).replace(/\s+/g, ' ').slice(0, 300) })),
    }));
  }, BEHIND);
  return violations.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n${v.nodes.slice(0, 8).map((n) => `    - ${n.target}  ${n.html}\n      ${n.summary}`).join('\n')}${v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : ''}`);
}
