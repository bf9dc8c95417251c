import { AccountsService } from '../../src/accounts/accounts.service';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { PublisherRegistry } from '../../src/publishing/publisher-registry';
import { ResponseCollector } from '../../src/responses/response-collector.service';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { startMastodonFake } from '../support/mastodon-fake';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
const TOKEN = 'mastodon-token-for-responses';
type Post = { id: number; revision: number; scheduledAt: string; [k: string]: any };
type Row = { network: string; responses: null | { likes: number | null; reposts: number | null; replies: number | null; quotes: number | null; impressions: number | null; collectedAt: string; refused: Record<string, number> } };

/**
 * Issue 15 #2 over real HTTP: posts published to a loopback Mastodon, their figures read by the
 * collector on the documented status endpoint, kept as snapshots, summed in the report.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('response figures on %s', (kind) => {
  let t: TestApp;
  let mastodon: Awaited<ReturnType<typeof startMastodonFake>>;
  const slug = `responses-${kind}`;
  let posts: Post[];
  let lastPublished: number;

  beforeAll(async () => {
    process.env.PUBLISHER_SECRET_RESPONSES_MASTODON = TOKEN;
    mastodon = await startMastodonFake(TOKEN);
    t = await startTestApp({ kind, campaignsDir: '/nonexistent' });
    const campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
    campaign.members.find((m: any) => m.code === 'SI').channels = [{ network: 'mastodon', publisher: { type: 'mastodon', instance: mastodon.url, tokenEnv: 'PUBLISHER_SECRET_RESPONSES_MASTODON' } }];
    for (const member of campaign.members) member.approval = ['secretariat'];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
    const all: Post[] = (await t.http.get(`/api/campaigns/${slug}/posts?member=SI&network=mastodon&limit=1000`).set(admin).expect(200)).body.items;
    posts = all.sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt)).slice(0, 3);
    for (const post of posts) {
      const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200)).body;
      await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200);
    }
    for (const post of posts) {
      t.clock.set(new Date(Date.parse(post.scheduledAt) + 5_000));
      expect(await t.app.get(Dispatcher).tick()).toMatchObject({ published: 1 });
    }
    lastPublished = Date.parse(posts[2].scheduledAt) + 5_000;
    expect(mastodon.statuses).toHaveLength(3);
  });
  afterAll(async () => {
    await t.close();
    await mastodon.close();
  });

  const collector = () => t.app.get(ResponseCollector);
  const atMinutes = (minutes: number) => t.clock.set(new Date(lastPublished + minutes * 60_000));
  const setCounts = (i: number, favourites: number, reblogs: number, replies: number) => mastodon.setCounts(mastodon.statuses[i].id, { favourites, reblogs, replies });
  const reads = () => mastodon.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/statuses/')).length;
  const mastodonRows = async (): Promise<Row[]> =>
    (await t.http.get(`/api/campaigns/${slug}/report`).set(admin).expect(200)).body.rows.filter((r: Row) => r.network === 'mastodon' && r.responses);
  const total = (rows: Row[], field: 'likes' | 'reposts' | 'replies') => rows.reduce((sum, r) => sum + (r.responses![field] ?? 0), 0);
  const snapshots = (postId: number) =>
    t.db.manager.query(t.db.sql('select likes, reposts, replies, quotes, impressions, error from post_metrics where post_id = ? order by id'), [postId]);

  it('shows no responses before anything is collected', async () => {
    expect(await mastodonRows()).toEqual([]);
  });

  it('reads each published status once when due, and the report sums the latest figures (quotes, impressions: not given, null)', async () => {
    setCounts(0, 5, 1, 0);
    setCounts(1, 2, 0, 1);
    setCounts(2, 0, 0, 0);
    atMinutes(10);
    expect(await collector().collect()).toEqual({ due: 3, collected: 3, refused: 0, waiting: 0 });
    expect(reads()).toBe(3);
    const rows = await mastodonRows();
    expect({ likes: total(rows, 'likes'), reposts: total(rows, 'reposts'), replies: total(rows, 'replies') }).toEqual({ likes: 7, reposts: 1, replies: 1 });
    for (const row of rows) expect(row.responses).toMatchObject({ quotes: null, impressions: null, refused: {}, collectedAt: new Date(lastPublished + 10 * 60_000).toISOString() });
  });

  it('reads nothing again within the hour, then keeps a second snapshot beside the first: growth is visible', async () => {
    atMinutes(40);
    expect(await collector().collect()).toMatchObject({ due: 0 });
    expect(reads()).toBe(3);
    setCounts(0, 9, 2, 3);
    atMinutes(75);
    expect(await collector().collect()).toMatchObject({ collected: 3 });
    expect(await snapshots(posts[0].id)).toEqual([
      { likes: 5, reposts: 1, replies: 0, quotes: null, impressions: null, error: null },
      { likes: 9, reposts: 2, replies: 3, quotes: null, impressions: null, error: null },
    ]);
    const rows = await mastodonRows();
    expect(total(rows, 'likes')).toBe(11); // the latest snapshots only: 9 + 2 + 0
  });

  it('sums the latest figures per theme and language and ranks the best posts of each week, with links and never texts (JSON and CSV tables)', async () => {
    const report = (await t.http.get(`/api/campaigns/${slug}/report?member=SI`).set(admin).expect(200)).body;
    const totals = { likes: 11, reposts: 2, replies: 4, quotes: null, impressions: null };
    expect(report.responsesByLocale).toEqual([{ key: posts[0].locale, ...totals }]);
    const themes = report.responsesByTheme as { likes: number }[];
    expect(themes.reduce((sum, g) => sum + g.likes, 0)).toBe(11);
    expect(report.bestPosts.map((b: any) => [b.week, b.rank, b.postId, b.responses])).toEqual([[1, 1, posts[0].id, 14], [1, 2, posts[1].id, 3], [1, 3, posts[2].id, 0]]);
    const published = (await t.http.get(`/api/posts/${posts[0].id}`).set(admin).expect(200)).body;
    expect(report.bestPosts[0]).toMatchObject({ member: 'SI', network: 'mastodon', locale: posts[0].locale, theme: posts[0].theme, url: published.publishedUrl, likes: 9, quotes: null });
    expect(JSON.stringify(report.bestPosts)).not.toContain(published.text);
    const one = (await t.http.get(`/api/campaigns/${slug}/report?bestPerWeek=1`).set(admin).expect(200)).body;
    expect(one.bestPosts.map((b: any) => b.postId)).toEqual([posts[0].id]);
    const best = await t.http.get(`/api/campaigns/${slug}/report?format=csv&table=best-posts`).set(admin).expect(200);
    expect(best.headers['content-disposition']).toContain(`${slug}-report-best-posts.csv`);
    const lines = best.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('week,rank,postId,member,network,locale,theme,publishedAt,url,responses,likes,reposts,replies,quotes,impressions,collectedAt');
    expect(lines).toHaveLength(4);
    const locales = (await t.http.get(`/api/campaigns/${slug}/report?format=csv&table=locales`).set(admin).expect(200)).text;
    expect(locales.replace(/^\uFEFF/, '').trim().split('\r\n')).toEqual(['locale,likes,reposts,replies,quotes,impressions', `${posts[0].locale},11,2,4,,`]);
    expect((await t.http.get(`/api/campaigns/${slug}/report?format=csv&table=posts`).set(admin).expect(400)).body.message).toEqual(expect.stringContaining('table'));
  });

  it('reports a deleted status as deleted, not as zero, and never reads it again', async () => {
    mastodon.deleteStatus(mastodon.statuses[1].id);
    atMinutes(140);
    expect(await collector().collect()).toMatchObject({ collected: 2, refused: 1 });
    expect((await snapshots(posts[1].id)).at(-1)).toEqual({ likes: null, reposts: null, replies: null, quotes: null, impressions: null, error: 'deleted' });
    const rows = await mastodonRows();
    expect(rows.flatMap((r) => Object.entries(r.responses!.refused))).toEqual([['deleted', 1]]);
    expect(total(rows, 'likes')).toBe(9);
    const before = reads();
    atMinutes(205);
    expect(await collector().collect()).toMatchObject({ due: 2, collected: 2 });
    expect(reads() - before).toBe(2);
    const csv = (await t.http.get(`/api/campaigns/${slug}/report?format=csv`).set(admin).expect(200)).text;
    expect(csv.split('\n')[0]).toContain('responsesRefused');
    expect(csv).toContain('deleted 1');
  });

  it('stops asking the instance after a 429 until its X-RateLimit-Reset, then reads what was due', async () => {
    atMinutes(270);
    mastodon.rateLimit(new Date(lastPublished + 300 * 60_000));
    const before = reads();
    expect(await collector().collect()).toMatchObject({ due: 2, collected: 0, waiting: 2 });
    expect(reads() - before).toBe(1); // the second post was not even asked for
    atMinutes(290);
    expect(await collector().collect()).toMatchObject({ due: 2, collected: 0, waiting: 2 });
    expect(reads() - before).toBe(1);
    atMinutes(301);
    expect(await collector().collect()).toMatchObject({ due: 2, collected: 2 });
    expect(reads() - before).toBe(3);
  });

  it('records a refused token as such and keeps reading on schedule', async () => {
    mastodon.expireToken();
    atMinutes(370);
    expect(await collector().collect()).toMatchObject({ refused: 2 });
    const rows = await mastodonRows();
    expect(rows.flatMap((r) => Object.entries(r.responses!.refused)).sort()).toEqual([['deleted', 1], ['token refused', 2]].sort());
    expect(rows.every((r) => r.responses!.likes === null)).toBe(true);
    atMinutes(440);
    expect(await collector().collect()).toMatchObject({ due: 2, refused: 2 });
  });

  it('reads each due post once when two collectors run at the same time (two replicas, or a run overlapping the last)', async () => {
    const other = new ResponseCollector(t.db, t.clock, t.app.get(PublisherRegistry), t.app.get(AccountsService), t.config);
    atMinutes(510);
    const before = reads();
    const [a, b] = await Promise.all([collector().collect(), other.collect()]);
    expect(a.refused + b.refused).toBe(2);
    expect(reads() - before).toBe(2);
  });
});
