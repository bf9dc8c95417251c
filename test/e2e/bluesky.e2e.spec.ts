import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { blueskyRecordKey } from '../../src/publishing/publishers/bluesky-record-key';
import { createHash } from 'node:crypto';
import { testImage } from '../factories/images';
import { BlueskyPds, BlueskyTestAccount, startBlueskyPds } from '../support/bluesky-pds';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; status: string; text: string; [k: string]: any };
/** Cyrillic (2 bytes a letter), emoji (4 bytes), a link and hashtags: facets must count UTF-8 bytes. */
const TEXT = 'Трговијата со луѓе е злосторство 🚫 Пријави: https://natc.example/mk/prijava #EndImpunity #СтопТрговија';

describe('Bluesky publisher against a real PDS (SQLite)', () => {
  jest.setTimeout(60_000);
  let pds: BlueskyPds;
  let account: BlueskyTestAccount;
  let t: TestApp;
  const slug = 'pub-bluesky';

  beforeAll(async () => {
    pds = await startBlueskyPds();
    account = await pds.account('natc-hr.test');
    process.env.PUBLISHER_SECRET_TEST_BSKY = account.appPassword;
    process.env.PUBLISHER_SECRET_TEST_BSKY_STALE = 'aaaa-bbbb-cccc-dddd';
    t = await startTestApp({ campaignsDir: '/nonexistent' });
    const campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
    const channel = (passwordEnv: string) => [{ network: 'bluesky', publisher: { type: 'bluesky', service: pds.url, handle: account.handle, passwordEnv } }];
    campaign.members.find((m: any) => m.code === 'HR').channels = channel('PUBLISHER_SECRET_TEST_BSKY');
    campaign.members.find((m: any) => m.code === 'SI').channels = channel('PUBLISHER_SECRET_TEST_BSKY_STALE');
    for (const member of campaign.members) member.approval = ['secretariat'];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await pds?.close();
    delete process.env.PUBLISHER_SECRET_TEST_BSKY;
    delete process.env.PUBLISHER_SECRET_TEST_BSKY_STALE;
  });

  const firstPost = async (member: string, date: string): Promise<Post> =>
    (await t.http.get(`/api/campaigns/${slug}/posts?member=${member}&network=bluesky&from=${date}T00:00:00Z&to=${date}T23:59:59Z&limit=1000`).set(admin).expect(200)).body.items[0];
  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const approve = async (post: Post, text?: string): Promise<Post> => {
    const edited = text ? (await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text }).expect(200)).body : post;
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: edited.revision }).expect(200)).body;
    return (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
  };
  const tickAt = (iso: string) => {
    t.clock.set(new Date(iso));
    return t.app.get(Dispatcher).tick();
  };

  it('refuses a campaign whose bluesky password is not a publisher secret, naming the field, and imports nothing', async () => {
    const campaign = campaignOnShippedTemplates('bsky-refused', ['HR']);
    campaign.members[0].channels = [{ network: 'bluesky', publisher: { type: 'bluesky', service: pds.url, handle: account.handle, passwordEnv: 'BOOTSTRAP_ADMIN_TOKEN' } }];
    const res = await t.http.post('/api/campaigns').set(admin).send(campaign).expect(400);
    expect(res.body.errors).toEqual([{ field: 'members[0].channels[0].publisher.passwordEnv', message: expect.stringContaining('cannot be a publisher secret') }]);
    await t.http.get('/api/campaigns/bsky-refused').set(admin).expect(404);
  });

  it('publishes an approved post once, with clickable links and hashtags, and records its bsky.app URL', async () => {
    const post = await approve(await firstPost('HR', '2021-10-18'), TEXT);
    expect(await tickAt('2021-10-18T08:00:05Z')).toMatchObject({ claimed: 1, published: 1 });

    const rkey = blueskyRecordKey(post.id, post.revision);
    const published = await get(post.id);
    expect(published).toMatchObject({ status: 'published', publishedUrl: `https://bsky.app/profile/${account.handle}/post/${rkey}`, publishedId: `at://${account.did}/app.bsky.feed.post/${rkey}`, lastError: null });
    const records = await account.posts();
    expect(records).toHaveLength(1);
    const [{ rkey: storedKey, value }] = records;
    expect(storedKey).toBe(rkey);
    expect(value).toMatchObject({ text: TEXT, langs: ['hr'], createdAt: '2021-10-18T08:00:00.000Z' });
    const bytes = Buffer.from(TEXT, 'utf8');
    const covered = value.facets.map((f: any) => [bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'), f.features[0]]);
    expect(covered).toEqual([
      ['https://natc.example/mk/prijava', { $type: 'app.bsky.richtext.facet#link', uri: 'https://natc.example/mk/prijava' }],
      ['#EndImpunity', { $type: 'app.bsky.richtext.facet#tag', tag: 'EndImpunity' }],
      ['#СтопТрговија', { $type: 'app.bsky.richtext.facet#tag', tag: 'СтопТрговија' }],
    ]);

    expect((await tickAt('2021-10-18T08:01:00Z')).claimed).toBe(0);
    expect(await account.posts()).toHaveLength(1);
  });

  it('keeps its session: a second post is sent without logging in again', async () => {
    const post = await approve(await firstPost('HR', '2021-10-19'));
    expect(await tickAt('2021-10-19T08:00:05Z')).toMatchObject({ published: 1 });
    expect((await get(post.id)).status).toBe('published');
    expect(await account.posts()).toHaveLength(2);
    expect(pds.calls('com.atproto.server.createSession')).toBe(1);
  });

  it('counts a record already at the key (an attempt that got through, unrecorded) as published, without a second record', async () => {
    const post = await approve(await firstPost('HR', '2021-10-20'));
    const rkey = blueskyRecordKey(post.id, post.revision);
    // As if a previous attempt had written the record and died before recording it.
    expect(await account.createRecordAs(rkey, post.text, '2021-10-20T08:00:00.000Z')).toBe(true);
    const before = pds.calls('com.atproto.repo.createRecord');
    expect(await tickAt('2021-10-20T08:00:05Z')).toMatchObject({ published: 1 });
    expect(pds.calls('com.atproto.repo.createRecord')).toBe(before + 1); // refused: HTTP 500, then getRecord
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://bsky.app/profile/${account.handle}/post/${rkey}`, publishedId: `at://${account.did}/app.bsky.feed.post/${rkey}` });
    expect((await account.posts()).filter((r) => r.rkey === rkey)).toHaveLength(1);
  });

  it('fails a post whose key holds another post (another database on the same account) instead of counting it as published', async () => {
    const post = await approve(await firstPost('HR', '2021-10-21'));
    const rkey = blueskyRecordKey(post.id, post.revision);
    expect(await account.createRecordAs(rkey, 'A post from a scheduler database that was reset since', '2020-10-21T08:00:00.000Z')).toBe(true);
    expect(await tickAt('2021-10-21T08:00:05Z')).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await get(post.id);
    expect(failed).toMatchObject({ status: 'failed', publishedUrl: null, publishedId: null });
    expect(failed.lastError).toContain(`Bluesky record ${rkey} of ${account.handle} already holds another post`);
    expect((await account.posts()).find((r) => r.rkey === rkey)!.value.text).toBe('A post from a scheduler database that was reset since');
  });

  it('uploads an image as a blob and publishes it in an app.bsky.embed.images embed with its alt text', async () => {
    const photo = await testImage('jpeg', 1600, 1200, { noise: true });
    const upload = (await t.http.post('/api/media').set(admin).attach('file', photo, 'photo.jpg').expect(201)).body;
    const draft = await firstPost('HR', '2021-10-22');
    const edited = (await t.http.patch(`/api/posts/${draft.id}`).set(admin)
      .send({ revision: draft.revision, media: [{ id: upload.id, alt: 'Plakat: trgovanje ljudima je zločin. Nazovite 112.' }] }).expect(200)).body;
    // Over Bluesky's 1,000,000 bytes: the post carries a smaller copy, made at the edit.
    const [image] = edited.media;
    expect(image).toMatchObject({ sourceId: upload.id, mime: 'image/jpeg' });
    expect(image.bytes).toBeLessThanOrEqual(1_000_000);
    const post = await approve(edited);
    expect(await tickAt('2021-10-22T08:00:05Z')).toMatchObject({ published: 1 });

    const record = (await account.posts()).find((r) => r.rkey === blueskyRecordKey(post.id, post.revision))!;
    expect(record.value.embed).toMatchObject({
      $type: 'app.bsky.embed.images',
      images: [{ alt: 'Plakat: trgovanje ljudima je zločin. Nazovite 112.', aspectRatio: { width: image.width, height: image.height }, image: { mimeType: 'image/jpeg', size: image.bytes } }],
    });
    const cid = record.value.embed.images[0].image.ref.$link ?? String(record.value.embed.images[0].image.ref);
    const blob = await fetch(`${pds.url}/xrpc/com.atproto.sync.getBlob?did=${account.did}&cid=${cid}`);
    expect(blob.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await blob.arrayBuffer())).digest('hex')).toBe(image.sha256);
  });

  it('fails a post whose app password is refused, saying so in lastError, and creates nothing', async () => {
    const post = await approve(await firstPost('SI', '2021-10-18'));
    const before = await account.posts();
    const report = await tickAt(post.scheduledAt);
    expect(report).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await get(post.id);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toContain(`Bluesky login as ${account.handle}`);
    expect(failed.lastError).toContain('check the app password');
    expect(failed.lastError).not.toContain('aaaa-bbbb');
    expect(await account.posts()).toEqual(before);
  });
});
