import { IntlMessageFormat } from 'intl-messageformat';
import { Browser, Page } from 'playwright-core';
import { readCatalogue } from '../../src/i18n/i18n';
import { launchChromium, screenshotPath, signInPage } from '../support/browser';
import { startSmtpSink } from '../support/smtp-sink';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 #1: every word of the interface in the user's language. A page in Macedonian or Bulgarian
 * (Cyrillic) must show no word of the English catalogue; what is not ours to translate is marked so
 * (translate="no": names, post texts, the campaign's own name; lang="…": text in another language)
 * and left out, and so are brands and codes that every language writes alike.
 */
const CAMPAIGN = 'natc-see-2021';
const CAMPAIGN_NAME = 'End impunity — EU Anti-Trafficking Day 2021';
const SAME_IN_EVERY_LANGUAGE = [/NATC SEE/g, /Google Calendar|Apple Calendar|Outlook/g, /\bURL\b|\bJSON\b/g, /\.ics\b|\.csv\b/g, /natc-see-2021/g];

/** The words of the English catalogue (its literal text, not argument names or select keys), 3 letters or more. */
function englishWords(): Set<string> {
  const words = new Set<string>();
  const walk = (elements: { type: number; value?: unknown; options?: Record<string, { value: never[] }> }[]) => {
    for (const e of elements) {
      if (e.type === 0) for (const w of String(e.value).match(/\p{L}{3,}/gu) ?? []) words.add(w.toLowerCase());
      for (const option of Object.values(e.options ?? {})) walk(option.value);
    }
  };
  for (const message of Object.values(readCatalogue('en').messages)) {
    let text = message;
    for (const same of SAME_IN_EVERY_LANGUAGE) text = text.replace(same, ' ');
    walk(new IntlMessageFormat(text, 'en').getAst() as never);
  }
  // Networks' names (a publisher select in the settings names them) are the same in every language.
  for (const network of ['mastodon', 'bluesky', 'facebook', 'instagram', 'linkedin']) words.delete(network);
  return words;
}

/** The page's own text, in the page: text nodes, the title and the attributes people read, minus marked content. */
function interfaceText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const lang = doc.documentElement.lang;
    const ours = (el: any) => !el.closest('[translate="no"], script, style') && (el.closest('[lang]')?.getAttribute('lang') ?? lang) === lang;
    const texts: string[] = [doc.title];
    const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (ours(node.parentElement)) texts.push(node.textContent);
    for (const el of doc.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
      if (!ours(el)) continue;
      for (const name of ['placeholder', 'aria-label', 'title', 'alt']) if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
    return texts.map((t: string) => t.trim()).filter(Boolean);
  });
}

