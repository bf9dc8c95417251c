/**
 * Issue 14: publishing 2,000 posts due at once to the networks published through connected accounts
 * (loopback receivers speaking their documented APIs, src/bench/network-receivers.ts), by one
 * dispatcher process on SQLite, beside what the same receivers take from plain HTTP requests of the
 * same shape sent by the bench itself (their ceiling). Accounts are connected through the service's
 * own OAuth flow, so tokens are sealed and read back as in production. Prints one JSON line.
 * `node dist/bench/networks.bench.js`
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { NestFactory } from '@nestjs/core';
import sharp from 'sharp';
import { parse, stringify } from 'yaml';
import { AccountsService } from '../accounts/accounts.service';
import { AppModule } from '../app.module';
import { ApprovalsService } from '../approvals/approvals.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { loadConfig } from '../config/config';
import { Database } from '../database/database';
import { FixedClock } from '../time/clock';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { dispatchAlone } from './dispatch-process';
import { ceilingRequest, receiverToken, startNetworkReceivers } from './network-receivers';
import { approveAll, syntheticCampaign } from './synthetic-campaign';

const ROOT = resolve(__dirname, '../..');
const POSTS = 2000;
const MEMBERS = 40;
/** The networks whose publishers post through connected accounts (Instagram: its own campaign, below). */
export const BENCHED_NETWORKS = ['x', 'facebook', 'linkedin'];
const LOCALES = ['en', 'sq', 'bs', 'bg', 'hr', 'mk', 'cnr', 'ro', 'sr-Latn', 'sr-Cyrl', 'sl'];

/**
 * Instagram is planned only for messages with an image: a copy of the shipped templates whose every
 * message names one poster (alt text in every locale), for a campaign of Instagram channels alone,
 * so the other networks' posts stay text only.
 */
async function templatesWithImages(dir: string): Promise<string> {
  const root = join(dir, 'templates');
  cpSync(join(ROOT, 'templates'), root, { recursive: true });
  const folder = join(root, 'natc-see-2021-visual');
  cpSync(join(root, 'natc-see-2021'), folder, { recursive: true });
  mkdirSync(join(folder, 'visuals'));
  await sharp({ create: { width: 1080, height: 1080, channels: 3, background: '#1d4f91' } }).jpeg().toFile(join(folder, 'visuals', 'poster.jpg'));
  const english = parse(readFileSync(join(folder, 'en.yaml'), 'utf8'));
  const alt = Object.fromEntries(LOCALES.map((locale) => [locale, `Campaign poster, ${locale}: End impunity, white text on blue.`]));
  for (const message of Object.values(english.messages) as Record<string, unknown>[]) message.media = [{ file: 'visuals/poster.jpg', alt }];
  writeFileSync(join(folder, 'en.yaml'), stringify(english));
  return root;
}
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function environment(receivers: string, dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env, DATABASE_URL: '', DATABASE_PATH: join(dir, 'bench.sqlite'), MEDIA_DIR: join(dir, 'media'),
    PUBLISH_GRACE_SECONDS: String(7 * 86400), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    X_AUTH_URL: `${receivers}/x/authorize`, X_TOKEN_URL: `${receivers}/x/2/oauth2/token`, X_API_URL: `${receivers}/x`,
    PUBLISHER_SECRET_X_CLIENT_ID: 'bench-x-client', PUBLISHER_SECRET_X_CLIENT_SECRET: 'bench-x-secret',
    FACEBOOK_AUTH_URL: `${receivers}/facebook/dialog/oauth`, FACEBOOK_GRAPH_URL: `${receivers}/facebook`,
    PUBLISHER_SECRET_FACEBOOK_CLIENT_ID: 'bench-facebook-app', PUBLISHER_SECRET_FACEBOOK_CLIENT_SECRET: 'bench-facebook-secret',
    LINKEDIN_AUTH_URL: `${receivers}/linkedin/oauth/v2/authorization`, LINKEDIN_TOKEN_URL: `${receivers}/linkedin/oauth/v2/accessToken`, LINKEDIN_API_URL: `${receivers}/linkedin`,
    PUBLISHER_SECRET_LINKEDIN_CLIENT_ID: 'bench-linkedin-app', PUBLISHER_SECRET_LINKEDIN_CLIENT_SECRET: 'bench-linkedin-secret',
  };
}

