import { seriousViolations } from '../support/axe';
import { Browser, Page } from 'playwright-core';
import { launchChromium, signInPage } from '../support/browser';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

/** Issue 12 #2: the message editor in a real browser, on a 390 px phone. */
const CAMPAIGN = 'natc-see-2021';
const PHONE = { width: 390, height: 844 };
const EDITOR = `/campaigns/${CAMPAIGN}/messages/policy-3/hr`;
const admin = bearer(ADMIN_TOKEN);

// A save re-plans the whole campaign: on a loaded machine that takes longer than Playwright's 30 s default.
jest.setTimeout(240_000);

const scrollWidth = (page: Page) => page.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth as number);

describe('the message editor in the browser (issue 12 #2)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const signIn = async (token: string) => {
    const signedIn = await signInPage(browser, t.url, token, { locale: 'en-GB', ...PHONE });
    signedIn.setDefaultTimeout(180_000);
    return signedIn;
  };
  const stored = async () => (await t.http.get(`/api/campaigns/${CAMPAIGN}/messages/policy-3/hr`).set(admin).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium();
    page = await signIn(ADMIN_TOKEN);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists every message per locale with its review state, from the menu, on a phone', async () => {
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.waitForURL(`**/campaigns/${CAMPAIGN}/messages`);
    expect(await page.locator('#locale-hr').textContent()).toMatch(/hr · reviewed: 0 · needs review: \d+ · falls back to English: 0/);
    expect(await page.locator(`a[href="${EDITOR}"]`).count()).toBe(1);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
  });

  it('shows the English source beside the translation, and each member’s post with its length against the limit', async () => {
    await page.goto(`${t.url}${EDITOR}`);
    expect(await page.locator('.preview[lang="en"]').first().textContent()).toMatch(/^The countries of our region/);
    expect(await page.locator('#text').inputValue()).toMatch(/^Države naše regije/);
    const members = await page.locator('.member-preview h3').allTextContents();
    expect(members.map((m) => m.split(' · ')[0])).toEqual(['Bosna i Hercegovina', 'Hrvatska']);
    // Croatia's facts are rendered in, and X's length is counted against 280.
    const croatia = page.locator('.member-preview').nth(1);
    expect(await croatia.locator('.length[data-network="x"]').textContent()).toMatch(/^\d+ \/ 280$/);
    expect(await croatia.locator('.preview').first().textContent()).toContain('#EndImpunity');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
  });

  it('previews a change without saving it: the new text and its length', async () => {
    await page.locator('#text').fill('Kratka nova poruka za {{member}}.\n{{> footer}}');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.member-preview').first().waitFor();
    expect(await page.locator('h2', { hasText: 'not saved yet' }).count()).toBe(1);
    const x = page.locator('.member-preview').nth(1).locator('li', { has: page.locator('.length[data-network="x"]') });
    expect(await x.locator('.preview').textContent()).toBe('Kratka nova poruka za Hrvatska.\n#EndImpunity #NATCSEE');
    expect(await x.locator('.length').textContent()).toBe('53 / 280');
    expect((await stored()).revision).toBe(0);
  });

  it('shows a compile error at the field, with its line in the text, and saves nothing', async () => {
    await page.locator('#text').fill('Prvi red.\nDrugi red {{membr}}.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#text-errors').waitFor();
    expect(await page.locator('#text-errors').textContent()).toMatch(/line 2, column 13: unknown variable "membr"/);
    expect(await page.locator('#text').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#text').inputValue()).toBe('Prvi red.\nDrugi red {{membr}}.');
    expect((await stored()).revision).toBe(0);
  });

  it('saves with the revision read: the page says how many posts were re-planned, and the posts carry the new text', async () => {
    await page.locator('#text').fill('Nova poruka za {{member}}.\n{{> footer}}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('p.ok').waitFor();
    expect(await page.locator('p.ok').textContent()).toMatch(/^Saved\. Posts re-planned: [1-9]\d*; approvals reset: 0\.$/);
    expect(await stored()).toMatchObject({ revision: 1, edited: true, translation: { text: 'Nova poruka za {{member}}.\n{{> footer}}' } });
    const posts = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=HR&locale=hr&limit=1000`).set(admin).expect(200)).body.items;
    expect(posts.filter((p: any) => p.message === 'policy-3').map((p: any) => p.text)).toContain('Nova poruka za Hrvatska.\n#EndImpunity #NATCSEE');
  });

  it('refuses a save from a page read before another save (stale revision), keeping the typed text', async () => {
    const stale = await signIn(ADMIN_TOKEN);
    await stale.goto(`${t.url}${EDITOR}`);
    await t.http.put(`/api/campaigns/${CAMPAIGN}/messages/policy-3/hr`).set(admin).send({ revision: 1, text: 'Treća {{hashtags}}' }).expect(200);
    await stale.locator('#text').fill('Moja izmjena {{hashtags}}');
    await stale.getByRole('button', { name: 'Save' }).click();
    await stale.locator('p.error[role="alert"]').waitFor();
    expect(await stale.locator('#text').inputValue()).toBe('Moja izmjena {{hashtags}}');
    expect((await stored()).translation.text).toBe('Treća {{hashtags}}');
    await stale.context().close();
  });

  it('marks posts whose translation awaits review on the calendar card and in the approval queue (issue 12 #3)', async () => {
    await page.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar?view=agenda&member=HR&locale=hr&theme=policy`);
    expect(await page.locator('.chip .sr', { hasText: 'translation needs national review' }).count()).toBeGreaterThan(0);
    const post = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=HR&locale=hr&limit=1`).set(admin).expect(200)).body.items[0];
    expect(post.translationReview).toBe('needs-review');
    await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200);
    const coordinator = await signIn(await t.token('coordinator', 'HR', 'Iva Queue'));
    await coordinator.goto(`${t.url}/approvals`);
    expect(await coordinator.locator('.post-card .tag', { hasText: 'translation needs national review' }).count()).toBeGreaterThan(0);
    await coordinator.context().close();
  });

  it('has no serious accessibility violation (axe, WCAG 2.2 AA)', async () => {
    for (const path of [`/campaigns/${CAMPAIGN}/messages`, EDITOR]) {
      await page.goto(`${t.url}${path}`);
      expect(await seriousViolations(page)).toEqual([]);
    }
  });

  it('lets a coordinator read their member’s locale but not edit it', async () => {
    const coordinator = await signIn(await t.token('coordinator', 'HR'));
    await coordinator.goto(`${t.url}${EDITOR}`);
    expect(await coordinator.locator('#text').getAttribute('readonly')).not.toBeNull();
    expect(await coordinator.getByRole('button', { name: 'Save' }).count()).toBe(0);
    const other = await coordinator.goto(`${t.url}/campaigns/${CAMPAIGN}/messages/policy-3/sl`);
    expect(other!.status()).toBe(403);
    await coordinator.context().close();
  });

  it('lets the coordinator review their locale’s translation: marked reviewed with name and date, or sent back with a comment (issue 12 #3)', async () => {
    const coordinator = await signIn(await t.token('coordinator', 'HR', 'Marko Horvat'));
    await coordinator.goto(`${t.url}/campaigns/${CAMPAIGN}/messages/policy-1/hr`);
    await coordinator.getByRole('button', { name: 'Mark reviewed' }).click();
    await coordinator.locator('p.ok').waitFor();
    expect(await coordinator.locator('p.ok').textContent()).toBe('Marked reviewed.');
    expect(await coordinator.getByText('Reviewed by Marko Horvat on 1 October 2021.').count()).toBe(1);
    const entry = (await t.http.get(`/api/campaigns/${CAMPAIGN}/messages/policy-1/hr`).set(admin).expect(200)).body;
    expect(entry).toMatchObject({ review: 'reviewed', reviewedBy: 'Marko Horvat', revision: 1 });
    await coordinator.locator('#comment').fill('Drugi red: "presude".');
    await coordinator.getByRole('button', { name: 'Send back' }).click();
    await coordinator.locator('p.ok').waitFor();
    expect((await t.http.get(`/api/campaigns/${CAMPAIGN}/messages/policy-1/hr`).set(admin).expect(200)).body).toMatchObject({ review: 'needs-review', reviewComment: 'Drugi red: "presude".', revision: 2 });
    expect(await scrollWidth(coordinator)).toBeLessThanOrEqual(PHONE.width);
    await coordinator.context().close();
  });
});
