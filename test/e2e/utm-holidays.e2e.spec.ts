import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localeFileYaml } from '../factories/templates';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, DatabaseKind, ROOT, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; network: string; message: string; localTime: string; text: string; length: number; limit: number; status: string; revision: number; approvals: unknown[] };

const LINK_TEXT = 'Više: https://icmpd.org/natc?lang=hr#natc {{hashtags}}';
const UTM = { source: { x: 'twitter', facebook: 'facebook' }, medium: 'social', campaign: 'natc-see-2027', content: '{member}-{locale}' };

/** The shipped templates, and `links-e2e/` whose message `with-link` carries a link and `plain` none. */
function templatesRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'templates-utm-'));
  cpSync(join(ROOT, 'templates'), root, { recursive: true });
  const messages = { 'with-link': { text: LINK_TEXT }, plain: { text: 'Bez poveznice. {{hashtags}}' } };
  mkdirSync(join(root, 'links-e2e'));
  for (const locale of ['en', 'hr']) {
    writeFileSync(join(root, 'links-e2e', `${locale}.yaml`), localeFileYaml({ locale, themes: { policy: 'Policy' }, messages }));
  }
  return root;
}

/** Croatia, 18–21 Oct 2027 at 10:00: with-link, plain, with-link, plain; on X and Facebook. */
function linkCampaign(slug: string, utm: unknown = UTM): Record<string, unknown> {
  return {
    slug, name: 'Links', start: '2027-10-18', end: '2027-10-21', defaultLocale: 'en', hashtags: ['EndImpunity'], templates: 'links-e2e',
    slots: [{ time: '10:00' }],
    themes: [{ key: 'policy', start: '2027-10-18', end: '2027-10-21', messages: ['with-link', 'plain'] }],
    members: [{ code: 'HR', name: { en: 'Croatia' }, timezone: 'Europe/Zagreb', locales: ['hr'], channels: [{ network: 'x' }, { network: 'facebook' }] }],
    utm,
  };
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('utm link tags and holiday blackouts over HTTP on %s', (kind) => {
  let t: TestApp;
  let templates: string;
  beforeAll(async () => {
    templates = templatesRoot();
    t = await startTestApp({ kind, templatesDir: templates });
  });
  afterAll(async () => {
    await t.close();
    rmSync(templates, { recursive: true, force: true });
  });

  const written = async () => {
    const count = async (table: string) => Number((await t.db.manager.query(`select count(*) as n from ${table}`))[0].n);
    return { campaigns: await count('campaigns'), posts: await count('posts'), events: await count('post_events') };
  };
  const posts = async (slug: string, query = ''): Promise<Post[]> =>
    (await t.http.get(`/api/campaigns/${slug}/posts?limit=1000&${query}`).set(admin).expect(200)).body.items;

  describe('utm', () => {
    it('tags every link of a planned post (201): the query and fragment kept, X counting the link as 23', async () => {
      await t.http.post('/api/campaigns').set(admin).send(linkCampaign(`links-${kind}`)).expect(201);
      const [x] = (await posts(`links-${kind}`, 'network=x')).filter((p) => p.message === 'with-link');
      expect(x.text).toBe('Više: https://icmpd.org/natc?lang=hr&utm_source=twitter&utm_medium=social&utm_campaign=natc-see-2027&utm_content=HR-hr#natc #EndImpunity');
      expect([x.length, x.limit]).toEqual(['Više: '.length + 23 + ' #EndImpunity'.length, 280]);
      const [facebook] = (await posts(`links-${kind}`, 'network=facebook')).filter((p) => p.message === 'with-link');
      expect(facebook.text).toContain('?lang=hr&utm_source=facebook&utm_medium=social&');
      expect(facebook.length).toBe(facebook.text.length);
      const plain = (await posts(`links-${kind}`)).filter((p) => p.message === 'plain');
      expect(plain.map((p) => p.text)).toEqual(Array(4).fill('Bez poveznice. #EndImpunity'));
    });

    it('re-plans a changed utm (PUT): posts with links get the new tags and lose their approvals; the others keep theirs', async () => {
      const slug = `relink-${kind}`;
      await t.http.post('/api/campaigns').set(admin).send(linkCampaign(slug)).expect(201);
      const approve = async (post: Post) => {
        const submitted = await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200);
        await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.body.revision }).expect(200);
      };
      const before = await posts(slug, 'network=x');
      const withLink = before.find((p) => p.message === 'with-link')!;
      const plain = before.find((p) => p.message === 'plain')!;
      await approve(withLink);
      await approve(plain);

      const res = await t.http.put(`/api/campaigns/${slug}`).set(admin).send(linkCampaign(slug, { ...UTM, campaign: 'natc-see-2027-week1' })).expect(200);
      expect(res.body.plan).toMatchObject({ created: 0, updated: 4, unchanged: 4, cancelled: 0, approvalsKept: 1, approvalsReset: 1 });
      const after = await posts(slug, 'network=x');
      const relinked = after.find((p) => p.id === withLink.id)!;
      expect(relinked).toMatchObject({ status: 'draft', approvals: [] });
      expect(relinked.text).toContain('&utm_campaign=natc-see-2027-week1&');
      expect(after.find((p) => p.id === plain.id)).toMatchObject({ status: 'approved', text: plain.text, approvals: [expect.objectContaining({ step: 1 })] });
    });

    it('refuses a utm with an unknown key or network (400 naming the field), writing nothing', async () => {
      const before = await written();
      const res = await t.http.post('/api/campaigns').set(admin).send(linkCampaign(`badlinks-${kind}`, { ...UTM, source: { twitter: 'x' }, term: 'a' })).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([
        { field: 'utm.source.twitter', message: 'is not a network (expected one of x, facebook, instagram, linkedin, mastodon, bluesky)' },
        { field: 'utm.term', message: 'unknown field (expected one of: source, medium, campaign, content)' },
      ]));
      expect(await written()).toEqual(before);
    });
  });

  describe('blackout: [holidays]', () => {
    /** Slovenia, Croatia and the regional account on the shipped 2021 texts, the holidays at the top level. */
    const holidayCampaign = (slug: string) => {
      const body = campaignOnShippedTemplates(slug, ['SI', 'HR', 'SEE']);
      body.members = body.members.map(({ blackout: _dates, ...member }: Record<string, unknown>) => member);
      return { ...body, blackout: ['holidays'] };
    };
    /** In the members' order in the file (HR before SI), then by date. */
    const HOLIDAYS_2021 = [
      { member: 'HR', date: '2021-11-01', name: "All Saints' Day", localName: 'Svi sveti' },
      { member: 'SI', date: '2021-10-31', name: 'Reformation Day', localName: 'dan reformacije' },
      { member: 'SI', date: '2021-11-01', name: 'Day of Remembrance for the Dead', localName: 'dan spomina na mrtve' },
    ];

    it('blacks out each member’s public holidays (201), lists them by name, and plans no post on them', async () => {
      const slug = `holidays-${kind}`;
      const res = await t.http.post('/api/campaigns').set(admin).send(holidayCampaign(slug)).expect(201);
      expect(res.body.holidays).toEqual(HOLIDAYS_2021);
      expect(res.body.plan.created).toBe(res.body.plan.total);
      const days = (list: Post[]) => new Set(list.map((p) => p.localTime.slice(0, 10)));
      const si = days(await posts(slug, 'member=SI'));
      expect([si.has('2021-10-31'), si.has('2021-11-01'), si.has('2021-11-02')]).toEqual([false, false, true]);
      const hr = days(await posts(slug, 'member=HR'));
      expect([hr.has('2021-10-31'), hr.has('2021-11-01')]).toEqual([true, false]);
      // The regional account has no national calendar: the top-level keyword passes it by.
      expect(days(await posts(slug, 'member=SEE')).has('2021-11-01')).toBe(true);
      // SI: 34 slots with the 1 Nov blackout (campaigns.e2e), less Sunday 31 Oct's one, × 3 channels
      expect((await posts(slug, 'member=SI')).length).toBe(33 * 3);

      const campaign = await t.http.get(`/api/campaigns/${slug}`).set(admin).expect(200);
      expect(campaign.body.blackout).toEqual(['holidays']);
      expect(campaign.body.holidays).toEqual(HOLIDAYS_2021);
    });

    it('keeps the keyword in a new edition and looks the holidays up for the new year', async () => {
      const res = await t.http.post(`/api/campaigns/holidays-${kind}/editions`).set(admin).send({ slug: `holidays-${kind}-2028`, start: '2028-10-16' }).expect(201);
      expect(res.body.holidays.map((h: { member: string; date: string }) => `${h.member} ${h.date}`)).toEqual(['HR 2028-11-01', 'SI 2028-10-31', 'SI 2028-11-01']);
      const edition = await t.http.get(`/api/campaigns/holidays-${kind}-2028`).set(admin).expect(200);
      expect(edition.body.blackout).toEqual(['holidays']);
    });

    it('refuses holidays for a member without a national calendar (400 naming the field), writing nothing', async () => {
      const before = await written();
      const body = campaignOnShippedTemplates(`noholidays-${kind}`, ['SEE']);
      body.members[0].blackout = ['holidays'];
      const res = await t.http.post('/api/campaigns').set(admin).send(body).expect(400);
      expect(res.body.errors).toEqual([{ field: 'members[0].blackout[0]', message: 'date-holidays has no public holidays for "SEE": list the dates instead' }]);
      expect(await written()).toEqual(before);
    });
  });
});
