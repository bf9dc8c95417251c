import { createHmac } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../src/config/config';
import { Metrics } from '../../src/health/metrics';
import { Mailer } from '../../src/mail/mailer';
import { claimDuePosts, claimDuePostsNow } from '../../src/posts/post-claims';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { PublisherRegistry } from '../../src/publishing/publisher-registry';
import { MediaService } from '../../src/media/media.service';
import { SecretStore } from '../../src/publishing/secrets';
import { AccountsService } from '../../src/accounts/accounts.service';
import { PostEntity } from '../../src/posts/post.entity';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { countingDb } from '../support/counting-db';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { startReceiver } from '../support/webhook-receiver';
import { startSmtpSink } from '../support/smtp-sink';

const admin = bearer(ADMIN_TOKEN);
const SECRET = 'hook-secret-for-tests';
const MASTODON_TOKEN = 'mastodon-token-for-tests';
type Post = { id: number; revision: number; status: string; scheduledAt: string; member: string; network: string; [k: string]: any };

describe.each<DatabaseKind>(['sqlite', 'postgres'])('publishing on %s', (kind) => {
  let t: TestApp;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let mastodon: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let hrComms: string;
  let campaign: any;
  const slug = `pub-${kind}`;

  beforeAll(async () => {
    process.env.PUBLISHER_SECRET_TEST_HOOK = SECRET;
    process.env.PUBLISHER_SECRET_TEST_MASTODON = MASTODON_TOKEN;
    hook = await startReceiver((d) => ({ status: 200, body: { url: `https://x.example/status/${d.body.id}` } }));
    // Mastodon's Status entity: a string id (a snowflake) beside its page.
    mastodon = await startReceiver((d) => ({ status: 200, body: { id: '113500000000000001', url: `https://mastodon.example/@natc/${d.headers['idempotency-key']}` } }));
    smtp = await startSmtpSink();
    t = await startTestApp({ kind, campaignsDir: '/nonexistent', config: { smtpUrl: smtp.url } });
    campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
    const hr = campaign.members.find((m: any) => m.code === 'HR');
    hr.channels = [{ network: 'x', publisher: { type: 'webhook', url: `${hook.url}/x`, secretEnv: 'PUBLISHER_SECRET_TEST_HOOK' } }, { network: 'facebook' }];
    const si = campaign.members.find((m: any) => m.code === 'SI');
    si.channels = [{ network: 'mastodon', publisher: { type: 'mastodon', instance: mastodon.url, tokenEnv: 'PUBLISHER_SECRET_TEST_MASTODON' } }];
    si.approval = ['coordinator'];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
    hrComms = (await t.http.post('/api/users').set(admin).send({ name: 'Iva', role: 'comms', member: 'HR', email: 'iva@hr.test' }).expect(201)).body.token;
    await t.http.post('/api/users').set(admin).send({ name: 'Secretariat', role: 'secretariat', email: 'natc@icmpd.test' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([hook.close(), mastodon.close(), smtp.close()]);
  });

  const list = async (query: string): Promise<Post[]> => (await t.http.get(`/api/campaigns/${slug}/posts?${query}&limit=1000`).set(admin).expect(200)).body.items;
  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const approve = async (post: Post): Promise<Post> => {
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200)).body;
    return (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
  };
  const dispatcher = () => t.app.get(Dispatcher);
  const at = (iso: string) => t.clock.set(new Date(iso));
  const dayPosts = (date: string, network: string, member = 'HR') => list(`member=${member}&network=${network}&from=${date}T00:00:00Z&to=${date}T23:59:59Z`);

  it('sends an approved post at its time to the webhook, signed, under its idempotency key, and records the URL', async () => {
    const [draft] = await dayPosts('2021-10-18', 'x');
    const [other] = await dayPosts('2021-10-18', 'facebook');
    const post = await approve(draft);
    at('2021-10-18T07:59:00Z');
    expect((await dispatcher().tick()).claimed).toBe(0);
    at('2021-10-18T08:00:05Z');
    const report = await dispatcher().tick();
    expect(report).toMatchObject({ claimed: 1, published: 1 });
    expect(hook.deliveries).toHaveLength(1);
    const [d] = hook.deliveries;
    expect(d.path).toBe('/x');
    expect(d.body).toEqual({ id: post.id, revision: post.revision, campaign: slug, member: 'HR', network: 'x', locale: 'hr', text: post.text, scheduledAt: '2021-10-18T08:00:00.000Z', media: [] });
    expect(d.headers['content-type']).toBe('application/json');
    expect(d.headers['idempotency-key']).toBe(`natc-post-${post.id}-r${post.revision}`);
    expect(d.headers['x-signature-256']).toBe(`sha256=${createHmac('sha256', SECRET).update(d.raw).digest('hex')}`);
    const published = await get(post.id);
    expect(published).toMatchObject({ status: 'published' });
    const row = (await t.db.manager.query(t.db.sql('select * from posts where id = ?'), [post.id]))[0];
    expect(row).toMatchObject({ published_url: `https://x.example/status/${post.id}`, published_at: '2021-10-18T08:00:05.000Z', lease_owner: null });
    expect((await get(other.id)).status).toBe('draft'); // never sent: nobody approved it
    expect(JSON.stringify(await t.db.manager.query('select * from posts'))).not.toContain(SECRET);
  });

  it('never sends anything that is not approved, and sends nothing twice', async () => {
    at('2021-10-18T08:05:00Z');
    const report = await dispatcher().tick();
    expect(report.claimed).toBe(0);
    expect(hook.deliveries).toHaveLength(1);
  });

  it('retries a 503 after its Retry-After with the same key, then publishes', async () => {
    const post = await approve((await dayPosts('2021-10-19', 'x'))[0]);
    hook.setReply((_, i) => (i === 1 ? { status: 503, headers: { 'Retry-After': '30' }, body: { error: 'busy' } } : { status: 200, body: {} }));
    at('2021-10-19T08:00:01Z');
    expect(await dispatcher().tick()).toMatchObject({ claimed: 1, retrying: 1 });
    const waiting = (await t.db.manager.query(t.db.sql('select * from posts where id = ?'), [post.id]))[0];
    expect(waiting).toMatchObject({ status: 'publishing', attempts: 1, lease_owner: null, lease_until: '2021-10-19T08:00:31.000Z' });
    expect(waiting.last_error).toContain('HTTP 503');
    at('2021-10-19T08:00:20Z');
    expect((await dispatcher().tick()).claimed).toBe(0); // Retry-After honoured
    at('2021-10-19T08:00:32Z');
    expect(await dispatcher().tick()).toMatchObject({ claimed: 1, published: 1 });
    const keys = hook.deliveries.slice(1).map((d) => d.headers['idempotency-key']);
    expect(keys).toEqual([`natc-post-${post.id}-r${post.revision}`, `natc-post-${post.id}-r${post.revision}`]);
    expect((await get(post.id)).status).toBe('published');
  });

  it('fails at once on a 4xx, alerts the secretariat and the member’s comms, and can be retried by hand under the same key', async () => {
    const post = await approve((await dayPosts('2021-10-20', 'x'))[0]);
    hook.setReply(() => ({ status: 422, body: { error: 'text rejected' } }));
    at('2021-10-20T08:00:01Z');
    expect(await dispatcher().tick()).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await get(post.id);
    expect(failed.status).toBe('failed');
    const alerts = smtp.mails.filter((m) => m.subject.startsWith('[NATC SEE] Post failed'));
    expect(alerts.flatMap((m) => m.to).sort()).toEqual(['iva@hr.test', 'natc@icmpd.test']);
    expect(alerts[0].text).toContain('HTTP 422');
    await t.http.post(`/api/posts/${post.id}/retry`).set(bearer(hrComms)).send({ revision: failed.revision }).expect(403);
    const retried = (await t.http.post(`/api/posts/${post.id}/retry`).set(admin).send({ revision: failed.revision }).expect(200)).body;
    expect(retried.status).toBe('approved');
    hook.setReply(() => ({ status: 200, body: {} }));
    expect(await dispatcher().tick()).toMatchObject({ published: 1 });
    const sent = hook.deliveries.filter((d) => d.body.id === post.id);
    expect(new Set(sent.map((d) => d.headers['idempotency-key']))).toEqual(new Set([`natc-post-${post.id}-r${post.revision}`]));
    expect(sent.map((d) => d.body.revision)).toEqual([post.revision, post.revision]);
  });

  it('gives up after the last attempt on repeated 5xx', async () => {
    const post = await approve((await dayPosts('2021-10-21', 'x'))[0]);
    hook.setReply(() => ({ status: 500 }));
    for (const [i, time] of ['08:00:01', '08:01:00', '08:02:00'].entries()) {
      at(`2021-10-21T${time}Z`);
      const report = await dispatcher().tick();
      expect(report.claimed).toBe(1);
      expect(report[i < 2 ? 'retrying' : 'failed']).toBe(1);
    }
    expect(await get(post.id)).toMatchObject({ status: 'failed' });
    expect((await t.db.manager.query(t.db.sql('select last_error from posts where id = ?'), [post.id]))[0].last_error).toBe('HTTP 500: {} (after 3 attempts)');
    hook.setReply(() => ({ status: 200, body: {} }));
  });

  it('posts to Mastodon with the account token and the idempotency key', async () => {
    const post = await approve((await dayPosts('2021-10-22', 'mastodon', 'SI'))[0]);
    at(new Date(Date.parse(post.scheduledAt) + 1000).toISOString());
    expect(await dispatcher().tick()).toMatchObject({ published: 1 });
    const [d] = mastodon.deliveries;
    expect(d.path).toBe('/api/v1/statuses');
    expect(d.headers.authorization).toBe(`Bearer ${MASTODON_TOKEN}`);
    expect(d.headers['idempotency-key']).toBe(`natc-post-${post.id}-r${post.revision}`);
    expect(d.body).toEqual({ status: post.text, visibility: 'public' });
    const row = (await t.db.manager.query(t.db.sql('select published_url, published_id from posts where id = ?'), [post.id]))[0];
    expect(row).toEqual({ published_url: `https://mastodon.example/@natc/natc-post-${post.id}-r${post.revision}`, published_id: '113500000000000001' });
  });

  it('hands a manual post to the member’s comms by e-mail once, then they mark it published', async () => {
    const post = await approve((await dayPosts('2021-10-22', 'facebook'))[0]);
    const before = smtp.mails.length;
    at('2021-10-22T08:00:02Z');
    expect(await dispatcher().tick()).toMatchObject({ claimed: 1, handedOver: 1 });
    at('2021-10-22T09:30:00Z');
    expect((await dispatcher().tick()).claimed).toBe(0);
    const mails = smtp.mails.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: ['iva@hr.test'], subject: '[NATC SEE] Post now: HR · facebook · hr' });
    expect(mails[0].text).toContain(post.text.split('\n')[0]);
    const handed = await get(post.id);
    expect(handed.status).toBe('publishing');
    await t.http.post(`/api/posts/${post.id}/published`).set(bearer(hrComms)).send({ revision: handed.revision, url: 'not a url' }).expect(400);
    await t.http.post(`/api/posts/${post.id}/published`).set(bearer(hrComms)).send({ revision: handed.revision, url: 'https://facebook.com/posts/1', id: 1 }).expect(400);
    const done = (await t.http.post(`/api/posts/${post.id}/published`).set(bearer(hrComms)).send({ revision: handed.revision, url: 'https://facebook.com/posts/1', id: '100200300_1' }).expect(200)).body;
    expect(done).toMatchObject({ status: 'published', publishedUrl: 'https://facebook.com/posts/1', publishedId: '100200300_1' });
    const history = (await t.http.get(`/api/posts/${post.id}/history`).set(admin).expect(200)).body.map((h: any) => h.action);
    expect(history).toEqual(['planned', 'submitted', 'approved', 'claimed', 'handed over', 'marked published']);
  });

  it('misses, never sends, a post due longer ago than the grace period (downtime)', async () => {
    const post = await approve((await dayPosts('2021-10-23', 'x'))[0]);
    const sent = hook.deliveries.length;
    at('2021-10-23T08:16:00Z'); // 16 minutes late, grace 15
    expect(await dispatcher().tick()).toMatchObject({ missed: 1, claimed: 0 });
    expect(hook.deliveries).toHaveLength(sent);
    expect(await get(post.id)).toMatchObject({ status: 'missed' });
  });

  it('takes over a post whose dispatcher died after claiming it, under the same key', async () => {
    const post = await approve((await dayPosts('2021-10-24', 'x'))[0]);
    at('2021-10-24T08:00:01Z');
    const claimed = await t.db.write((m) => claimDuePosts(t.db, m, { owner: 'dead-replica', now: '2021-10-24T08:00:01.000Z', notBefore: '2021-10-24T07:45:00.000Z', leaseUntil: '2021-10-24T08:01:01.000Z', limit: 10 }));
    expect(claimed.map(({ post: _, ...c }) => c)).toEqual([{ id: post.id, previousStatus: 'approved', previousOwner: null }]);
    // The claimed row whole, as the claim left it (the dispatcher does not read it again).
    expect(claimed[0].post).toMatchObject({ id: post.id, status: 'publishing', leaseOwner: 'dead-replica', revision: post.revision + 1, approvedRevision: post.revision, fallback: false });
    expect((await dispatcher().tick()).claimed).toBe(0); // the lease holds
    at('2021-10-24T08:01:02Z');
    expect(await dispatcher().tick()).toMatchObject({ claimed: 1, published: 1 });
    expect(hook.deliveries.at(-1)!.headers['idempotency-key']).toBe(`natc-post-${post.id}-r${post.revision}`);
    const history = (await t.http.get(`/api/posts/${post.id}/history`).set(admin).expect(200)).body;
    expect(history.slice(-2).map((h: any) => [h.action, h.fromStatus, h.toStatus, h.comment])).toEqual([
      ['taken over', 'publishing', 'publishing', 'lease of dead-replica expired'],
      ['published', 'publishing', 'published', null],
    ]);
  });

  it('on shutdown lets the sends in flight finish and record, and hands back the claims not started', async () => {
    const days = await Promise.all(['2021-10-25', '2021-10-26', '2021-10-27'].map((d) => dayPosts(d, 'x')));
    const approved = await Promise.all(days.flat().map(approve));
    hook.setReply(() => ({ status: 200, delayMs: 300, body: {} }));
    const sentBefore = hook.deliveries.length;
    at('2021-10-27T08:00:01Z');
    const dispatcher = t.app.get(Dispatcher);
    const { concurrency, graceSeconds } = t.config.publishing;
    // One send at a time, and all three days due at once (a week of grace for this test).
    Object.assign(t.config.publishing, { concurrency: 1, graceSeconds: 7 * 86400 });
    try {
      const tick = dispatcher.tick();
      await new Promise((r) => setTimeout(r, 100)); // the first send is in flight
      await dispatcher.onApplicationShutdown();
      await tick;
    } finally {
      Object.assign(t.config.publishing, { concurrency, graceSeconds });
      (dispatcher as any).stopping = false;
      hook.setReply(() => ({ status: 200, body: {} }));
    }
    const statuses = await Promise.all(approved.map(async (p) => (await get(p.id)).status));
    expect(statuses.filter((s) => s === 'publishing')).toEqual([]);
    expect(statuses.filter((s) => s === 'published')).toHaveLength(hook.deliveries.length - sentBefore);
    expect(statuses.filter((s) => s === 'published')).toHaveLength(1); // the one in flight
    expect(statuses.filter((s) => s === 'approved')).toHaveLength(2); // claimed, not started: handed back
  });

  it('reports the dispatcher on /health and counts on /metrics', async () => {
    const health = (await t.http.get('/health').expect(200)).body;
    expect(health).toMatchObject({ status: 'ok', dispatcher: { lastTick: '2021-10-27T08:00:01.000Z' } });
    expect(health.dispatcher.lagSeconds).toBeGreaterThanOrEqual(0);
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/scheduler_posts\{status="published"\} [1-9]/);
    expect(metrics).toMatch(/scheduler_publish_attempts_total\{network="x",outcome="published"\} [1-9]/);
    expect(metrics).toMatch(/scheduler_publish_attempts_total\{network="x",outcome="transient"\} [1-9]/);
    expect(metrics).toContain('scheduler_publish_delay_seconds_bucket');
  });

  it('does not send the posts of a batch whose lease ran out mid-batch: another dispatcher sent them, once each', async () => {
    const posts = await Promise.all(['2021-10-28', '2021-10-29', '2021-10-30'].map(async (d) => approve((await dayPosts(d, 'x'))[0])));
    const [first, second, third] = posts;
    const other = new Dispatcher(t.db, t.clock, t.app.get(PublisherRegistry), t.app.get(Metrics), t.app.get(Mailer), t.app.get(MediaService), t.app.get<AppConfig>(APP_CONFIG));
    let otherTick: ReturnType<Dispatcher['tick']> | undefined;
    const sentBefore = hook.deliveries.length;
    // A stall during the first send: the lease of the batch (claimed at 08:00:01 for 60 s) nearly
    // runs out, so it is renewed for the second; during the second, the third's lease runs out and
    // another dispatcher takes it over while this one still sends. The first's outcome, which waits
    // a few milliseconds for its group commit, is committed before the clock jumps 10 s: in real
    // time it would be, and a post still awaiting its commit may be sent again by design (same key).
    const committed = async (id: number) => {
      for (let i = 0; i < 500; i++) {
        const [row] = await t.db.manager.query(t.db.sql('select status from posts where id = ?'), [id]);
        if (row.status === 'published') return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`post ${id}: its outcome was never committed`);
    };
    hook.setReply((d) => {
      if (d.body.id === first.id) t.clock.set(new Date('2021-10-30T08:00:59.500Z'));
      if (d.body.id !== second.id) return { status: 200, body: {} };
      otherTick = committed(first.id).then(() => {
        t.clock.set(new Date('2021-10-30T08:01:10Z'));
        return other.tick();
      });
      return { status: 200, body: {}, until: otherTick };
    });
    const { concurrency, graceSeconds } = t.config.publishing;
    // One send at a time; three days of grace so that all three are due (and older ones missed).
    Object.assign(t.config.publishing, { concurrency: 1, graceSeconds: 3 * 86400 });
    let report;
    try {
      at('2021-10-30T08:00:01Z');
      report = await dispatcher().tick();
    } finally {
      Object.assign(t.config.publishing, { concurrency, graceSeconds });
      hook.setReply(() => ({ status: 200, body: {} }));
    }
    const sent = hook.deliveries.slice(sentBefore);
    expect(sent.map((d) => [d.body.id, d.headers['idempotency-key']])).toEqual(posts.map((p) => [p.id, `natc-post-${p.id}-r${p.revision}`]));
    expect(report).toMatchObject({ claimed: 3, published: 2, leaseLost: 1 });
    expect(await otherTick).toMatchObject({ claimed: 1, published: 1 });
    for (const post of posts) expect((await get(post.id)).status).toBe('published');
    const history = (await t.http.get(`/api/posts/${third.id}/history`).set(admin).expect(200)).body;
    expect(history.slice(-3).map((h: any) => [h.action, h.actor])).toEqual([
      ['claimed', `dispatcher ${dispatcher().owner}`], ['taken over', `dispatcher ${other.owner}`], ['published', `dispatcher ${other.owner}`],
    ]);
  });

  it('returns publishedAt, publishedUrl, publishedId, lastError and media with every post (null or empty until they apply)', async () => {
    const draft = (await dayPosts('2021-10-31', 'x'))[0];
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null, publishedUrl: null, publishedId: null, lastError: null, media: [] });
    const [published] = await dayPosts('2021-10-18', 'x');
    // The webhook contract's answer names only a URL: no id to record.
    expect(published).toMatchObject({ status: 'published', publishedAt: '2021-10-18T08:00:05.000Z', publishedUrl: `https://x.example/status/${published.id}`, publishedId: null, lastError: null, media: [] });
    expect(await get(published.id)).toMatchObject({ publishedAt: '2021-10-18T08:00:05.000Z', publishedUrl: `https://x.example/status/${published.id}`, lastError: null, media: [] });
    const [failed] = await dayPosts('2021-10-21', 'x');
    expect(await get(failed.id)).toMatchObject({ status: 'failed', publishedAt: null, publishedUrl: null, lastError: 'HTTP 500: {} (after 3 attempts)' });
  });

  it('shows the published time and link (http(s) only) and the last error on the post page', async () => {
    // A receiver may answer any string as the URL: only http(s) becomes a link.
    const post = await approve((await dayPosts('2021-10-31', 'x'))[0]);
    hook.setReply(() => ({ status: 200, body: { url: 'javascript:alert(1)' } }));
    try {
      at('2021-10-31T09:00:02Z');
      expect(await dispatcher().tick()).toMatchObject({ published: 1 });
    } finally {
      hook.setReply(() => ({ status: 200, body: {} }));
    }
    // A Mastodon status whose id is markup: the page must show it as text.
    const status = await approve((await dayPosts('2021-11-03', 'mastodon', 'SI'))[0]);
    mastodon.setReply(() => ({ status: 200, body: { id: '<b>1135</b>', url: 'https://mastodon.example/@natc/1135' } }));
    at(new Date(Date.parse(status.scheduledAt) + 1000).toISOString());
    expect(await dispatcher().tick()).toMatchObject({ published: 1 });
    const signIn = await t.http.post('/login').type('form').send({ token: ADMIN_TOKEN, next: '/' }).expect(303);
    const cookie = signIn.headers['set-cookie'];
    const page = async (id: number) => (await t.http.get(`/posts/${id}`).set('Cookie', cookie).expect(200)).text;

    const [published] = await dayPosts('2021-10-18', 'x');
    const html = await page(published.id);
    expect(html).toContain(`<a href="https://x.example/status/${published.id}"`);
    expect(html).toContain('<time datetime="2021-10-18T08:00:05.000Z">');

    const [failed] = await dayPosts('2021-10-21', 'x');
    expect(await page(failed.id)).toContain('HTTP 500: {} (after 3 attempts)');

    const unsafe = await page(post.id);
    expect(unsafe).toContain('javascript:alert(1)');
    expect(unsafe).not.toContain('href="javascript:');
    const draftPage = await page((await dayPosts('2021-11-02', 'x'))[0].id);
    expect(draftPage).not.toContain('class="card outcome"');

    // The network's id beside the link, as text, escaped.
    const withId = await page(status.id);
    expect(withId).toContain('<code>&lt;b&gt;1135&lt;/b&gt;</code>');
    expect(withId).not.toContain('<b>1135</b>');
  });

  it('reads a campaign\'s publishers once for the sends starting together, and again once the campaign changed', async () => {
    let reads = 0;
    let failNext = false;
    const manager = Object.create(t.db.manager);
    manager.findOneByOrFail = (...args: Parameters<typeof t.db.manager.findOneByOrFail>) => {
      reads++;
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('database gone for a moment'));
      }
      return t.db.manager.findOneByOrFail(...args);
    };
    const db = Object.create(t.db, { manager: { value: manager } });
    const registry = new PublisherRegistry(db, t.app.get(Mailer), t.app.get(SecretStore), t.app.get(AccountsService), t.app.get<AppConfig>(APP_CONFIG));
    const post = (await dayPosts('2021-11-03', 'x'))[0];
    const entity = { id: post.id, campaignId: (await t.db.manager.query(t.db.sql('select campaign_id from posts where id = ?'), [post.id]))[0].campaign_id, member: 'HR', network: 'x' } as PostEntity;
    const updatedAt = async (): Promise<string> => (await t.db.manager.query(t.db.sql('select updated_at from campaigns where slug = ?'), [slug]))[0].updated_at;

    const first = await updatedAt();
    const together = await Promise.all(Array.from({ length: 8 }, () => registry.forPost(entity, first)));
    expect(together.map((f) => [f.type, f.campaign])).toEqual(Array(8).fill(['webhook', slug]));
    expect(reads).toBe(1);
    await registry.forPost(entity, first);
    expect(reads).toBe(1);

    // HR's X channel handed to people: the next send reads the new definition.
    const hr = campaign.members.find((m: any) => m.code === 'HR');
    const webhook = hr.channels[0].publisher;
    delete hr.channels[0].publisher;
    t.clock.set(new Date(t.clock.now().getTime() + 1000));
    try {
      await t.http.put(`/api/campaigns/${slug}`).set(admin).send(campaign).expect(200);
      const changed = await updatedAt();
      expect(changed).not.toBe(first);
      // A read that failed is not kept: the next send reads again.
      failNext = true;
      await expect(registry.forPost(entity, changed)).rejects.toThrow('database gone for a moment');
      expect((await registry.forPost(entity, changed)).type).toBe('manual');
      expect(reads).toBe(3);
    } finally {
      hr.channels[0].publisher = webhook;
      await t.http.put(`/api/campaigns/${slug}`).set(admin).send(campaign).expect(200);
    }
  });

  // Last: it leaves what it claimed under a lease that never ends.
  it('claims a batch, its events and its rows whole, in one statement on PostgreSQL (SQLite: one transaction)', async () => {
    const due = [...await dayPosts('2021-11-05', 'x'), ...await dayPosts('2021-11-05', 'facebook')];
    const posts = (await Promise.all(due.map(approve))).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.id - b.id);
    expect(posts.length).toBeGreaterThan(1);
    const { db, transactions, statements } = countingDb(t.db);
    const claimed = await claimDuePostsNow(db, { owner: 'counted', now: '2021-11-05T23:00:00.000Z', notBefore: '2021-11-05T00:00:00.000Z', leaseUntil: '2099-01-01T00:00:00.000Z', limit: 50 });
    expect([transactions(), statements()]).toEqual(kind === 'sqlite' ? [1, 0] : [0, 1]);
    const ours = claimed.filter((c) => posts.some((p) => p.id === c.id));
    expect(ours.map((c) => c.id)).toEqual(posts.map((p) => p.id));
    expect(ours.map((c) => [c.previousStatus, c.post.status, c.post.leaseOwner, c.post.revision])).toEqual(posts.map((p) => ['approved', 'publishing', 'counted', p.revision + 1]));
    const history = (await t.http.get(`/api/posts/${posts[0].id}/history`).set(admin).expect(200)).body;
    expect(history.at(-1)).toMatchObject({ actor: 'dispatcher counted', action: 'claimed', fromStatus: 'approved', toStatus: 'publishing', comment: null });
  });
});
