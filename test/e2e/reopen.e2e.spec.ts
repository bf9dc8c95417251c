import { DeadlinesService } from '../../src/approvals/deadlines.service';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { startReceiver } from '../support/webhook-receiver';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; status: string; scheduledAt: string; localTime: string; approvals: unknown[]; [k: string]: any };

describe.each<DatabaseKind>(['sqlite', 'postgres'])('reopening a missed or failed post on %s', (kind) => {
  let t: TestApp;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let hrComms: string;
  let hrCoordinator: string;
  let siComms: string;
  const slug = `reopen-${kind}`;

  beforeAll(async () => {
    process.env.PUBLISHER_SECRET_REOPEN_HOOK = 'hook-secret-for-reopen-tests';
    hook = await startReceiver(() => ({ status: 422, body: { error: 'text rejected' } }));
    t = await startTestApp({ kind, campaignsDir: '/nonexistent' });
    const campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
    const hr = campaign.members.find((m: any) => m.code === 'HR');
    hr.channels = [{ network: 'x', publisher: { type: 'webhook', url: `${hook.url}/x`, secretEnv: 'PUBLISHER_SECRET_REOPEN_HOOK' } }, { network: 'facebook' }];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
    const user = async (body: object) => (await t.http.post('/api/users').set(admin).send(body).expect(201)).body.token as string;
    hrComms = await user({ name: 'Iva', role: 'comms', member: 'HR' });
    hrCoordinator = await user({ name: 'Marko', role: 'coordinator', member: 'HR' });
    siComms = await user({ name: 'Ana', role: 'comms', member: 'SI' });
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  const list = async (query: string): Promise<Post[]> => (await t.http.get(`/api/campaigns/${slug}/posts?${query}&limit=1000`).set(admin).expect(200)).body.items;
  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const reopen = (id: number, token: string, body: object) => t.http.post(`/api/posts/${id}/reopen`).set(bearer(token)).send(body);
  const events = async (id: number) => (await t.http.get(`/api/posts/${id}/history`).set(admin).expect(200)).body as { action: string; actor: string; comment: string | null; fromStatus: string; toStatus: string }[];

  it('brings a missed post back to draft at a new local time ahead, and says who and why in its history', async () => {
    const [draft] = await list('member=HR&network=facebook&from=2021-10-18T00:00:00Z&to=2021-10-19T00:00:00Z');
    t.clock.set(new Date('2021-10-18T12:00:00Z'));
    await t.app.get(DeadlinesService).markMissed(t.clock.now());
    const missed = await get(draft.id);
    expect(missed.status).toBe('missed');

    const res = await reopen(missed.id, hrComms, { revision: missed.revision, localTime: '2021-10-19T16:30', comment: 'the coordinator was away' }).expect(200);
    expect(res.body).toMatchObject({
      id: missed.id, status: 'draft', revision: missed.revision + 1, approvals: [],
      localTime: '2021-10-19T16:30:00+02:00', scheduledAt: expect.stringMatching(/^2021-10-19T14:30:00(\.000)?Z$/),
    });
    const last = (await events(missed.id)).at(-1)!;
    expect(last).toMatchObject({ action: 'reopened', actor: 'Iva', comment: 'the coordinator was away', fromStatus: 'missed', toStatus: 'draft' });

    // The reopened post walks the approval chain again like any draft.
    const submitted = (await t.http.post(`/api/posts/${missed.id}/submit`).set(bearer(hrComms)).send({ revision: res.body.revision }).expect(200)).body;
    expect(submitted.status).toBe('in_review');
  });

  it('brings a failed post back to draft with its approvals gone, so it needs a new approval before it is sent again', async () => {
    t.clock.set(new Date('2021-10-19T06:00:00Z'));
    const [draft] = await list('member=HR&network=x&from=2021-10-20T00:00:00Z&to=2021-10-21T00:00:00Z');
    const submitted = (await t.http.post(`/api/posts/${draft.id}/submit`).set(admin).send({ revision: draft.revision }).expect(200)).body;
    const approved = (await t.http.post(`/api/posts/${draft.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
    t.clock.set(new Date(Date.parse(approved.scheduledAt) + 1000));
    expect(await t.app.get(Dispatcher).tick()).toMatchObject({ failed: 1 });
    const failed = await get(draft.id);
    expect(failed).toMatchObject({ status: 'failed', approvals: [expect.anything()] });

    const res = await reopen(failed.id, admin.Authorization.slice(7), { revision: failed.revision, localTime: '2021-10-21T09:15' }).expect(200);
    expect(res.body).toMatchObject({ status: 'draft', approvals: [], localTime: '2021-10-21T09:15:00+02:00' });
    expect((await events(failed.id)).at(-1)).toMatchObject({ action: 'reopened', comment: null, fromStatus: 'failed', toStatus: 'draft' });
    const sends = hook.deliveries.length;
    t.clock.set(new Date('2021-10-21T07:15:30Z'));
    expect(await t.app.get(Dispatcher).tick()).toMatchObject({ claimed: 0 });
    expect(hook.deliveries.length).toBe(sends); // a draft is never sent
  });

  it('refuses what is not its to reopen, a time that has passed and a stale revision, changing nothing', async () => {
    t.clock.set(new Date('2021-10-22T12:00:00Z'));
    await t.app.get(DeadlinesService).markMissed(t.clock.now());
    const [missed] = await list('member=HR&network=facebook&status=missed&from=2021-10-22T00:00:00Z');
    const [siMissed] = await list('member=SI&status=missed');
    const [draft] = await list('member=HR&status=draft');
    const ahead = { revision: missed.revision, localTime: '2021-10-25T10:00' };

    await reopen(missed.id, hrCoordinator, ahead).expect(403);
    await reopen(missed.id, siComms, ahead).expect(403);
    await reopen(siMissed.id, hrComms, { ...ahead, revision: siMissed.revision }).expect(403);
    expect((await reopen(draft.id, hrComms, { ...ahead, revision: draft.revision }).expect(409)).body.message).toContain('missed or failed');
    expect((await reopen(missed.id, hrComms, { ...ahead, revision: missed.revision - 1 }).expect(409)).body.message).toContain('stale');
    const past = await reopen(missed.id, hrComms, { revision: missed.revision, localTime: '2021-10-22T13:59' }).expect(400);
    expect(past.body.errors).toEqual([{ field: 'localTime', message: expect.stringContaining('has passed') }]);
    for (const localTime of ['2021-10-25', 'tomorrow', '2021-10-25T10:00+02:00', '2021-02-31T10:00']) {
      const bad = await reopen(missed.id, hrComms, { revision: missed.revision, localTime }).expect(400);
      expect(bad.body.errors[0].field).toBe('localTime');
    }
    await reopen(missed.id, hrComms, { revision: missed.revision }).expect(400);
    expect(await get(missed.id)).toMatchObject({ status: 'missed', revision: missed.revision });
    expect((await events(missed.id)).map((e) => e.action)).not.toContain('reopened');
  });

  describe('on the post page', () => {
    const signIn = async (token: string) => {
      const res = await t.http.post('/login').type('form').send({ token, next: '/approvals' }).expect(303);
      const cookie = String(res.headers['set-cookie']).split(';')[0];
      const page = await t.http.get('/approvals').set('Cookie', cookie).expect(200);
      return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
    };

    it('offers reopen to comms on a missed post, in their language, and reopens it from the form', async () => {
      t.clock.set(new Date('2021-10-23T12:00:00Z'));
      await t.app.get(DeadlinesService).markMissed(t.clock.now());
      const [missed] = await list('member=HR&network=facebook&status=missed&from=2021-10-23T00:00:00Z');
      const browser = await signIn(hrComms);
      const page = await t.http.get(`/posts/${missed.id}`).set('Cookie', browser.cookie).set('Accept-Language', 'hr').expect(200);
      expect(page.text).toContain(`action="/posts/${missed.id}/reopen"`);
      expect(page.text).toContain('Ponovno otvori kao nacrt');
      const coordinatorPage = await t.http.get(`/posts/${missed.id}`).set('Cookie', (await signIn(hrCoordinator)).cookie).expect(200);
      expect(coordinatorPage.text).not.toContain('/reopen"');

      const form = new URLSearchParams({ _csrf: browser.csrf, revision: String(missed.revision), localTime: '2021-10-26T09:30', comment: '' }).toString();
      await t.http.post(`/posts/${missed.id}/reopen`).set('Cookie', browser.cookie).type('form').send(form).expect(303);
      expect(await get(missed.id)).toMatchObject({ status: 'draft', localTime: '2021-10-26T09:30:00+02:00', revision: missed.revision + 1 });
      expect((await events(missed.id)).at(-1)).toMatchObject({ action: 'reopened', actor: 'Iva', comment: null });

      const again = new URLSearchParams({ _csrf: browser.csrf, revision: String(missed.revision + 1), localTime: '2021-10-20T09:30' }).toString();
      await t.http.post(`/posts/${missed.id}/reopen`).set('Cookie', browser.cookie).type('form').send(again).expect(409);
      expect((await get(missed.id)).revision).toBe(missed.revision + 1);
    });
  });
});

