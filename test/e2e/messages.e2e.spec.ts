import { FixedClock } from '../../src/time/clock';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; variant: string; member: string; locale: string; network: string; message: string; text: string; status: string; revision: number };
type Entry = { key: string; locale: string; revision: number; review: string; fallback: boolean; edited: boolean; translation: { text: string; short: string | null } | null; source: { text: string } };

/** Text and rows a refused request must leave as they were. */
async function snapshot(t: TestApp) {
  const count = async (table: string) => Number((await t.db.manager.query(`select count(*) as n from ${table}`))[0].n);
  const posts = await t.db.manager.query('select id, status, revision, text from posts order by id');
  return { overrides: await count('message_overrides'), history: await count('message_history'), events: await count('post_events'), posts };
}

function helpers(t: () => TestApp) {
  const posts = async (slug: string, query: string): Promise<Post[]> =>
    (await t().http.get(`/api/campaigns/${slug}/posts?limit=1000&${query}`).set(admin).expect(200)).body.items;
  const approve = async (post: Post, steps = 1): Promise<Post> => {
    let current = (await t().http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200)).body as Post;
    for (let i = 0; i < steps; i++) current = (await t().http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: current.revision }).expect(200)).body;
    expect(current.status).toBe('approved');
    return current;
  };
  const get = async (id: number): Promise<Post> => (await t().http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const entry = async (slug: string, key: string, locale: string): Promise<Entry> =>
    (await t().http.get(`/api/campaigns/${slug}/messages/${key}/${locale}`).set(admin).expect(200)).body;
  return { posts, approve, get, entry };
}

