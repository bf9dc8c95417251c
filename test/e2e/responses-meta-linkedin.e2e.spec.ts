import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testImage } from '../factories/images';
import { localeFileYaml, writeTemplateFile } from '../factories/templates';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { ResponseCollector } from '../../src/responses/response-collector.service';
import { authorizeOnLinkedIn, linkedinAccountsConfig, LINKEDIN_CLIENT } from '../support/linkedin-accounts';
import { LINKEDIN_ORG, startLinkedInFake } from '../support/linkedin-fake';
import { authorizeOnFacebook, META_APP, metaAccountsConfigFor } from '../support/meta-accounts';
import { META_PAGE, startMetaFake } from '../support/meta-fake';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/x-accounts';
import { forgetPublishedId, replacePublishedUrl } from '../support/published-id';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; scheduledAt: string; publishedAt: string; publishedUrl: string; network: string; [k: string]: any };
type Responses = { likes: number | null; reposts: number | null; replies: number | null; quotes: number | null; impressions: number | null; refused: Record<string, number> };

/** SI's post of `date` on `network`, given a unique text (LinkedIn refuses a duplicate), submitted and approved by the secretariat. */
async function approveDayPost(t: TestApp, slug: string, network: string, date: string, text: string): Promise<Post> {
  const [post] = (await t.http.get(`/api/campaigns/${slug}/posts?member=SI&network=${network}&from=${date}T00:00:00Z&to=${date}T23:59:59Z`).set(admin).expect(200)).body.items;
  const edited = (await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text }).expect(200)).body;
  const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: edited.revision }).expect(200)).body;
  return (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
}

