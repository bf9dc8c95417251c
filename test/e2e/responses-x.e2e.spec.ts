import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { ResponseCollector } from '../../src/responses/response-collector.service';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { accountsConfigFor, connectAccount, signIn, X_CLIENT } from '../support/x-accounts';
import { startXFake } from '../support/x-fake';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; scheduledAt: string; publishedAt: string; publishedUrl: string; [k: string]: any };
type Responses = { likes: number | null; reposts: number | null; replies: number | null; quotes: number | null; impressions: number | null; refused: Record<string, number> };

/**
 * Issue 15 #2 for X: posts published from a connected account, their public metrics (and the
 * impressions of non_public_metrics when granted) read with that account's token in one lookup.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('X response figures on %s', (kind) => {
  let t: TestApp;
  let x: Awaited<ReturnType<typeof startXFake>>;
  let posts: Post[];
  const slug = `x-responses-${kind}`;
  const DAY = 24 * 60;

  beforeAll(async () => {
    x = await startXFake(X_CLIENT);
    t = await startTestApp({ kind, campaignsDir: '/nonexistent', config: { accounts: accountsConfigFor(x) } });
    await connectAccount(t, await signIn(t, ADMIN_TOKEN), 'SI', 'si-x');
    const campaign = campaignOnShippedTemplates(slug, ['SI', 'HR']);
    const si = campaign.members.find((m: any) => m.code === 'SI');
    si.channels = [{ network: 'x', publisher: { type: 'x', account: 'si-x' } }];
    si.approval = ['secretariat'];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
    posts = [];
    for (const date of ['2021-10-18', '2021-10-19', '2021-10-20']) {
      const [post] = (await t.http.get(`/api/campaigns/${slug}/posts?member=SI&network=x&from=${date}T00:00:00Z&to=${date}T23:59:59Z`).set(admin).expect(200)).body.items;
      const edited = (await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text: `Konec nekaznovanosti ${date} #EndImpunity` }).expect(200)).body;
      const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: edited.revision }).expect(200)).body;
      await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200);
      t.clock.set(new Date(Date.parse(post.scheduledAt) + 5_000));
      expect(await t.app.get(Dispatcher).tick()).toMatchObject({ published: 1 });
      posts.push((await t.http.get(`/api/posts/${post.id}`).set(admin).expect(200)).body);
    }
    x.tweets.forEach((tweet, i) => x.metrics.setCounts(tweet.id, { like_count: 10 + i, retweet_count: 2, reply_count: 1, quote_count: 1, impression_count: 100 }));
  });
  afterAll(async () => {
    await t.close();
    await x.close();
  });

  const collector = () => t.app.get(ResponseCollector);
  const atMinutes = (minutes: number) => t.clock.set(new Date(Date.parse(posts[2].publishedAt) + minutes * 60_000));
  const responses = async (): Promise<Responses> =>
    (await t.http.get(`/api/campaigns/${slug}/report?member=SI`).set(admin).expect(200)).body.rows.find((r: any) => r.network === 'x' && r.responses)?.responses;
  const lastSnapshot = async (postId: number) =>
    (await t.db.manager.query(t.db.sql('select likes, impressions, error from post_metrics where post_id = ? order by id desc limit 1'), [postId]))[0];

  it('reads every post in one lookup with the account\'s token; impressions from non_public_metrics when granted', async () => {
    atMinutes(10);
    expect(await collector().collect()).toEqual({ due: 3, collected: 3, refused: 0, waiting: 0 });
    expect(x.metrics.lookups).toHaveLength(1);
    const [query] = x.metrics.lookups;
    expect(query.get('ids')!.split(',').sort()).toEqual(x.tweets.map((tw) => tw.id).sort());
    expect(query.get('tweet.fields')).toBe('public_metrics,non_public_metrics');
    expect(await responses()).toMatchObject({ likes: 33, reposts: 6, replies: 3, quotes: 3, impressions: 600, refused: {} });
  });

  it('falls back to public_metrics when non_public_metrics is refused, and stores a post X no longer finds as deleted', async () => {
    x.metrics.grantNonPublic(false);
    x.metrics.deletePost(x.tweets[0].id);
    atMinutes(DAY + 15);
    expect(await collector().collect()).toEqual({ due: 3, collected: 2, refused: 1, waiting: 0 });
    expect(await lastSnapshot(posts[0].id)).toEqual({ likes: null, impressions: null, error: 'deleted' });
    expect(await responses()).toMatchObject({ likes: 23, impressions: 200, refused: { deleted: 1 } });
  });

  it('waits for x-rate-limit-reset after a 429, asking nothing meanwhile', async () => {
    atMinutes(2 * DAY + 20);
    x.metrics.rateLimit(Date.parse(posts[2].publishedAt) + (2 * DAY + 60) * 60_000);
    const before = x.metrics.lookups.length;
    expect(await collector().collect()).toMatchObject({ due: 2, waiting: 2 });
    atMinutes(2 * DAY + 40);
    expect(await collector().collect()).toMatchObject({ due: 2, waiting: 2 });
    expect(x.metrics.lookups.length - before).toBe(1);
    atMinutes(2 * DAY + 61);
    expect(await collector().collect()).toMatchObject({ due: 2, collected: 2 });
  });

  it('records a token X refuses as "token refused", not as zero', async () => {
    x.revokeAll();
    atMinutes(3 * DAY + 90);
    expect(await collector().collect()).toMatchObject({ due: 2, refused: 2 });
    const row = await responses();
    expect(row).toMatchObject({ likes: null, impressions: null, refused: { deleted: 1, 'token refused': 2 } });
  });
});
