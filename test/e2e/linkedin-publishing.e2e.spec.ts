import { claimDuePosts } from '../../src/posts/post-claims';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { testImage } from '../factories/images';
import { authorizeOnLinkedIn, LINKEDIN_CLIENT, linkedinAccountsConfig } from '../support/linkedin-accounts';
import { LINKEDIN_ORG, startLinkedInFake } from '../support/linkedin-fake';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/x-accounts';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; status: string; text: string; scheduledAt: string; [k: string]: any };

/**
 * Issue 14 #2 (LinkedIn) and #3: a channel names a connected organisation page; posts go out through
 * the Posts API with the versioned headers, images through the Images API; an unknown outcome is settled
 * by reading the organisation's posts, never by simply sending again.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('publishing to a LinkedIn organisation on %s', (kind) => {
  let t: TestApp;
  let li: Awaited<ReturnType<typeof startLinkedInFake>>;
  const slug = `li-${kind}`;

  beforeAll(async () => {
    li = await startLinkedInFake(LINKEDIN_CLIENT);
    t = await startTestApp({ kind, campaignsDir: '/nonexistent', config: { accounts: linkedinAccountsConfig(li) } });
    const secretariat = await signIn(t, ADMIN_TOKEN);
    for (const [member, name] of [['SI', 'si-linkedin'], ['HR', 'hr-linkedin']]) {
      const callback = await authorizeOnLinkedIn(t, secretariat, { member, name, organization: LINKEDIN_ORG.urn });
      await t.http.get(callback).set('Cookie', secretariat.cookie).expect(303);
    }
  });
  afterAll(async () => {
    await t.close();
    await li.close();
  });

  const campaign = (account: string, network = 'linkedin') => {
    const c = campaignOnShippedTemplates(slug, ['SI', 'HR']);
    const si = c.members.find((m: any) => m.code === 'SI');
    si.channels = [{ network, publisher: { type: 'linkedin', account } }];
    si.approval = ['coordinator'];
    return { c, index: c.members.indexOf(si) };
  };
  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const dayPost = async (date: string): Promise<Post> => (await t.http.get(`/api/campaigns/${slug}/posts?member=SI&network=linkedin&from=${date}T00:00:00Z&to=${date}T23:59:59Z`).set(admin).expect(200)).body.items[0];
  const approved = async (date: string, text: string, media: { id: number; alt: string }[] = []): Promise<Post> => {
    const post = await dayPost(date);
    const edited = (await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text, media }).expect(200)).body;
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: edited.revision }).expect(200)).body;
    return (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
  };
  const tickAfter = (post: Post, seconds: number) => {
    t.clock.set(new Date(Date.parse(post.scheduledAt) + seconds * 1000));
    return t.app.get(Dispatcher).tick();
  };
  const postCalls = (commentary?: string) => li.requests.filter((r) => r.method === 'POST' && r.path === '/rest/posts' && (!commentary || JSON.parse(r.raw).commentary === commentary));
  const uploadImage = async (width: number) => (await t.http.post('/api/media').set(admin).attach('file', await testImage('png', width, 40), 'visual.png').expect(201)).body;

  it('refuses at import a channel naming an account that does not exist, another member\'s, or on another network; nothing is written', async () => {
    const missing = campaign('si-nope');
    expect((await t.http.post('/api/campaigns').set(admin).send(missing.c).expect(400)).body.errors)
      .toEqual([{ field: `members[${missing.index}].channels[0].publisher.account`, message: expect.stringContaining('no connected account "si-nope"') }]);
    const foreign = campaign('hr-linkedin');
    expect((await t.http.post('/api/campaigns').set(admin).send(foreign.c).expect(400)).body.errors)
      .toEqual([{ field: `members[${foreign.index}].channels[0].publisher.account`, message: 'account "hr-linkedin" belongs to another member (HR), not SI' }]);
    expect((await t.http.post('/api/campaigns').set(admin).send(campaign('si-linkedin', 'x').c).expect(400)).body.message).toContain('type linkedin publishes to LinkedIn only');
    await t.http.get(`/api/campaigns/${slug}`).set(admin).expect(404);
    await t.http.post('/api/campaigns').set(admin).send(campaign('si-linkedin').c).expect(201);
  });

  it('posts as the organisation with the versioned headers and the exact body, and records the post\'s URN as its URL', async () => {
    const post = await approved('2021-10-18', 'Konec nekaznovanosti (dan 1) #EndImpunity');
    expect(await tickAfter(post, 5)).toMatchObject({ claimed: 1, published: 1 });
    const [call] = postCalls();
    expect(call.headers).toMatchObject({ 'content-type': 'application/json', 'linkedin-version': '202511', 'x-restli-protocol-version': '2.0.0' });
    expect(li.accessTokens.has(String(call.headers.authorization).replace(/^Bearer /, ''))).toBe(true);
    expect(JSON.parse(call.raw)).toEqual({
      author: LINKEDIN_ORG.urn, commentary: 'Konec nekaznovanosti \\(dan 1\\) {hashtag|\\#|EndImpunity}', visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] }, lifecycleState: 'PUBLISHED', isReshareDisabledByAuthor: false,
    });
    const [created] = li.posts;
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://www.linkedin.com/feed/update/${created.id}`, publishedId: created.id });
  });

  it('uploads each image through the Images API, byte for byte, then posts them with their alt text (one: media, several: multiImage)', async () => {
    const [a, b] = [await uploadImage(60), await uploadImage(70)];
    const two = await approved('2021-10-19', 'Dva plakata', [{ id: a.id, alt: 'Plakat kampanje' }, { id: b.id, alt: 'Številka 112' }]);
    const one = await approved('2021-10-20', 'En plakat', [{ id: b.id, alt: 'Številka 112' }]);
    const before = li.requests.length;
    expect(await tickAfter(two, 5)).toMatchObject({ published: 1 });
    const calls = li.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /rest/images', expect.stringMatching(/^PUT \/upload\//), 'POST /rest/images', expect.stringMatching(/^PUT \/upload\//), 'POST /rest/posts']);
    expect(JSON.parse(calls[0].raw)).toEqual({ initializeUploadRequest: { owner: LINKEDIN_ORG.urn } });
    expect(calls[0].query.get('action')).toBe('initializeUpload');
    expect(calls[0].headers).toMatchObject({ 'linkedin-version': '202511', 'x-restli-protocol-version': '2.0.0' });
    for (const [i, image] of [[1, a], [3, b]] as const) {
      const served = await t.http.get(new URL(image.url).pathname).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(calls[i].bytes.equals(served.body)).toBe(true);
      expect(calls[i].headers['content-type']).toBe('image/png');
    }
    const ids = [...li.images.keys()];
    expect(JSON.parse(calls[4].raw).content).toEqual({ multiImage: { images: [{ id: ids[0], altText: 'Plakat kampanje' }, { id: ids[1], altText: 'Številka 112' }] } });
    expect(await tickAfter(one, 5)).toMatchObject({ published: 1 });
    expect(JSON.parse(postCalls('En plakat')[0].raw).content).toEqual({ media: { id: [...li.images.keys()][2], altText: 'Številka 112' } });
  });

  it('an image upload that fails: nothing is posted, the post is retried, then goes out once', async () => {
    const image = await uploadImage(80);
    const post = await approved('2021-10-21', 'Plakat po napaki', [{ id: image.id, alt: 'Plakat' }]);
    li.set({ uploadFails: true });
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ retrying: 1 });
    } finally {
      li.set({ uploadFails: false });
    }
    expect(postCalls('Plakat po napaki')).toHaveLength(0);
    expect((await get(post.id)).lastError).toContain('LinkedIn image upload: HTTP 500');
    expect(await tickAfter(post, 300)).toMatchObject({ published: 1 });
    expect(postCalls('Plakat po napaki')).toHaveLength(1);
  });

  it('a post created but never answered (timeout): found among the organisation\'s posts, published with its URN, sent once', async () => {
    const post = await approved('2021-10-22', 'Konec nekaznovanosti: dan 5');
    li.set({ post: 'create-then-hang' });
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ published: 1, retrying: 0 });
    } finally {
      li.set({ post: 'ok' });
    }
    expect(postCalls('Konec nekaznovanosti: dan 5')).toHaveLength(1);
    const read = li.requests.filter((r) => r.method === 'GET' && r.path === '/rest/posts').at(-1)!;
    expect(Object.fromEntries(read.query)).toEqual({ author: LINKEDIN_ORG.urn, q: 'author', count: '50', sortBy: 'CREATED' });
    expect(read.headers).toMatchObject({ 'linkedin-version': '202511', 'x-restli-protocol-version': '2.0.0' });
    const created = li.posts.find((p) => p.commentary === 'Konec nekaznovanosti: dan 5')!;
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://www.linkedin.com/feed/update/${created.id}`, publishedId: created.id });
  });

  it('a gateway\'s HTML 502 after creating, the posts unreadable: unconfirmed, never resent by itself', async () => {
    const post = await approved('2021-10-23', 'Konec nekaznovanosti: dan 6');
    li.set({ post: 'create-then-html-502', read: 'refused' });
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ unconfirmed: 1, retrying: 0 });
      expect(await tickAfter(post, 300)).toMatchObject({ claimed: 0 });
    } finally {
      li.set({ post: 'ok', read: 'ok' });
    }
    expect(postCalls('Konec nekaznovanosti: dan 6')).toHaveLength(1);
    expect(await get(post.id)).toMatchObject({ status: 'unconfirmed', lastError: expect.stringMatching(/^LinkedIn: HTTP 502; the account's posts could not be read/) });
  });

  it('a read-back answer that is not JSON counts as unreadable: unconfirmed with the reason', async () => {
    const post = await approved('2021-10-24', 'Konec nekaznovanosti: dan 7');
    li.set({ post: 'create-then-hang', read: 'not-json' });
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ unconfirmed: 1 });
    } finally {
      li.set({ post: 'ok', read: 'ok' });
    }
    expect(await get(post.id)).toMatchObject({ status: 'unconfirmed', lastError: expect.stringMatching(/^LinkedIn: no answer within 2000 ms; the account's posts could not be read/) });
    expect(postCalls('Konec nekaznovanosti: dan 7')).toHaveLength(1);
  });

  it('a 5xx that created nothing: the posts are read, it is not there, so it is sent again and published once', async () => {
    const post = await approved('2021-10-25', 'Konec nekaznovanosti: dan 8');
    li.set({ post: 'server-error' });
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ retrying: 1 });
    } finally {
      li.set({ post: 'ok' });
    }
    expect((await get(post.id)).lastError).toContain('not on the account, so not created');
    expect(await tickAfter(post, 300)).toMatchObject({ published: 1 });
    expect(li.posts.filter((p) => p.commentary === 'Konec nekaznovanosti: dan 8')).toHaveLength(1);
  });

  it('a post taken over from a replica that died after sending is found among the organisation\'s posts, not posted twice', async () => {
    const post = await approved('2021-10-28', 'Konec nekaznovanosti (dan 11)');
    const at = Date.parse(post.scheduledAt);
    const iso = (ms: number) => new Date(at + ms).toISOString();
    const claimed = await t.db.write((m) => claimDuePosts(t.db, m, { owner: 'dead-replica', now: iso(1000), notBefore: iso(-900_000), leaseUntil: iso(61_000), limit: 10 }));
    expect(claimed.map((c) => c.id)).toEqual([post.id]);
    // What the dead replica's send left on LinkedIn: the commentary as it went out (escaped).
    li.posts.push({ id: 'urn:li:share:7100000000000009999', author: LINKEDIN_ORG.urn, commentary: 'Konec nekaznovanosti \\(dan 11\\)', createdAt: Date.now() });
    expect(await tickAfter(post, 120)).toMatchObject({ claimed: 1, published: 1 });
    expect(postCalls('Konec nekaznovanosti \\(dan 11\\)')).toHaveLength(0);
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: 'https://www.linkedin.com/feed/update/urn:li:share:7100000000000009999', publishedId: 'urn:li:share:7100000000000009999' });
  });

  it('sent again by a person after unconfirmed: LinkedIn refuses the duplicate (422), the post is looked up and recorded once', async () => {
    const post = await approved('2021-10-29', 'Konec nekaznovanosti: dan 12');
    li.set({ post: 'create-then-html-502', read: 'refused' });
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ unconfirmed: 1 });
    } finally {
      li.set({ post: 'ok', read: 'ok' });
    }
    const unconfirmed = await get(post.id);
    await t.http.post(`/api/posts/${post.id}/resend`).set(admin).send({ revision: unconfirmed.revision }).expect(200);
    expect(await tickAfter(post, 360)).toMatchObject({ published: 1 });
    expect(postCalls('Konec nekaznovanosti: dan 12')).toHaveLength(2);
    const [created] = li.posts.filter((p) => p.commentary === 'Konec nekaznovanosti: dan 12');
    expect(li.posts.filter((p) => p.commentary === 'Konec nekaznovanosti: dan 12')).toHaveLength(1);
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://www.linkedin.com/feed/update/${created.id}`, publishedId: created.id });
  });

  it('a rate limit (429) waits at least a minute, then sends', async () => {
    const post = await approved('2021-10-26', 'Konec nekaznovanosti: dan 9');
    li.set({ post: { rateLimited: true } });
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ retrying: 1 });
    } finally {
      li.set({ post: 'ok' });
    }
    const row = (await t.db.manager.query(t.db.sql('select lease_until, last_error from posts where id = ?'), [post.id]))[0];
    expect(Date.parse(row.lease_until) - Date.parse(post.scheduledAt)).toBeGreaterThanOrEqual(60_000);
    expect(row.last_error).toContain('LinkedIn: HTTP 429');
    expect(await tickAfter(post, 30)).toMatchObject({ claimed: 0 });
    expect(await tickAfter(post, 70)).toMatchObject({ published: 1 });
  });

  it('a revoked token (401) fails the post at once with needs-reconnect and flags the account; no retries', async () => {
    const post = await approved('2021-10-27', 'Konec nekaznovanosti: dan 10');
    li.revokeAll();
    expect(await tickAfter(post, 5)).toMatchObject({ failed: 1, retrying: 0 });
    expect(await get(post.id)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^needs-reconnect: account si-linkedin: LinkedIn: HTTP 401 Invalid access token/) });
    const [account] = (await t.http.get('/api/accounts?member=SI').set(admin).expect(200)).body;
    expect(account).toMatchObject({ name: 'si-linkedin', status: 'needs-reconnect' });
    expect(postCalls('Konec nekaznovanosti: dan 10')).toHaveLength(1);
  });
});
