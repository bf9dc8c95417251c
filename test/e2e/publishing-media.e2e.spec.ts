import { createHmac } from 'node:crypto';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { testImage } from '../factories/images';
import { startMastodonFake } from '../support/mastodon-fake';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';
import { startReceiver } from '../support/webhook-receiver';

const admin = bearer(ADMIN_TOKEN);
const SECRET = 'hook-secret-for-media-tests';
const TOKEN = 'mastodon-token-for-media-tests';
type Post = { id: number; revision: number; status: string; scheduledAt: string; [k: string]: any };

describe('publishing posts with images (webhook, Mastodon)', () => {
  let t: TestApp;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let mastodon: Awaited<ReturnType<typeof startMastodonFake>>;
  const slug = 'pub-media';

  beforeAll(async () => {
    process.env.PUBLISHER_SECRET_MEDIA_HOOK = SECRET;
    process.env.PUBLISHER_SECRET_MEDIA_MASTODON = TOKEN;
    hook = await startReceiver(() => ({ status: 200, body: {} }));
    mastodon = await startMastodonFake(TOKEN);
    t = await startTestApp({ campaignsDir: '/nonexistent' });
    const campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
    campaign.members.find((m: any) => m.code === 'HR').channels = [{ network: 'x', publisher: { type: 'webhook', url: `${hook.url}/x`, secretEnv: 'PUBLISHER_SECRET_MEDIA_HOOK' } }];
    campaign.members.find((m: any) => m.code === 'SI').channels = [{ network: 'mastodon', publisher: { type: 'mastodon', instance: mastodon.url, tokenEnv: 'PUBLISHER_SECRET_MEDIA_MASTODON' } }];
    for (const member of campaign.members) member.approval = ['secretariat'];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([hook.close(), mastodon.close()]);
    delete process.env.PUBLISHER_SECRET_MEDIA_HOOK;
    delete process.env.PUBLISHER_SECRET_MEDIA_MASTODON;
  });

  const dayPost = async (date: string, member: string): Promise<Post> =>
    (await t.http.get(`/api/campaigns/${slug}/posts?member=${member}&from=${date}T00:00:00Z&to=${date}T23:59:59Z&limit=1`).set(admin).expect(200)).body.items[0];
  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const uploadImage = async (width: number) => (await t.http.post('/api/media').set(admin).attach('file', await testImage('png', width, 40), 'visual.png').expect(201)).body;
  /** Images with alt text, submitted and approved. */
  const approvedWithImages = async (post: Post, media: { id: number; alt: string }[]): Promise<Post> => {
    const edited = (await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, media }).expect(200)).body;
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: edited.revision }).expect(200)).body;
    return (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
  };
  const tickAt = (iso: string) => {
    t.clock.set(new Date(iso));
    return t.app.get(Dispatcher).tick();
  };
  const after = (post: Post, ms: number) => new Date(Date.parse(post.scheduledAt) + ms).toISOString();

  it('adds media [{url, mime, alt}] to the webhook body, signed over the whole body, and the URLs serve the images', async () => {
    const [a, b] = [await uploadImage(60), await uploadImage(70)];
    const post = await approvedWithImages(await dayPost('2021-10-18', 'HR'), [{ id: a.id, alt: 'Plakat kampanje' }, { id: b.id, alt: 'Broj 112' }]);
    expect(await tickAt(after(post, 1000))).toMatchObject({ published: 1 });
    const [d] = hook.deliveries;
    expect(d.body.media).toEqual([{ url: a.url, mime: 'image/png', alt: 'Plakat kampanje' }, { url: b.url, mime: 'image/png', alt: 'Broj 112' }]);
    expect(d.headers['x-signature-256']).toBe(`sha256=${createHmac('sha256', SECRET).update(d.raw, 'utf8').digest('hex')}`);
    const served = await t.http.get(new URL(a.url).pathname).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
  });

  it('uploads each image to Mastodon with its alt text as description, then the status with media_ids', async () => {
    const image = await uploadImage(80);
    const post = await approvedWithImages(await dayPost('2021-10-18', 'SI'), [{ id: image.id, alt: 'Plakat: trgovina z ljudmi je zločin' }]);
    expect(await tickAt(after(post, 1000))).toMatchObject({ published: 1 });
    expect(mastodon.uploads).toEqual([{ id: '100', description: 'Plakat: trgovina z ljudmi je zločin', mime: 'image/png', filename: `${image.sha256}.png`, sha256: image.sha256, attachedTo: '9000' }]);
    expect(mastodon.statuses).toEqual([{ id: '9000', key: `natc-post-${post.id}-r${post.revision}`, status: post.text, mediaIds: ['100'] }]);
    expect(mastodon.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v2/media', 'POST /api/v1/statuses']);
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: 'https://mastodon.test/@natc/9000', publishedId: '9000' });
  });

  it('publishes one status when the answer to the status was lost and the uploads are repeated', async () => {
    const image = await uploadImage(90);
    const post = await approvedWithImages(await dayPost('2021-10-19', 'SI'), [{ id: image.id, alt: 'Alt' }]);
    const [uploadsBefore, statusesBefore] = [mastodon.uploads.length, mastodon.statuses.length];
    mastodon.dropNextStatusAfterCreating();
    expect(await tickAt(after(post, 1000))).toMatchObject({ retrying: 1 });
    expect(await tickAt(after(post, 60_000))).toMatchObject({ published: 1 });
    const uploads = mastodon.uploads.slice(uploadsBefore);
    const statuses = mastodon.statuses.slice(statusesBefore);
    // Uploaded twice, one status: the second upload was never attached, and the instance removes it.
    expect(uploads.map((u) => [u.sha256, u.description])).toEqual([[image.sha256, 'Alt'], [image.sha256, 'Alt']]);
    expect(statuses).toHaveLength(1);
    expect(uploads.map((u) => u.attachedTo)).toEqual([statuses[0].id, null]);
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: `https://mastodon.test/@natc/${statuses[0].id}`, publishedId: statuses[0].id });
  });

  it('waits for an image Mastodon processes in the background (202) before the status', async () => {
    const image = await uploadImage(100);
    const post = await approvedWithImages(await dayPost('2021-10-20', 'SI'), [{ id: image.id, alt: 'Alt' }]);
    mastodon.processInBackground(true);
    try {
      expect(await tickAt(after(post, 1000))).toMatchObject({ published: 1 });
    } finally {
      mastodon.processInBackground(false);
    }
    const id = mastodon.uploads.at(-1)!.id;
    expect(mastodon.requests.slice(-4).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v2/media', `GET /api/v1/media/${id}`, `GET /api/v1/media/${id}`, 'POST /api/v1/statuses']);
    expect(mastodon.statuses.at(-1)!.mediaIds).toEqual([id]);
  });
});
