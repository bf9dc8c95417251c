import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountsService } from '../../src/accounts/accounts.service';
import { claimDuePosts } from '../../src/posts/post-claims';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { testImage } from '../factories/images';
import { localeFileYaml, writeTemplateFile } from '../factories/templates';
import { authorizeOnFacebook, META_APP, metaAccountsConfigFor } from '../support/meta-accounts';
import { META_IG, META_PAGE, startMetaFake } from '../support/meta-fake';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { reauthorize, signIn } from '../support/x-accounts';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; status: string; text: string; scheduledAt: string; network: string; [k: string]: any };
type Who = { cookie: string; csrf: string };
const FOLDER = 'meta-e2e';
const CALLBACK = 'http://scheduler.test/accounts/callback';

/** Slovenia (sl), 18–29 Oct 2021 at 10:00: `with-image` (a poster named in the templates) and `plain` in turn. */
function metaCampaign(slug: string, accounts: { facebook: string; instagram: string }): Record<string, any> {
  return {
    slug, name: 'Meta', start: '2021-10-18', end: '2021-10-29', defaultLocale: 'en', hashtags: ['EndImpunity'], templates: FOLDER,
    slots: [{ time: '10:00' }],
    themes: [{ key: 'policy', start: '2021-10-18', end: '2021-10-29', messages: ['with-image', 'plain'] }],
    members: [{
      code: 'SI', name: { en: 'Slovenia' }, timezone: 'Europe/Ljubljana', locales: ['sl'], approval: ['coordinator'],
      channels: [{ network: 'facebook', publisher: { type: 'facebook', account: accounts.facebook } }, { network: 'instagram', publisher: { type: 'instagram', account: accounts.instagram } }],
    }],
  };
}

