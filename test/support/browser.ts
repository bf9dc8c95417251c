import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from './test-app';

/**
 * Where browser tests save screenshots: a temporary folder, so a test run leaves the tracked ones in
 * docs/screenshots alone; `npm run screenshots` sets SCREENSHOTS=docs/screenshots to refresh them.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.SCREENSHOTS ? join(ROOT, process.env.SCREENSHOTS) : join(tmpdir(), 'natc-screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** CHROMIUM_PATH, Debian's, else the packaged one: see chromium.ts. */
export { launchChromium } from './chromium';

/** A new browser context (its Accept-Language from `locale`) signed in through the sign-in form. */
export async function signInPage(browser: Browser, baseUrl: string, token: string, options: { locale?: string; width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-GB', viewport: { width: options.width ?? 1360, height: options.height ?? 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login?next=%2Fapprovals`);
  await page.locator('#token').fill(token);
  await page.locator('form[method=post][action="/login"] button').click();
  await page.waitForURL(`${baseUrl}/approvals`);
  return page;
}
