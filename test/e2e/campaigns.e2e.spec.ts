import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, bearer, DatabaseKind, SHIPPED_CAMPAIGNS_DIR, startTestApp, TestApp } from '../support/test-app';
import { campaignOnShippedTemplates, shippedCampaign } from '../support/shipped-campaign';

const admin = bearer(ADMIN_TOKEN);
const LEAKABLE_TOKEN = 'bootstrap-token-in-the-environment-0123';

describe.each<DatabaseKind>(['sqlite', 'postgres'])('campaigns over HTTP on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // Set before the service starts, as an operator's environment would be.
    process.env.BOOTSTRAP_ADMIN_TOKEN = LEAKABLE_TOKEN;
    process.env.PUBLISHER_SECRET_E2E_HOOK = 'e2e-hook-secret';
    t = await startTestApp({ kind });
  });
  afterAll(async () => {
    await t.close();
    delete process.env.BOOTSTRAP_ADMIN_TOKEN;
    delete process.env.PUBLISHER_SECRET_E2E_HOOK;
  });

  const rowCounts = async () => {
    const [row] = await t.db.manager.query('select (select count(*) from campaigns) as campaigns, (select count(*) from posts) as posts, (select count(*) from post_events) as events');
    return { campaigns: Number(row.campaigns), posts: Number(row.posts), events: Number(row.events) };
  };

  it('imports the shipped campaign at start and plans every post as a draft', async () => {
    const list = await t.http.get('/api/campaigns').set(admin).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ slug: 'natc-see-2021', start: '2021-10-18', end: '2021-11-07' })]);
    const campaign = await t.http.get('/api/campaigns/natc-see-2021').set(admin).expect(200);
    expect(campaign.body.members).toHaveLength(12);
    expect(campaign.body.themes.map((th: { key: string }) => th.key)).toEqual(['policy', 'capacity-building', 'victim-assistance']);
    expect(campaign.body.counts).toEqual({ draft: 835 });
  });

  it('shows the designation footnote beside the member names, which name Kosovo* in full', async () => {
    const campaign = await t.http.get('/api/campaigns/natc-see-2021').set(admin).expect(200);
    expect(campaign.body.members.find((m: { code: string }) => m.code === 'XK').name.en).toBe('Kosovo*');
    expect(campaign.body.footnotes).toEqual([
      '*This designation is without prejudice to positions on status, and is in line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence.',
    ]);
    const si = await t.token('coordinator', 'SI');
    expect((await t.http.get('/api/campaigns/natc-see-2021').set(bearer(si)).expect(200)).body.footnotes).toHaveLength(1);
  });

  it('shows a coordinator the counts of their own member only', async () => {
    const si = await t.token('coordinator', 'SI');
    const res = await t.http.get('/api/campaigns/natc-see-2021').set(bearer(si)).expect(200);
    // SI: 15 weekdays × 2 slots + 6 weekend days − the 1 Nov blackout (2 slots) = 34 slots × 3 channels × 1 locale
    expect(res.body.counts).toEqual({ draft: 102 });
  });

  it('reports translation coverage per locale', async () => {
    const res = await t.http.get('/api/campaigns/natc-see-2021/coverage').set(admin).expect(200);
    expect(res.body).toContainEqual(expect.objectContaining({ locale: 'sl', messages: 21, translated: 21, needsReview: 21, missing: [] }));
    expect(res.body).toContainEqual(expect.objectContaining({ locale: 'en', needsReview: 0 }));
  });

  it('creates a campaign through the API and plans it (201), refusing the same slug again (409)', async () => {
    const body = campaignOnShippedTemplates(`api-${kind}`, ['SI']);
    const res = await t.http.post('/api/campaigns').set(admin).send(body).expect(201);
    expect(res.body.plan).toMatchObject({ created: 102, updated: 0, cancelled: 0, total: 102 });
    const before = await rowCounts();
    await t.http.post('/api/campaigns').set(admin).send(body).expect(409);
    expect(await rowCounts()).toEqual(before);
  });

  it('plans no instagram post while the messages have no images, and says so in the answer (201)', async () => {
    // Slovenia declares the facts the shipped templates use; Serbia has the instagram channel.
    const body = campaignOnShippedTemplates(`insta-${kind}`, ['RS', 'SI']);
    expect(body.members[0].channels.map((c: { network: string }) => c.network)).toEqual(['facebook', 'x', 'instagram']);
    const res = await t.http.post('/api/campaigns').set(admin).send(body).expect(201);
    expect(res.body.warnings).toEqual([
      { field: 'members[0].channels[2]', message: 'instagram needs an image; no post planned until the messages have images' },
    ]);
    // RS: 21 slots × 2 locales (sr-Cyrl, sr-Latn) × 2 channels (facebook, x) = 84; SI: 102
    expect(res.body.plan).toMatchObject({ created: 84 + 102, total: 84 + 102 });
    const networks = await t.db.manager.query(t.db.sql(
      'select distinct p.network from posts p join campaigns c on c.id = p.campaign_id where c.slug = ? order by p.network'), [`insta-${kind}`]);
    expect(networks.map((r: { network: string }) => r.network)).toEqual(['facebook', 'linkedin', 'x']);
    const plain = await t.http.post('/api/campaigns').set(admin).send(campaignOnShippedTemplates(`plain-${kind}`)).expect(201);
    expect(plain.body.warnings).toEqual([]);
    expect((await t.http.get(`/api/campaigns/plain-${kind}`).set(admin).expect(200)).body.footnotes).toEqual([]);
  });

  it.each([
    ['an unknown time zone', (c: any) => { c.members[0].timezone = 'Europe/Atlantis'; }, 'members[0].timezone', 'IANA'],
    ['an end before the start', (c: any) => { c.end = '2021-10-01'; }, 'end', 'before start'],
    ['a theme outside the campaign', (c: any) => { c.themes[2].end = '2021-11-30'; }, 'themes[2]', 'outside the campaign'],
    ['a member with no locale', (c: any) => { c.members[1].locales = []; }, 'members[1].locales', 'must not be empty'],
    ['an unknown field', (c: any) => { c.members[0].colour = 'red'; }, 'members[0].colour', 'unknown field'],
    ['an unknown network', (c: any) => { c.members[0].channels.push({ network: 'myspace' }); }, 'members[0].channels[2].network', 'one of'],
    ['a missing template', (c: any) => { c.themes[0].messages.push('policy-99'); }, 'templates', 'messages.policy-99: missing'],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_, breakIt, field, message) => {
    const body = campaignOnShippedTemplates(`bad-${kind}`);
    breakIt(body);
    const before = await rowCounts();
    const res = await t.http.post('/api/campaigns').set(admin).send(body).expect(400);
    expect(res.body.errors).toContainEqual({ field, message: expect.stringContaining(message) });
    expect(await rowCounts()).toEqual(before);
  });

  it('lists every error of a bad campaign at once', async () => {
    const body = campaignOnShippedTemplates(`bad2-${kind}`);
    body.members[0].timezone = 'Mars/Olympus';
    body.members[1].locales = ['xx-Nowhere-Land'];
    body.start = 'soon';
    const res = await t.http.post('/api/campaigns').set(admin).send(body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['start', 'members[0].timezone', 'members[1].locales[0]']));
  });

  it('refuses 1,500 overlapping themes fast with the first 100 errors and a count of the rest', async () => {
    const body = campaignOnShippedTemplates(`themes-${kind}`, ['SI']);
    body.themes = Array.from({ length: 1500 }, (_, n) => ({ key: `theme-${n}`, start: '2021-10-18', end: '2021-11-07', messages: ['policy-1'] }));
    const before = await rowCounts();
    const started = Date.now();
    const res = await t.http.post('/api/campaigns').set(admin).send(body).expect(400);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.text.length).toBeLessThan(20_000);
    expect(res.body.errors).toHaveLength(100);
    expect(res.body.errors[0]).toEqual({ field: 'themes[1]', message: 'theme-1 overlaps themes[0] (theme-0): a date belongs to one theme' });
    expect(res.body.more).toBe(1399);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a campaign asking for hundreds of millions of posts at once (400 naming MAX_POSTS_PER_CAMPAIGN), writing nothing', async () => {
    const body = campaignOnShippedTemplates(`huge-${kind}`, ['SI']);
    body.end = '9999-12-31';
    body.themes[2].end = '9999-12-31';
    body.slots = Array.from({ length: 48 }, (_, n) => ({ time: `${String(Math.floor(n / 2)).padStart(2, '0')}:${n % 2 ? '30' : '00'}` }));
    delete body.members[0].slots;
    expect(JSON.stringify(body).length).toBeLessThan(25_000);
    const before = await rowCounts();
    const started = Date.now();
    const res = await t.http.post('/api/campaigns').set(admin).send(body).expect(400);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.body.errors).toEqual([{ field: 'MAX_POSTS_PER_CAMPAIGN', message: expect.stringMatching(/would plan \d{9} posts .*MAX_POSTS_PER_CAMPAIGN allows 250000$/) }]);
    expect(await rowCounts()).toEqual(before);
  });

  it('lets only the secretariat create or re-plan campaigns', async () => {
    const comms = await t.token('comms', 'SI');
    const before = await rowCounts();
    await t.http.post('/api/campaigns').set(bearer(comms)).send(campaignOnShippedTemplates(`nope-${kind}`)).expect(403);
    await t.http.put('/api/campaigns/natc-see-2021').set(bearer(comms)).send(shippedCampaign()).expect(403);
    expect(await rowCounts()).toEqual(before);
  });

  describe('publisher secrets (only PUBLISHER_SECRET_* or SECRETS_FILE) and who sees publisher settings', () => {
    const withMastodon = (slug: string, tokenEnv: string, instance = 'http://127.0.0.1:9/attacker') => {
      const body = campaignOnShippedTemplates(slug, ['SI']);
      body.members[0].channels = [{ network: 'mastodon', publisher: { type: 'mastodon', instance, tokenEnv } }];
      return body;
    };

    it('refuses tokenEnv BOOTSTRAP_ADMIN_TOKEN with the same answer as an unset name, and writes nothing', async () => {
      const before = await rowCounts();
      const existing = await t.http.post('/api/campaigns').set(admin).send(withMastodon(`leak-${kind}`, 'BOOTSTRAP_ADMIN_TOKEN')).expect(400);
      const missing = await t.http.post('/api/campaigns').set(admin).send(withMastodon(`leak-${kind}`, 'NO_SUCH_VARIABLE_ANYWHERE')).expect(400);
      expect(existing.body.errors).toEqual([{ field: 'members[0].channels[0].publisher.tokenEnv', message: expect.stringContaining('PUBLISHER_SECRET_') }]);
      expect(JSON.stringify(existing.body).replaceAll('BOOTSTRAP_ADMIN_TOKEN', 'NAME')).toBe(JSON.stringify(missing.body).replaceAll('NO_SUCH_VARIABLE_ANYWHERE', 'NAME'));
      expect(JSON.stringify(existing.body)).not.toContain(LEAKABLE_TOKEN);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a webhook URL with user:password, naming the field, and writes nothing', async () => {
      const body = campaignOnShippedTemplates(`userinfo-${kind}`, ['SI']);
      body.members[0].channels = [{ network: 'x', publisher: { type: 'webhook', url: 'https://relay:hunter2@hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_E2E_HOOK' } }];
      const before = await rowCounts();
      const res = await t.http.post('/api/campaigns').set(admin).send(body).expect(400);
      expect(res.body.errors).toEqual([{ field: 'members[0].channels[0].publisher.url', message: expect.stringContaining('user name or password') }]);
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
      expect(await rowCounts()).toEqual(before);
    });

    describe('GET /api/campaigns/:slug', () => {
      const slug = `settings-${kind}`;
      beforeAll(async () => {
        const body = campaignOnShippedTemplates(slug, ['SI', 'HR']);
        body.members.find((m: any) => m.code === 'HR').facts = { year: 2020, offences: 12 };
        body.members.find((m: any) => m.code === 'SI').channels = [
          { network: 'x', publisher: { type: 'webhook', url: 'https://hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_E2E_HOOK' } }, { network: 'facebook' },
        ];
        await t.http.post('/api/campaigns').set(admin).send(body).expect(201);
      });
      const members = (res: { body: { members: any[] } }) => Object.fromEntries(res.body.members.map((m) => [m.code, m]));

      it('shows the secretariat every publisher setting and every member\'s facts', async () => {
        const res = await t.http.get(`/api/campaigns/${slug}`).set(admin).expect(200);
        expect(members(res).SI.channels[0].publisher).toEqual({ type: 'webhook', url: 'https://hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_E2E_HOOK' });
        expect(members(res).SI.facts).toMatchObject({ offences: 29 });
        expect(members(res).HR.facts).toMatchObject({ offences: 12 });
      });

      it.each([['coordinator', 'SI', 'HR'], ['comms', 'SI', 'HR'], ['coordinator', 'HR', 'SI'], ['comms', 'HR', 'SI']] as const)(
        'shows a %s of %s publisher types only and no facts of %s',
        async (role, own, other) => {
          const token = await t.token(role, own, `${role} ${own} settings`);
          const res = await t.http.get(`/api/campaigns/${slug}`).set(bearer(token)).expect(200);
          expect(JSON.stringify(res.body)).not.toMatch(/secretEnv|PUBLISHER_SECRET|hooks\.example\.org/);
          expect(members(res).SI.channels).toEqual([{ network: 'x', publisher: { type: 'webhook' } }, { network: 'facebook' }]);
          expect(members(res)[own].facts).toBeDefined();
          expect(members(res)[other]).not.toHaveProperty('facts');
          expect(members(res)[other].timezone).toBeDefined();
        },
      );

      it('lists campaigns to any role without their members or settings', async () => {
        const token = await t.token('comms', 'SI', 'comms SI list');
        const res = await t.http.get('/api/campaigns').set(bearer(token)).expect(200);
        expect(JSON.stringify(res.body)).not.toMatch(/secretEnv|PUBLISHER_SECRET|facts|members/);
      });
    });
  });

  describe('re-planning (PUT)', () => {
    const slug = `replan-${kind}`;
    const posts = async () => (await t.db.manager.query(t.db.sql(
      'select p.id, p.member, p.network, p.slot_date, p.slot_ordinal, p.scheduled_at, p.status, p.revision, p.updated_at from posts p join campaigns c on c.id = p.campaign_id where c.slug = ? order by p.id'), [slug])) as any[];

    beforeAll(async () => {
      await t.http.post('/api/campaigns').set(admin).send(campaignOnShippedTemplates(slug)).expect(201);
    });

    it('writes no row when nothing changed', async () => {
      const before = { rows: await posts(), counts: await rowCounts() };
      const res = await t.http.put(`/api/campaigns/${slug}`).set(admin).send(campaignOnShippedTemplates(slug)).expect(200);
      expect(res.body.plan).toMatchObject({ created: 0, updated: 0, cancelled: 0, unchanged: before.rows.length });
      expect(await posts()).toEqual(before.rows);
      expect(await rowCounts()).toEqual(before.counts);
    });

    it('writes no row either when forced through the full comparison', async () => {
      const before = { rows: await posts(), counts: await rowCounts() };
      const { CampaignsService } = await import('../../src/campaigns/campaigns.service');
      const result = await t.app.get(CampaignsService).replan(slug, campaignOnShippedTemplates(slug), { name: 'test', id: null }, { force: true });
      expect(result.plan).toMatchObject({ created: 0, updated: 0, cancelled: 0, unchanged: before.rows.length, skipped: false });
      expect(await posts()).toEqual(before.rows);
      expect(await rowCounts()).toEqual(before.counts);
    });

    it('moves a changed slot time in place: same ids, new instant, next revision, back to draft', async () => {
      const before = await posts();
      const body = campaignOnShippedTemplates(slug);
      body.members.find((m: any) => m.code === 'HR').slots = [{ time: '11:30' }];
      const res = await t.http.put(`/api/campaigns/${slug}`).set(admin).send(body).expect(200);
      const after = await posts();
      const hrBefore = before.filter((p) => p.member === 'HR');
      expect(res.body.plan).toMatchObject({ created: 0, cancelled: 0, updated: hrBefore.length });
      expect(after.map((p) => p.id)).toEqual(before.map((p) => p.id));
      const hr = after.filter((p) => p.member === 'HR');
      expect(hr.find((p) => p.slot_date === '2021-10-29').scheduled_at).toBe('2021-10-29T09:30:00.000Z');
      expect(hr.find((p) => p.slot_date === '2021-11-02').scheduled_at).toBe('2021-11-02T10:30:00.000Z');
      expect(hr.every((p) => p.revision === 2 && p.status === 'draft')).toBe(true);
      expect(after.filter((p) => p.member === 'SI')).toEqual(before.filter((p) => p.member === 'SI'));
    });

    it('cancels (never deletes) posts whose slot is gone, and never duplicates', async () => {
      const body = campaignOnShippedTemplates(slug);
      body.members.find((m: any) => m.code === 'HR').slots = [{ time: '11:30' }];
      body.members.find((m: any) => m.code === 'HR').channels = [{ network: 'facebook' }];
      const before = await posts();
      const res = await t.http.put(`/api/campaigns/${slug}`).set(admin).send(body).expect(200);
      const after = await posts();
      expect(after).toHaveLength(before.length);
      const xPosts = after.filter((p) => p.member === 'HR' && p.network === 'x');
      expect(res.body.plan.cancelled).toBe(xPosts.length);
      expect(xPosts.every((p) => p.status === 'cancelled')).toBe(true);
      const keys = after.map((p) => `${p.member}|${p.network}|${p.slot_date}|${p.slot_ordinal}`);
      expect(new Set(keys).size).toBe(keys.length);
      const history = await t.http.get(`/api/posts/${xPosts[0].id}/history`).set(admin).expect(200);
      expect(history.body.map((h: any) => h.action)).toEqual(['planned', 'replanned', 'cancelled']);
    });

    it('refuses a body whose slug differs from the URL', async () => {
      const res = await t.http.put(`/api/campaigns/${slug}`).set(admin).send(campaignOnShippedTemplates('other')).expect(400);
      expect(res.body.errors[0].field).toBe('slug');
    });
  });
});