describe('message editor API on sqlite: /api/campaigns/:slug/messages', () => {
  let t: TestApp;
  const { posts, approve, get, entry } = helpers(() => t);
  const URL = '/api/campaigns/natc-see-2021/messages';

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists every message × locale with its source, translation, revision, review state and fallback', async () => {
    const list: Entry[] = (await t.http.get(URL).set(admin).expect(200)).body;
    const hr = list.find((e) => e.key === 'policy-3' && e.locale === 'hr')!;
    expect(hr).toMatchObject({ revision: 0, review: 'needs-review', fallback: false, edited: false });
    expect(hr.source.text).toMatch(/^The countries of our region/);
    expect(hr.translation!.text).toMatch(/^Države naše regije/);
    expect(list.find((e) => e.key === 'policy-3' && e.locale === 'en')).toMatchObject({ review: 'source' });
    // Every referenced message in every locale the campaign renders, the default first.
    const keys = new Set(list.map((e) => e.key));
    const locales = new Set(list.map((e) => e.locale));
    expect(list).toHaveLength(keys.size * locales.size);
    expect([...locales][0]).toBe('en');
  });

  it('shows a coordinator only their member’s locales, and refuses them another’s (403) and a save (403)', async () => {
    const coordinator = bearer(await t.token('coordinator', 'HR'));
    const list: Entry[] = (await t.http.get(URL).set(coordinator).expect(200)).body;
    expect([...new Set(list.map((e) => e.locale))]).toEqual(['hr']);
    await t.http.get(`${URL}/policy-3/sl`).set(coordinator).expect(403);
    const before = await snapshot(t);
    await t.http.put(`${URL}/policy-3/hr`).set(coordinator).send({ revision: 0, text: 'x {{hashtags}}' }).expect(403);
    expect(await snapshot(t)).toEqual(before);
  });

  it('saves an edit and re-plans: only the posts whose text changes are reset, the others keep their approvals', async () => {
    const hrPosts = await posts('natc-see-2021', 'member=HR&locale=hr&network=facebook');
    const edited = await approve(hrPosts.find((p) => p.message === 'policy-3')!);
    const other = await approve(hrPosts.find((p) => p.message === 'policy-1')!);
    const slovenian = await approve((await posts('natc-see-2021', 'member=SI&locale=sl&network=facebook')).find((p) => p.message === 'policy-3')!, 2);
    const current = await entry('natc-see-2021', 'policy-3', 'hr');
    const text = `Izmijenjeno: ${current.translation!.text}`;

    const res = await t.http.put(`${URL}/policy-3/hr`).set(admin).send({ revision: 0, text }).expect(200);

    expect(res.body.message).toMatchObject({ key: 'policy-3', locale: 'hr', revision: 1, edited: true, review: 'needs-review', translation: { text, short: current.translation!.short } });
    const plan = res.body.plans.find((p: { campaign: string }) => p.campaign === 'natc-see-2021').plan;
    // HR and BA (bs, hr, sr-Cyrl) render hr: every hr post of policy-3 is rewritten, nothing else.
    const hrPolicy3 = (await posts('natc-see-2021', 'locale=hr')).filter((p) => p.message === 'policy-3');
    const [long, short] = [hrPolicy3.filter((p) => p.variant === 'text'), hrPolicy3.filter((p) => p.variant === 'short')];
    expect(long.length).toBeGreaterThanOrEqual(2);
    expect(long.every((p) => p.text.startsWith('Izmijenjeno: '))).toBe(true);
    // Where the short form went out (X), the text is unchanged: those posts are left alone.
    expect(short.length).toBeGreaterThanOrEqual(1);
    expect(short.some((p) => p.text.startsWith('Izmijenjeno: '))).toBe(false);
    expect(plan).toMatchObject({ updated: long.length, created: 0, cancelled: 0, approvalsReset: 1 });
    expect(await get(edited.id)).toMatchObject({ status: 'draft', revision: edited.revision + 1, text: expect.stringMatching(/^Izmijenjeno: Države/) });
    expect(await get(other.id)).toMatchObject({ status: 'approved', revision: other.revision });
    expect(await get(slovenian.id)).toMatchObject({ status: 'approved', revision: slovenian.revision });
  });

  it('keeps the history of the message: who, when, before and after', async () => {
    const history = (await t.http.get(`${URL}/policy-3/hr/history`).set(admin).expect(200)).body;
    expect(history).toEqual([expect.objectContaining({ actor: 'admin', action: 'edited', revision: 1, at: '2021-10-01T09:00:00.000Z' })]);
    expect(history[0].before.text).toMatch(/^Države/);
    expect(history[0].after.text).toMatch(/^Izmijenjeno: Države/);
  });

  it('refuses a stale revision with 409, changing nothing', async () => {
    const before = await snapshot(t);
    const res = await t.http.put(`${URL}/policy-3/hr`).set(admin).send({ revision: 0, text: 'Nešto drugo {{hashtags}}' }).expect(409);
    expect(res.body).toMatchObject({ currentRevision: 1 });
    expect(await snapshot(t)).toEqual(before);
  });

  it.each([
    ['a syntax error', 'Prvi red.\nDrugi {{#if facts.offences}}red{{/each}}', 'text', /^line 2, column \d+: Handlebars: if doesn't match each$/],
    ['an unknown variable', 'Prvi red.\nDrugi red {{membr}}.', 'text', /^line 2, column 13: unknown variable "membr" \(known: member, date, theme, hashtags, facts, /],
    ['an unknown partial in the short form', 'Dobro.', 'short', /^line 1, column 1: unknown partial "header"$/],
  ])('refuses %s with 400 naming the field and the line in the text, saving nothing', async (_, text, field, message) => {
    const before = await snapshot(t);
    const body = field === 'short' ? { revision: 1, text, short: '{{> header}}' } : { revision: 1, text };
    const res = await t.http.put(`${URL}/policy-3/hr`).set(admin).send(body).expect(400);
    expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses bad requests with 400 or 404, never 500', async () => {
    await t.http.put(`${URL}/policy-3/hr`).set(admin).send({ revision: 1, text: '   ' }).expect(400);
    await t.http.put(`${URL}/policy-3/hr`).set(admin).send({ revision: -1, text: 'x' }).expect(400);
    await t.http.put(`${URL}/policy-3/hr`).set(admin).send({ text: 'x' }).expect(400);
    await t.http.put(`${URL}/policy-3/hr`).set(admin).send({ revision: 1, text: 'x', extra: 1 }).expect(400);
    await t.http.put(`${URL}/no-such-message/hr`).set(admin).send({ revision: 0, text: 'x' }).expect(404);
    await t.http.put(`${URL}/policy-3/de`).set(admin).send({ revision: 0, text: 'x' }).expect(404);
    await t.http.get('/api/campaigns/nope/messages').set(admin).expect(404);
  });
});

