import type { AxeResults, RunOptions } from 'axe-core';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * The accessibility bar of every page: the WCAG 2.2 AA rules of axe, and its best practices
 * (landmarks, heading order), which every page met before they were named here.
 */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Only violations are gathered in full (`resultTypes`): every node of a violation is still reported,
 * but axe stops collecting each passing node of a big calendar, which took half its time.
 */
const OPTIONS: RunOptions = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] };

/**
 * axe-core's own minified build, evaluated once per check. @axe-core/playwright evaluated the 1.3 MB
 * build twice per check (once more to inject it in each frame; our pages have none): the renderer
 * spent 14 % less on a language's sweep without that (measured). Its `withTags` was also silently
 * replaced by `options()`, so the sweeps ran axe's defaults, which leave out WCAG 2.2's target-size.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical axe violations on the page as it is now, one line each with the page's path and where they are. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  // Runs in the page (no DOM types here): the whole document.
  const result = await page.evaluate((options) => {
    const inPage = globalThis as unknown as { document: unknown; axe: { run: (context: unknown, options: RunOptions) => Promise<AxeResults> } };
    return inPage.axe.run(inPage.document, options);
  }, OPTIONS);
  // axe did look: a page passes dozens of its rules.
  expect(result.passes.length).toBeGreaterThan(10);
  const where = new URL(page.url());
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where.pathname}${where.search} ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}
