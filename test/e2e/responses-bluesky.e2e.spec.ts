import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { ResponseCollector } from '../../src/responses/response-collector.service';
import { startBlueskyAppViewFake } from '../support/bluesky-appview-fake';
import { BlueskyPds, BlueskyTestAccount, startBlueskyPds } from '../support/bluesky-pds';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { forgetPublishedId } from '../support/published-id';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; scheduledAt: string; publishedUrl: string | null; [k: string]: any };
type Responses = { likes: number | null; reposts: number | null; replies: number | null; quotes: number | null; impressions: number | null; refused: Record<string, number> };
const PUBLISHED = 27; // more than one getPosts call holds (25)

/**
 * Issue 15 #2 for Bluesky: posts published to a real PDS, their counts read from an AppView on
 * loopback (bluesky-appview-fake.ts says why a fake) 25 posts a call, kept as snapshots, summed in the report.
 */
describe('Bluesky response figures', () => {
  jest.setTimeout(120_000);
  let pds: BlueskyPds;
  let account: BlueskyTestAccount;

  beforeAll(async () => {
    pds = await startBlueskyPds();
    account = await pds.account('natc-responses.test');
    process.env.PUBLISHER_SECRET_RESPONSES_BSKY = account.appPassword;
  });
  afterAll(async () => {
    await pds?.close();
    delete process.env.PUBLISHER_SECRET_RESPONSES_BSKY;
  });

  describe.each<DatabaseKind>(['sqlite', 'postgres'])('on %s', (kind) => {
    let t: TestApp;
    let appview: Awaited<ReturnType<typeof startBlueskyAppViewFake>>;
    let uris: string[];
    let posts: Post[];
    const slug = `bsky-responses-${kind}`;

    beforeAll(async () => {
      appview = await startBlueskyAppViewFake();
      appview.knowHandle(account.handle, account.did);
      t = await startTestApp({ kind, campaignsDir: '/nonexistent', config: { responses: { blueskyAppviewUrl: appview.url } } });
      const campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
      for (const member of campaign.members) {
        member.channels = [{ network: 'bluesky', publisher: { type: 'bluesky', service: pds.url, handle: account.handle, passwordEnv: 'PUBLISHER_SECRET_RESPONSES_BSKY' } }];
        member.approval = ['secretariat'];
      }
      await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
      const all: Post[] = (await t.http.get(`/api/campaigns/${slug}/posts?network=bluesky&limit=1000`).set(admin).expect(200)).body.items;
      const chosen = all.sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.id - b.id).slice(0, PUBLISHED);
      for (const post of chosen) {
        const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200)).body;
        await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200);
      }
      for (const at of [...new Set(chosen.map((p) => p.scheduledAt))]) {
        t.clock.set(new Date(Date.parse(at) + 5_000));
        await t.app.get(Dispatcher).tick();
      }
      posts = await Promise.all(chosen.map(async (p) => (await t.http.get(`/api/posts/${p.id}`).set(admin).expect(200)).body));
      expect(posts.every((p) => p.status === 'published')).toBe(true);
      uris = posts.map((p) => `at://${account.did}/app.bsky.feed.post/${p.publishedUrl!.split('/').pop()}`);
      expect(posts.map((p) => p.publishedId)).toEqual(uris);
      // Two as if published before the at:// URI was recorded: found by the handle in their URL.
      await forgetPublishedId(t, [posts[0].id, posts[1].id]);
      uris.forEach((uri, i) => appview.setCounts(uri, { likes: i, reposts: 1, replies: 2, quotes: 1 }));
    });
    afterAll(async () => {
      await t?.close();
      await appview?.close();
    });

    const collector = () => t.app.get(ResponseCollector);
    const lastPublished = () => Math.max(...posts.map((p) => Date.parse(p.publishedAt)));
    const atMinutes = (minutes: number) => t.clock.set(new Date(lastPublished() + minutes * 60_000));
    // The posts went out over several days: some are read hourly, some daily. A day later every one is due.
    const DAY = 24 * 60;
    const responses = async (): Promise<Responses[]> =>
      (await t.http.get(`/api/campaigns/${slug}/report`).set(admin).expect(200)).body.rows.filter((r: any) => r.responses).map((r: any) => r.responses);
    const sum = (rows: Responses[], field: 'likes' | 'reposts' | 'replies' | 'quotes') => rows.reduce((s, r) => s + (r[field] ?? 0), 0);
    const lastSnapshot = async (postId: number) =>
      (await t.db.manager.query(t.db.sql('select likes, reposts, replies, quotes, impressions, error from post_metrics where post_id = ? order by id desc limit 1'), [postId]))[0];

    it('reads every published post in getPosts calls of at most 25 DID URIs (by its recorded URI; an older one by its URL, the handle resolved once); the report sums likes, reposts, replies and quotes', async () => {
      atMinutes(10);
      expect(await collector().collect()).toEqual({ due: PUBLISHED, collected: PUBLISHED, refused: 0, waiting: 0 });
      const calls = appview.requests.filter((r) => r.path === '/xrpc/app.bsky.feed.getPosts');
      expect(calls.map((c) => c.query.getAll('uris').length)).toEqual([25, 2]);
      expect(calls.flatMap((c) => c.query.getAll('uris')).sort()).toEqual([...uris].sort());
      expect(appview.calls('com.atproto.identity.resolveHandle')).toBe(1);
      const rows = await responses();
      expect({ likes: sum(rows, 'likes'), reposts: sum(rows, 'reposts'), replies: sum(rows, 'replies'), quotes: sum(rows, 'quotes') })
        .toEqual({ likes: (PUBLISHED * (PUBLISHED - 1)) / 2, reposts: PUBLISHED, replies: 2 * PUBLISHED, quotes: PUBLISHED });
      expect(rows.every((r) => r.impressions === null)).toBe(true); // Bluesky gives none
    });

    it('stores a post the AppView no longer answers for as deleted, not as zero, and never asks for it again', async () => {
      appview.deletePost(uris[3]);
      atMinutes(DAY + 15);
      expect(await collector().collect()).toEqual({ due: PUBLISHED, collected: PUBLISHED - 1, refused: 1, waiting: 0 });
      expect(await lastSnapshot(posts[3].id)).toEqual({ likes: null, reposts: null, replies: null, quotes: null, impressions: null, error: 'deleted' });
      expect((await responses()).flatMap((r) => Object.entries(r.refused))).toEqual([['deleted', 1]]);
      const before = appview.requests.length;
      atMinutes(2 * DAY + 20);
      expect(await collector().collect()).toMatchObject({ due: PUBLISHED - 1, collected: PUBLISHED - 1 });
      const asked = appview.requests.slice(before).flatMap((r) => r.query.getAll('uris'));
      expect(asked).not.toContain(uris[3]);
    });

    it('leaves the AppView alone after a 429 until its RateLimit-Reset, then reads what was due', async () => {
      atMinutes(3 * DAY + 30);
      appview.rateLimit(new Date(lastPublished() + (3 * DAY + 60) * 60_000));
      const before = appview.requests.length;
      expect(await collector().collect()).toMatchObject({ due: PUBLISHED - 1, collected: 0, waiting: PUBLISHED - 1 });
      expect(appview.requests.length - before).toBe(1); // the second batch was not even asked for
      atMinutes(3 * DAY + 45);
      expect(await collector().collect()).toMatchObject({ waiting: PUBLISHED - 1 });
      expect(appview.requests.length - before).toBe(1);
      atMinutes(3 * DAY + 61);
      expect(await collector().collect()).toMatchObject({ collected: PUBLISHED - 1 });
      expect(appview.requests.length - before).toBe(3);
    });
  });
});
