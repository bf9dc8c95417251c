import { seriousViolations } from '../support/axe';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath, signInPage } from '../support/browser';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';

const CAMPAIGN = 'natc-see-2021';
const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; localTime: string; status: string; revision: number; approvals: unknown[] };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const scrollWidth = (page: Page) => page.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth as number);

/** Issue 12 #4 and #1: the campaign's settings and a new edition, from the browser, for the secretariat only. */
describe('campaign settings and editions in the web', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Every row of every table: what "nothing changed" is checked against. */
  const everything = async () => {
    const tables: { name: string }[] = await t.db.manager.query("select name from sqlite_master where type = 'table' and name not in ('web_sessions') order by name");
    const dump: Record<string, unknown[]> = {};
    for (const { name } of tables) dump[name] = await t.db.manager.query(`select * from "${name}" order by 1`);
    return JSON.stringify(dump);
  };
  const posts = async (query: string): Promise<Post[]> => (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?limit=1000&${query}`).set(admin).expect(200)).body.items;
  async function signIn(token: string) {
    const res = await t.http.post('/login').type('form').send({ token, next: '/approvals' }).expect(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const page = await t.http.get('/approvals').set('Cookie', cookie).expect(200);
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
  }
  const postForm = (who: { cookie: string }, path: string, body: string) => t.http.post(path).set('Cookie', who.cookie).type('form').send(body);

  it('refuses coordinators and comms (403) on every settings and edition page and form, changing nothing', async () => {
    const coordinator = await signIn(await t.token('coordinator', 'SI', 'Ana Novak'));
    const comms = await signIn(await t.token('comms', 'HR', 'Iva Kovač'));
    const secretariat = await signIn(ADMIN_TOKEN);
    const settingsPage = (await t.http.get(`/campaigns/${CAMPAIGN}/settings`).set('Cookie', secretariat.cookie).expect(200)).text;
    const token = /name="token" value="([^"]+)"/.exec(settingsPage)![1];
    expect(settingsPage).toContain('Kosovo*'); // shown in full, so with its footnote
    expect(settingsPage).toContain('<p class="footnote">*This designation is without prejudice to positions on status, and is in line with UNSCR 1244/1999');
    const before = await everything();
    for (const who of [coordinator, comms]) {
      await t.http.get(`/campaigns/${CAMPAIGN}/settings`).set('Cookie', who.cookie).expect(403);
      await t.http.get(`/campaigns/${CAMPAIGN}/edition`).set('Cookie', who.cookie).expect(403);
      await postForm(who, `/campaigns/${CAMPAIGN}/settings/preview`, form({ _csrf: who.csrf, token, 'slots[0].time': '11:00', 'slots[0].days': 'mon' })).expect(403);
      const campaign = (await t.http.get(`/api/campaigns/${CAMPAIGN}`).set(admin).expect(200)).body;
      const changed = { ...campaign, slots: [{ time: '11:00' }] };
      for (const key of ['footnotes', 'holidays', 'state', 'counts', 'createdAt', 'updatedAt']) delete changed[key];
      const res = await postForm(who, `/campaigns/${CAMPAIGN}/settings/apply`, form({ _csrf: who.csrf, token, campaign: JSON.stringify(changed) })).expect(403);
      expect(res.text).toContain('Your role cannot do this.');
      await postForm(who, `/campaigns/${CAMPAIGN}/edition`, form({ _csrf: who.csrf, slug: 'natc-see-2028', start: '2028-10-16' })).expect(403);
    }
    expect(await everything()).toBe(before);
    // And the calendar page offers them neither button.
    expect((await t.http.get(`/campaigns/${CAMPAIGN}/calendar`).set('Cookie', coordinator.cookie).expect(200)).text).not.toContain('/settings"');
  });

  it('shows the file’s validation errors at their fields (400), and applies nothing', async () => {
    const secretariat = await signIn(ADMIN_TOKEN);
    const page = (await t.http.get(`/campaigns/${CAMPAIGN}/settings`).set('Cookie', secretariat.cookie).expect(200)).text;
    const token = /name="token" value="([^"]+)"/.exec(page)![1];
    const before = await everything();
    const res = await postForm(secretariat, `/campaigns/${CAMPAIGN}/settings/preview`, form({
      _csrf: secretariat.csrf, token, name: 'End impunity', start: '2021-10-18', end: '2021-11-07',
      'themes[0].key': 'policy', 'themes[0].start': '2021-10-24', 'themes[0].end': '2021-10-18', 'themes[0].messages': 'policy-1 policy-2',
      'slots[0].time': '10:00', 'slots[0].days': 'mon',
    })).expect(400);
    expect(res.text).toContain('id="f-themes-0-end" name="themes[0].end" type="date" value="2021-10-18" aria-invalid="true"');
    expect(res.text).toContain('<span id="f-themes-0-end-e" class="field-error" lang="en">2021-10-18 is before start 2021-10-24</span>');
    await postForm(secretariat, `/campaigns/${CAMPAIGN}/settings/preview`, form({ _csrf: secretariat.csrf, token, 'members[0].nickname': 'x' })).expect(400);
    // Hostile or broken input: each refused by field, never a 500.
    const hostile = [
      form({ _csrf: secretariat.csrf, token, name: 'x', start: 'garbage', end: '2021-11-07', 'members[0].channels[0].network': 'myspace', 'members[0].channels[1].network': 'x', 'members[0].channels[1].publisher': 'evil' }),
      `${form({ _csrf: secretariat.csrf, token })}&name=a&name=b`,
      form({ _csrf: secretariat.csrf, token, 'slots[0].time': '25:99', 'slots[0].days': 'someday' }),
      form({ _csrf: secretariat.csrf, token, 'members[12].slots[0].time': '10:00' }),
      form({ _csrf: secretariat.csrf, token, 'members[0].channels[0].network': 'x', 'members[0].channels[0].publisher': 'webhook', 'members[0].channels[0].address': 'https://user:pw@hooks.example', 'members[0].channels[0].secret': 'HOME' }),
    ];
    for (const body of hostile) {
      const refused = await postForm(secretariat, `/campaigns/${CAMPAIGN}/settings/preview`, body);
      expect(refused.status).toBe(400);
    }
    const apply = await postForm(secretariat, `/campaigns/${CAMPAIGN}/settings/apply`, form({ _csrf: secretariat.csrf, token, campaign: '{"slug": "other"' }));
    expect(apply.status).toBe(400);
    await postForm(secretariat, `/campaigns/${CAMPAIGN}/settings/apply`, form({ _csrf: secretariat.csrf, token, campaign: '{"slug": "natc-see-2021"}' })).expect(400);
    await postForm(secretariat, '/campaigns/natc-see-1999/settings/preview', form({ _csrf: secretariat.csrf, token })).expect(404);
    expect(await everything()).toBe(before);
  });

  it('moves a member’s slot: the preview lists the moved posts and the approvals reset, apply moves them', async () => {
    // The secretariat's own regional posts (SEE, 12:00 daily; its one step is the secretariat's) of the first week, approved.
    const week = await posts('member=SEE&network=x&to=2021-10-24T23:00:00Z');
    for (const post of week) {
      const submitted = await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200);
      await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.body.revision }).expect(200);
    }
    const page = await signInPage(browser, t.url, ADMIN_TOKEN);
    await page.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar`);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(`${t.url}/campaigns/${CAMPAIGN}/settings`);
    const see = page.locator('details.member', { hasText: 'SEE · NATC SEE' });
    await see.locator('summary').click();
    await see.getByLabel('Time').first().fill('13:00');
    await page.getByRole('button', { name: 'Preview the changes' }).click();
    await page.waitForURL(`${t.url}/campaigns/${CAMPAIGN}/settings/preview`);
    // SEE: 21 days × 4 channels move to 13:00; the 7 approved X posts of the first week lose their approvals.
    expect(await page.locator('#n-changed').textContent()).toBe('84');
    expect(await page.locator('#n-reset').textContent()).toBe('7');
    expect(await page.locator('#n-added').textContent()).toBe('0');
    expect(await page.locator('#n-cancelled').textContent()).toBe('0');
    const firstMoved = page.locator('#list-changed tbody tr', { hasText: `${week[0].id}` }).first();
    expect(await firstMoved.textContent()).toContain('approvals reset');
    expect(await firstMoved.textContent()).toMatch(/18 Oct 2021, 12:00 → 18 Oct 2021, 13:00/);
    expect((await posts('member=SEE&network=x&status=approved')).length).toBe(7); // the preview changed nothing
    await page.screenshot({ path: screenshotPath('settings-preview.png'), fullPage: true });
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await page.waitForURL(/\/settings\?applied=/);
    expect(await page.getByRole('status').textContent()).toContain('changed: 84');
    const moved = await posts('member=SEE&network=x&to=2021-10-24T23:00:00Z');
    expect(moved.map((p) => [p.id, p.localTime.slice(11, 16), p.status])).toEqual(week.map((p) => [p.id, '13:00', 'draft']));
    await page.context().close();
  });

  it.each([['desktop', 1280], ['phone', 390]])('passes axe (WCAG 2.2 AA) on the settings, preview and edition pages, %s, in Macedonian', async (_, width) => {
    const page = await signInPage(browser, t.url, ADMIN_TOKEN, { width, height: 844, locale: 'mk' });
    const found: string[] = [];
    await page.goto(`${t.url}/campaigns/${CAMPAIGN}/settings`);
    await page.locator('details.member').first().locator('summary').click();
    found.push(...await seriousViolations(page));
    expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
    await page.locator('button.primary').click();
    await page.waitForURL(/\/settings\/preview$/);
    found.push(...await seriousViolations(page));
    await page.goto(`${t.url}/campaigns/${CAMPAIGN}/edition`);
    found.push(...await seriousViolations(page));
    expect(found).toEqual([]);
    await page.context().close();
  });

  it('refuses to apply a preview once the campaign changed meanwhile (409), applying nothing', async () => {
    const secretariat = await signIn(ADMIN_TOKEN);
    const page = (await t.http.get(`/campaigns/${CAMPAIGN}/settings`).set('Cookie', secretariat.cookie).expect(200)).text;
    const staleToken = /name="token" value="([^"]+)"/.exec(page)![1];
    const campaign = (await t.http.get(`/api/campaigns/${CAMPAIGN}`).set(admin).expect(200)).body;
    for (const key of ['footnotes', 'holidays', 'state', 'counts', 'createdAt', 'updatedAt']) delete campaign[key];
    t.clock.set(new Date('2021-10-01T10:00:00Z'));
    await t.http.put(`/api/campaigns/${CAMPAIGN}`).set(admin).send({ ...campaign, hashtags: ['EndImpunity'] }).expect(200);
    const before = await everything();
    const res = await postForm(secretariat, `/campaigns/${CAMPAIGN}/settings/apply`, form({ _csrf: secretariat.csrf, token: staleToken, campaign: JSON.stringify({ ...campaign, slots: [{ time: '11:00' }] }) })).expect(409);
    expect(res.text).toContain('changed while this was being done');
    expect(await everything()).toBe(before);
  });

  it('shows an archived campaign’s settings read-only, and refuses its preview (409)', async () => {
    t.clock.set(new Date('2026-11-30T09:00:00Z'));
    await t.http.post('/api/campaigns').set(admin).send(campaignOnShippedTemplates('natc-see-2021-archive')).expect(201);
    t.clock.set(new Date('2021-10-01T11:00:00Z'));
    const secretariat = await signIn(ADMIN_TOKEN);
    const page = (await t.http.get('/campaigns/natc-see-2021-archive/settings').set('Cookie', secretariat.cookie).expect(200)).text;
    expect(page).toContain('This campaign is archived: its settings are read-only.');
    expect(page).toContain('name="slots[0].time" type="time" value="10:00" disabled>');
    expect(page).not.toContain('Preview the changes');
    const token = /name="token" value="([^"]+)"/.exec(page)![1];
    const before = await everything();
    const res = await postForm(secretariat, '/campaigns/natc-see-2021-archive/settings/preview', form({ _csrf: secretariat.csrf, token, name: 'x', start: '2021-10-18', end: '2021-11-07' })).expect(409);
    expect(res.text).toContain('is archived (its last date had passed when it was imported)');
    expect(await everything()).toBe(before);
  });

  it('makes a new edition from the campaign page: the weekday error, the taken slug, then the new campaign', async () => {
    const page = await signInPage(browser, t.url, ADMIN_TOKEN, { width: 390, height: 844 });
    await page.goto(`${t.url}/campaigns/${CAMPAIGN}/calendar`);
    await page.getByRole('link', { name: 'New edition' }).click();
    await page.getByLabel('Slug of the new campaign').fill('natc-see-2028');
    await page.getByLabel('First day').fill('2028-10-18');
    await page.getByRole('button', { name: 'Create the edition' }).click();
    expect(await page.locator('#e-start-e').textContent()).toBe('2028-10-18 is a Wednesday; the source starts on a Monday: choose 2028-10-16 or 2028-10-23');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByLabel('Slug of the new campaign').fill(CAMPAIGN);
    await page.getByLabel('First day').fill('2028-10-16');
    await page.getByRole('button', { name: 'Create the edition' }).click();
    expect(await page.locator('#e-slug-e').textContent()).toContain(`campaign "${CAMPAIGN}" already exists`);
    expect((await t.http.get('/api/campaigns').set(admin).expect(200)).body.map((c: { slug: string }) => c.slug)).not.toContain('natc-see-2028');
    await page.getByLabel('Slug of the new campaign').fill('natc-see-2028');
    await page.getByRole('button', { name: 'Create the edition' }).click();
    await page.waitForURL(`${t.url}/campaigns/natc-see-2028/calendar?edition=${CAMPAIGN}`);
    const notice = await page.getByRole('status').first().textContent();
    expect(notice).toContain(`It shares the templates of ${CAMPAIGN}`);
    expect(notice).toContain('The facts of SI were copied from the source: check them and update them for this year.');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.goto(`${t.url}/campaigns/natc-see-2028/settings`);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('settings-phone.png'), fullPage: true });
    await page.context().close();
  });
});