describe.each<DatabaseKind>(['sqlite', 'postgres'])('message editor on %s: editions share the folder, archived campaigns are read-only', (kind) => {
  let t: TestApp;
  const { posts, approve, get } = helpers(() => t);

  beforeAll(async () => {
    // 30 Nov 2026: the 2021 campaign is imported archived; its 2028 edition shares its templates.
    t = await startTestApp({ kind, clock: new FixedClock(new Date('2026-11-30T09:00:00Z')) });
    await t.http.post('/api/campaigns/natc-see-2021/editions').set(admin).send({ slug: 'natc-see-2028', start: '2028-10-16' }).expect(201);
  });
  afterAll(() => t.close());

  it('refuses an edit through an archived campaign with 409, changing nothing', async () => {
    const before = await snapshot(t);
    const res = await t.http.put('/api/campaigns/natc-see-2021/messages/policy-3/sl').set(admin).send({ revision: 0, text: 'Spremenjeno {{hashtags}}' }).expect(409);
    expect(res.body.message).toContain('archived');
    expect(await snapshot(t)).toEqual(before);
  });

  it('saves through the edition: its posts of that text are reset, its others keep their approvals, the archived posts stay', async () => {
    const si = await posts('natc-see-2028', 'member=SI&locale=sl&network=facebook');
    const edited = await approve(si.find((p) => p.message === 'policy-2')!, 2);
    const kept = await approve(si.find((p) => p.message === 'policy-1')!, 2);
    const archived = (await posts('natc-see-2021', 'member=SI&locale=sl&network=facebook')).find((p) => p.message === 'policy-2')!;
    const res = await t.http.put('/api/campaigns/natc-see-2028/messages/policy-2/sl').set(admin).send({ revision: 0, text: 'Novo besedilo.\n{{> footer}}', short: null }).expect(200);
    expect(res.body.plans.map((p: { campaign: string }) => p.campaign)).toEqual(['natc-see-2028']);
    expect(res.body.plans[0].plan).toMatchObject({ approvalsReset: 1, created: 0, cancelled: 0 });
    expect(await get(edited.id)).toMatchObject({ status: 'draft', text: 'Novo besedilo.\n#EndImpunity #NATCSEE' });
    expect(await get(kept.id)).toMatchObject({ status: 'approved', revision: kept.revision });
    expect(await get(archived.id)).toMatchObject({ text: archived.text, revision: archived.revision });
    // A stale save after it: 409 on this database too.
    await t.http.put('/api/campaigns/natc-see-2028/messages/policy-2/sl').set(admin).send({ revision: 0, text: 'Drugo.' }).expect(409);
  });
});

