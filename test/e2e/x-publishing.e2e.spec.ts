import { claimDuePosts } from '../../src/posts/post-claims';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { testImage } from '../factories/images';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { startXFake, X_USER } from '../support/x-fake';
import { accountsConfigFor, connectAccount, signIn, X_CLIENT } from '../support/x-accounts';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; status: string; text: string; [k: string]: any };

/**
 * Issue 14 #2 (X) and #3: a channel names a connected account; posts go out through POST /2/tweets;
 * an attempt whose outcome is unknown is never simply resent: the account is read back first.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('publishing to X from a connected account on %s', (kind) => {
  let t: TestApp;
  let x: Awaited<ReturnType<typeof startXFake>>;
  let siComms: string;
  let siCoordinator: string;
  let hrComms: string;
  const slug = `x-${kind}`;

  beforeAll(async () => {
    x = await startXFake(X_CLIENT);
    t = await startTestApp({ kind, campaignsDir: '/nonexistent', config: { accounts: accountsConfigFor(x) } });
    siComms = await t.token('comms', 'SI', 'Maja Zupan');
    siCoordinator = await t.token('coordinator', 'SI', 'Ana Novak');
    hrComms = await t.token('comms', 'HR', 'Iva Kovač');
    const secretariat = await signIn(t, ADMIN_TOKEN);
    await connectAccount(t, secretariat, 'SI', 'si-x');
    await connectAccount(t, secretariat, 'HR', 'hr-x');
  });
  afterAll(async () => {
    await t.close();
    await x.close();
  });

  /** SI posts on X through `account`. */
  const campaign = (account: string, network = 'x') => {
    const c = campaignOnShippedTemplates(slug, ['SI', 'HR']);
    const si = c.members.find((m: any) => m.code === 'SI');
    si.channels = [{ network, publisher: { type: 'x', account } }];
    si.approval = ['coordinator'];
    return { c, index: c.members.indexOf(si) };
  };
  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const dayPost = async (date: string): Promise<Post> => (await t.http.get(`/api/campaigns/${slug}/posts?member=SI&network=x&from=${date}T00:00:00Z&to=${date}T23:59:59Z`).set(admin).expect(200)).body.items[0];
  /** A unique text (X refuses duplicate content), submitted and approved. */
  const approved = async (date: string, text: string, media: { id: number; alt: string }[] = []): Promise<Post> => {
    const post = await dayPost(date);
    const edited = (await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text, media }).expect(200)).body;
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: edited.revision }).expect(200)).body;
    return (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
  };
  /** The dispatcher's tick `seconds` after the post's time. */
  const tickAfter = (post: Post, seconds: number) => {
    t.clock.set(new Date(Date.parse(post.scheduledAt) + seconds * 1000));
    return t.app.get(Dispatcher).tick();
  };
  const tweetCalls = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');
  const uploadImage = async (width: number) => (await t.http.post('/api/media').set(admin).attach('file', await testImage('png', width, 40), 'visual.png').expect(201)).body;
  /** The stored image as the service serves it: what must reach X byte for byte. */
  const servedBytes = async (url: string): Promise<Buffer> => (await t.http.get(new URL(url).pathname).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  }).expect(200)).body;

  it('refuses at import a channel naming an account that does not exist, or another member\'s, naming the field; nothing is written', async () => {
    const missing = campaign('si-nope');
    const res = await t.http.post('/api/campaigns').set(admin).send(missing.c).expect(400);
    expect(res.body.errors).toEqual([{ field: `members[${missing.index}].channels[0].publisher.account`, message: expect.stringContaining('no connected account "si-nope"') }]);
    const foreign = campaign('hr-x');
    const refused = await t.http.post('/api/campaigns').set(admin).send(foreign.c).expect(400);
    expect(refused.body.errors).toEqual([{ field: `members[${foreign.index}].channels[0].publisher.account`, message: 'account "hr-x" belongs to another member (HR), not SI' }]);
    const wrongNetwork = campaign('si-x', 'mastodon');
    expect((await t.http.post('/api/campaigns').set(admin).send(wrongNetwork.c).expect(400)).body.message).toContain('publisher: type x publishes to X only');
    await t.http.get(`/api/campaigns/${slug}`).set(admin).expect(404);
    await t.http.post('/api/campaigns').set(admin).send(campaign('si-x').c).expect(201);
  });

  it('posts the text with the account\'s bearer token and records the post\'s id and URL', async () => {
    const post = await approved('2021-10-18', 'Konec nekaznovanosti: dan 1 #EndImpunity');
    expect((await tickAfter(post, 5))).toMatchObject({ claimed: 1, published: 1 });
    const [call] = tweetCalls();
    expect(call.headers['content-type']).toBe('application/json');
    expect(x.accessTokens.has(String(call.headers.authorization).replace(/^Bearer /, ''))).toBe(true);
    expect(call.raw).toBe(JSON.stringify({ text: post.text }));
    const tweet = x.tweets.find((tw) => tw.text === post.text)!;
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://x.com/${X_USER.username}/status/${tweet.id}`, publishedId: tweet.id });
  });

  it('a tweet created but never answered (timeout): found on the account, so published with its id, and sent once', async () => {
    const post = await approved('2021-10-19', 'Konec nekaznovanosti: dan 2');
    x.setTweetMode('create-then-hang');
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ published: 1, retrying: 0 });
    } finally {
      x.setTweetMode('ok');
    }
    const sent = tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text);
    expect(sent).toHaveLength(1);
    const read = x.requests.filter((r) => r.path === `/2/users/${X_USER.id}/tweets`).at(-1)!;
    expect(read.query.get('start_time')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(read.query.get('tweet.fields')).toBe('created_at');
    const [tweet] = x.tweets.filter((tw) => tw.text === post.text);
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://x.com/${X_USER.username}/status/${tweet.id}`, publishedId: tweet.id });
  });

  it('a 503 after creating, with the account unreadable: unconfirmed, never resent by itself; the member\'s comms send it again from the post page', async () => {
    const post = await approved('2021-10-20', 'Konec nekaznovanosti: dan 3');
    x.setTweetMode('create-then-503');
    x.setReadRefused(true);
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ unconfirmed: 1, retrying: 0 });
      expect(await tickAfter(post, 300)).toMatchObject({ claimed: 0 });
    } finally {
      x.setTweetMode('ok');
      x.setReadRefused(false);
    }
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(1);
    const unconfirmed = await get(post.id);
    expect(unconfirmed).toMatchObject({ status: 'unconfirmed', lastError: expect.stringContaining('could not be read') });

    const comms = await signIn(t, siComms);
    const page = (await t.http.get(`/posts/${post.id}`).set('Cookie', comms.cookie).expect(200)).text;
    expect(page).toContain(`action="/posts/${post.id}/resend"`);
    expect(page).toContain('It was published');
    const coordinator = await signIn(t, siCoordinator);
    expect((await t.http.get(`/posts/${post.id}`).set('Cookie', coordinator.cookie).expect(200)).text).not.toContain(`action="/posts/${post.id}/resend"`);
    await t.http.post(`/posts/${post.id}/resend`).set('Cookie', coordinator.cookie).type('form').send({ _csrf: coordinator.csrf, revision: unconfirmed.revision }).expect(403);
    // The API checks the same: another member's comms cannot send it again nor mark it published.
    await t.http.post(`/api/posts/${post.id}/resend`).set(bearer(hrComms)).send({ revision: unconfirmed.revision }).expect(403);
    await t.http.post(`/api/posts/${post.id}/published`).set(bearer(hrComms)).send({ revision: unconfirmed.revision, url: 'https://x.com/a/status/1' }).expect(403);
    expect((await get(post.id)).revision).toBe(unconfirmed.revision);
    await t.http.post(`/posts/${post.id}/resend`).set('Cookie', comms.cookie).type('form').send({ _csrf: comms.csrf, revision: unconfirmed.revision }).expect(303);
    expect(await get(post.id)).toMatchObject({ status: 'approved', lastError: null });
    // The first one did get through (the fake created it): a person would mark it published instead;
    // X itself refuses the duplicate, the publisher looks, finds it and records it.
    expect(await tickAfter(post, 360)).toMatchObject({ published: 1 });
    expect(x.tweets.filter((tw) => tw.text === post.text)).toHaveLength(1);
  });

  it('a tweet created but never answered, the account unreadable: unconfirmed; a person marks it published with the URL found', async () => {
    const post = await approved('2021-10-21', 'Konec nekaznovanosti: dan 4');
    x.setTweetMode('create-then-hang');
    x.setReadRefused(true);
    try {
      await tickAfter(post, 5);
    } finally {
      x.setTweetMode('ok');
      x.setReadRefused(false);
    }
    const unconfirmed = await get(post.id);
    expect(unconfirmed).toMatchObject({ status: 'unconfirmed', lastError: expect.stringMatching(/^X: no answer within 2000 ms; the account's posts could not be read/) });
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(1);
    const url = `https://x.com/${X_USER.username}/status/${x.tweets.at(-1)!.id}`;
    const done = await t.http.post(`/api/posts/${post.id}/published`).set(bearer(siComms)).send({ revision: unconfirmed.revision, url }).expect(200);
    expect(done.body).toMatchObject({ status: 'published', publishedUrl: url });
  });

  it('a 201 whose body is not JSON: looked up on the account, published with the id found there', async () => {
    const post = await approved('2021-10-24', 'Konec nekaznovanosti: dan 7');
    x.setTweetMode('not-json');
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ published: 1 });
    } finally {
      x.setTweetMode('ok');
    }
    const [tweet] = x.tweets.filter((tw) => tw.text === post.text);
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://x.com/${X_USER.username}/status/${tweet.id}`, publishedId: tweet.id });
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(1);
  });

  /** A replica claims the post and dies (its lease runs out): did its send get through? */
  const claimedByDeadReplica = async (post: Post) => {
    const at = Date.parse(post.scheduledAt);
    const iso = (ms: number) => new Date(at + ms).toISOString();
    const claimed = await t.db.write((m) => claimDuePosts(t.db, m, { owner: 'dead-replica', now: iso(1000), notBefore: iso(-900_000), leaseUntil: iso(61_000), limit: 10 }));
    expect(claimed.map((c) => c.id)).toEqual([post.id]);
  };

  it('a post taken over from a replica that died after sending is found on the account, not tweeted twice', async () => {
    const post = await approved('2021-10-25', 'Konec nekaznovanosti: dan 8');
    await claimedByDeadReplica(post);
    x.tweets.push({ id: '1850000000000009999', text: post.text, created_at: new Date().toISOString(), author_id: X_USER.id });
    expect(await tickAfter(post, 120)).toMatchObject({ claimed: 1, published: 1 });
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(0);
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://x.com/${X_USER.username}/status/1850000000000009999`, publishedId: '1850000000000009999' });
  });

  it('a post taken over from a replica that died before sending is looked for, then tweeted once', async () => {
    const post = await approved('2021-10-26', 'Konec nekaznovanosti: dan 9');
    await claimedByDeadReplica(post);
    const reads = x.requests.filter((r) => r.path === `/2/users/${X_USER.id}/tweets`).length;
    expect(await tickAfter(post, 120)).toMatchObject({ claimed: 1, published: 1 });
    expect(x.requests.filter((r) => r.path === `/2/users/${X_USER.id}/tweets`)).toHaveLength(reads + 1);
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(1);
  });

  it('uploads each image to POST /2/media/upload byte for byte, sets its alt text, then tweets with media_ids', async () => {
    const [a, b] = [await uploadImage(60), await uploadImage(70)];
    const post = await approved('2021-10-27', 'Konec nekaznovanosti: plakata', [{ id: a.id, alt: 'Plakat kampanje' }, { id: b.id, alt: 'Številka 112' }]);
    const before = x.requests.length;
    expect(await tickAfter(post, 5)).toMatchObject({ published: 1 });
    const calls = x.requests.slice(before).filter((r) => r.path !== '/2/oauth2/token'); // the 2-hour token may be refreshed first
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /2/media/upload', 'POST /2/media/metadata', 'POST /2/media/upload', 'POST /2/media/metadata', 'POST /2/tweets']);
    expect(calls[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(x.accessTokens.has(String(calls[0].headers.authorization).replace(/^Bearer /, ''))).toBe(true);
    const [first, second] = [...x.media.values()];
    expect(first).toMatchObject({ mime: 'image/png', category: 'tweet_image', alt: 'Plakat kampanje' });
    expect(first.bytes.equals(await servedBytes(a.url))).toBe(true);
    expect(second).toMatchObject({ alt: 'Številka 112' });
    expect(second.bytes.equals(await servedBytes(b.url))).toBe(true);
    expect(JSON.parse(calls[1].raw)).toEqual({ id: first.id, metadata: { alt_text: { text: 'Plakat kampanje' } } });
    expect(calls[4].raw).toBe(JSON.stringify({ text: post.text, media: { media_ids: [first.id, second.id] } }));
    expect(x.tweets.find((tw) => tw.text === post.text)).toMatchObject({ media_ids: [first.id, second.id] });
  });

  it('an image upload that fails: nothing is tweeted, the post is retried, then tweeted once with its image', async () => {
    const image = await uploadImage(80);
    const post = await approved('2021-10-28', 'Konec nekaznovanosti: plakat po napaki', [{ id: image.id, alt: 'Plakat' }]);
    x.setUploadFailure(503);
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ retrying: 1 });
    } finally {
      x.setUploadFailure(null);
    }
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(0);
    expect((await get(post.id)).lastError).toContain('X media upload: HTTP 503');
    expect(await tickAfter(post, 300)).toMatchObject({ published: 1 });
    const [tweet] = x.tweets.filter((tw) => tw.text === post.text);
    expect(tweet.media_ids).toHaveLength(1);
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(1);
  });

  it('an upload X forbids (403: a token from before media.write) fails the post at once, saying to reconnect; nothing is tweeted', async () => {
    const image = await uploadImage(90);
    const post = await approved('2021-10-29', 'Konec nekaznovanosti: brez dovoljenja', [{ id: image.id, alt: 'Plakat' }]);
    x.setUploadFailure(403);
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ failed: 1, retrying: 0 });
    } finally {
      x.setUploadFailure(null);
    }
    expect(await get(post.id)).toMatchObject({ status: 'failed', lastError: 'X media upload: HTTP 403 (the account may lack the media.write permission: reconnect it)' });
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(0);
  });

  it('honours a rate limit until x-rate-limit-reset, then sends', async () => {
    const post = await approved('2021-10-22', 'Konec nekaznovanosti: dan 5');
    x.setTweetMode({ rateLimitedUntil: Math.ceil(Date.now() / 1000) + 60 });
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ retrying: 1 });
    } finally {
      x.setTweetMode('ok');
    }
    const row = (await t.db.manager.query(t.db.sql('select lease_until, last_error from posts where id = ?'), [post.id]))[0];
    expect(Date.parse(row.lease_until) - Date.parse(post.scheduledAt)).toBeGreaterThanOrEqual(55_000);
    expect(row.last_error).toContain('HTTP 429');
    expect(await tickAfter(post, 30)).toMatchObject({ claimed: 0 });
    expect(await tickAfter(post, 70)).toMatchObject({ published: 1 });
  });

  it('a refused token (401) fails the post at once with needs-reconnect and flags the account; no retries', async () => {
    const post = await approved('2021-10-23', 'Konec nekaznovanosti: dan 6');
    x.setTweetMode('unauthorized');
    try {
      expect(await tickAfter(post, 5)).toMatchObject({ failed: 1, retrying: 0 });
    } finally {
      x.setTweetMode('ok');
    }
    expect(await get(post.id)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^needs-reconnect: account si-x: X: HTTP 401/) });
    const [account] = (await t.http.get('/api/accounts?member=SI').set(admin).expect(200)).body;
    expect(account).toMatchObject({ name: 'si-x', status: 'needs-reconnect' });
    expect(tweetCalls().filter((c) => JSON.parse(c.raw).text === post.text)).toHaveLength(1);
  });
});