describe.each<DatabaseKind>(['sqlite', 'postgres'])('the shipped campaigns folder on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ kind, campaignsDir: SHIPPED_CAMPAIGNS_DIR });
  });
  afterAll(() => t.close());

  it('imports 2021 and its 2027 replay at start, a campaign still ahead planned from the 2021 templates', async () => {
    const list = await t.http.get('/api/campaigns').set(admin).expect(200);
    expect(list.body.map((c: { slug: string; start: string; end: string }) => [c.slug, c.start, c.end]).sort()).toEqual([
      ['natc-see-2021', '2021-10-18', '2021-11-07'],
      ['natc-see-2027', '2027-10-18', '2027-11-07'],
    ]);
    const later = (await t.http.get('/api/campaigns/natc-see-2027').set(admin).expect(200)).body;
    expect([later.templates, later.members.length, later.counts.draft]).toEqual(['natc-see-2021', 12, 835]);
    // Slovenia's X posts either side of the end of summer time (Sunday 31 October 2027).
    const posts = (await t.http.get('/api/campaigns/natc-see-2027/posts?member=SI&network=x&from=2027-10-29T00:00:00Z&to=2027-11-03T00:00:00Z&limit=20').set(admin).expect(200)).body.items;
    expect(posts.map((p: { localTime: string; scheduledAt: string }) => `${p.localTime} ${p.scheduledAt}`)).toEqual([
      '2027-10-29T09:00:00+02:00 2027-10-29T07:00:00.000Z',
      '2027-10-29T16:30:00+02:00 2027-10-29T14:30:00.000Z',
      '2027-10-30T11:00:00+02:00 2027-10-30T09:00:00.000Z',
      '2027-10-31T11:00:00+01:00 2027-10-31T10:00:00.000Z',
      '2027-11-02T09:00:00+01:00 2027-11-02T08:00:00.000Z',
      '2027-11-02T16:30:00+01:00 2027-11-02T15:30:00.000Z',
    ]);
  });
});

