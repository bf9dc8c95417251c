import { DeadlinesService } from '../../src/approvals/deadlines.service';
import { ApprovalJobs } from '../../src/approvals/approval-jobs';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { startSmtpSink } from '../support/smtp-sink';

const admin = bearer(ADMIN_TOKEN);
const POSTS = '/api/campaigns/natc-see-2021/posts';
type Post = { id: number; revision: number; status: string; scheduledAt: string; member: string };

describe.each<DatabaseKind>(['sqlite', 'postgres'])('deadlines and reminders on %s', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let token: (who: string) => string;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ kind, config: { smtpUrl: smtp.url } });
    const made: Record<string, string> = {};
    const user = async (key: string, body: object) => {
      made[key] = (await t.http.post('/api/users').set(admin).send(body).expect(201)).body.token;
    };
    await user('mkComms', { name: 'Elena', role: 'comms', member: 'MK' });
    await user('mkCoordinator', { name: 'Bojan', role: 'coordinator', member: 'MK', email: 'bojan@mk.test' });
    await user('mkCoordinator2', { name: 'Vesna', role: 'coordinator', member: 'MK', email: 'vesna@mk.test' });
    await user('mkNoMail', { name: 'Goran', role: 'coordinator', member: 'MK' });
    await user('alCoordinator', { name: 'Arta', role: 'coordinator', member: 'AL', email: 'arta@al.test' });
    await user('secretariat', { name: 'Secretariat', role: 'secretariat', email: 'natc@icmpd.test' });
    token = (who) => made[who];
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const list = async (query: string): Promise<Post[]> => (await t.http.get(`${POSTS}?${query}&limit=1000`).set(admin).expect(200)).body.items;
  const submit = async (p: Post) => (await t.http.post(`/api/posts/${p.id}/submit`).set(bearer(token('mkComms'))).send({ revision: p.revision }).expect(200)).body as Post;
  const deadlines = () => t.app.get(DeadlinesService);

  it('mails each approver one digest a day listing every post past its deadline, and nobody else', async () => {
    // MK posts of 19 and 20 October in review; at 2021-10-18T09:00Z only those before 19 Oct 09:00Z are within 24 h.
    const posts = (await list('member=MK&from=2021-10-19T00:00:00Z&to=2021-10-21T00:00:00Z')).slice(0, 8);
    await Promise.all(posts.map(submit));
    const now = new Date('2021-10-18T09:00:00Z');
    const due = posts.filter((p) => Date.parse(p.scheduledAt) <= now.getTime() + 24 * 3600_000);
    expect(due.length).toBeGreaterThan(0);
    expect(due.length).toBeLessThan(posts.length);
    const sent = await deadlines().sendReminders(now);
    expect(sent.sort()).toEqual(['bojan@mk.test', 'vesna@mk.test']);
    expect(smtp.mails).toHaveLength(2);
    const mail = smtp.mails.find((m) => m.to.includes('bojan@mk.test'))!;
    expect(mail.subject).toBe(`[NATC SEE] ${due.length} posts await your approval`);
    // Links open the web pages (approvers use the web, not the API); the queue link ends the mail.
    for (const p of due) expect(mail.text).toContain(`http://scheduler.test/posts/${p.id}\n`);
    for (const p of posts.filter((x) => !due.includes(x))) expect(mail.text).not.toContain(`/posts/${p.id}\n`);
    expect(mail.text).toContain('http://scheduler.test/approvals\n');
    expect(mail.text).not.toContain('/api/');
    expect(mail.text).toContain('2021-10-19T10:00:00+02:00 (Europe/Skopje) · MK · facebook · mk');
    expect(mail.text).toMatch(/[а-яѓќѕџљњ]/); // the Macedonian text, intact
  });

  it('sends no second digest the same day, and a new one the next day', async () => {
    expect(await deadlines().sendReminders(new Date('2021-10-18T15:00:00Z'))).toEqual([]);
    expect(smtp.mails).toHaveLength(2);
    const next = await deadlines().sendReminders(new Date('2021-10-19T08:00:00Z'));
    expect(next.sort()).toEqual(['bojan@mk.test', 'vesna@mk.test']);
    expect(smtp.mails).toHaveLength(4);
  });

  it('turns posts unapproved at their time into missed, leaving approved ones alone', async () => {
    const inReview = await list('member=MK&status=in_review&to=2021-10-19T12:00:00Z');
    const [toApprove, ...rest] = inReview;
    await t.http.post(`/api/posts/${toApprove.id}/approve`).set(bearer(token('mkCoordinator'))).send({ revision: toApprove.revision }).expect(200);
    const drafts = await list('status=draft&to=2021-10-19T12:00:00Z');
    const missed = await deadlines().markMissed(new Date('2021-10-19T12:00:00Z'));
    expect(missed).toBe(rest.length + drafts.length);
    expect((await list('status=missed')).length).toBe(missed);
    const approved = (await t.http.get(`/api/posts/${toApprove.id}`).set(admin).expect(200)).body;
    expect(approved.status).toBe('approved');
    const history = (await t.http.get(`/api/posts/${rest[0].id}/history`).set(admin).expect(200)).body;
    expect(history.at(-1)).toMatchObject({ action: 'missed', actor: 'scheduler', fromStatus: 'in_review', toStatus: 'missed', comment: 'not approved by its time' });
    expect(await deadlines().markMissed(new Date('2021-10-19T12:00:00Z'))).toBe(0);
  });

  it('runs both from the scheduled job', async () => {
    const before = (await list('status=missed')).length;
    t.clock.set(new Date('2021-10-20T12:00:00Z'));
    // The test app runs no jobs (only the service does): the job is built by hand on its services.
    await new ApprovalJobs(deadlines(), t.clock).tick();
    expect((await list('status=missed')).length).toBeGreaterThan(before);
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ campaignsDir: '/nonexistent', config: { rateLimitPerMinute: 5 } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After past the limit, per token', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.http.get('/api/campaigns').set(admin)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const res = await t.http.get('/api/campaigns').set(admin).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    await t.http.get('/health').expect(200);
  });
});
