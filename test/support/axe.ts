import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The accessibility bar of every page: the WCAG 2.2 AA rules of axe. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * The serious and critical axe violations on the page as it is now, one line each with the page's
 * path and where they are. Only violations are gathered in full (axe's `resultTypes`): every node of
 * a violation is still reported, but axe stops collecting each passing node of a big calendar, which
 * took half its time. axe runs in the page itself (`setLegacyMode`): the default runs it frame by
 * frame and assembles the results in a new blank page, injecting axe's 500 KB three times, which
 * cost 400–500 ms per check even on a 50-element page (2.5× the whole sweep). What it is for,
 * cross-origin frames, our pages never have.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).options({ resultTypes: ['violations'] }).setLegacyMode().analyze();
  // axe did look: a page passes dozens of its rules.
  expect(result.passes.length).toBeGreaterThan(10);
  const where = new URL(page.url());
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where.pathname}${where.search} ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}
