import { testImage } from '../factories/images';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
const POSTS = '/api/campaigns/natc-see-2021/posts';

describe.each<DatabaseKind>(['sqlite', 'postgres'])('images of posts on %s', (kind) => {
  let t: TestApp;
  let siComms: string;
  let siCoordinator: string;
  let hrComms: string;
  let poster: { id: number; url: string; sha256: string };
  beforeAll(async () => {
    t = await startTestApp({ kind });
    siComms = await t.token('comms', 'SI');
    siCoordinator = await t.token('coordinator', 'SI');
    hrComms = await t.token('comms', 'HR');
    poster = (await t.http.post('/api/media').set(bearer(siComms)).attach('file', await testImage('png', 120, 90), 'poster.png').expect(201)).body;
  });
  afterAll(() => t.close());

  const post = async (query: string, n = 0) => (await t.http.get(`${POSTS}?${query}&limit=${n + 1}`).set(admin).expect(200)).body.items[n];
  const reload = async (id: number) => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const patch = (token: string, id: number, body: object) => t.http.patch(`/api/posts/${id}`).set(bearer(token)).send(body);
  const postMediaRows = async (id: number) => t.db.manager.query(t.db.sql('select media_id, position, alt from post_media where post_id = ? order by position'), [id]);

  it('shows no images on a post that has none', async () => {
    expect((await post('member=SI&network=x')).media).toEqual([]);
  });

  it('attaches an image by an edit: a new revision, back to draft, approvals gone, in the history', async () => {
    const p = await post('member=SI&network=x', 1);
    const submitted = (await t.http.post(`/api/posts/${p.id}/submit`).set(bearer(siComms)).send({ revision: p.revision }).expect(200)).body;
    const approved = (await t.http.post(`/api/posts/${p.id}/approve`).set(bearer(siCoordinator)).send({ revision: submitted.revision }).expect(200)).body;
    expect(approved.approvals).toHaveLength(1);
    const res = await patch(siComms, p.id, { revision: approved.revision, media: [{ id: poster.id, alt: 'Poster: trafficking is a crime, call 112' }] }).expect(200);
    expect(res.body).toMatchObject({ status: 'draft', revision: approved.revision + 1, approvals: [], text: p.text });
    expect(await t.db.manager.query(t.db.sql('select * from approvals where post_id = ?'), [p.id])).toEqual([]);
    expect(res.body.media).toEqual([{
      id: poster.id, url: poster.url, sha256: poster.sha256, mime: 'image/png', width: 120, height: 90, bytes: expect.any(Number),
      alt: 'Poster: trafficking is a crime, call 112', sourceId: null,
    }]);
    expect((await reload(p.id)).media).toEqual(res.body.media);
    expect((await t.http.get(`${POSTS}?member=SI&network=x&limit=2`).set(admin).expect(200)).body.items[1].media).toEqual(res.body.media);
    const history = (await t.http.get(`/api/posts/${p.id}/history`).set(admin).expect(200)).body;
    expect(history.at(-1)).toMatchObject({ action: 'edited', fromStatus: approved.status, toStatus: 'draft' });
  });

  it('refuses to submit a post with an image without alt text, naming the image (409), then takes it once written', async () => {
    const p = await post('member=SI&network=facebook');
    const edited = (await patch(siComms, p.id, { revision: p.revision, media: [{ id: poster.id, alt: '' }] }).expect(200)).body;
    const refused = await t.http.post(`/api/posts/${p.id}/submit`).set(bearer(siComms)).send({ revision: edited.revision }).expect(409);
    expect(refused.body.message).toBe(`media[0] (image ${poster.id}): has no alt text: describe the image for people who cannot see it`);
    expect(await reload(p.id)).toMatchObject({ status: 'draft', revision: edited.revision });
    const bulk = await t.http.post('/api/approvals/submit').set(bearer(siComms)).send({ items: [{ id: p.id, revision: edited.revision }] });
    expect(bulk.status).toBe(409);
    const written = (await patch(siComms, p.id, { revision: edited.revision, media: [{ id: poster.id, alt: 'Плакат' }] }).expect(200)).body;
    expect(written.media[0].alt).toBe('Плакат');
    await t.http.post(`/api/posts/${p.id}/submit`).set(bearer(siComms)).send({ revision: written.revision }).expect(200);
  });

  it('removes images with media: [] (an edit like any other)', async () => {
    const p = await post('member=SI&network=x', 2);
    const withImage = (await patch(siComms, p.id, { revision: p.revision, media: [{ id: poster.id, alt: 'x' }] }).expect(200)).body;
    expect(await postMediaRows(p.id)).toHaveLength(1);
    const without = (await patch(siComms, p.id, { revision: withImage.revision, media: [] }).expect(200)).body;
    expect(without).toMatchObject({ media: [], revision: withImage.revision + 1 });
    expect(await postMediaRows(p.id)).toEqual([]);
  });

  it('keeps the revision when the same images and alt texts are sent again', async () => {
    const p = await post('member=SI&network=x', 3);
    const once = (await patch(siComms, p.id, { revision: p.revision, media: [{ id: poster.id, alt: 'same' }] }).expect(200)).body;
    const again = (await patch(siComms, p.id, { revision: once.revision, media: [{ id: poster.id, alt: 'same' }] }).expect(200)).body;
    expect(again.revision).toBe(once.revision);
  });

  it.each([
    ['five images on X', () => ({ media: Array.from({ length: 5 }, () => ({ id: poster.id, alt: 'a' })) }), 'media', /count: x takes at most 4 images/],
    ['an unknown image', () => ({ media: [{ id: 999999, alt: 'a' }] }), 'media[0].id', /no image 999999/],
    ['alt text over X’s 1,000 characters', () => ({ media: [{ id: poster.id, alt: 'a'.repeat(1001) }] }), 'media[0]', /alt-length/],
    ['a media item without id', () => ({ media: [{ alt: 'a' }] }), 'media.0.id', /./],
  ])('refuses %s, changing nothing (400)', async (_, body, field, message) => {
    const p = await post('member=SI&network=x', 4);
    const res = await patch(siComms, p.id, { revision: p.revision, ...body() }).expect(400);
    const error = res.body.errors.find((e: { field: string }) => e.field === field);
    expect(error?.message).toMatch(message);
    expect(await reload(p.id)).toMatchObject({ revision: p.revision, media: [] });
  });

  it('refuses image edits by the coordinator and by another member’s comms (403), changing nothing', async () => {
    const p = await post('member=SI&network=x', 5);
    await patch(siCoordinator, p.id, { revision: p.revision, media: [{ id: poster.id, alt: 'a' }] }).expect(403);
    await patch(hrComms, p.id, { revision: p.revision, media: [{ id: poster.id, alt: 'a' }] }).expect(403);
    expect(await reload(p.id)).toMatchObject({ revision: p.revision, media: [] });
    expect(await postMediaRows(p.id)).toEqual([]);
  });

  it('attaches a copy within Bluesky’s 1,000,000 bytes to a Bluesky post when the upload is larger', async () => {
    const photo = await testImage('jpeg', 1600, 1200, { noise: true });
    const big = (await t.http.post('/api/media').set(admin).attach('file', photo, 'big.jpg').expect(201)).body;
    expect(big.bytes).toBeGreaterThan(1_000_000);
    const p = await post('member=SEE&network=bluesky');
    const res = (await patch(ADMIN_TOKEN, p.id, { revision: p.revision, media: [{ id: big.id, alt: 'Noise' }] }).expect(200)).body;
    expect(res.media).toHaveLength(1);
    expect(res.media[0]).toMatchObject({ sourceId: big.id, mime: 'image/jpeg', alt: 'Noise' });
    expect(res.media[0].id).not.toBe(big.id);
    expect(res.media[0].bytes).toBeLessThanOrEqual(1_000_000);
    const served = await t.http.get(new URL(res.media[0].url).pathname).expect(200);
    expect(Number(served.headers['content-length'])).toBe(res.media[0].bytes);
    // The same image on X (5 MB) goes as uploaded.
    const x = await post('member=SEE&network=x');
    expect((await patch(ADMIN_TOKEN, x.id, { revision: x.revision, media: [{ id: big.id, alt: 'Noise' }] }).expect(200)).body.media[0].id).toBe(big.id);
  });
});
