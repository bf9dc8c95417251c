import { loadExistingPosts } from '../../src/posts/existing-posts';
import { postKey } from '../../src/posts/plan';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';

const admin = bearer(ADMIN_TOKEN);

/** The posts a re-plan compares with, read in one text per post: each field must come back as the row holds it, on both databases. */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('loadExistingPosts on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ kind, campaignsDir: '/nonexistent' });
    await t.http.post('/api/campaigns').set(admin).send(campaignOnShippedTemplates('existing', ['SI', 'HR'])).expect(201);
  });
  afterAll(() => t.close());

  it('reads every post of the campaign with its key, id, revision, approvals, review flag, status and planned hash', async () => {
    const [campaign] = await t.db.manager.query(t.db.sql('select id from campaigns where slug = ?'), ['existing']);
    // Values a fresh plan never writes: revisions and approvals above one, other statuses.
    await t.db.manager.query(t.db.sql("update posts set revision = 12, approved_steps = 2, status = 'approved' where id = (select min(id) from posts where member = 'SI')"));
    await t.db.manager.query(t.db.sql("update posts set revision = 3, status = 'cancelled' where id = (select max(id) from posts where member = 'HR')"));
    await t.db.manager.query(t.db.sql("update posts set needs_review = ? where member = 'HR'"), [false]);
    await t.db.manager.query(t.db.sql("update posts set needs_review = ? where member = 'SI'"), [true]);
    const rows: any[] = await t.db.manager.query(t.db.sql(
      'select id, member, network, locale, slot_date, slot_ordinal, planned_hash, status, revision, approved_steps, needs_review from posts where campaign_id = ?'), [campaign.id]);
    const expected = rows.map((row) => ({
      id: Number(row.id), post_key: postKey({ ...row, slotDate: row.slot_date, slotOrdinal: Number(row.slot_ordinal) }), planned_hash: row.planned_hash,
      status: row.status, revision: Number(row.revision), approved_steps: Number(row.approved_steps), needs_review: Boolean(Number(row.needs_review) || row.needs_review === true),
      seen: false,
    }));
    const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
    const posts = await loadExistingPosts(t.db, t.db.manager, campaign.id);
    expect(posts.sort(byId)).toEqual(expected.sort(byId));
    expect(new Set(posts.map((p) => p.needs_review))).toEqual(new Set([true, false]));
    expect(posts.filter((p) => p.revision === 12 && p.approved_steps === 2 && p.status === 'approved')).toHaveLength(1);
    expect(posts.filter((p) => p.revision === 3 && p.status === 'cancelled')).toHaveLength(1);
  });
});
