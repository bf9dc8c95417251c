import { seriousViolations } from '../support/axe';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath, signInPage } from '../support/browser';
import { parseCsv } from '../support/csv';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

// The library itself, not its index.js: that one reads a sample PDF of its own when it has no parent module (as under Jest).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfParse = require('pdf-parse/lib/pdf-parse.js') as (data: Buffer) => Promise<{ text: string; numpages: number }>;
/** The text of a PDF with its line breaks and repeated spaces as single spaces. */
const pdfText = async (pdf: Buffer) => (await pdfParse(pdf)).text.replace(/\s+/g, ' ');

const CAMPAIGN = 'natc-see-2021';
const REPORT = `/campaigns/${CAMPAIGN}/report`;

/** Opens the report page, collecting what the page policy (CSP) refused on the way. */
async function openReport(page: Page, path = REPORT): Promise<{ status: number; refused: string[] }> {
  const refused: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
  const response = await page.goto(`${page.url().replace(/^(https?:\/\/[^/]+).*$/, '$1')}${path}`);
  return { status: response!.status(), refused };
}

describe('the campaign report page (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let hrCoordinator: string;
  let postTexts: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const comms = await t.token('comms', 'HR', 'Iva Kovač');
    hrCoordinator = await t.token('coordinator', 'HR', 'Marko Horvat');
    // Two Croatian posts published (one on time, one two hours late), so the charts have something to show.
    const posts = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=HR&network=facebook&limit=2`).set(bearer(ADMIN_TOKEN)).expect(200)).body.items;
    for (const [i, post] of posts.entries()) {
      const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(bearer(comms)).send({ revision: post.revision }).expect(200)).body;
      const approved = (await t.http.post(`/api/posts/${post.id}/approve`).set(bearer(hrCoordinator)).send({ revision: submitted.revision }).expect(200)).body;
      t.clock.set(new Date(Date.parse(post.scheduledAt) + (i === 0 ? 60 : 7200) * 1000));
      await t.http.post(`/api/posts/${post.id}/published`).set(bearer(comms)).send({ revision: approved.revision, url: `https://facebook.com/p/${post.id}` }).expect(200);
      // Their response figures, as a collector stores them (a snapshot each), for the response charts and the best posts.
      await t.db.manager.query(t.db.sql(`insert into post_metrics (post_id, collected_at, likes, reposts, replies, quotes, impressions, error, next_due_at)
        values (?, ?, ?, ?, ?, null, null, null, null)`), [post.id, new Date(Date.parse(post.scheduledAt) + 86_400_000).toISOString(), 7 - i * 5, 2, 1]);
    }
    postTexts = posts.map((p: { text: string }) => p.text);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  jest.setTimeout(120_000);

  it('shows the secretariat every member side by side, with the plan, the delivery and response charts and the best posts inline, nothing refused by the page policy, no serious axe violation', async () => {
    const page = await signInPage(browser, t.url, ADMIN_TOKEN);
    const { status, refused } = await openReport(page);
    expect(status).toBe(200);
    expect(await page.locator('h1').textContent()).toMatch(/ — report$/);
    expect(await page.locator('section.report-member').count()).toBe(12);
    expect(await page.locator('.side-by-side').count()).toBe(1);
    const hr = page.locator('section.report-member', { has: page.locator('h2', { hasText: 'HR' }) });
    expect(await hr.locator('tfoot').textContent()).toMatch(/Total\s*\d+\s*2\s*2\s*1\s*1\s*0/); // approved 2, published 2, on time 1, late 1, missed 0
    expect(await page.locator('figure.chart svg[role=img]').count()).toBe(5); // daily, on time, responses per theme and per language, best posts
    expect(await page.locator('figure.chart svg').first().textContent()).toContain('Member');
    expect(await page.locator('figure.chart', { hasText: 'Responses per language' }).locator('svg').textContent()).toContain('Likes');
    const best = page.locator('section', { has: page.locator('h2', { hasText: 'The best posts of each week' }) });
    expect(await best.locator('h3').first().textContent()).toBe('Week 1: 18 October 2021 – 24 October 2021');
    expect(await best.locator('tbody tr').count()).toBe(2);
    const first = best.locator('tbody tr').first();
    expect(await first.locator('th').textContent()).toBe('HR Croatia');
    expect(await first.locator('td').allTextContents()).toEqual(expect.arrayContaining(['1', 'Facebook · Croatian', '10', '7', '2', '1']));
    expect(await best.locator('a', { hasText: 'Open on Facebook' }).first().getAttribute('href')).toMatch(/^https:\/\/facebook\.com\/p\/\d+$/);
    expect(await page.locator('.plan-summary').textContent()).toContain('18 October 2021');
    await page.screenshot({ path: screenshotPath('report.png'), fullPage: true });
    expect(refused).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('reads in Macedonian on a 390-px phone: headings, table and chart labels translated, nothing wider than the screen but the scrolling regions', async () => {
    const page = await signInPage(browser, t.url, ADMIN_TOKEN, { locale: 'mk', width: 390, height: 844 });
    const { status, refused } = await openReport(page);
    expect(status).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('mk');
    expect(await page.locator('h1').textContent()).toContain('извештај');
    expect(await page.locator('figure.chart svg').first().textContent()).toContain('Членка');
    expect(await page.locator('table.report-table th', { hasText: 'Објавени' }).count()).toBeGreaterThan(0);
    expect(await page.locator('figure.chart', { hasText: 'Реакции по јазик' }).locator('svg').textContent()).toContain('Допаѓања');
    expect(await page.locator('h3', { hasText: 'Недела 1' }).count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth as number)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('report-phone-mk.png'), fullPage: true });
    expect(refused).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it("shows a coordinator their own member only, refuses another member's report, and downloads their CSV", async () => {
    const page = await signInPage(browser, t.url, hrCoordinator);
    expect((await openReport(page)).status).toBe(200);
    expect(await page.locator('section.report-member h2').allTextContents()).toEqual([expect.stringMatching(/^HR /)]);
    expect(await page.locator('.side-by-side').count()).toBe(0);
    expect((await openReport(page, `${REPORT}?member=SI`)).status).toBe(403);
    const csv = await page.request.get(`${t.url}${REPORT}.csv`);
    expect(csv.status()).toBe(200);
    const [header, ...rows] = parseCsv((await csv.text()).replace(/^\uFEFF/, ''));
    expect(header[0]).toBe('member');
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['HR']));
    expect((await page.request.get(`${t.url}${REPORT}.csv?member=SI`)).status()).toBe(403);
    await page.context().close();
  });

  it('prints the page as a PDF for the secretariat: plan summary, both charts and every member\'s table', async () => {
    const page = await signInPage(browser, t.url, ADMIN_TOKEN);
    await openReport(page);
    const href = await page.locator('.report-downloads a', { hasText: 'PDF' }).getAttribute('href');
    const answer = await page.request.get(`${t.url}${href}`);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toBe('application/pdf');
    const pdf = await answer.body();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const words of ['report', 'The plan', '18 October 2021', 'Published of planned, per member and day', 'Share of published posts that went out on time, per member', 'Network · language', 'Total']) expect(text).toContain(words);
    for (const words of ['Responses per theme', 'Responses per language', 'The best posts of each week', 'Week 1: 18 October 2021']) expect(text).toContain(words);
    for (const member of ['AL', 'BA', 'HR', 'MK', 'SI', 'SEE']) expect(text).toMatch(new RegExp(`\\b${member}\\b`));
    expect(text).not.toContain('Download the figures'); // the page's links are not printed
    await page.context().close();
  });

  it("gives API clients the PDF in their language, their member only; another member's is refused", async () => {
    const answer = await t.http.get(`/api/campaigns/${CAMPAIGN}/report.pdf`).set(bearer(hrCoordinator)).set('Accept-Language', 'mk').buffer(true)
      .parse((res, done) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => done(null, Buffer.concat(chunks))); }).expect(200);
    const text = await pdfText(answer.body as Buffer);
    expect(text).toContain('извештај');
    // pdf-parse's PDF.js (1.10) drops "б" from Chromium's Cyrillic text ("ојавата"): words without it are checked.
    for (const words of ['Датуми', 'Членка', 'Вкупно', 'по членка и ден']) expect(text).toContain(words);
    expect(text).toMatch(/\bHR\b/);
    expect(text).not.toMatch(/\bSI\b/);
    await t.http.get(`/api/campaigns/${CAMPAIGN}/report.pdf?member=SI`).set(bearer(hrCoordinator)).expect(403);
    await t.http.get(`/api/campaigns/${CAMPAIGN}/report.pdf`).expect(401);
  });

  it('lets the secretariat create a public link on the page, open it signed out, and revoke it', async () => {
    const page = await signInPage(browser, t.url, ADMIN_TOKEN);
    await openReport(page);
    await page.locator('.report-downloads a', { hasText: 'Public links' }).click();
    await page.waitForURL(`${t.url}${REPORT}/links`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('button', { hasText: 'Create a public link' }).click();
    const shown = (await page.locator('code.shared-url').textContent())!;
    expect(shown).toMatch(/^http:\/\/scheduler\.test\/shared-report\/rep_/);
    const path = new URL(shown).pathname;
    await page.goto(`${t.url}${REPORT}/links`);
    expect(await page.locator('code.shared-url').count()).toBe(0); // shown once

    const visitor = await browser.newContext({ locale: 'en-GB' });
    const anonymous = await visitor.newPage();
    expect((await anonymous.goto(`${t.url}${path}`))!.status()).toBe(200);
    expect(await anonymous.locator('section.report-member').count()).toBe(12);
    expect(await anonymous.locator('header nav').count()).toBe(0);
    expect(await anonymous.locator('h2', { hasText: 'The best posts of each week' }).count()).toBe(1);
    const shared = (await anonymous.content());
    for (const text of postTexts) expect(shared).not.toContain(text.slice(0, 40));
    expect(await seriousViolations(anonymous)).toEqual([]);
    // The same page in Albanian: its words are checked here; its markup, axe's 7 s on a page of 3,000 elements, above.
    await anonymous.goto(`${t.url}${path}?lang=sq`);
    expect(await anonymous.locator('html').getAttribute('lang')).toBe('sq');
    expect(await anonymous.locator('figure.chart', { hasText: 'Reagimet sipas temës' }).locator('svg').textContent()).toContain('Pëlqime');

    await page.locator('.report-links button', { hasText: 'Revoke' }).click();
    await page.waitForURL(`${t.url}${REPORT}/links`);
    expect(await page.locator('.report-links li').count()).toBe(0);
    expect((await anonymous.goto(`${t.url}${path}`))!.status()).toBe(404);
    await visitor.close();
    await page.context().close();

    const coordinator = await signInPage(browser, t.url, hrCoordinator);
    expect((await openReport(coordinator, `${REPORT}/links`)).status).toBe(403);
    expect(await coordinator.locator('.report-downloads a', { hasText: 'Public links' }).count()).toBe(0);
    await coordinator.context().close();
  });

  it('answers a bad tolerance with 400, not 500', async () => {
    const page = await signInPage(browser, t.url, ADMIN_TOKEN);
    expect((await openReport(page, `${REPORT}?onTimeSeconds=soon`)).status).toBe(400);
    await page.context().close();
  });
});
