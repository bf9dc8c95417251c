import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database as Sqlite } from 'sqlite3';
import { freePort, ServiceProcess } from '../support/service-process';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';

const ADMIN = 'shutdown-admin-token-0123456789';

function query<T>(file: string, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new Sqlite(file);
    db.all(sql, (error, rows) => db.close(() => (error ? reject(error) : resolve(rows as T[]))));
  });
}

/** The shipped campaign's twelve members over six years: about 95,000 posts, several seconds of planning. */
function longCampaign(slug: string) {
  const body = campaignOnShippedTemplates(slug, ['AL', 'BA', 'BG', 'HR', 'XK', 'MD', 'ME', 'MK', 'RO', 'RS', 'SI', 'SEE']);
  body.end = '2027-12-31';
  body.themes[2].end = '2027-12-31';
  return body;
}

describe('SIGTERM while a big campaign is being planned (the built service, SQLite)', () => {
  jest.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'scheduler-shutdown-'));
  const database = join(dir, 'service.sqlite');
  let service: ServiceProcess;
  afterAll(() => {
    if (service?.exitCode === null) service.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops planning promptly, answers 503 and leaves nothing half-written', async () => {
    service = new ServiceProcess('service', await freePort(), { DATABASE_PATH: database, BOOTSTRAP_ADMIN_TOKEN: ADMIN, JOBS: 'off', CAMPAIGNS_DIR: join(dir, 'none') }, join(dir, 'service.log'));
    await service.start();
    const answer = fetch(`${service.url}/api/campaigns`, {
      method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(longCampaign('long')),
    }).then((r) => r.status, () => 'connection closed');
    await new Promise((r) => setTimeout(r, 1500)); // planning is under way (it takes several seconds)
    const sentAt = Date.now();
    service.kill('SIGTERM');
    expect(await service.exited(20_000)).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(await answer).toBe(503);
    expect(await query(database, 'select (select count(*) from campaigns) as campaigns, (select count(*) from posts) as posts, (select count(*) from post_events) as events'))
      .toEqual([{ campaigns: 0, posts: 0, events: 0 }]);
  });
});
