import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { screenshotPath } from '../support/browser';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';


describe('the web interface in a real browser (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let tokens: Record<string, string>;
  /** Every Content-Security-Policy violation any page reported (issue 10 #11: there must be none). */
  const cspViolations: string[] = [];
  const watchCsp = (page: Page) => {
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  };

  beforeAll(async () => {
    t = await startTestApp();
    tokens = {
      hrCoordinator: await t.token('coordinator', 'HR', 'Marko Horvat'),
      hrComms: await t.token('comms', 'HR', 'Iva Kovač'),
      siCoordinator: await t.token('coordinator', 'SI', 'Ana Novak'),
      admin: ADMIN_TOKEN,
    };
    // Croatia's comms submit the first week (both channels) through the API.
    const week = (await t.http.get('/api/campaigns/natc-see-2021/posts?member=HR&theme=policy&limit=100').set(bearer(tokens.hrComms)).expect(200)).body.items;
    await t.http.post('/api/approvals/submit').set(bearer(tokens.hrComms)).send({ items: week.map((p: any) => ({ id: p.id, revision: p.revision })) }).expect(200);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(token: string, options: { locale?: string; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: options.locale ?? 'en-GB', viewport: { width: options.width ?? 1360, height: 900 } });
    const page = watchCsp(await context.newPage());
    await page.goto(`${t.url}/approvals`);
    expect(page.url()).toContain('/login?next=%2Fapprovals');
    // By id, not by label: the page is in the browser's language.
    await page.locator('#token').fill(token);
    await page.locator('form[method=post][action="/login"] button').click();
    await page.waitForURL(`${t.url}/approvals`);
    return page;
  }

  it('refuses a wrong token and keeps the session cookie out of reach of scripts', async () => {
    const page = watchCsp(await browser.newPage());
    await page.goto(`${t.url}/login`);
    await page.screenshot({ path: screenshotPath('login.png') });
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not valid');
    const signedIn = await signIn(tokens.hrComms);
    const cookies = await signedIn.context().cookies();
    expect(cookies.find((c) => c.name === 'natc_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await signedIn.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).not.toContain('natc_session');
    await page.close();
    await signedIn.context().close();
  });

  /** Presses Tab until the focused element matches (a keyboard user's way there), at most `limit` times. */
  async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => (globalThis as any).document.activeElement?.matches(s), selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  it('lets a coordinator approve a whole week with the keyboard alone, and see the statuses change in the calendar (issue 11 #4)', async () => {
    const page = await signIn(tokens.hrCoordinator);
    await expect(page.locator('h2', { hasText: 'Week of 18 October 2021' }).textContent()).resolves.toContain('14 posts');
    await page.screenshot({ path: screenshotPath('approvals.png'), fullPage: true });
    // Tab to "all of this week", Space ticks it (and, with the script, every post of the week), Tab to approve, Enter.
    await tabTo(page, 'input[data-select-week]');
    await page.keyboard.press('Space');
    await expect(page.locator('input[name=pick]:checked').count()).resolves.toBe(14);
    await expect(page.getByLabel('Select all 14 of this week').isChecked()).resolves.toBe(true);
    await tabTo(page, '.week-actions button.primary', 3);
    await expect(page.evaluate(() => (globalThis as any).document.activeElement.textContent)).resolves.toBe('Approve the selected');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/approvals\?done=/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Approved 14 posts.');
    await expect(page.getByText('Nothing awaits you.').count()).resolves.toBe(1);
    await page.goto(`${t.url}/campaigns/natc-see-2021/calendar`);
    const rows = page.locator('table.grid tbody th[scope=row]');
    expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^HR/)]));
    expect(await rows.count()).toBe(3); // one row (HR) in each of the three weeks
    expect(await page.locator('.legend .chip.s-approved, .grid-view .chip.s-approved').count()).toBe(14 + 1); // 14 posts + the legend
    expect(await page.locator('.grid-view a.chip.s-draft').count()).toBe(42 - 14 - 2); // HR: 40 posts (blackout 1 Nov), 14 approved
    await expect(page.locator('a.chip').first().getAttribute('title')).resolves.toMatch(/^10:00 facebook hr — approved \(GMT\+2\)$/);
    await page.screenshot({ path: screenshotPath('calendar.png'), fullPage: true });
    await page.context().close();
  });

  it('ticks and unticks a week’s posts with "all of this week", and approves only what stays ticked (issue 11 #4)', async () => {
    const comms = tokens.hrComms;
    const week = (await t.http.get('/api/campaigns/natc-see-2021/posts?member=HR&theme=victim-assistance&network=facebook&limit=100').set(bearer(comms)).expect(200)).body.items;
    await t.http.post('/api/approvals/submit').set(bearer(comms)).send({ items: week.map((p: any) => ({ id: p.id, revision: p.revision })) }).expect(200);
    const page = await signIn(tokens.hrCoordinator);
    const all = page.getByLabel('Select all 6 of this week');
    await all.check();
    await expect(page.locator('input[name=pick]:checked').count()).resolves.toBe(6); // 1 Nov is a blackout day in Croatia
    // One post unticked: "all" is no longer true, so only the five ticked ones are sent.
    await page.locator('input[name=pick]').first().uncheck();
    await expect(all.isChecked()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Approve the selected' }).click();
    await page.waitForURL(/done=approve&count=5/);
    await expect(page.locator('.post-card').count()).resolves.toBe(1);
    await page.context().close();
  });

  it('finds posts with the calendar’s filters from the keyboard, the filters kept in the URL (issue 11 #3)', async () => {
    const page = await signIn(tokens.admin);
    await page.goto(`${t.url}/campaigns/natc-see-2021/calendar`);
    await page.locator('#member').selectOption('HR');
    await page.locator('#f-network').selectOption('x');
    await page.locator('#f-q').fill('NEKAŽNJIVOST');
    await page.locator('#f-q').press('Enter');
    await page.waitForURL(/q=/);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ member: 'HR', network: 'x', q: 'NEKAŽNJIVOST' });
    const found = await page.locator('.grid-view a.chip').count();
    expect(found).toBeGreaterThan(0);
    await expect(page.locator('.found').textContent()).resolves.toBe(`${found} posts match the filters.`);
    await expect(page.locator('.grid-view .slot .n').allTextContents()).resolves.toEqual(Array(found).fill('x'));
    await page.getByRole('link', { name: 'Week 2' }).click();
    await page.waitForURL(/week=2021-10-25/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('NEKAŽNJIVOST');
    await expect(page.locator('.grid-view section.week').count()).resolves.toBe(1);
    await page.screenshot({ path: screenshotPath('calendar-search.png'), fullPage: true });
    await page.context().close();
  });

  it('shows a post as the network would, its source text, its history and only the allowed actions', async () => {
    const page = await signIn(tokens.hrComms);
    const post = (await t.http.get('/api/campaigns/natc-see-2021/posts?member=HR&network=x&theme=capacity-building&limit=1').set(bearer(tokens.hrComms))).body.items[0];
    await page.goto(`${t.url}/posts/${post.id}`);
    await expect(page.locator('.np-text').textContent()).resolves.toBe(post.text);
    await expect(page.getByRole('heading', { name: 'Source (en)' }).count()).resolves.toBe(1);
    await expect(page.getByText(`${post.length} / 280`).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Submit for approval' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: /^Approve/ }).count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('post.png'), fullPage: true });
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.waitForURL(/done=submit/);
    await expect(page.locator('.chip').first().textContent()).resolves.toBe('in review');
    await expect(page.locator('.history li').last().textContent()).resolves.toContain('submitted by Iva Kovač');
    await page.context().close();
  });

  it('keeps a coordinator of another member away from those posts', async () => {
    const hrPost = (await t.http.get('/api/campaigns/natc-see-2021/posts?member=HR&limit=1').set(bearer(ADMIN_TOKEN))).body.items[0];
    const page = await signIn(tokens.siCoordinator);
    const response = await page.goto(`${t.url}/posts/${hrPost.id}`);
    expect(response!.status()).toBe(403);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('belongs to another member');
    const calendar = await page.goto(`${t.url}/campaigns/natc-see-2021/calendar?member=HR`);
    expect(calendar!.status()).toBe(403);
    await page.goto(`${t.url}/campaigns/natc-see-2021/calendar`);
    const members = new Set((await page.locator('table.grid tbody th[scope=row]').allTextContents()).map((m) => m.slice(0, 2)));
    expect(members).toEqual(new Set(['SI']));
    await page.context().close();
  });

  it('renders Cyrillic: Macedonian dates in the calendar and a Serbian post', async () => {
    const page = await signIn(tokens.admin, { locale: 'mk-MK' });
    await page.goto(`${t.url}/campaigns/natc-see-2021/calendar?member=MK`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('mk');
    const headers = await page.locator('table.grid thead th').allTextContents();
    expect(headers.join(' ')).toMatch(/окт/);
    await page.screenshot({ path: screenshotPath('calendar-mk.png'), fullPage: true });
    const rs = (await t.http.get('/api/campaigns/natc-see-2021/posts?member=RS&locale=sr-Cyrl&network=facebook&limit=1').set(bearer(ADMIN_TOKEN))).body.items[0];
    await page.goto(`${t.url}/posts/${rs.id}`);
    await expect(page.locator('.np-text').textContent()).resolves.toMatch(/трговин/);
    await page.screenshot({ path: screenshotPath('post-sr-cyrl.png'), fullPage: true });
    await page.context().close();
  });

  it('gives the secretariat the overview and works on a phone-sized screen with the keyboard', async () => {
    const page = await signIn(tokens.admin, { width: 390 });
    await page.goto(`${t.url}/campaigns/natc-see-2021/overview`);
    await expect(page.getByRole('heading', { name: 'Translations' }).count()).resolves.toBe(1);
    await expect(page.locator('table.queue').first().textContent()).resolves.toContain('sr-Cyrl');
    await page.screenshot({ path: screenshotPath('overview-phone.png'), fullPage: false });
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.context().close();
    const coordinator = await signIn(tokens.siCoordinator);
    const refused = await coordinator.goto(`${t.url}/campaigns/natc-see-2021/overview`);
    expect(refused!.status()).toBe(403);
    await coordinator.context().close();
  });

  it('downloads the member’s calendar and gives a subscription URL that works without the session', async () => {
    const page = await signIn(tokens.hrCoordinator);
    await page.goto(`${t.url}/campaigns/natc-see-2021/calendar`);
    const download = await page.request.get(`${t.url}/campaigns/natc-see-2021/export.csv`);
    expect(download.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const rows = (await download.text()).trim().split('\r\n');
    expect(rows).toHaveLength(1 + 40);
    expect(rows.slice(1).every((r) => r.split(',')[1] === 'HR')).toBe(true);
    await page.getByRole('link', { name: 'Subscription URL' }).click();
    await page.getByRole('button', { name: 'Create a subscription link' }).click();
    const url = await page.getByLabel('Subscription URL').inputValue();
    expect(url).toMatch(/^http:\/\/scheduler\.test\/api\/campaigns\/natc-see-2021\/calendar\.ics\?token=/);
    const feed = await t.http.get(url.replace('http://scheduler.test', '')).expect(200);
    expect(feed.text).toContain('BEGIN:VCALENDAR');
    expect(feed.text.match(/BEGIN:VEVENT/g)).toHaveLength(40);
    await page.screenshot({ path: screenshotPath('subscription.png') });
    // Selected whole on focus by /app.js: the inline handler it replaced would be blocked by the CSP.
    await page.getByLabel('Subscription URL').focus();
    await expect(page.getByLabel('Subscription URL').evaluate((input: any) => [input.selectionStart, input.selectionEnd])).resolves.toEqual([0, url.length]);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await t.http.get(url.replace('http://scheduler.test', '')).expect(401);
    await page.context().close();
  });

  it('refuses a form without the session’s CSRF token, changing nothing', async () => {
    const post = (await t.http.get('/api/campaigns/natc-see-2021/posts?member=HR&status=approved&limit=1').set(bearer(ADMIN_TOKEN))).body.items[0];
    const page = await signIn(tokens.hrCoordinator);
    const status = await page.evaluate(async ({ id, revision }) => {
      const res = await fetch(`/posts/${id}/reject`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `revision=${revision}&comment=forged` });
      return res.status;
    }, post);
    expect(status).toBe(403);
    expect((await t.http.get(`/api/posts/${post.id}`).set(bearer(ADMIN_TOKEN))).body.status).toBe('approved');
    await page.context().close();
  });

  it('shows the API docs, and no page reported a Content-Security-Policy violation', async () => {
    const page = watchCsp(await browser.newPage());
    await page.goto(`${t.url}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
    await expect(page.locator('.swagger-ui .info .title').textContent()).resolves.toContain('NATC SEE campaign scheduler');
    await page.close();
    expect(cspViolations).toEqual([]);
  });
});
