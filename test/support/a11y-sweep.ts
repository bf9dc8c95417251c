import type { Browser } from 'playwright-core';
import { seriousViolations } from './axe';
import { launchChromium, signInPage } from './browser';
import { startSmtpSink } from './smtp-sink';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from './test-app';

/**
 * Issue 11, accessibility bar: axe (WCAG 2.2 AA rules) on every page, signed in as each role, on a
 * desktop and a phone, in English and Macedonian: no serious or critical violation. One spec file per
 * language (web-a11y-en, web-a11y-mk), so that the two sweeps, the suite's longest, run side by side.
 */
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const CAMPAIGN = 'natc-see-2021';

/** The whole sweep in one language: `language` is the page's `lang`, `locale` the browser's. */
export function accessibilitySweep(language: string, locale: string): void {
  describe(`accessibility of every page (axe, WCAG 2.2 AA) in ${language}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let browser: Browser;
    const users: Record<string, { token: string; pages: string[] }> = {};

    beforeAll(async () => {
      smtp = await startSmtpSink();
      // With SMTP, the sign-in page shows its second form (a link by e-mail).
      t = await startTestApp({ config: { smtpUrl: smtp.url } });
      const posts = async (query: string) => (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?limit=1000&${query}`).set(bearer(ADMIN_TOKEN)).expect(200)).body.items as any[];
      const comms = (await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send({ name: 'Iva Kovač', role: 'comms', member: 'HR', email: 'iva@hr.test' }).expect(201)).body.token;
      const coordinator = await t.token('coordinator', 'HR', 'Marko Horvat');
      // Something in the approval queue, and a post in each state a page shows differently.
      const hr = await posts('member=HR&theme=policy');
      await t.http.post('/api/approvals/submit').set(bearer(comms)).send({ items: hr.slice(0, 4).map((p) => ({ id: p.id, revision: p.revision })) }).expect(200);
      const regional = await posts('member=SEE&theme=policy');
      const oneOf = (network: string) => regional.find((p) => p.network === network).id;
      const common = (filter: string) => [`/campaigns/${CAMPAIGN}/calendar?view=grid${filter}`, `/campaigns/${CAMPAIGN}/calendar?view=agenda${filter}`, '/approvals', '/calendar-subscription', '/posts/999999'];
      // Calendars are the same cards repeated, and axe's time grows with them (~8 s for the 2,741 elements of
      // one member's three weeks on a phone): the coordinator's is checked whole, the others a week at a
      // time (the week of the posts in review), the secretariat's of one member or the network's.
      const week = '&week=2021-10-18';
      users.secretariat = {
        token: ADMIN_TOKEN,
        pages: [...common(`&member=SI${week}`), `/campaigns/${CAMPAIGN}/overview`, `/campaigns/${CAMPAIGN}/calendar?view=grid&member=SEE${week}`, ...['x', 'linkedin', 'mastodon', 'bluesky'].map((n) => `/posts/${oneOf(n)}`)],
      };
      users.coordinator = { token: coordinator, pages: [...common(''), `/posts/${hr[0].id}`] };
      users.comms = { token: comms, pages: [...common(week), `/posts/${hr[10].id}`, `/posts/${(await posts('member=HR&network=facebook'))[5].id}`] };
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
      await smtp?.close();
    });

    describe.each(Object.entries(VIEWPORTS))('on a %s', (_, viewport) => {
      it('signed out: the sign-in pages', async () => {
        const context = await browser.newContext({ locale, viewport });
        const page = await context.newPage();
        const found: string[] = [];
        for (const path of ['/login', '/login?error=1', '/login?error=link']) {
          await page.goto(`${t.url}${path}`);
          expect(await page.getAttribute('html', 'lang')).toBe(language);
          found.push(...(await seriousViolations(page)));
        }
        // The page after asking for a link, and the link's confirmation page.
        await page.goto(`${t.url}/login`);
        const mailed = smtp.mails.length;
        await page.locator('#email').fill('iva@hr.test');
        await page.locator('form[action="/login/email"] button').click();
        await page.waitForLoadState();
        found.push(...(await seriousViolations(page)));
        for (let i = 0; i < 100 && smtp.mails.length === mailed; i++) await new Promise((r) => setTimeout(r, 50));
        await page.goto(`${t.url}${/http:\/\/scheduler\.test(\/login\/link\?token=\S+)/.exec(smtp.mails[mailed].text)![1]}`);
        expect(await page.locator('form[action="/login/link"]').count()).toBe(1);
        found.push(...(await seriousViolations(page)));
        await context.close();
        expect(found).toEqual([]);
      }, 60_000);

      it.each(['secretariat', 'coordinator', 'comms'])('signed in as %s: every page', async (role) => {
        const page = await signInPage(browser, t.url, users[role].token, { locale, ...viewport });
        const found: string[] = [];
        for (const path of users[role].pages) {
          await page.goto(`${t.url}${path}`);
          expect(await page.getAttribute('html', 'lang')).toBe(language);
          // A filter that matched nothing would leave axe an empty calendar to pass.
          if (path.includes('/calendar?')) expect(await page.locator('a[href^="/posts/"]').count()).toBeGreaterThan(10);
          found.push(...(await seriousViolations(page)));
        }
        await page.context().close();
        expect(found).toEqual([]);
      }, 180_000);
    });
  });
}
