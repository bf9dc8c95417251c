import { seriousViolations } from '../support/axe';
import { Browser } from 'playwright-core';
import { launchChromium, screenshotPath, signInPage } from '../support/browser';
import { LINKEDIN_CLIENT, linkedinAccountsConfig } from '../support/linkedin-accounts';
import { LINKEDIN_ORG, startLinkedInFake } from '../support/linkedin-fake';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 14 #1 for LinkedIn in a real browser on a phone: the organisation is named on the form, the page's CSP lets the form go to LinkedIn. */
describe('connecting a LinkedIn organisation in the browser', () => {
  let t: TestApp;
  let li: Awaited<ReturnType<typeof startLinkedInFake>>;
  let browser: Browser;

  beforeAll(async () => {
    li = await startLinkedInFake(LINKEDIN_CLIENT);
    t = await startTestApp({ config: { accounts: linkedinAccountsConfig(li) } });
    t.config.publicUrl = t.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await li?.close();
  });

  it('names the organisation, goes to LinkedIn and back, and lists the page, in the page language, accessibly', async () => {
    const comms = await t.token('comms', 'MK', 'Ana Petrovska');
    const page = await signInPage(browser, t.url, comms, { locale: 'mk-MK', width: 390, height: 844 });
    await page.goto(`${t.url}/accounts`);
    expect(await page.locator('label[for="organization-linkedin"]').innerText()).toBe('Организација на LinkedIn');
    expect(await page.locator('#name-linkedin').inputValue()).toBe('mk-linkedin');
    await page.locator('#organization-linkedin').fill(String(LINKEDIN_ORG.id));
    await page.locator('form[action="/accounts/connect/linkedin"] button').click();
    await page.waitForURL(`${t.url}/accounts?member=MK&done=connected`);
    const list = await page.locator('ul.accounts').innerText();
    expect(list).toContain('mk-linkedin');
    expect(list).toContain(`@${LINKEDIN_ORG.vanityName}`);
    expect(li.requests.filter((r) => r.path === '/oauth/v2/authorization')).toHaveLength(1);
    expect(await page.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('accounts-linkedin-phone-mk.png'), fullPage: true });
  });
});