describe('the web interface in the user’s language (issue 11 #1)', () => {
  let t: TestApp;
  let browser: Browser;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const english = englishWords();

  /** The English words a page shows: none is allowed in mk or bg. */
  async function englishOn(page: Page): Promise<string[]> {
    const found = new Set<string>();
    for (let text of await interfaceText(page)) {
      text = text.split(CAMPAIGN_NAME).join(' ');
      for (const same of SAME_IN_EVERY_LANGUAGE) text = text.replace(same, ' ');
      for (const word of text.match(/\p{L}{3,}/gu) ?? []) if (english.has(word.toLowerCase())) found.add(`${word} (in “${text.slice(0, 80)}”)`);
    }
    return [...found];
  }

  beforeAll(async () => {
    // With SMTP the sign-in page offers a link by e-mail too (issue 11 #6): its words are checked as well.
    smtp = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: smtp.url } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  it('knows English words when it sees them (the check itself)', () => {
    for (const word of ['sign', 'approval', 'queue', 'calendar', 'download', 'reject', 'week', 'history']) expect(english.has(word)).toBe(true);
    for (const word of ['facebook', 'europe', 'skopje', 'sofia']) expect(english.has(word)).toBe(false);
  });

  describe.each([
    { ui: 'mk', browserLocale: 'mk-MK', member: 'MK' },
    { ui: 'bg', browserLocale: 'bg-BG', member: 'BG' },
  ])('in $ui', ({ ui, browserLocale, member }) => {
    let comms: string;
    let coordinator: string;
    let submitted: number;

    beforeAll(async () => {
      comms = await t.token('comms', member, `Comms ${member}`);
      coordinator = await t.token('coordinator', member, `Coordinator ${member}`);
      const week = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=${member}&theme=policy&limit=100`).set(bearer(comms)).expect(200)).body.items;
      await t.http.post('/api/approvals/submit').set(bearer(comms)).send({ items: week.map((p: any) => ({ id: p.id, revision: p.revision })) }).expect(200);
      submitted = week.length;
    });

    async function expectNoEnglish(page: Page, what: string) {
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(ui);
      expect({ page: what, english: await englishOn(page) }).toEqual({ page: what, english: [] });
    }

    it('signs in on a page in the browser’s language', async () => {
      const context = await browser.newContext({ locale: browserLocale });
      const page = await context.newPage();
      await page.goto(`${t.url}/login`);
      await expectNoEnglish(page, 'login');
      await page.locator('#token').fill('not-a-token');
      await page.locator('form[method=post][action="/login"] button').click();
      await page.getByRole('alert').waitFor();
      await expectNoEnglish(page, 'login, refused');
      await page.locator('#email').fill('nobody@example.org');
      await page.locator('form[action="/login/email"] button').click();
      await page.getByRole('status').waitFor();
      await expectNoEnglish(page, 'login, link sent');
      await page.goto(`${t.url}/login?error=link`);
      await expectNoEnglish(page, 'login, link refused');
      await context.close();
    });

    it('shows the calendar, a post, the overview and the subscription page in it', async () => {
      const page = await signInPage(browser, t.url, ADMIN_TOKEN, { locale: browserLocale });
      await page.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar`);
      await expectNoEnglish(page, 'calendar');
      await page.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar?member=${member}&view=agenda`);
      await expectNoEnglish(page, 'calendar, agenda');
      // Issue 11 #3: filters, a search, one week with its navigation, a blackout day (Croatia, 1 Nov).
      await page.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar?member=${member}&network=facebook&status=in_review&q=2021&week=2021-10-18`);
      await expect(page.locator('.found').count()).resolves.toBe(1);
      await expectNoEnglish(page, 'calendar, filtered week');
      await page.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar?member=HR&week=2021-11-01`);
      await expect(page.locator('.blackout').first().isVisible()).resolves.toBe(true);
      await expectNoEnglish(page, 'calendar, blackout');
      // Issue 11 #4: the secretariat's queue, with what is still at the coordinators' step.
      await page.goto(`${t.url}/approvals`);
      await expect(page.locator('.earlier tbody tr').count()).resolves.toBeGreaterThan(0);
      await expectNoEnglish(page, 'approvals, earlier steps');
      const post = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=${member}&locale=${ui}&network=facebook&limit=1`).set(bearer(ADMIN_TOKEN))).body.items[0];
      await page.goto(`${t.url}/posts/${post.id}`);
      await expectNoEnglish(page, 'post');
      await page.goto(`${t.url}/campaigns/${CAMPAIGN}/overview`);
      await expectNoEnglish(page, 'overview');
      await page.goto(`${t.url}/calendar-subscription?campaign=${CAMPAIGN}`);
      await page.locator('form[action="/calendar-subscription"] button.primary').click();
      await page.locator('#url').waitFor();
      await expectNoEnglish(page, 'subscription');
      await page.goto(`${t.url}/posts/99999999`);
      await expectNoEnglish(page, 'error 404');
      await page.context().close();
    });

    it('gives a coordinator the approval queue and the refusals in it', async () => {
      const page = await signInPage(browser, t.url, coordinator, { locale: browserLocale });
      await expect(page.locator('.post-card').count()).resolves.toBe(submitted);
      await expectNoEnglish(page, 'approvals');
      if (ui === 'mk') await page.screenshot({ path: screenshotPath('approvals-mk.png'), fullPage: true });
      await page.locator('.post-card form[action="/approvals/approve"] button').first().click();
      await page.waitForURL(/done=approve&count=1/);
      await expectNoEnglish(page, 'approvals, done');
      const refused = await page.goto(`${t.url}/campaigns/${CAMPAIGN}/overview`);
      expect(refused!.status()).toBe(403);
      await expectNoEnglish(page, 'error 403');
      await page.context().close();
    });

    it('tells comms staff what is wrong with a form, field by field', async () => {
      const page = await signInPage(browser, t.url, comms, { locale: browserLocale });
      const draft = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=${member}&theme=capacity-building&limit=1`).set(bearer(comms))).body.items[0];
      await page.goto(`${t.url}/posts/${draft.id}`);
      await page.locator('#text').fill('');
      const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/edit')), page.locator('form[action$="/edit"] button').click()]);
      expect(answer.status()).toBe(400);
      await expectNoEnglish(page, 'error 400');
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(ui === 'mk' ? /^текст: / : /^текст: /);
      expect((await t.http.get(`/api/posts/${draft.id}`).set(bearer(ADMIN_TOKEN))).body).toMatchObject({ text: draft.text, revision: draft.revision });
      await page.context().close();
    });
  });
});
