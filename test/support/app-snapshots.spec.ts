import { join } from 'node:path';
import { hasSnapshot, snapshotCampaigns } from './app-snapshots';
import { DatabaseKind, PG_ADMIN_URL, ROOT, startTestApp, TestApp } from './test-app';

/** What a start leaves: every row of the tables the start-up writes, ids and timestamps included. */
async function contents(t: TestApp): Promise<string> {
  const tables = ['users', 'campaigns', 'posts', 'post_events', 'approvals'];
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows: Record<string, unknown>[] = await t.db.manager.query(`select * from ${table} order by id`);
    dump[table] = rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)]))));
  }
  return JSON.stringify(dump);
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('a default start from the worker\'s snapshot on %s', (kind) => {
  const started: TestApp[] = [];
  afterAll(async () => {
    for (const t of started) await t.close();
  });
  const start = async (options: Parameters<typeof startTestApp>[0]) => {
    const t = await startTestApp({ kind, ...options });
    started.push(t);
    return t;
  };

  it('has the same rows as a start that imports the campaign itself, and its own copy of them', async () => {
    // Naming the templates folder (the default one) makes a start import for itself.
    const fresh = await start({ templatesDir: join(ROOT, 'templates') });
    const first = await start({});
    // The first default start of this worker left the snapshot that the second copies.
    expect(await hasSnapshot(kind, '2021', PG_ADMIN_URL)).toBe(true);
    const second = await start({});
    const expected = await contents(fresh);
    expect(JSON.parse(expected).posts.length).toBe(835);
    expect(await contents(first)).toBe(expected);
    expect(await contents(second)).toBe(expected);
    // A change in one suite's database is not in another's.
    await first.token('comms', 'HR', 'Only in the first');
    expect(await contents(second)).toBe(expected);
  });

  it('with no campaigns: only the first admin', async () => {
    const fresh = await start({ campaignsDir: '/nonexistent', templatesDir: join(ROOT, 'templates') });
    const copied = await start({ campaignsDir: '/nonexistent' });
    expect(await contents(copied)).toBe(await contents(fresh));
    expect(JSON.parse(await contents(copied)).users).toHaveLength(1);
  });
});

describe('which starts share a snapshot', () => {
  it('the default campaigns, templates and clock, with config the start-up does not write', () => {
    expect(snapshotCampaigns({})).toBe('2021');
    expect(snapshotCampaigns({ config: { smtpUrl: 'smtp://127.0.0.1:2525', badTokenLimitPerMinute: 3 } })).toBe('2021');
    expect(snapshotCampaigns({ campaignsDir: '/nonexistent' })).toBe('none');
  });

  it('not another campaign folder, templates, clock or database', () => {
    expect(snapshotCampaigns({ campaignsDir: '/elsewhere' })).toBeUndefined();
    expect(snapshotCampaigns({ templatesDir: join(ROOT, 'templates') })).toBeUndefined();
    expect(snapshotCampaigns({ clock: {} })).toBeUndefined();
    expect(snapshotCampaigns({ config: { databasePath: '/tmp/kept.sqlite' } })).toBeUndefined();
    expect(snapshotCampaigns({ config: { maxPostsPerCampaign: 10 } })).toBeUndefined();
  });
});