describe('MAX_POSTS_PER_CAMPAIGN set low (35)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No shipped campaign (877 posts) at start: it is over this limit.
    t = await startTestApp({ campaignsDir: join(tmpdir(), 'no-campaigns-here'), config: { maxPostsPerCampaign: 35 } });
  });
  afterAll(() => t.close());

  const postCount = async () => Number((await t.db.manager.query('select count(*) as n from posts'))[0].n);
  /** Slovenia on one channel: 34 slots (15 weekdays × 2 + 6 weekend days − the 1 Nov blackout's 2) → 34 posts. */
  const slovenia = (slug: string, blackout = ['2021-11-01']) => {
    const body = campaignOnShippedTemplates(slug, ['SI']);
    Object.assign(body.members[0], { channels: [{ network: 'x' }], blackout });
    return body;
  };

  it('plans a campaign just under the limit (34 posts)', async () => {
    const res = await t.http.post('/api/campaigns').set(admin).send(slovenia('under')).expect(201);
    expect(res.body.plan).toMatchObject({ created: 34, total: 34 });
  });

  it('refuses one just over it (36 posts without the blackout), naming the limit and the count', async () => {
    const before = await postCount();
    const res = await t.http.post('/api/campaigns').set(admin).send(slovenia('over', [])).expect(400);
    expect(res.body.errors).toEqual([{ field: 'MAX_POSTS_PER_CAMPAIGN', message: expect.stringContaining('would plan 36 posts') }]);
    expect(res.body.errors[0].message).toContain('MAX_POSTS_PER_CAMPAIGN allows 35');
    expect(await postCount()).toBe(before);
    await t.http.get('/api/campaigns/over').set(admin).expect(404);
  });

  it('refuses a re-plan (PUT) that would go over it, changing nothing', async () => {
    const before = await t.db.manager.query('select * from posts order by id');
    const res = await t.http.put('/api/campaigns/under').set(admin).send(slovenia('under', [])).expect(400);
    expect(res.body.errors[0].field).toBe('MAX_POSTS_PER_CAMPAIGN');
    expect(await t.db.manager.query('select * from posts order by id')).toEqual(before);
  });
});
