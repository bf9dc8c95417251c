import { SESSION_COOKIE } from '../../src/common/token-attempts';
import { hashToken } from '../../src/users/token';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
const CAMPAIGN = 'natc-see-2021';

/** Public read-only report links: made and revoked by the secretariat, opening one campaign's report page and nothing else. */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('public report links on %s', (kind) => {
  let t: TestApp;
  let coordinator: string;
  let link: { id: number; token: string; url: string; campaign: string; createdAt: string };
  let draftText: string;

  beforeAll(async () => {
    t = await startTestApp({ kind });
    const comms = await t.token('comms', 'HR', 'Iva Kovač');
    coordinator = await t.token('coordinator', 'HR', 'Marko Horvat');
    const [approved, draft] = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=HR&limit=2`).set(admin).expect(200)).body.items;
    const submitted = (await t.http.post(`/api/posts/${approved.id}/submit`).set(bearer(comms)).send({ revision: approved.revision }).expect(200)).body;
    await t.http.post(`/api/posts/${approved.id}/approve`).set(bearer(coordinator)).send({ revision: submitted.revision }).expect(200);
    draftText = draft.text;
  });
  afterAll(async () => {
    await t?.close();
  });

  const open = (token: string) => t.http.get(`/shared-report/${token}`);

  it('is made by the secretariat only; the token is shown once and only its hash is stored', async () => {
    await t.http.post(`/api/campaigns/${CAMPAIGN}/report-links`).set(bearer(coordinator)).expect(403);
    await t.http.post('/api/campaigns/nope/report-links').set(admin).expect(404);
    link = (await t.http.post(`/api/campaigns/${CAMPAIGN}/report-links`).set(admin).expect(201)).body;
    expect(link).toMatchObject({ campaign: CAMPAIGN, token: expect.stringMatching(/^rep_[A-Za-z0-9_-]{43}$/) });
    expect(link.url).toBe(`http://scheduler.test/shared-report/${link.token}`);
    const stored = await t.db.manager.query('select token_hash from report_links');
    expect(stored).toEqual([{ token_hash: hashToken(link.token) }]);
    const listed = (await t.http.get(`/api/campaigns/${CAMPAIGN}/report-links`).set(admin).expect(200)).body;
    expect(listed).toEqual([{ id: link.id, campaign: CAMPAIGN, createdAt: link.createdAt }]);
    await t.http.get(`/api/campaigns/${CAMPAIGN}/report-links`).set(bearer(coordinator)).expect(403);
  });

  it("opens the campaign's report page without signing in: every member's figures, no post text, no approver's name, no menu", async () => {
    const page = await open(link.token).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.text).toContain('EU Anti-Trafficking Day 2021 — report');
    expect(page.text).toContain('A read-only report shared by the NATC SEE secretariat');
    expect((page.text.match(/class="card report-member"/g) ?? []).length).toBe(12);
    expect(page.text).not.toContain(draftText.slice(0, 40));
    expect(page.text).not.toContain('Marko Horvat');
    expect(page.text).not.toContain('href="/approvals"');
    expect(page.text).not.toContain('report.csv');
    const macedonian = await t.http.get(`/shared-report/${link.token}?lang=mk`).expect(200);
    expect(macedonian.text).toContain('— извештај');
  });

  it('opens nothing else: not the API, not the signed-in pages, not the downloads, not another path', async () => {
    await t.http.get(`/api/campaigns/${CAMPAIGN}/report`).set(bearer(link.token)).expect(401);
    await t.http.get(`/api/campaigns/${CAMPAIGN}/calendar.csv?token=${link.token}`).expect(401);
    const signedIn = await t.http.get(`/campaigns/${CAMPAIGN}/report`).set('Cookie', `${SESSION_COOKIE}=${link.token}`);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toMatch(/^\/login/);
    await t.http.get(`/campaigns/${CAMPAIGN}/report.csv?token=${link.token}`).expect(303);
    await open(`${link.token}.pdf`).expect(404);
    await open('rep_not-a-token').expect(404);
  });

  it('stops working once revoked (404, as a wrong token), by the secretariat only', async () => {
    await t.http.delete(`/api/report-links/${link.id}`).set(bearer(coordinator)).expect(403);
    await open(link.token).expect(200);
    await t.http.delete(`/api/report-links/${link.id}`).set(admin).expect(204);
    const gone = await open(link.token).expect(404);
    expect(gone.text).not.toContain('report-member');
    await t.http.delete(`/api/report-links/${link.id}`).set(admin).expect(404);
    expect((await t.http.get(`/api/campaigns/${CAMPAIGN}/report-links`).set(admin).expect(200)).body).toEqual([]);
  });
});
