import { PostEntity } from '../../src/posts/post.entity';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const CAMPAIGN = '/api/campaigns/natc-see-2021';

/** Issue 11 #5: the post page shows the post as its network will, its neighbours, its actions and its history in words. */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('the post page on %s', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ kind });
    tokens.siComms = await t.token('comms', 'SI', 'Maja Zupan');
    tokens.siCoordinator = await t.token('coordinator', 'SI', 'Ana Novak');
    tokens.hrCoordinator = await t.token('coordinator', 'HR', 'Marko Horvat');
    tokens.admin = ADMIN_TOKEN;
    for (const [who, token] of Object.entries(tokens)) {
      const signedIn = await t.http.post('/login').type('form').send({ token, next: '/' }).expect(303);
      cookies[who] = String(signedIn.headers['set-cookie']).split(';')[0];
    }
  });
  afterAll(() => t.close());

  const posts = async (query: string) => (await t.http.get(`${CAMPAIGN}/posts?limit=1000&${query}`).set(bearer(ADMIN_TOKEN)).expect(200)).body.items as any[];
  const page = async (id: number, who = 'admin') => (await t.http.get(`/posts/${id}`).set('Cookie', cookies[who]).expect(200)).text;

  it('shows an X post as X does: the member’s name in the post’s language, a handle, and the weighted count out of 280', async () => {
    const [post] = await posts('member=SI&network=x');
    const html = await page(post.id);
    expect(html).toContain('<article class="np np-x"');
    expect(html).toContain('<span id="np-name" class="np-name" translate="no">Slovenija</span> <span class="np-handle" translate="no">@slovenija</span>');
    expect(html).toContain(`weighted length: ${post.length} / 280`);
  });

  it('shows no counter far below Facebook’s limit (no “261 / 63206”)', async () => {
    const [post] = await posts('member=SI&network=facebook');
    const html = await page(post.id);
    expect(html).toContain('<article class="np np-facebook"');
    expect(html).not.toMatch(/63[ ,.\u00a0\u202f]?206/);
    expect(html).not.toContain('<meter');
  });

  it('styles links and hashtags, and shows markup in the text as text', async () => {
    const [post] = await posts('member=SI&network=linkedin');
    const text = 'Glej <b>to</b> & https://www.icmpd.org/natc #EndImpunity';
    await t.http.patch(`/api/posts/${post.id}`).set(bearer(ADMIN_TOKEN)).send({ revision: post.revision, text }).expect(200);
    const html = await page(post.id);
    expect(html).toContain('<p class="np-text" lang="sl">Glej &lt;b&gt;to&lt;/b&gt; &amp; <span class="np-link">https://www.icmpd.org/natc</span> <span class="np-tag">#EndImpunity</span></p>');
    expect(html).not.toContain('<b>to</b>');
  });

  it('links the member’s previous and next posts by time, and none before the first', async () => {
    const all = (await posts('member=SI')).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.id - b.id);
    const first = await page(all[0].id);
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain(`<a rel="next" href="/posts/${all[1].id}">`);
    const middle = await page(all[5].id, 'siCoordinator');
    expect(middle).toContain(`<a rel="prev" href="/posts/${all[4].id}">`);
    expect(middle).toContain(`<a rel="next" href="/posts/${all[6].id}">`);
  });

  it('tells the history in words, in the member’s time zone, with the text hashes behind a disclosure', async () => {
    const [post] = await posts('member=SI&network=x&theme=capacity-building');
    const submitted = await t.http.post(`/api/posts/${post.id}/submit`).set(bearer(tokens.siComms)).send({ revision: post.revision }).expect(200);
    await t.http.post(`/api/posts/${post.id}/approve`).set(bearer(tokens.siCoordinator)).send({ revision: submitted.body.revision }).expect(200);
    const html = await page(post.id, 'siComms');
    // 09:00Z on 1 October is 11:00 in Ljubljana (summer time).
    expect(html).toContain('<strong>approved</strong> by Ana Novak (step 1 of 2: coordinator) · <time datetime="2021-10-01T09:00:00.000Z">Fri 1 Oct, 11:00</time>');
    expect(html).toContain('<strong>planned</strong> by the campaign import ·');
    expect(html).toContain('Times in the member&#x27;s time zone (Europe/Ljubljana).');
    const history = html.slice(html.indexOf('<ol class="history">'), html.indexOf('</ol>', html.indexOf('<ol class="history">')));
    expect(history).not.toContain(post.textHash ?? 'no hash');
    expect(html).toMatch(/<details>\s*<summary>Text hashes \(to check which text was approved\)<\/summary>/);
    expect(html.slice(html.indexOf('<details>'))).toContain(`<code>${submitted.body.textHash}</code>`);
  });

  it('offers retry and reopen on a failed post, and reopen on a missed one, only to those allowed', async () => {
    const [failed, missed] = await posts('member=SI&network=facebook&theme=victim-assistance');
    await t.db.manager.update(PostEntity, failed.id, { status: 'failed' });
    await t.db.manager.update(PostEntity, missed.id, { status: 'missed' });
    const forms = (html: string) => ({ retry: html.includes('/retry"'), reopen: html.includes('/reopen"') });
    expect(forms(await page(failed.id))).toEqual({ retry: true, reopen: true });
    expect(forms(await page(failed.id, 'siComms'))).toEqual({ retry: false, reopen: true });
    expect(forms(await page(failed.id, 'siCoordinator'))).toEqual({ retry: false, reopen: false });
    expect(forms(await page(missed.id))).toEqual({ retry: false, reopen: true });
    expect(forms(await page(missed.id, 'siCoordinator'))).toEqual({ retry: false, reopen: false });
    // Another member's coordinator does not see the page at all.
    await t.http.get(`/posts/${failed.id}`).set('Cookie', cookies.hrCoordinator).expect(403);
  });
});