/**
 * Issue 15 #2 for Facebook Pages and LinkedIn organisations: posts published through their publishers,
 * then their figures read with the connected account's token (Graph reactions/comments/shares and
 * post_media_view insights; LinkedIn share statistics and socialActions), impressions left null where not
 * granted, a deleted post stored as deleted, a revoked token as refused, a rate limit waited out.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('Facebook and LinkedIn response figures on %s', (kind) => {
  let t: TestApp;
  let meta: Awaited<ReturnType<typeof startMetaFake>>;
  let li: Awaited<ReturnType<typeof startLinkedInFake>>;
  const posts: Record<'facebook' | 'linkedin', Post[]> = { facebook: [], linkedin: [] };
  const slug = `meta-li-responses-${kind}`;
  const DAY = 24 * 60;

  beforeAll(async () => {
    meta = await startMetaFake(META_APP);
    li = await startLinkedInFake(LINKEDIN_CLIENT);
    const accounts = { ...metaAccountsConfigFor(meta), linkedin: linkedinAccountsConfig(li).linkedin };
    t = await startTestApp({ kind, campaignsDir: '/nonexistent', config: { accounts } });
    const secretariat = await signIn(t, ADMIN_TOKEN);
    await t.http.get(await authorizeOnFacebook(t, secretariat, 'facebook', { member: 'SI', name: 'si-facebook', page: META_PAGE.name })).set('Cookie', secretariat.cookie).expect(303);
    await t.http.get(await authorizeOnLinkedIn(t, secretariat, { member: 'SI', name: 'si-linkedin', organization: LINKEDIN_ORG.urn })).set('Cookie', secretariat.cookie).expect(303);
    const campaign = campaignOnShippedTemplates(slug, ['SI', 'HR']);
    const si = campaign.members.find((m: any) => m.code === 'SI');
    si.channels = [{ network: 'facebook', publisher: { type: 'facebook', account: 'si-facebook' } }, { network: 'linkedin', publisher: { type: 'linkedin', account: 'si-linkedin' } }];
    si.approval = ['secretariat'];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
    for (const date of ['2021-10-18', '2021-10-19']) {
      const due: Post[] = [];
      for (const network of ['facebook', 'linkedin'] as const) {
        due.push(await approveDayPost(t, slug, network, date, `Konec nekaznovanosti ${date} ${network} #EndImpunity`));
      }
      t.clock.set(new Date(Math.max(...due.map((p) => Date.parse(p.scheduledAt))) + 5_000));
      // The second day's Facebook post gets a pfbid permalink, as most real posts do (issue 15).
      meta.setPfbidPermalinks(date === '2021-10-19');
      expect(await t.app.get(Dispatcher).tick()).toMatchObject({ published: 2 });
      for (const post of due) posts[post.network as 'facebook' | 'linkedin'].push((await t.http.get(`/api/posts/${post.id}`).set(admin).expect(200)).body);
    }
    meta.feed.forEach((post, i) => meta.figures.setCounts(post.id, { reactions: 10 + i, comments: 2, shares: i }));
    li.posts.forEach((post, i) => li.socialActions.setCounts(post.id, { likes: 5 + i, comments: 3, firstLevelComments: 2 }));
    meta.feed.forEach((post, i) => meta.insights.setViews(post.id, 100 + 10 * i));
    li.posts.forEach((post, i) => li.shareStatistics.setCounts(post.id, { impressions: 200 + i, shares: 1 + i, uniqueImpressions: 150 }));
    // The first day's posts as if published before the network's id was recorded: read by their URL.
    await forgetPublishedId(t, [posts.facebook[0].id, posts.linkedin[0].id]);
    // The second day's LinkedIn post with an address that carries no urn (the post's public /posts/ page):
    // its recorded urn alone must name it, in the statistics call as in socialActions.
    await replacePublishedUrl(t, posts.linkedin[1].id, 'https://www.linkedin.com/posts/natc-see_endimpunity-activity-7254411187065204736-Qm1s');
  });
  afterAll(async () => {
    await t.close();
    await meta.close();
    await li.close();
  });

  const collector = () => t.app.get(ResponseCollector);
  const snapshotCount = async () => Number((await t.db.manager.query('select count(*) as n from post_metrics'))[0].n);
  const last = () => [...posts.facebook, ...posts.linkedin].map((p) => Date.parse(p.publishedAt)).sort().pop()!;
  const atMinutes = (minutes: number) => t.clock.set(new Date(last() + minutes * 60_000));
  const responses = async (network: string): Promise<Responses> =>
    (await t.http.get(`/api/campaigns/${slug}/report?member=SI`).set(admin).expect(200)).body.rows.find((r: any) => r.network === network && r.responses)?.responses;
  const lastSnapshot = async (postId: number) =>
    (await t.db.manager.query(t.db.sql('select likes, replies, error from post_metrics where post_id = ? order by id desc limit 1'), [postId]))[0];
  const lastFigures = async (postId: number) =>
    (await t.db.manager.query(t.db.sql('select likes, reposts, replies, impressions, error from post_metrics where post_id = ? order by id desc limit 1'), [postId]))[0];

  it('records the Graph id and the urn of each post, whatever the permalink (pfbid) says', () => {
    expect(posts.facebook.map((p) => p.publishedId)).toEqual(meta.feed.map((p) => p.id));
    expect(posts.facebook[0].publishedUrl).toBe(`https://www.facebook.com/${meta.feed[0].id.replace('_', '/posts/')}`);
    expect(posts.facebook[1].publishedUrl).toMatch(new RegExp(`^https://www\\.facebook\\.com/${META_PAGE.id}/posts/pfbid02\\w+$`));
    expect(posts.linkedin.map((p) => p.publishedId)).toEqual(li.posts.map((p) => p.id));
  });

  it('reads each Page post (pfbid permalink included, by its id; an older one by its URL) and each organisation post with the account\'s token, and the report shows the figures', async () => {
    atMinutes(10);
    expect(await collector().collect()).toEqual({ due: 4, collected: 4, refused: 0, waiting: 0 });
    expect(meta.figures.reads.map((r) => r.postId).sort()).toEqual(meta.feed.map((p) => p.id).sort());
    expect(Object.fromEntries(meta.figures.reads[0].params)).toEqual({
      fields: 'reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares', access_token: meta.pageTokens.get(META_PAGE.id),
    });
    expect([...li.socialActions.reads].sort()).toEqual(li.posts.map((p) => p.id).sort());
    const read = li.requests.find((r) => r.path.startsWith('/rest/socialActions/'))!;
    expect(read.headers).toMatchObject({ 'linkedin-version': '202511', 'x-restli-protocol-version': '2.0.0', authorization: expect.stringMatching(/^Bearer li-at-/) });
    expect(meta.insights.reads.map((r) => r.objectId).sort()).toEqual(meta.feed.map((p) => p.id).sort());
    expect(Object.fromEntries(meta.insights.reads[0].params)).toEqual({ metric: 'post_media_view', period: 'lifetime', access_token: meta.pageTokens.get(META_PAGE.id) });
    // Both organisation posts in one statistics call, in the Rest.li 2.0 form, with the versioned headers.
    expect(li.shareStatistics.reads).toEqual([
      `q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183&shares=List(${li.posts.map((p) => encodeURIComponent(p.id)).join(',')})`,
    ]);
    const statistics = li.requests.find((r) => r.path === '/rest/organizationalEntityShareStatistics')!;
    expect(statistics.headers).toMatchObject({ 'linkedin-version': '202511', 'x-restli-protocol-version': '2.0.0', authorization: expect.stringMatching(/^Bearer li-at-/) });
    expect(await responses('facebook')).toMatchObject({ likes: 21, reposts: 1, replies: 4, quotes: null, impressions: 210, refused: {} });
    expect(await responses('linkedin')).toMatchObject({ likes: 11, reposts: 3, replies: 6, quotes: null, impressions: 401, refused: {} });
  });

  it('keeps likes, comments and shares but leaves impressions (and LinkedIn reshares) null where insights are not granted', async () => {
    meta.insights.refuse();
    li.shareStatistics.refuse();
    atMinutes(75);
    expect(await collector().collect()).toEqual({ due: 4, collected: 4, refused: 0, waiting: 0 });
    expect(await lastFigures(posts.facebook[0].id)).toEqual({ likes: 10, reposts: 0, replies: 2, impressions: null, error: null });
    expect(await lastFigures(posts.linkedin[0].id)).toEqual({ likes: 5, reposts: null, replies: 3, impressions: null, error: null });
    expect(await responses('facebook')).toMatchObject({ likes: 21, reposts: 1, replies: 4, impressions: null, refused: {} });
    expect(await responses('linkedin')).toMatchObject({ likes: 11, reposts: null, replies: 6, impressions: null, refused: {} });
    meta.insights.refuse(false);
    li.shareStatistics.refuse(false);
  });

  it('waits out a rate limit on Page post insights (code 80001) and on the share statistics (429), recording nothing', async () => {
    meta.insights.rateLimit(30);
    li.shareStatistics.rateLimit();
    const before = { socialActions: li.socialActions.reads.length, snapshots: await snapshotCount() };
    atMinutes(135);
    expect(await collector().collect()).toEqual({ due: 4, collected: 0, refused: 0, waiting: 4 });
    // A throttled statistics call leaves the socialActions unread: they come back with it next run.
    expect({ socialActions: li.socialActions.reads.length - before.socialActions, snapshots: await snapshotCount() - before.snapshots }).toEqual({ socialActions: 0, snapshots: 0 });
  });

  it('stores a post the network no longer has as deleted (not zero) and never asks for it again', async () => {
    meta.figures.deletePost(meta.feed[0].id);
    li.socialActions.deletePost(li.posts[0].id);
    atMinutes(DAY + 15);
    expect(await collector().collect()).toEqual({ due: 4, collected: 2, refused: 2, waiting: 0 });
    expect(await lastSnapshot(posts.facebook[0].id)).toEqual({ likes: null, replies: null, error: 'deleted' });
    expect(await lastSnapshot(posts.linkedin[0].id)).toEqual({ likes: null, replies: null, error: 'deleted' });
    expect(await responses('facebook')).toMatchObject({ likes: 11, replies: 2, impressions: 110, refused: { deleted: 1 } });
    expect(await responses('linkedin')).toMatchObject({ likes: 6, replies: 3, reposts: 2, impressions: 201, refused: { deleted: 1 } });
  });

  it('waits out a Graph rate limit (X-Business-Use-Case-Usage minutes) and a LinkedIn 429, asking nothing meanwhile', async () => {
    meta.figures.rateLimit(30);
    li.socialActions.rateLimit();
    const before = { graph: meta.figures.reads.length, li: li.socialActions.reads.length };
    atMinutes(2 * DAY + 20);
    expect(await collector().collect()).toEqual({ due: 2, collected: 0, refused: 0, waiting: 2 });
    atMinutes(2 * DAY + 24);
    expect(await collector().collect()).toEqual({ due: 2, collected: 0, refused: 0, waiting: 2 });
    expect({ graph: meta.figures.reads.length - before.graph, li: li.socialActions.reads.length - before.li }).toEqual({ graph: 1, li: 1 });
    atMinutes(2 * DAY + 51);
    expect(await collector().collect()).toEqual({ due: 2, collected: 2, refused: 0, waiting: 0 });
  });

  it('records a revoked token (Graph code 190, LinkedIn 401) as "token refused", not as zero', async () => {
    meta.revokePage(META_PAGE.id);
    li.revokeAll();
    atMinutes(3 * DAY + 90);
    expect(await collector().collect()).toEqual({ due: 2, collected: 0, refused: 2, waiting: 0 });
    expect(await lastSnapshot(posts.facebook[1].id)).toEqual({ likes: null, replies: null, error: 'token refused' });
    expect(await responses('facebook')).toMatchObject({ likes: null, refused: { deleted: 1, 'token refused': 1 } });
    expect(await responses('linkedin')).toMatchObject({ likes: null, refused: { deleted: 1, 'token refused': 1 } });
  });
});

/**
 * Issue 15 #2 for Instagram: a post is read by the media id the publisher records (issue 14); one
 * published before ids were recorded has only its permalink, so it is found in the account's media list.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('Instagram response figures on %s', (kind) => {
  let t: TestApp;
  let meta: Awaited<ReturnType<typeof startMetaFake>>;
  const posts: Post[] = [];
  const slug = `ig-responses-${kind}`;
  const FOLDER = 'ig-responses';
  let root: string;
  const DAY = 24 * 60;

  beforeAll(async () => {
    // Instagram posts only with an image: a template folder whose message names a poster.
    root = mkdtempSync(join(tmpdir(), 'templates-ig-responses-'));
    writeTemplateFile(root, 'visuals/poster.png', await testImage('png', 1080, 1080), FOLDER);
    const media = [{ file: 'visuals/poster.png', alt: { en: 'A poster', sl: 'Plakat' } }];
    writeFileSync(join(root, FOLDER, 'en.yaml'), localeFileYaml({ locale: 'en', themes: { policy: 'Policy' }, messages: { poster: { text: 'With a poster. {{hashtags}}', media } } }));
    writeFileSync(join(root, FOLDER, 'sl.yaml'), localeFileYaml({ locale: 'sl', review: 'reviewed', themes: { policy: 'Politika' }, messages: { poster: { text: 'S plakatom. {{hashtags}}' } } }));
    meta = await startMetaFake(META_APP);
    t = await startTestApp({ kind, templatesDir: root, campaignsDir: join(root, 'none'), config: { accounts: metaAccountsConfigFor(meta) } });
    const secretariat = await signIn(t, ADMIN_TOKEN);
    await t.http.get(await authorizeOnFacebook(t, secretariat, 'instagram', { member: 'SI', name: 'si-instagram', page: META_PAGE.name })).set('Cookie', secretariat.cookie).expect(303);
    await t.http.post('/api/campaigns').set(admin).send({
      slug, name: 'Instagram', start: '2021-10-18', end: '2021-10-24', defaultLocale: 'en', hashtags: ['EndImpunity'], templates: FOLDER, slots: [{ time: '10:00' }],
      themes: [{ key: 'policy', start: '2021-10-18', end: '2021-10-24', messages: ['poster'] }],
      members: [{ code: 'SI', name: { en: 'Slovenia' }, timezone: 'Europe/Ljubljana', locales: ['sl'], approval: ['secretariat'], channels: [{ network: 'instagram', publisher: { type: 'instagram', account: 'si-instagram' } }] }],
    }).expect((res) => expect([res.status, res.body.errors]).toEqual([201, undefined]));
    for (const date of ['2021-10-18', '2021-10-19']) {
      const post = await approveDayPost(t, slug, 'instagram', date, `Konec nekaznovanosti ${date} #EndImpunity`);
      t.clock.set(new Date(Date.parse(post.scheduledAt) + 5_000));
      expect(await t.app.get(Dispatcher).tick()).toMatchObject({ published: 1 });
      posts.push((await t.http.get(`/api/posts/${post.id}`).set(admin).expect(200)).body);
    }
    meta.media.forEach((m, i) => meta.igFigures.setCounts(m.id, { like_count: 20 + i, comments_count: 4 }));
    meta.media.forEach((m, i) => meta.insights.setViews(m.id, 300 + i));
    await forgetPublishedId(t, [posts[0].id]);
  });
  afterAll(async () => {
    await t.close();
    await meta.close();
    rmSync(root, { recursive: true, force: true });
  });

  const collector = () => t.app.get(ResponseCollector);
  const atMinutes = (minutes: number) => t.clock.set(new Date(Date.parse(posts[1].publishedAt) + minutes * 60_000));
  const responses = async (): Promise<Responses> =>
    (await t.http.get(`/api/campaigns/${slug}/report?member=SI`).set(admin).expect(200)).body.rows.find((r: any) => r.network === 'instagram' && r.responses)?.responses;
  const lastFigures = async (postId: number) =>
    (await t.db.manager.query(t.db.sql('select likes, replies, impressions, error from post_metrics where post_id = ? order by id desc limit 1'), [postId]))[0];

  it('reads a post by its media id, an older one (permalink only) from the media list, each with its views, and the report shows likes, comments and views', async () => {
    expect(posts.map((p) => p.publishedUrl)).toEqual(meta.media.map((m) => m.permalink));
    expect(posts.map((p) => p.publishedId)).toEqual(meta.media.map((m) => m.id));
    atMinutes(10);
    expect(await collector().collect()).toEqual({ due: 2, collected: 2, refused: 0, waiting: 0 });
    expect(meta.igFigures.mediaReads.map((r) => [r.mediaId, Object.fromEntries(r.params)])).toEqual([
      [meta.media[1].id, { fields: 'like_count,comments_count', access_token: meta.pageTokens.get(META_PAGE.id) }],
    ]);
    expect(meta.igFigures.reads).toHaveLength(1);
    expect(Object.fromEntries(meta.igFigures.reads[0])).toEqual({ fields: 'id,permalink,timestamp,like_count,comments_count', limit: '100', access_token: meta.pageTokens.get(META_PAGE.id) });
    expect(meta.insights.reads.map((r) => [r.objectId, Object.fromEntries(r.params)])).toEqual(
      [...meta.media].reverse().map((m) => [m.id, { metric: 'views', access_token: meta.pageTokens.get(META_PAGE.id) }]));
    expect(await lastFigures(posts[0].id)).toEqual({ likes: 20, replies: 4, impressions: 300, error: null });
    expect(await lastFigures(posts[1].id)).toEqual({ likes: 21, replies: 4, impressions: 301, error: null });
    expect(await responses()).toMatchObject({ likes: 41, reposts: null, replies: 8, quotes: null, impressions: 601, refused: {} });
  });

  it('leaves views null, not zero, for a media with too few viewers and where instagram_manage_insights is not granted', async () => {
    meta.insights.tooFewViewers(meta.media[0].id);
    atMinutes(75);
    expect(await collector().collect()).toEqual({ due: 2, collected: 2, refused: 0, waiting: 0 });
    expect(await lastFigures(posts[0].id)).toEqual({ likes: 20, replies: 4, impressions: null, error: null });
    expect(await lastFigures(posts[1].id)).toEqual({ likes: 21, replies: 4, impressions: 301, error: null });
    meta.insights.refuse();
    atMinutes(135);
    expect(await collector().collect()).toEqual({ due: 2, collected: 2, refused: 0, waiting: 0 });
    expect(await responses()).toMatchObject({ likes: 41, replies: 8, impressions: null, refused: {} });
    meta.insights.refuse(false);
  });

  it('waits out a rate limit on media insights (code 80001), recording nothing', async () => {
    meta.insights.rateLimit(20);
    atMinutes(195);
    expect(await collector().collect()).toEqual({ due: 2, collected: 0, refused: 0, waiting: 2 });
    atMinutes(205);
    const reads = meta.insights.reads.length;
    expect(await collector().collect()).toEqual({ due: 2, collected: 0, refused: 0, waiting: 2 });
    expect(meta.insights.reads.length).toBe(reads);
    atMinutes(216);
    expect(await collector().collect()).toEqual({ due: 2, collected: 2, refused: 0, waiting: 0 });
    expect(await responses()).toMatchObject({ likes: 41, impressions: 301 });
  });

  it('keeps the post read by id when the views of a media found in the media list are rate-limited, and waits out the rest', async () => {
    meta.insights.rateLimit(20, meta.media[0].id);
    atMinutes(280);
    expect(await collector().collect()).toEqual({ due: 2, collected: 1, refused: 0, waiting: 1 });
    atMinutes(290);
    const reads = { list: meta.igFigures.reads.length, insights: meta.insights.reads.length };
    expect(await collector().collect()).toEqual({ due: 1, collected: 0, refused: 0, waiting: 1 });
    expect({ list: meta.igFigures.reads.length, insights: meta.insights.reads.length }).toEqual(reads);
    atMinutes(301);
    expect(await collector().collect()).toEqual({ due: 1, collected: 1, refused: 0, waiting: 0 });
    expect(await lastFigures(posts[0].id)).toEqual({ likes: 20, replies: 4, impressions: null, error: null });
  });

  it('stores a media no longer listed as deleted, not zero', async () => {
    meta.igFigures.deletePost(meta.media[0].id);
    atMinutes(DAY + 15);
    expect(await collector().collect()).toEqual({ due: 2, collected: 1, refused: 1, waiting: 0 });
    expect(await responses()).toMatchObject({ likes: 21, replies: 4, refused: { deleted: 1 } });
  });

  it('waits out a rate limit (code 4, X-Business-Use-Case-Usage minutes), asking nothing meanwhile', async () => {
    meta.igFigures.rateLimit(20);
    const before = meta.igFigures.mediaReads.length;
    atMinutes(2 * DAY + 20);
    expect(await collector().collect()).toEqual({ due: 1, collected: 0, refused: 0, waiting: 1 });
    atMinutes(2 * DAY + 35);
    expect(await collector().collect()).toEqual({ due: 1, collected: 0, refused: 0, waiting: 1 });
    expect(meta.igFigures.mediaReads.length - before).toBe(1);
    atMinutes(2 * DAY + 41);
    expect(await collector().collect()).toEqual({ due: 1, collected: 1, refused: 0, waiting: 0 });
  });

  it('records a revoked token (code 190) as "token refused"', async () => {
    meta.revokePage(META_PAGE.id);
    atMinutes(3 * DAY + 90);
    expect(await collector().collect()).toEqual({ due: 1, collected: 0, refused: 1, waiting: 0 });
    expect(await responses()).toMatchObject({ likes: null, refused: { deleted: 1, 'token refused': 1 } });
  });
});
