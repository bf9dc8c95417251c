/**
 * Approving a week at once over real HTTP on loopback: 7 days × 3 channels × 3 locales = 63 posts
 * in one bulk request, beside a single-post approval, each repeated on fresh posts. Prints one JSON line.
 */
import { BENCH_NOW } from './synthetic-campaign';
import { FixedClock } from '../time/clock';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { createApp, prepareApp } from '../bootstrap';
import { loadConfig } from '../config/config';

const ROOT = resolve(__dirname, '../..');
const WEEKS = 20;
const ADMIN = 'bench-admin-token-0123456789';

function longCampaign() {
  const shipped = parse(readFileSync(join(ROOT, 'campaigns/natc-see-2021.yaml'), 'utf8'));
  const ba = shipped.members.find((m: { code: string }) => m.code === 'BA');
  const si = shipped.members.find((m: { code: string }) => m.code === 'SI');
  const messages = shipped.themes.map((t: { messages: string[] }) => t.messages);
  return {
    ...shipped,
    slug: 'bench-approvals',
    templates: 'natc-see-2021',
    end: '2022-03-06',
    themes: [
      { key: 'policy', start: '2021-10-18', end: '2021-11-28', messages: messages[0] },
      { key: 'capacity-building', start: '2021-11-29', end: '2022-01-09', messages: messages[1] },
      { key: 'victim-assistance', start: '2022-01-10', end: '2022-03-06', messages: messages[2] },
    ],
    members: [
      { ...ba, channels: [{ network: 'facebook' }, { network: 'x' }, { network: 'linkedin' }] },
      { ...si, slots: undefined, blackout: [], approval: ['coordinator'] },
    ],
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-approvals-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '' }), databasePath: join(dir, 'bench.sqlite'), campaignsDir: join(dir, 'none'), templatesDir: join(ROOT, 'templates'), bootstrapAdminToken: ADMIN, runJobs: false, rateLimitPerMinute: 1_000_000 };
  const app = await createApp(config, { clock: new FixedClock(BENCH_NOW), logger: false });
  await prepareApp(app, config);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: string, path: string, token: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  try {
    await call('POST', '/api/campaigns', ADMIN, longCampaign());
    const user = async (role: string, member: string) => (await call('POST', '/api/users', ADMIN, { name: `${role} ${member}`, role, member })).token as string;
    const tokens = { baComms: await user('comms', 'BA'), baCoordinator: await user('coordinator', 'BA'), siComms: await user('comms', 'SI'), siCoordinator: await user('coordinator', 'SI') };
    const posts = async (member: string, from: string, to: string) =>
      (await call('GET', `/api/campaigns/bench-approvals/posts?member=${member}&from=${from}&to=${to}&limit=1000`, ADMIN)).items as { id: number; revision: number }[];
    const submitAll = (items: { id: number; revision: number }[], token: string) =>
      Promise.all(items.map((p) => call('POST', `/api/posts/${p.id}/submit`, token, { revision: p.revision }) as Promise<{ id: number; revision: number }>));

    const bulk: number[] = [];
    const single: number[] = [];
    let weekSize = 0;
    for (let week = 0; week < WEEKS; week++) {
      const from = new Date(Date.UTC(2021, 9, 18 + week * 7)).toISOString();
      const to = new Date(Date.UTC(2021, 9, 25 + week * 7)).toISOString();
      const submitted = await submitAll(await posts('BA', from, to), tokens.baComms);
      weekSize = submitted.length;
      let start = process.hrtime.bigint();
      await call('POST', '/api/approvals/approve', tokens.baCoordinator, { items: submitted.map((p) => ({ id: p.id, revision: p.revision })) });
      bulk.push(Number(process.hrtime.bigint() - start) / 1e6);

      const [one] = await submitAll((await posts('SI', from, to)).slice(0, 1), tokens.siComms);
      start = process.hrtime.bigint();
      await call('POST', `/api/posts/${one.id}/approve`, tokens.siCoordinator, { revision: one.revision });
      single.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    process.stdout.write(`${JSON.stringify({ weekSize, weeks: WEEKS, bulkMedianMs: median(bulk), bulkMaxMs: Math.max(...bulk), singleMedianMs: median(single), singleMaxMs: Math.max(...single) })}\n`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