describe.each<DatabaseKind>(['sqlite', 'postgres'])('national review on %s: POST /api/campaigns/:slug/messages/:key/:locale/review (issue 12 #3)', (kind) => {
  let t: TestApp;
  let hrCoordinator: { Authorization: string };
  const { posts, get } = helpers(() => t);
  const URL = '/api/campaigns/natc-see-2021/messages';
  const hrPolicy1 = async () => (await posts('natc-see-2021', 'member=HR&locale=hr&network=facebook')).find((p) => p.message === 'policy-1')! as Post & { translationReview: string };

  beforeAll(async () => {
    t = await startTestApp({ kind });
    hrCoordinator = bearer(await t.token('coordinator', 'HR', 'Marko Horvat'));
    const campaign = (await t.http.get('/api/campaigns/natc-see-2021').set(admin).expect(200)).body;
    const { counts, state, createdAt, updatedAt, footnotes, holidays, ...source } = campaign;
    await t.http.put('/api/campaigns/natc-see-2021').set(admin).send({ ...source, requireReview: true }).expect(200);
  });
  afterAll(() => t.close());

  it('flags every post by where its text comes from: source, or a translation needing review', async () => {
    expect((await hrPolicy1()).translationReview).toBe('needs-review');
    const english = (await posts('natc-see-2021', 'locale=en'))[0] as Post & { translationReview: string };
    expect(english.translationReview).toBe('source');
  });

  it('refuses to submit a post from an unreviewed translation when the campaign requires review (409 naming the reason), changing nothing', async () => {
    const post = await hrPolicy1();
    const res = await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(409);
    expect(res.body.message).toContain('requires review (requireReview)');
    expect(await get(post.id)).toMatchObject({ status: 'draft', revision: post.revision });
  });

  it('refuses a review by someone outside the locale’s member (403), by comms (403), and a return without comment (400), changing nothing', async () => {
    const before = await snapshot(t);
    await t.http.post(`${URL}/policy-1/sl/review`).set(hrCoordinator).send({ revision: 0, decision: 'reviewed' }).expect(403);
    const comms = bearer(await t.token('comms', 'HR'));
    await t.http.post(`${URL}/policy-1/hr/review`).set(comms).send({ revision: 0, decision: 'reviewed' }).expect(403);
    const noComment = await t.http.post(`${URL}/policy-1/hr/review`).set(hrCoordinator).send({ revision: 0, decision: 'returned' }).expect(400);
    expect(noComment.body.errors).toEqual([{ field: 'comment', message: expect.stringMatching(/^is required/) }]);
    await t.http.post(`${URL}/policy-1/hr/review`).set(hrCoordinator).send({ revision: 0, decision: 'approved' }).expect(400);
    await t.http.post(`${URL}/policy-1/en/review`).set(admin).send({ revision: 0, decision: 'reviewed' }).expect(409);
    expect(await snapshot(t)).toEqual(before);
  });

  it('marks a translation reviewed with name and date: its posts are flagged reviewed (revision kept) and may be submitted', async () => {
    const post = await hrPolicy1();
    const coverage = async () => (await t.http.get('/api/campaigns/natc-see-2021/coverage').set(admin).expect(200)).body.find((c: { locale: string }) => c.locale === 'hr').needsReview;
    const waiting = await coverage();
    const res = await t.http.post(`${URL}/policy-1/hr/review`).set(hrCoordinator).send({ revision: 0, decision: 'reviewed' }).expect(200);
    expect(res.body.message).toMatchObject({ review: 'reviewed', reviewedBy: 'Marko Horvat', reviewedAt: '2021-10-01T09:00:00.000Z', revision: 1, edited: false });
    expect(await get(post.id)).toMatchObject({ translationReview: 'reviewed', needsReview: false, revision: post.revision, status: 'draft' });
    expect(await coverage()).toBe(waiting - 1);
    await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200);
    const history = (await t.http.get(`${URL}/policy-1/hr/history`).set(hrCoordinator).expect(200)).body;
    expect(history).toEqual([expect.objectContaining({ action: 'reviewed', actor: 'Marko Horvat', revision: 1 })]);
  });

  it('binds the review to the text: an edit makes it need review again', async () => {
    const current = (await t.http.get(`${URL}/policy-1/hr`).set(admin).expect(200)).body;
    const res = await t.http.put(`${URL}/policy-1/hr`).set(admin).send({ revision: 1, text: `${current.translation.text} ` }).expect(200);
    expect(res.body.message).toMatchObject({ review: 'needs-review', revision: 2, reviewedBy: null });
    expect((await hrPolicy1()).translationReview).toBe('needs-review');
  });

  it('sends a translation back with a comment; a stale revision is refused (409)', async () => {
    await t.http.post(`${URL}/policy-1/hr/review`).set(hrCoordinator).send({ revision: 1, decision: 'reviewed' }).expect(409);
    const res = await t.http.post(`${URL}/policy-1/hr/review`).set(hrCoordinator).send({ revision: 2, decision: 'returned', comment: 'Drugi red: "presude", ne "presuda".' }).expect(200);
    expect(res.body.message).toMatchObject({ review: 'needs-review', reviewComment: 'Drugi red: "presude", ne "presuda".', revision: 3 });
  });
});
