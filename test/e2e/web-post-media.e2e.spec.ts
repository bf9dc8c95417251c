import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { testImage } from '../factories/images';
import { launchChromium, screenshotPath, signInPage } from '../support/browser';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

const POSTS = '/api/campaigns/natc-see-2021/posts';

/** Issue 13 #5: the post page shows the images with their alt text and the network's rules, and lets comms add, describe and remove them. */
describe('images on the post page', () => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  let siComms: string;
  let siCoordinator: string;

  beforeAll(async () => {
    t = await startTestApp();
    siComms = await t.token('comms', 'SI', 'Maja Zupan');
    siCoordinator = await t.token('coordinator', 'SI', 'Ana Novak');
    for (const [who, token] of Object.entries({ siComms, siCoordinator })) {
      const signedIn = await t.http.post('/login').type('form').send({ token, next: '/' }).expect(303);
      cookies[who] = String(signedIn.headers['set-cookie']).split(';')[0];
    }
  });
  afterAll(() => t.close());

  const post = async (n: number) => (await t.http.get(`${POSTS}?member=SI&network=x&limit=${n + 1}`).set(bearer(ADMIN_TOKEN)).expect(200)).body.items[n];
  const reload = async (id: number) => (await t.http.get(`/api/posts/${id}`).set(bearer(ADMIN_TOKEN)).expect(200)).body;
  const page = async (id: number, who = 'siComms') => (await t.http.get(`/posts/${id}`).set('Cookie', cookies[who]).expect(200)).text;
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const mediaRows = async () => Number((await t.db.manager.query('select count(*) as n from media'))[0].n);
  const uploadForm = (id: number, who: string, csrf: string | null, revision: number, png: Buffer, alt: string) =>
    t.http.post(`/posts/${id}/media${csrf ? `?_csrf=${encodeURIComponent(csrf)}` : ''}`).set('Cookie', cookies[who])
      .field('revision', String(revision)).field('alt', alt).attach('file', png, 'visual.png');

  it('uploads an image with its alt text through the page’s form, then shows it with the rule results', async () => {
    const p = await post(0);
    const html = await page(p.id);
    expect(html).toContain('No images yet.');
    expect(html).toContain(`action="/posts/${p.id}/media?_csrf=`);
    await uploadForm(p.id, 'siComms', csrfOf(html), p.revision, await testImage('png', 64, 48), 'Plakat kampanje').expect(303).expect('Location', `/posts/${p.id}?done=edit`);
    const after = await reload(p.id);
    expect(after).toMatchObject({ revision: p.revision + 1, status: 'draft', media: [{ alt: 'Plakat kampanje', width: 64, height: 48 }] });
    const shown = await page(p.id);
    expect(shown).toContain(`<img src="/media/${after.media[0].sha256}.png" alt="Plakat kampanje" width="64" height="48" loading="lazy">`);
    expect(shown).toContain('Meets x’s rules for images.');
  });

  it('shows a missing alt text as a rule the submit will refuse, then saves the alt text written in the form', async () => {
    const p = await post(1);
    await uploadForm(p.id, 'siComms', csrfOf(await page(p.id)), p.revision, await testImage('png', 30, 30), '').expect(303);
    const html = await page(p.id);
    expect(html).toContain('Image 1: no alt text; it is needed to submit.');
    const withImage = await reload(p.id);
    await t.http.post(`/posts/${p.id}/media/0`).set('Cookie', cookies.siComms).type('form')
      .send({ _csrf: csrfOf(html), revision: String(withImage.revision), alt: 'Roke <script>alert(1)</script>\r\nin vrv' }).expect(303);
    const saved = await reload(p.id);
    expect(saved.media[0].alt).toBe('Roke <script>alert(1)</script>\nin vrv');
    const shown = await page(p.id);
    expect(shown).not.toContain('<script>alert(1)</script>');
    expect(shown).toContain('Roke &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(shown).not.toContain('no alt text; it is needed to submit');
  });

  it('removes an image through its form', async () => {
    const p = await post(2);
    await uploadForm(p.id, 'siComms', csrfOf(await page(p.id)), p.revision, await testImage('png', 20, 20), 'x').expect(303);
    const withImage = await reload(p.id);
    await t.http.post(`/posts/${p.id}/media/0/remove`).set('Cookie', cookies.siComms).type('form')
      .send({ _csrf: csrfOf(await page(p.id)), revision: String(withImage.revision) }).expect(303);
    expect(await reload(p.id)).toMatchObject({ media: [], revision: withImage.revision + 1 });
  });

  it('refuses an upload without the CSRF token, and one by the coordinator (403), storing nothing', async () => {
    const p = await post(3);
    const rows = await mediaRows();
    const png = await testImage('png', 25, 25, { noise: true });
    await uploadForm(p.id, 'siComms', null, p.revision, png, 'a').expect(403);
    const coordinatorPage = await page(p.id, 'siCoordinator');
    expect(coordinatorPage).not.toContain(`action="/posts/${p.id}/media?_csrf=`);
    await uploadForm(p.id, 'siCoordinator', csrfOf(coordinatorPage), p.revision, png, 'a').expect(403);
    expect(await mediaRows()).toBe(rows);
    expect(await reload(p.id)).toMatchObject({ revision: p.revision, media: [] });
  });

  it('refuses an upload at a stale revision (409) before storing the image', async () => {
    const p = await post(4);
    const rows = await mediaRows();
    await uploadForm(p.id, 'siComms', csrfOf(await page(p.id)), p.revision + 5, await testImage('png', 26, 26, { noise: true }), 'a').expect(409);
    expect(await mediaRows()).toBe(rows);
  });

  describe('in a browser on a phone', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    it('uploads through the file input, shows the image within 390 px, and names it by its alt text', async () => {
      const p = await post(5);
      const file = join(tmpdir(), `natc-visual-${process.pid}.png`);
      writeFileSync(file, await testImage('png', 1200, 800));
      const tab: Page = await signInPage(browser, t.url, siComms, { width: 390, height: 844 });
      await tab.goto(`${t.url}/posts/${p.id}`);
      await tab.locator('#media-file').setInputFiles(file);
      await tab.locator('#media-alt').fill('Ljudje, ki si podajajo roke');
      await tab.getByRole('button', { name: 'Upload' }).click();
      await tab.waitForURL(`${t.url}/posts/${p.id}?done=edit`);
      const image = tab.getByRole('img', { name: 'Ljudje, ki si podajajo roke' });
      await image.waitFor();
      const box = (await image.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(390);
      expect(await image.evaluate((img) => (img as any).naturalWidth)).toBe(1200);
      expect(await tab.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth)).toBeLessThanOrEqual(390);
      await tab.screenshot({ path: screenshotPath('post-media-phone.png'), fullPage: true });
    });
  });
});
