import { seriousViolations } from '../support/axe';
import { Browser } from 'playwright-core';
import { launchChromium, screenshotPath, signInPage } from '../support/browser';
import { AccountsService } from '../../src/accounts/accounts.service';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';
import { startXFake, X_USER } from '../support/x-fake';
import { accountsConfigFor, connectAccount, signIn, X_CLIENT } from '../support/x-accounts';

/** Issue 14 #1 in a real browser on a 390 px phone: a comms officer connects the member's X account through X's consent page. */
describe('connecting an X account in the browser', () => {
  let t: TestApp;
  let x: Awaited<ReturnType<typeof startXFake>>;
  let browser: Browser;

  beforeAll(async () => {
    x = await startXFake(X_CLIENT);
    t = await startTestApp({ config: { accounts: accountsConfigFor(x) } });
    // X sends the browser back to PUBLIC_URL: here, the service on loopback.
    t.config.publicUrl = t.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await x?.close();
  });

  it('goes to X and back, then lists the account with its status, in the page language, without scrolling sideways', async () => {
    const comms = await t.token('comms', 'SI', 'Maja Zupan');
    const page = await signInPage(browser, t.url, comms, { locale: 'sl-SI', width: 390, height: 844 });
    await page.goto(`${t.url}/accounts`);
    expect(await page.locator('#member-x').inputValue()).toBe('SI');
    expect(await page.locator('#name-x').inputValue()).toBe('si-x');
    await page.locator('form[action="/accounts/connect/x"] button').click();
    await page.waitForURL(`${t.url}/accounts?member=SI&done=connected`);
    const list = await page.locator('ul.accounts').innerText();
    expect(list).toContain('si-x');
    expect(list).toContain(`@${X_USER.username}`);
    expect(list).toContain('povezan');
    expect(await page.locator('[role=status]').innerText()).toBe('Račun je povezan.');
    expect(await page.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The accessibility bar of the other pages (web-a11y): no serious or critical axe violation.
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('accounts-phone-sl.png'), fullPage: true });
    await page.locator('form[action$="/disconnect"] button').click();
    await page.waitForURL(`${t.url}/accounts?member=SI&done=disconnected`);
    expect(await page.locator('ul.accounts').innerText()).toContain('odklopljen');
  });

  it('warns, in the page language and without scrolling sideways, that the posts of an account needing reconnecting would fail, and reconnects it from there', async () => {
    await connectAccount(t, await signIn(t, ADMIN_TOKEN), 'SI', 'si-x');
    const campaign = campaignOnShippedTemplates('web-alerts', ['SI']);
    campaign.members[0].channels = [{ network: 'x', publisher: { type: 'x', account: 'si-x' } }];
    await t.http.post('/api/campaigns').set(bearer(ADMIN_TOKEN)).send(campaign).expect(201);
    await t.app.get(AccountsService).flagNeedsReconnect('si-x', 'X answered 401 Unauthorized');
    const comms = await t.token('comms', 'SI', 'Maja Zupan');
    const page = await signInPage(browser, t.url, comms, { locale: 'sl-SI', width: 390, height: 844 });
    await page.goto(`${t.url}/accounts`);
    const note = await page.locator('ul.accounts [role=note]').innerText();
    expect(note).toMatch(/^⚠ \d+ objav \(odobrenih ali v čakanju\) ne bo objavljenih, dokler račun ni znova povezan; prva je načrtovana za 18\. okt\. 2021/);
    // What the alert mail asks for is right there: reconnect the account, or disconnect it.
    const item = page.locator('ul.accounts li', { hasText: 'si-x' });
    expect(await item.locator('button').allInnerTexts()).toEqual(['Znova poveži', 'Odklopi']);
    expect(await page.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('accounts-warning-phone-sl.png'), fullPage: true });

    // Reconnect goes through X's consent page and back; the same account is connected again and the warning is gone.
    await item.getByRole('button', { name: 'Znova poveži' }).click();
    await page.waitForURL(`${t.url}/accounts?member=SI&done=connected`);
    expect(await page.locator('[role=status]').innerText()).toBe('Račun je povezan.');
    const list = await page.locator('ul.accounts').innerText();
    expect(list).toContain('si-x');
    expect(list).toContain('povezan');
    expect(list).not.toContain('znova povezati');
    expect(await page.locator('ul.accounts [role=note]').count()).toBe(0);
    expect(await item.locator('button').allInnerTexts()).toEqual(['Odklopi']);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
