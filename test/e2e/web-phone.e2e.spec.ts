import { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath, signInPage } from '../support/browser';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 #2: the pages on a 390 px phone. No page scrolls sideways, the approval queue is a list
 * of cards, and the calendar opens as an agenda (the grid stays one tap away, kept in the URL).
 */
const CAMPAIGN = 'natc-see-2021';
const PHONE = { width: 390, height: 844 };

const scrollWidth = (page: Page) => page.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth as number);

describe('the web interface on a phone (issue 11 #2)', () => {
  let t: TestApp;
  let browser: Browser;
  let coordinator: string;
  let comms: string;
  let submitted: number;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium();
    comms = await t.token('comms', 'SI', 'Maja Zupan');
    coordinator = await t.token('coordinator', 'SI', 'Ana Novak');
    const week = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=SI&theme=policy&limit=100`).set(bearer(comms)).expect(200)).body.items;
    await t.http.post('/api/approvals/submit').set(bearer(comms)).send({ items: week.map((p: any) => ({ id: p.id, revision: p.revision })) }).expect(200);
    submitted = week.length;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(['en-GB', 'mk-MK'])('scrolls no page sideways at 390 px (%s)', async (locale) => {
    const post = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=MK&network=x&limit=1`).set(bearer(ADMIN_TOKEN))).body.items[0];
    const widths: Record<string, number> = {};
    const signedOut = await browser.newContext({ locale, viewport: PHONE });
    const login = await signedOut.newPage();
    await login.goto(`${t.url}/login`);
    widths.login = await scrollWidth(login);
    await signedOut.close();
    const page = await signInPage(browser, t.url, ADMIN_TOKEN, { locale, ...PHONE });
    for (const path of [
      `/campaigns/${CAMPAIGN}/calendar`, `/campaigns/${CAMPAIGN}/calendar?view=grid`, `/campaigns/${CAMPAIGN}/calendar?view=agenda&member=SI`,
      `/posts/${post.id}`, `/campaigns/${CAMPAIGN}/overview`, '/approvals', '/posts/99999999', `/calendar-subscription?campaign=${CAMPAIGN}`,
    ]) {
      await page.goto(`${t.url}${path}`);
      widths[path] = await scrollWidth(page);
    }
    await page.locator('form[action="/calendar-subscription"] button.primary').click();
    await page.locator('#url').waitFor();
    widths['subscription, created'] = await scrollWidth(page);
    expect(Object.entries(widths).filter(([, width]) => width > PHONE.width)).toEqual([]);
    await page.context().close();
  });

  it('shows the approval queue as cards: text, member, network, local time, deadline, approve and reject', async () => {
    const page = await signInPage(browser, t.url, coordinator, PHONE);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await expect(page.locator('table').count()).resolves.toBe(0);
    const cards = page.locator('.post-card');
    await expect(cards.count()).resolves.toBe(submitted);
    const first = cards.first();
    await expect(first.locator('.text').textContent()).resolves.toMatch(/\w{4,}/);
    await expect(first.locator('.facts').textContent()).resolves.toMatch(/Member\s*SI/);
    await expect(first.locator('.facts').textContent()).resolves.toMatch(/Network\s*(x|facebook) · sl/);
    await expect(first.locator('.facts').textContent()).resolves.toMatch(/Local time\s*18 Oct 2021, \d\d:\d\d/);
    await expect(first.locator('.facts').textContent()).resolves.toMatch(/Approve by\s*\d+ Oct 2021, \d\d:\d\d CEST \(in \d+ days?\)/);
    await expect(first.getByRole('button', { name: 'Approve', exact: true }).isVisible()).resolves.toBe(true);
    await expect(first.getByRole('button', { name: 'Reject', exact: true }).isVisible()).resolves.toBe(true);
    // A card fits the screen: its right edge is within the viewport.
    const box = await first.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: screenshotPath('approvals-phone.png'), fullPage: false });
    // One card's reject needs its comment, and moves only that post.
    const postId = Number((await first.locator('.text a').getAttribute('href'))!.split('/').pop());
    await first.getByPlaceholder('What to change?').fill('Please use the national hotline number.');
    await first.getByRole('button', { name: 'Reject', exact: true }).click();
    await page.waitForURL(/done=reject&count=1/);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Rejected 1 post.');
    await expect(page.locator('.post-card').count()).resolves.toBe(submitted - 1);
    expect((await t.http.get(`/api/posts/${postId}`).set(bearer(ADMIN_TOKEN))).body.status).toBe('rejected');
    await page.context().close();
  });

  it('opens the calendar as an agenda on a phone and as a grid on a wide screen; either can be chosen, in the URL', async () => {
    const phone = await signInPage(browser, t.url, coordinator, PHONE);
    await phone.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar`);
    await expect(phone.locator('.agenda-view').isVisible()).resolves.toBe(true);
    await expect(phone.locator('.grid-view').isVisible()).resolves.toBe(false);
    await expect(phone.locator('.agenda-view .week').first().locator('h3.day').first().textContent()).resolves.toMatch(/^Mon 18 Oct/);
    // The agenda lists every post of the grid, once.
    await expect(phone.locator('.agenda-view a.chip').count()).resolves.toBe(await phone.locator('.grid-view a.chip').count());
    await expect(phone.locator('.agenda-view a.chip').count()).resolves.toBeGreaterThan(21);
    await phone.screenshot({ path: screenshotPath('calendar-phone.png'), fullPage: false });
    await phone.getByRole('link', { name: 'Grid' }).click();
    await phone.waitForURL(/view=grid/);
    await expect(phone.locator('.grid-view').isVisible()).resolves.toBe(true);
    await expect(phone.locator('.agenda-view').isVisible()).resolves.toBe(false);
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await phone.context().close();

    const desk = await signInPage(browser, t.url, coordinator, { width: 1360 });
    await desk.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar`);
    await expect(desk.locator('.grid-view').isVisible()).resolves.toBe(true);
    await expect(desk.locator('.agenda-view').isVisible()).resolves.toBe(false);
    await desk.getByRole('link', { name: 'Agenda' }).click();
    await desk.waitForURL(/view=agenda/);
    await expect(desk.locator('.agenda-view').isVisible()).resolves.toBe(true);
    await expect(desk.locator('.grid-view').isVisible()).resolves.toBe(false);
    await desk.context().close();
  });

  it('works without JavaScript: the language switcher, the queue and the calendar views are links and forms', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${t.url}/login`);
    await page.locator('#language-choice').selectOption('sl');
    await page.locator('form.language button').click();
    await page.waitForURL(/lang=sl/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Prijava');
    await page.locator('#token').fill(coordinator);
    await page.locator('form[method=post][action="/login"] button').click();
    await page.waitForURL(/\/calendar$/);
    await page.goto(`${t.url}/approvals`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Čakalna vrsta za odobritev');
    await page.locator('#language-choice').selectOption('hr');
    await page.locator('form.language button').click();
    await page.waitForURL(`${t.url}/approvals`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Red za odobrenje');
    await page.locator('.post-card form[action="/approvals/approve"] button').first().click();
    await page.waitForURL(/done=approve&count=1/);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Odobrena je 1 objava.');
    // Issue 11 #4: the cards' checkboxes belong to their week's form (form="…"), so a selection is sent without script too.
    const left = await page.locator('.post-card').count();
    await page.locator('input[name=pick]').nth(0).check();
    await page.locator('input[name=pick]').nth(1).check();
    await page.locator('.week-actions button.primary').click();
    await page.waitForURL(/done=approve&count=2/);
    await expect(page.locator('.post-card').count()).resolves.toBe(left - 2);
    await context.close();
  });
});