/** Connects every member's account on every network, plans, and approves the POSTS earliest posts. */
async function prepare(env: NodeJS.ProcessEnv, templatesDir: string): Promise<{ lastDue: string; perNetwork: Record<string, number> }> {
  Object.assign(process.env, env); // the secrets' store reads PUBLISHER_SECRET_* from the environment
  const config = { ...loadConfig(env), templatesDir, campaignsDir: join(env.DATABASE_PATH!, '../none'), runJobs: false };
  const app = await NestFactory.createApplicationContext(AppModule.with(config, new FixedClock(new Date('2021-10-01T00:00:00Z'))), { logger: ['error'] });
  try {
    const db = app.get(Database);
    await app.get(UsersService).ensureBootstrapAdmin('bench-admin-token-0123456789');
    const admin = { id: (await db.manager.findOneByOrFail(UserEntity, { name: 'admin' })).id, name: 'admin', role: 'secretariat' as const, member: null };
    const accounts = app.get(AccountsService);
    const connected = async (code: string, network: string) => {
      const name = `${code.toLowerCase()}-${network}`;
      const authorize = new URL(await accounts.startConnect(admin, 'bench-session', { network, member: code, name, page: 'Bench Page' }));
      await accounts.finishConnect(admin, 'bench-session', network, { state: authorize.searchParams.get('state')!, code: `code-${name}` });
      return { network, publisher: { type: network, account: name } };
    };
    const campaign = syntheticCampaign(ROOT, 'networks', MEMBERS) as { members: { code: string; channels: unknown[] }[] };
    for (const member of campaign.members) {
      member.channels = [];
      for (const network of BENCHED_NETWORKS) member.channels.push(await connected(member.code, network));
    }
    const pictures = { ...syntheticCampaign(ROOT, 'networks-instagram', MEMBERS), templates: 'natc-see-2021-visual' } as unknown as { members: { code: string; channels: unknown[] }[] };
    for (const member of pictures.members) member.channels = [await connected(member.code, 'instagram')];
    await app.get(CampaignsService).create(campaign, { name: 'bench', id: null });
    await app.get(CampaignsService).create(pictures, { name: 'bench', id: null });
    // The earliest quarter of the posts on each network, all due by the last of them.
    const rows: { id: number; revision: number; scheduled_at: string; network: string }[] = [];
    for (const network of [...BENCHED_NETWORKS, 'instagram']) {
      rows.push(...await db.manager.query(`select id, revision, scheduled_at, network from posts where length <= max_length and network = ? order by scheduled_at, id limit ${POSTS / 4}`, [network]));
    }
    await approveAll(app.get(ApprovalsService), admin, rows);
    const perNetwork: Record<string, number> = {};
    for (const row of rows) perNetwork[row.network] = (perNetwork[row.network] ?? 0) + 1;
    return { lastDue: rows.map((r) => r.scheduled_at).sort().pop()!, perNetwork };
  } finally {
    await app.close();
  }
}

/**
 * The receivers' rate for the same posts, as plain keep-alive requests, as many at a time as the
 * dispatcher sends (PUBLISH_CONCURRENCY's default), sent from a process of its own as the
 * dispatcher's are (sharing the receivers' event loop would halve what they can take).
 */
async function ceiling(base: string, perNetwork: Record<string, number>): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [__filename, 'ceiling', base, JSON.stringify(perNetwork)]);
  return Number(stdout.trim());
}

async function ceilingClient(base: string, perNetwork: Record<string, number>): Promise<number> {
  const token = await receiverToken(base);
  const queue = Object.entries(perNetwork).flatMap(([network, n]) => Array.from({ length: n }, () => network));
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: loadConfig({}).publishing.concurrency }, async () => {
    while (next < queue.length) {
      for (const request of ceilingRequest(base, queue[next++], token)) {
        const answer = await fetch(request.url, request.init);
        if (!answer.ok) throw new Error(`the receiver refused the ceiling's request: HTTP ${answer.status}`);
        await answer.arrayBuffer();
      }
    }
  }));
  return queue.length / (ms(start) / 1000);
}

async function main() {
  if (process.argv[2] === 'ceiling') return void process.stdout.write(`${await ceilingClient(process.argv[3], JSON.parse(process.argv[4]))}\n`);
  const receivers = await startNetworkReceivers();
  const dir = mkdtempSync(join(tmpdir(), 'bench-networks-'));
  try {
    const env = environment(receivers.url, dir);
    const { lastDue, perNetwork } = await prepare(env, await templatesWithImages(dir));
    const ceilingRate = await ceiling(receivers.url, perNetwork);
    const before = { ...receivers.created };
    const report = await dispatchAlone({ ...env, FIXED_NOW: new Date(Date.parse(lastDue) + 1000).toISOString() });
    const created = Object.fromEntries(Object.keys(perNetwork).map((n) => [n, (receivers.created[n] ?? 0) - (before[n] ?? 0)]));
    const wallMs = report.last - report.first;
    process.stdout.write(`${JSON.stringify({ perNetwork, created, ceilingRate, published: report.published, wallMs, postsPerSecond: report.published / (wallMs / 1000) })}\n`);
  } finally {
    await receivers.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