/**
 * Issue 14 for Facebook Pages and the Instagram account linked to one: connecting through Facebook Login
 * (the Page named on the form), publishing through the Graph API, and never twice when an answer is lost.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('Facebook and Instagram from connected accounts on %s', (kind) => {
  let t: TestApp;
  let meta: Awaited<ReturnType<typeof startMetaFake>>;
  let root: string;
  const who: Record<string, Who> = {};
  const slug = `meta-${kind}`;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'templates-meta-'));
    writeTemplateFile(root, 'visuals/poster.png', await testImage('png', 1080, 1080), FOLDER);
    const messages = (locale: string) => ({ 'with-image': { text: `S plakatom (${locale}). {{hashtags}}` }, plain: { text: `Brez slike (${locale}). {{hashtags}}` } });
    const media = [{ file: 'visuals/poster.png', alt: { en: 'A poster: trafficking is a crime', sl: 'Plakat: trgovina z ljudmi je kaznivo dejanje' } }];
    writeFileSync(join(root, FOLDER, 'en.yaml'), localeFileYaml({ locale: 'en', themes: { policy: 'Policy' }, messages: { ...messages('en'), 'with-image': { ...messages('en')['with-image'], media } } }));
    writeFileSync(join(root, FOLDER, 'sl.yaml'), localeFileYaml({ locale: 'sl', review: 'reviewed', themes: { policy: 'Politika' }, messages: messages('sl') }));
    meta = await startMetaFake(META_APP);
    t = await startTestApp({ kind, templatesDir: root, campaignsDir: join(root, 'none'), config: { accounts: metaAccountsConfigFor(meta) } });
    who.siComms = await signIn(t, await t.token('comms', 'SI', 'Maja Zupan'));
    who.admin = await signIn(t, ADMIN_TOKEN);
  });
  afterAll(async () => {
    await t.close();
    await meta.close();
    rmSync(root, { recursive: true, force: true });
  });

  const rows = async (table: string) => t.db.manager.query(`select * from ${table} order by id`);
  const tokenCalls = () => meta.requests.filter((r) => r.path === '/v26.0/oauth/access_token');
  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const dayPost = async (date: string, network: string): Promise<Post> =>
    (await t.http.get(`/api/campaigns/${slug}/posts?network=${network}&from=${date}T00:00:00Z&to=${date}T23:59:59Z`).set(admin).expect(200)).body.items[0];
  /** A unique text (a read-back matches by text), optionally other images, submitted and approved. */
  const approved = async (date: string, network: string, text: string, media?: { id: number; alt: string }[]): Promise<Post> => {
    const post = await dayPost(date, network);
    const edited = (await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text, ...(media ? { media } : {}) }).expect(200)).body;
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: edited.revision }).expect(200)).body;
    return (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
  };
  const tickAfter = (post: Post, seconds: number) => {
    t.clock.set(new Date(Date.parse(post.scheduledAt) + seconds * 1000));
    return t.app.get(Dispatcher).tick();
  };
  const calls = (edge: string) => meta.requests.filter((r) => r.method === 'POST' && r.path.endsWith(edge));
  const pageToken = () => meta.pageTokens.get(META_PAGE.id)!;
  const form = (request: { params: URLSearchParams }) => Object.fromEntries(request.params);

  describe('connecting', () => {
    it('offers a Page field for Facebook and Instagram, and refuses a form without it (400, nothing written)', async () => {
      const page = (await t.http.get('/accounts').set('Cookie', who.siComms.cookie).expect(200)).text;
      expect(page).toContain('action="/accounts/connect/facebook"');
      expect(page).toContain('id="page-instagram" name="page" required');
      expect(page).toContain('Continue to Facebook');
      const res = await t.http.post('/accounts/connect/facebook').set('Cookie', who.siComms.cookie).type('form').send({ _csrf: who.siComms.csrf, member: 'SI', name: 'si-facebook' }).expect(400);
      expect(res.text).toContain('page');
      expect(await rows('oauth_requests')).toEqual([]);
    });

    it('connects the named Page: code → user token → long-lived token → the Page\'s own token, which never expires', async () => {
      const started = await t.http.post('/accounts/connect/facebook').set('Cookie', who.siComms.cookie).type('form')
        .send({ _csrf: who.siComms.csrf, member: 'SI', name: 'si-facebook', page: 'natc slovenija' }).expect(303);
      const dialog = new URL(started.headers.location);
      expect(`${dialog.origin}${dialog.pathname}`).toBe(meta.endpoints.authorizeUrl);
      expect(Object.fromEntries(dialog.searchParams)).toEqual({
        client_id: META_APP.id, redirect_uri: `${CALLBACK}/facebook`, state: expect.stringMatching(/^[\w-]{43}$/), response_type: 'code',
        scope: 'pages_show_list,pages_read_engagement,pages_manage_posts,read_insights',
      });
      const back = new URL((await fetch(started.headers.location, { redirect: 'manual' })).headers.get('location')!);
      await t.http.get(`${back.pathname}${back.search}`).set('Cookie', who.siComms.cookie).expect(303);

      const [exchange, longLived] = tokenCalls();
      expect(exchange.method).toBe('GET');
      expect(form(exchange)).toEqual({ client_id: META_APP.id, client_secret: META_APP.secret, redirect_uri: `${CALLBACK}/facebook`, code: back.searchParams.get('code') });
      expect(form(longLived)).toEqual({ grant_type: 'fb_exchange_token', client_id: META_APP.id, client_secret: META_APP.secret, fb_exchange_token: expect.stringMatching(/^user-short-/) });
      const pages = meta.requests.find((r) => r.path === '/v26.0/me/accounts')!;
      expect(form(pages)).toMatchObject({ fields: 'id,name,access_token,instagram_business_account', access_token: expect.stringMatching(/^user-long-/) });

      const [account] = (await t.http.get('/api/accounts?member=SI').set(admin).expect(200)).body;
      expect(account).toMatchObject({ name: 'si-facebook', network: 'facebook', externalId: META_PAGE.id, handle: META_PAGE.name, status: 'connected', expiresAt: null });
      const stored = JSON.stringify(await rows('accounts'));
      expect(stored).not.toContain(pageToken());
      expect(stored).not.toContain('user-long-');
      expect((await t.http.get('/accounts').set('Cookie', who.siComms.cookie).expect(200)).text).not.toContain(pageToken());
    });

    it('refuses a forged state and a replayed code with 400, writing nothing and asking Facebook nothing more', async () => {
      const callback = await authorizeOnFacebook(t, who.siComms, 'instagram', { member: 'SI', name: 'si-instagram', page: META_PAGE.id });
      // Instagram asks for its own insights permission (views), not the Page's read_insights.
      expect(meta.requests.filter((r) => r.path === '/v26.0/dialog/oauth').pop()!.query.get('scope'))
        .toBe('pages_show_list,pages_read_engagement,pages_manage_posts,instagram_basic,instagram_content_publish,instagram_manage_insights');
      const before = { accounts: await rows('accounts'), tokenCalls: tokenCalls().length };
      await t.http.get(callback.replace(/state=[^&]+/, 'state=forged')).set('Cookie', who.siComms.cookie).expect(400);
      await t.http.get(callback).set('Cookie', who.admin.cookie).expect(400);
      expect(tokenCalls()).toHaveLength(before.tokenCalls);
      expect(await rows('accounts')).toEqual(before.accounts);
      await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(303);
      // The same callback again: its state is used up, and Facebook would refuse the code (used) anyway.
      const replay = await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(400);
      expect(replay.text).toContain('state');
      expect(tokenCalls()).toHaveLength(before.tokenCalls + 2);
      const instagram = (await t.http.get('/api/accounts?member=SI').set(admin).expect(200)).body.find((a: any) => a.network === 'instagram');
      expect(instagram).toMatchObject({ name: 'si-instagram', externalId: META_IG.id, handle: META_IG.username, expiresAt: null });
    });

    it('a code Facebook refuses (already used) answers 400 with the reason; a Page the user does not manage answers 400 naming page', async () => {
      const callback = await authorizeOnFacebook(t, who.admin, 'facebook', { member: 'HR', name: 'hr-facebook', page: 'Somebody Else' });
      const code = new URL(callback, 'http://x').searchParams.get('code')!;
      // Used once by someone (an attacker who intercepted it): Facebook refuses it the second time.
      await fetch(`${meta.endpoints.graphUrl}/oauth/access_token?${new URLSearchParams({ client_id: META_APP.id, client_secret: META_APP.secret, redirect_uri: `${CALLBACK}/facebook`, code })}`);
      const refused = await t.http.get(callback).set('Cookie', who.admin.cookie).expect(400);
      expect(refused.text).toContain('This authorization code has been used');
      const unknownPage = await authorizeOnFacebook(t, who.admin, 'facebook', { member: 'HR', name: 'hr-facebook', page: 'Somebody Else' });
      const res = await t.http.get(unknownPage).set('Cookie', who.admin.cookie).expect(400);
      expect(res.text).toMatch(/page: no Page (&quot;|")Somebody Else/);
      expect((await rows('accounts')).map((a: { name: string }) => a.name)).toEqual(['si-facebook', 'si-instagram']);
      // An answer that is not JSON (an error page): the reason given, nothing written.
      const notJson = await authorizeOnFacebook(t, who.admin, 'facebook', { member: 'HR', name: 'hr-facebook', page: 'Ministry Page' });
      meta.setTokenNotJson(true);
      try {
        expect((await t.http.get(notJson).set('Cookie', who.admin.cookie).expect(409)).text).toContain('not JSON');
      } finally {
        meta.setTokenNotJson(false);
      }
      expect((await rows('accounts')).map((a: { name: string }) => a.name)).toEqual(['si-facebook', 'si-instagram']);
      // Another member's Page, for the import check below.
      await t.http.get(await authorizeOnFacebook(t, who.admin, 'facebook', { member: 'HR', name: 'hr-facebook', page: 'Ministry Page' })).set('Cookie', who.admin.cookie).expect(303);
    });
  });

  describe('publishing', () => {
    it('refuses at import an account of another member or one that does not exist, naming the field; nothing is written', async () => {
      const foreign = await t.http.post('/api/campaigns').set(admin).send(metaCampaign(slug, { facebook: 'hr-facebook', instagram: 'si-instagram' })).expect(400);
      expect(foreign.body.errors).toEqual([{ field: 'members[0].channels[0].publisher.account', message: 'account "hr-facebook" belongs to another member (HR), not SI' }]);
      const missing = await t.http.post('/api/campaigns').set(admin).send(metaCampaign(slug, { facebook: 'si-facebook', instagram: 'si-nope' })).expect(400);
      expect(missing.body.errors).toEqual([{ field: 'members[0].channels[1].publisher.account', message: expect.stringContaining('no connected account "si-nope"') }]);
      const crossed = metaCampaign(slug, { facebook: 'si-facebook', instagram: 'si-instagram' });
      crossed.members[0].channels[1].publisher.type = 'facebook';
      expect((await t.http.post('/api/campaigns').set(admin).send(crossed).expect(400)).body.message).toContain('type facebook publishes to Facebook only; this channel is instagram');
      await t.http.get(`/api/campaigns/${slug}`).set(admin).expect(404);
      await t.http.post('/api/campaigns').set(admin).send(metaCampaign(slug, { facebook: 'si-facebook', instagram: 'si-instagram' })).expect(201);
    });

    it('Facebook, text only: POST /{page}/feed with the message and the Page token; the post id and URL recorded', async () => {
      const post = await approved('2021-10-19', 'facebook', 'Konec nekaznovanosti: FB dan 2 #EndImpunity');
      expect(await tickAfter(post, 5)).toMatchObject({ claimed: 1, published: 1 });
      const [call] = calls('/feed');
      expect(call.path).toBe(`/v26.0/${META_PAGE.id}/feed`);
      expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(call.raw).toBe(new URLSearchParams({ message: post.text, access_token: pageToken() }).toString());
      const created = meta.feed.find((p) => p.message === post.text)!;
      const [, postId] = created.id.split('_');
      expect(meta.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v26.0/${created.id}` });
      expect(Object.fromEntries(meta.requests.at(-1)!.params)).toEqual({ fields: 'permalink_url', access_token: pageToken() });
      expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://www.facebook.com/${META_PAGE.id}/posts/${postId}`, publishedId: created.id });
    });

    it('Facebook with an image: uploaded unpublished from its public URL with its alt text, then attached to the feed post', async () => {
      const post = await approved('2021-10-18', 'facebook', 'Konec nekaznovanosti: FB dan 1 s plakatom');
      expect(post.media).toHaveLength(1);
      expect(await tickAfter(post, 5)).toMatchObject({ published: 1 });
      const [photo] = calls('/photos');
      expect(photo.raw).toBe(new URLSearchParams({ url: post.media[0].url, published: 'false', alt_text_custom: post.media[0].alt, access_token: pageToken() }).toString());
      const photoId = [...meta.photos.keys()][0];
      const feedCall = calls('/feed').at(-1)!;
      expect(feedCall.raw).toBe(new URLSearchParams({ message: post.text, 'attached_media[0]': JSON.stringify({ media_fbid: photoId }), access_token: pageToken() }).toString());
      expect(meta.feed.find((p) => p.message === post.text)!.attached).toEqual([photoId]);
    });

    it('Instagram, one image: a container (image_url, caption, alt_text), its status, then media_publish; the permalink recorded', async () => {
      const post = await approved('2021-10-18', 'instagram', 'Konec nekaznovanosti: IG dan 1');
      expect(await tickAfter(post, 5)).toMatchObject({ published: 1 });
      const [container] = calls(`/${META_IG.id}/media`);
      expect(container.raw).toBe(new URLSearchParams({ image_url: post.media[0].url, caption: post.text, alt_text: post.media[0].alt, access_token: pageToken() }).toString());
      const containerId = [...meta.containers.keys()][0];
      expect(meta.requests.some((r) => r.method === 'GET' && r.path === `/v26.0/${containerId}` && r.query.get('fields') === 'status_code')).toBe(true);
      const [publish] = calls('/media_publish');
      expect(publish.raw).toBe(new URLSearchParams({ creation_id: containerId, access_token: pageToken() }).toString());
      const media = meta.media.find((m) => m.caption === post.text)!;
      expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: media.permalink, publishedId: media.id });
    });

    it('Instagram, several images: one carousel item each, a CAROUSEL container with the caption, published once', async () => {
      const upload = async (width: number) => (await t.http.post('/api/media').set(admin).attach('file', await testImage('png', width, width), 'visual.png').expect(201)).body;
      const [a, b] = [await upload(1000), await upload(1010)];
      const post = await approved('2021-10-20', 'instagram', 'Konec nekaznovanosti: IG vrtiljak', [{ id: a.id, alt: 'Prvi plakat' }, { id: b.id, alt: 'Drugi plakat' }]);
      const before = calls(`/${META_IG.id}/media`).length;
      expect(await tickAfter(post, 5)).toMatchObject({ published: 1 });
      const made = calls(`/${META_IG.id}/media`).slice(before).map((c) => c.raw);
      const ids = [...meta.containers.keys()].slice(-3);
      expect(made).toEqual([
        new URLSearchParams({ image_url: post.media[0].url, is_carousel_item: 'true', alt_text: 'Prvi plakat', access_token: pageToken() }).toString(),
        new URLSearchParams({ image_url: post.media[1].url, is_carousel_item: 'true', alt_text: 'Drugi plakat', access_token: pageToken() }).toString(),
        new URLSearchParams({ media_type: 'CAROUSEL', children: `${ids[0]},${ids[1]}`, caption: post.text, access_token: pageToken() }).toString(),
      ]);
      // The copies made to fit Instagram, served at their public URLs (Meta fetches them).
      expect(post.media.map((m: { url: string }) => m.url)).not.toContain(a.url);
      expect(meta.media.filter((m) => m.caption === post.text)).toHaveLength(1);
    });

    it('Instagram without an image cannot be submitted (409 naming the reason); nothing reaches Instagram', async () => {
      const post = await dayPost('2021-10-26', 'instagram');
      const before = meta.requests.length;
      const edited = (await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text: 'IG brez slike', media: [] }).expect(200)).body;
      const refused = await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: edited.revision }).expect(409);
      expect(refused.body.message).toMatch(/image/i);
      expect(await get(post.id)).toMatchObject({ status: 'draft' });
      expect(meta.requests.length).toBe(before);
    });

    it('Facebook: a post created but never answered (timeout) is found on the Page and published once', async () => {
      const post = await approved('2021-10-21', 'facebook', 'Konec nekaznovanosti: FB dan 4');
      meta.setMode('create-then-hang');
      try {
        expect(await tickAfter(post, 5)).toMatchObject({ published: 1, retrying: 0 });
      } finally {
        meta.setMode('ok');
      }
      expect(calls('/feed').filter((c) => c.params.get('message') === post.text)).toHaveLength(1);
      const read = meta.requests.filter((r) => r.path === `/v26.0/${META_PAGE.id}/published_posts`).at(-1)!;
      expect(read.query.get('fields')).toBe('id,message,created_time,permalink_url');
      expect(Number(read.query.get('since'))).toBeGreaterThan(Date.now() / 1000 - 600);
      const created = meta.feed.find((p) => p.message === post.text)!;
      expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://www.facebook.com/${created.id.replace('_', '/posts/')}`, publishedId: created.id });
    });

    it('Facebook: an answer that is not JSON is looked up on the Page, published once', async () => {
      const post = await approved('2021-10-23', 'facebook', 'Konec nekaznovanosti: FB dan 6');
      meta.setMode('not-json');
      try {
        expect(await tickAfter(post, 5)).toMatchObject({ published: 1 });
      } finally {
        meta.setMode('ok');
      }
      expect(meta.feed.filter((p) => p.message === post.text)).toHaveLength(1);
    });

    it('Instagram: media_publish never answered, the media found on the account: published once with its permalink', async () => {
      const post = await approved('2021-10-22', 'instagram', 'Konec nekaznovanosti: IG dan 5');
      meta.setMode('create-then-hang');
      try {
        expect(await tickAfter(post, 5)).toMatchObject({ published: 1, retrying: 0 });
      } finally {
        meta.setMode('ok');
      }
      const [media] = meta.media.filter((m) => m.caption === post.text);
      expect(calls('/media_publish').filter((c) => meta.containers.get(c.params.get('creation_id')!)?.params.caption === post.text)).toHaveLength(1);
      expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: media.permalink, publishedId: media.id });
    });

    it('Instagram: a 500 after publishing with the account unreadable: unconfirmed, never resent by itself', async () => {
      const post = await approved('2021-10-24', 'instagram', 'Konec nekaznovanosti: IG dan 7', await posterOf('2021-10-24'));
      meta.setMode('create-then-500');
      meta.setReadRefused(true);
      try {
        expect(await tickAfter(post, 5)).toMatchObject({ unconfirmed: 1, retrying: 0 });
        expect(await tickAfter(post, 300)).toMatchObject({ claimed: 0 });
      } finally {
        meta.setMode('ok');
        meta.setReadRefused(false);
      }
      expect(await get(post.id)).toMatchObject({ status: 'unconfirmed', lastError: expect.stringContaining('Instagram: HTTP 500 code 2') });
      expect(meta.media.filter((m) => m.caption === post.text)).toHaveLength(1);
    });

    it('a post taken over from a replica that died after sending is found on the Page, not posted twice', async () => {
      const post = await approved('2021-10-27', 'facebook', 'Konec nekaznovanosti: FB dan 10');
      const at = Date.parse(post.scheduledAt);
      const iso = (ms: number) => new Date(at + ms).toISOString();
      const claimed = await t.db.write((m) => claimDuePosts(t.db, m, { owner: 'dead-replica', now: iso(1000), notBefore: iso(-900_000), leaseUntil: iso(61_000), limit: 10 }));
      expect(claimed.map((c) => c.id)).toEqual([post.id]);
      meta.feed.push({ id: `${META_PAGE.id}_777`, message: post.text, created_time: new Date().toISOString().replace(/\.\d{3}Z$/, '+0000'), attached: [] });
      expect(await tickAfter(post, 120)).toMatchObject({ claimed: 1, published: 1 });
      expect(calls('/feed').filter((c) => c.params.get('message') === post.text)).toHaveLength(0);
      expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://www.facebook.com/${META_PAGE.id}/posts/777`, publishedId: `${META_PAGE.id}_777` });
    });

    it('Instagram: media_publish answered 500 and the media list lags behind: the container says PUBLISHED, so published, never resent', async () => {
      const post = await approved('2021-10-28', 'instagram', 'Konec nekaznovanosti: IG dan 9', await posterOf('2021-10-28'));
      meta.setMode('create-then-500');
      meta.setListLags(true);
      try {
        expect(await tickAfter(post, 5)).toMatchObject({ published: 1, retrying: 0 });
      } finally {
        meta.setMode('ok');
        meta.setListLags(false);
      }
      const [media] = meta.media.filter((m) => m.caption === post.text);
      expect(meta.requests.some((r) => r.method === 'GET' && r.path === `/v26.0/${media.container}` && r.query.get('fields') === 'status_code')).toBe(true);
      expect(calls('/media_publish').filter((c) => c.params.get('creation_id') === media.container)).toHaveLength(1);
      expect(meta.media.filter((m) => m.caption === post.text)).toHaveLength(1);
      // The container's id is not the media's, and nothing names the media: unknown rather than wrong.
      expect(await get(post.id)).toMatchObject({ status: 'published', publishedId: null });
    });

    it('honours a rate limit (code 32) for the time X-Business-Use-Case-Usage names, then sends', async () => {
      const post = await approved('2021-10-25', 'facebook', 'Konec nekaznovanosti: FB dan 8');
      meta.setMode({ rateLimited: { code: 32, minutes: 3 } });
      try {
        expect(await tickAfter(post, 5)).toMatchObject({ retrying: 1 });
      } finally {
        meta.setMode('ok');
      }
      const row = (await t.db.manager.query(t.db.sql('select lease_until, last_error from posts where id = ?'), [post.id]))[0];
      expect(Date.parse(row.lease_until) - Date.parse(post.scheduledAt)).toBeGreaterThanOrEqual(175_000);
      expect(row.last_error).toContain('Facebook: HTTP 400 code 32');
      expect(await tickAfter(post, 60)).toMatchObject({ claimed: 0 });
      expect(await tickAfter(post, 200)).toMatchObject({ published: 1 });
      expect(meta.feed.filter((p) => p.message === post.text)).toHaveLength(1);
    });

    it('a revoked token (code 190) fails the post at once with needs-reconnect and flags the account; no retries', async () => {
      const post = await approved('2021-10-20', 'facebook', 'Konec nekaznovanosti: FB dan 3');
      meta.setMode('revoked');
      try {
        expect(await tickAfter(post, 5)).toMatchObject({ failed: 1, retrying: 0 });
      } finally {
        meta.setMode('ok');
      }
      expect(await get(post.id)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^needs-reconnect: account si-facebook: Facebook: HTTP 400 code 190\/458/) });
      const account = (await t.http.get('/api/accounts?member=SI').set(admin).expect(200)).body.find((a: any) => a.name === 'si-facebook');
      expect(account).toMatchObject({ status: 'needs-reconnect', statusReason: expect.stringContaining('code 190') });
      // Refused at its first call (the poster's upload): no feed post, and no retry later.
      expect(calls('/photos').at(-1)!.params.get('url')).toBe(post.media[0].url);
      expect(calls('/feed').filter((c) => c.params.get('message') === post.text)).toHaveLength(0);
      expect(await tickAfter(post, 600)).toMatchObject({ claimed: 0 });
    });

    it('reconnects the Page and the Instagram account from their Reconnect forms, naming the same Page (Instagram by its own id), and posts again', async () => {
      await t.app.get(AccountsService).flagNeedsReconnect('si-instagram', 'Instagram: HTTP 400 code 190');
      const accounts = (await t.http.get('/api/accounts?member=SI').set(admin).expect(200)).body as { id: number; name: string; revision: number; status: string }[];
      // A session of today's clock (the ticks above moved it on by weeks).
      const comms = await signIn(t, await t.token('comms', 'SI', 'Maja Zupan'));
      for (const [name, externalId] of [['si-facebook', META_PAGE.id], ['si-instagram', META_IG.id]]) {
        const account = accounts.find((a) => a.name === name)!;
        expect(account.status).toBe('needs-reconnect');
        const { callback } = await reauthorize(t, comms, account);
        expect((await rows('oauth_requests')).at(-1)).toMatchObject({ account_name: name, member: 'SI', target: externalId });
        await t.http.get(callback).set('Cookie', comms.cookie).expect(303);
        const again = (await t.http.get('/api/accounts?member=SI').set(admin).expect(200)).body.find((a: { name: string }) => a.name === name);
        expect(again).toMatchObject({ id: account.id, externalId, status: 'connected', statusReason: null });
      }
      const post = await approved('2021-10-26', 'facebook', 'Konec nekaznovanosti: FB po ponovni povezavi');
      expect(await tickAfter(post, 5)).toMatchObject({ published: 1 });
      expect(meta.feed.filter((p) => p.message === post.text)).toHaveLength(1);
    });
  });

  /** The poster the templates name, as the post of that day carries it (to keep it when the text is edited). */
  async function posterOf(date: string): Promise<{ id: number; alt: string }[]> {
    const post = await dayPost(date, 'instagram');
    return post.media.map((m: { id: number; alt: string }) => ({ id: m.id, alt: m.alt }));
  }
});
