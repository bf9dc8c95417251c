/**
 * The benches that `npm run bench -- <name>…` can run alone (issues 13 and 15): each measures in its
 * own process and gives back its BENCHMARKS.md section and targets. A full `npm run bench` runs them
 * too, after the others.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { machineName, partialRunStamp, Section, spliceSection, spliceTargets, stampSection } from './benchmarks-file';

export type { Section } from './benchmarks-file';

const ROOT = join(__dirname, '../..');

export function measure<T>(args: string[], script: string): T {
  const out = execFileSync(process.execPath, [join(__dirname, script), ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!);
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Microseconds of CPU per post, the sender's and the receiver's. */
const cpu = (senderUs: number, receiverUs: number) => `${fmt(senderUs)} µs / ${fmt(receiverUs)} µs`;
const spread = ([low, high]: readonly [number, number]) => `${fmt(low)}–${fmt(high)}`;

/** What else ran on the machine: the 1-minute load average before and after, beside the core count. */
function withLoad<T>(work: () => T): { result: T; load: string } {
  const before = loadavg()[0];
  const result = work();
  return { result, load: `load average ${fmt(before, 1)} before, ${fmt(loadavg()[0], 1)} after, on ${cpus().length} cores` };
}

type Timing = { medianMs: number; maxMs: number };
type ReportRun = {
  posts: number; published: number; rows: number; snapshots: number; setup: { planMs: number; publishMs: number; snapshotMs: number };
  database: Timing; databaseResponses: Timing; json: Timing; csv: Timing; page: Timing; growthMb: number; peakRssMb: number;
};

function reportSection(): Section {
  process.stderr.write('report: the campaign report of 100,800 posts\n');
  const { result: r, load } = withLoad(() => measure<ReportRun>(['200'], 'report.bench.js'));
  const row = (label: string, t: Timing) => `| ${label} | ${fmt(t.medianMs, 1)} ms (${fmt(t.maxMs, 1)}) | ${fmt(t.medianMs / r.database.medianMs, 1)} |`;
  const heading = '## The campaign report (issue 15)';
  return {
    heading,
    markdown: `${heading}

A campaign of ${fmt(r.posts)} posts (the synthetic campaign above), ${fmt(r.published)} of them marked published through the
posts module (half of them 1 minute after their time, half 30 minutes late), each published post with 30
response snapshots (${fmt(r.snapshots)} \`post_metrics\` rows), reported per member, network, locale and theme
(${fmt(r.rows)} rows) with responses per theme and language and the 5 best posts of each week. Over real HTTP
on loopback, signed in as the secretariat, median of 10 requests after one warm-up, beside the database's
own aggregate queries for the same figures (every \`ReportQueries\` aggregate, called directly one after
the other, median of 10): the ratio is what the report adds.

| request | median (max) | ÷ database |
|---|---:|---:|
${row('database: the aggregate queries alone', r.database)}
${row('… of which the responses and best posts (latest of 30 snapshots per post)', r.databaseResponses)}
${row('`GET /api/campaigns/:slug/report` (JSON)', r.json)}
${row('`GET /api/campaigns/:slug/report?format=csv`', r.csv)}
${row('the report page (tables, five SVG charts)', r.page)}

Memory: the whole process (service, bench client, planning the campaign) peaked at ${fmt(r.peakRssMb)} MB resident;
serving the JSON report and the page once more grew it by ${fmt(r.growthMb, 1)} MB. Setup (not timed above): planning
${fmt(r.setup.planMs / 1000, 1)} s, marking ${fmt(r.published)} posts published ${fmt(r.setup.publishMs / 1000, 1)} s (posts due at the same instant share one
\`changePosts\` statement; one statement per post kept the setup running for over 12 minutes here), writing
the snapshots ${fmt(r.setup.snapshotMs / 1000, 1)} s (INSERT … SELECT in the database, 5,000 posts a statement).
Machine during this run: ${load}.
`,
    checks: [
      // The process peak is mostly the setup (planning 100,800 posts); serving the report is what must stay bounded.
      ['serving the report of 100,800 posts grows memory < 100 MB', r.growthMb < 100],
      ['the report of 100,800 posts: JSON < 1 s median', r.json.medianMs < 1000],
    ],
  };
}

type Tick = { posts: number; due: number; tickMs: number; plan: string[] };
type Throughput = { kind: string; processes: number; published: number; wallMs: number; postsPerSecond: number; dispatcherCpuUs: number; receiverCpuUs: number };
type Dispatch = {
  small: Tick; large: Tick; rounds: number; ceilingRate: number; ceilingCpu: { clientCpuUs: number; receiverCpuUs: number };
  sqlite: Throughput; postgresOne: Throughput; postgres: Throughput; ranges: Record<'ceiling' | 'sqlite' | 'postgresOne' | 'postgres', [number, number]>;
};

/** The dispatcher's tick cost and its throughput to a webhook receiver (issues 4 and 16): `npm run bench -- dispatch`. */
export function dispatchSection(): Section {
  process.stderr.write('dispatcher: tick cost and throughput (SQLite and PostgreSQL)\n');
  const { result: d, load } = withLoad(() => measure<Dispatch>([], 'dispatch.bench.js'));
  const heading = '## Publishing (issue 4)';
  return {
    heading,
    markdown: `${heading}

One dispatcher tick (claim, hand over, record, audit) with 100 due posts, all manual channels (no
network in the way), on SQLite, in a fresh process:

| planned posts | due | tick | ratio |
|---:|---:|---:|---:|
| ${fmt(d.small.posts)} | ${d.small.due} | ${fmt(d.small.tickMs)} ms | 1.00 |
| ${fmt(d.large.posts)} | ${d.large.due} | ${fmt(d.large.tickMs)} ms | ${fmt(d.large.tickMs / d.small.tickMs, 2)} |

The candidates' query plan (SQLite \`EXPLAIN QUERY PLAN\`) on ${fmt(d.large.posts)} posts:

\`\`\`
${d.large.plan.join('\n')}
\`\`\`

Sustained throughput to a webhook receiver on loopback (HMAC-signed JSON, each send recorded with
its audit event): 2,000 approved posts due at once, from the first claim to the last recorded
publication, beside what the same receiver takes from plain keep-alive HTTP requests (48 at a
time, as many as three dispatchers send) sent by a process of the bench's own through the
publishers' own HTTP client, node:http (from the receiver's own process they halved what it could
take; sent with fetch, they held it to about a third, and a ceiling held down by its client flatters
every ratio against it).

Each figure is the median of ${d.rounds} rounds (each round measures the ceiling, then each kind of
dispatcher), with the lowest and highest beside it: one run lasts about a second.

| dispatchers | posts | time | posts/s (lowest–highest) | vs receiver ceiling | CPU per post: sender / receiver |
|---|---:|---:|---:|---:|---:|
| receiver ceiling (plain HTTP POSTs) | 3,000 | — | ${fmt(d.ceilingRate)} (${spread(d.ranges.ceiling)}) | 1.00 | ${cpu(d.ceilingCpu.clientCpuUs, d.ceilingCpu.receiverCpuUs)} |
${([['1 process on SQLite', d.sqlite, d.ranges.sqlite], ['1 process on PostgreSQL', d.postgresOne, d.ranges.postgresOne], ['3 processes on PostgreSQL', d.postgres, d.ranges.postgres]] as const).map(([name, t, r]) => (
    `| ${name} | ${fmt(t.published)} | ${fmt(t.wallMs)} ms | ${fmt(t.postsPerSecond)} (${spread(r)}) | ${fmt(t.postsPerSecond / d.ceilingRate, 2)} | ${cpu(t.dispatcherCpuUs, t.receiverCpuUs)} |`)).join('\n')}

CPU per post is what the senders' processes (all their threads: JavaScript, sqlite3's pool, V8's
compiler and collector) and the receiver's spent from the first claim to the last record, over the
posts sent; PostgreSQL's own server is not counted. On this 2-core machine the dispatchers, their
database and the receiver share the two cores.

Outcomes are recorded in group commits: the outcomes (and audit events) of sends that end
within \`PUBLISH_COMMIT_MS\` (5 ms) of each other, up to \`PUBLISH_COMMIT_BATCH\` (64), are written
together, and a send's worker goes on to its next post while its outcome waits (an outcome is
counted only once committed; a crash sends again, under the same key, only the sends in flight or
awaiting their commit). Changes that set the same columns share one \`UPDATE … FROM (VALUES …)\`,
each row its own values; on PostgreSQL the updates and their events are one statement, and a claim
(\`FOR UPDATE SKIP LOCKED\`, the update, its events, the rows back) is one more, so replicas claim
disjoint rows and share no row or lock. The next batch is claimed while the current one's last
two rounds wait; on SQLite the read right before each send (is the post still held?) goes to a
read-only second connection, so it never waits for the writer's transaction. The bench's
dispatchers run a moving clock, so each outcome has its own instant, as in production. Machine
during this run: ${load}.
`,
    checks: [
      [`dispatcher tick, 100 due among ${fmt(d.large.posts)} within 2× of 100 among ${fmt(d.small.posts)}`, d.large.tickMs / d.small.tickMs <= 2],
      ['publishing: one SQLite process ≥ 0.5 of the receiver\'s ceiling', d.sqlite.postsPerSecond / d.ceilingRate >= 0.5],
      ['publishing: three PostgreSQL replicas ≥ the lower of 0.8 of the ceiling and 2× one PostgreSQL process',
        d.postgres.postsPerSecond >= Math.min(0.8 * d.ceilingRate, 2 * d.postgresOne.postsPerSecond)],
      ['the due query uses an index (no full scan of posts)', d.large.plan.some((l) => l.includes('USING INDEX posts_status_schedule')) && !d.large.plan.some((l) => /^SCAN posts\b/.test(l))],
    ],
  };
}

type Copy = { network: string; mime: string; width: number; bytes: number };
type Publishing = { uploads: number; statuses: number; imageBytes: number; published: number; wallMs: number; postsPerSecond: number };
type MediaRun = {
  prepare: { uploadBytes: number; original: { bytes: number; width: number; height: number }; copies: Copy[]; serviceMs: number; sharpMs: number };
  withoutImages: Publishing;
  withImages: Publishing;
};

function mediaSection(): Section {
  process.stderr.write('media: preparing an image for every network; publishing 500 posts with and without images\n');
  const { result: r, load } = withLoad(() => measure<MediaRun>([], 'media.bench.js'));
  const p = r.prepare;
  const mb = (bytes: number) => `${fmt(bytes / 2 ** 20, 2)} MB`;
  const copies = p.copies.map((c) => `${c.network} (${c.mime.replace('image/', '')}, ${c.width} px wide, ${mb(c.bytes)})`).join(', ');
  const pub = (label: string, x: Publishing) => `| ${label} | ${x.published} | ${x.uploads} | ${fmt(x.wallMs)} ms | ${fmt(x.postsPerSecond)} | ${fmt(x.postsPerSecond / r.withoutImages.postsPerSecond, 2)} |`;
  const heading = '## Images (issue 13)';
  return {
    heading,
    markdown: `${heading}

Uploading one full-HD campaign graphic (a ${mb(p.uploadBytes)} PNG, ${p.original.width}×${p.original.height}) with \`POST /api/media\` over loopback
HTTP — type read from its bytes, metadata stripped by re-encoding, stored by content hash (${mb(p.original.bytes)}) —
and preparing it for all six networks with the service's conforming copies (\`MediaService.conformingCopy\`,
each network whose size or type asks for one: ${copies || 'none'}), beside sharp alone producing the same
outputs (the original re-encoded, then one resize per copy straight to its final width and type).
Median of 5, each a new image (the store keeps one file per content hash), after one warm-up. The
service finds each copy by trial (recompressed at full size first, then scaled down each round) and
makes it per network, so X and LinkedIn, which share a target, each pay for the same copy.

| measurement | median | vs sharp alone |
|---|---:|---:|
| sharp alone: re-encode + ${p.copies.length} resize${p.copies.length === 1 ? '' : 's'} | ${fmt(p.sharpMs)} ms | 1.00 |
| the service: upload + ${p.copies.length} conforming cop${p.copies.length === 1 ? 'y' : 'ies'} | ${fmt(p.serviceMs)} ms | ${fmt(p.serviceMs / p.sharpMs, 2)} |

Publishing 500 approved Mastodon posts (SQLite, one dispatcher process, from its first claim to its
last recorded publication) to a Mastodon on loopback that reads each upload as multipart form data:
with one ${fmt(r.withImages.imageBytes / 1024)} KB JPEG each (\`POST /api/v2/media\` with its alt text, then the status
with \`media_ids\`), beside the same posts without images.

| posts | published | uploads | time | posts/s | vs without images |
|---|---:|---:|---:|---:|---:|
${pub('without images', r.withoutImages)}
${pub('with one image each', r.withImages)}

Machine during this run: ${load}.
`,
    checks: [
      ['an image prepared for every network within 3× sharp\'s own time', p.serviceMs / p.sharpMs <= 3],
      ['500 posts with one image each published at ≥ 1/3 the rate without', r.withImages.postsPerSecond / r.withoutImages.postsPerSecond >= 1 / 3],
    ],
  };
}

type NetworksRun = { perNetwork: Record<string, number>; created: Record<string, number>; ceilingRate: number; published: number; wallMs: number; postsPerSecond: number };

function networksSection(): Section {
  process.stderr.write('networks: 2,000 posts due at once through connected accounts\n');
  const { result: r, load } = withLoad(() => measure<NetworksRun>([], 'networks.bench.js'));
  const mix = Object.entries(r.perNetwork).map(([network, n]) => `${network} ${fmt(n)}`).join(', ');
  const twice = Object.entries(r.created).filter(([network, n]) => n !== r.perNetwork[network]);
  const heading = '## Publishing through connected accounts (issue 14)';
  return {
    heading,
    markdown: `${heading}

${fmt(r.published)} approved posts due at once (${mix}), 40 members, each with its own connected account on each
network (connected through the service's OAuth flow, tokens sealed with AES-256-GCM and opened for every send),
published by one dispatcher process on SQLite to loopback servers that speak each network's documented API,
from its first claim to its last recorded publication; beside what the same servers take from plain
keep-alive HTTP requests of the same shape, as many at a time as the dispatcher sends (\`PUBLISH_CONCURRENCY\`,
16), sent by a process of the bench's own (as the dispatcher is one).

| measurement | posts | time | posts/s | vs ceiling |
|---|---:|---:|---:|---:|
| the receivers' ceiling (plain HTTP) | ${fmt(r.published)} | — | ${fmt(r.ceilingRate)} | 1.00 |
| 1 dispatcher process on SQLite | ${fmt(r.published)} | ${fmt(r.wallMs)} ms | ${fmt(r.postsPerSecond)} | ${fmt(r.postsPerSecond / r.ceilingRate, 2)} |

Posts the networks created: ${Object.entries(r.created).map(([network, n]) => `${network} ${fmt(n)}`).join(', ')}${twice.length ? ' — NOT one per approved post' : ' (one per approved post, none twice)'}.
Instagram is planned only for messages with an image: its posts come from a second campaign of Instagram
channels alone, on a copy of the shipped templates whose messages each name one poster (a 1080 px JPEG
with alt text in every locale); a post there is four requests (container, its status, publish, permalink).
Machine during this run: ${load}.
`,
    checks: [
      ['connected accounts: 2,000 posts, each created once on its network', twice.length === 0 && r.published === 2000],
      ['connected accounts: publishing ≥ 0.5 of the receivers\' ceiling', r.postsPerSecond / r.ceilingRate >= 0.5],
    ],
  };
}

export const benchSections: { name: string; run: () => Section }[] = [
  { name: 'networks', run: networksSection },
  { name: 'report', run: reportSection },
  { name: 'media', run: mediaSection },
  { name: 'dispatch', run: dispatchSection },
];

/** `npm run bench -- report`: only the named benches run; only their parts of BENCHMARKS.md change. */
export function runSelected(file: string, names: string[]): void {
  const unknown = names.filter((name) => !benchSections.some((b) => b.name === name));
  if (unknown.length) {
    process.stderr.write(`unknown bench ${unknown.join(', ')}: choose from ${benchSections.map((b) => b.name).join(', ')} (no name: every bench, as npm run bench)\n`);
    process.exitCode = 2;
    return;
  }
  const stamp = partialRunStamp(names, new Date().toISOString().slice(0, 10), machineName(), process.version);
  const sections = benchSections.filter((b) => names.includes(b.name)).map((b) => stampSection(b.run(), stamp));
  let doc = readFileSync(file, 'utf8');
  for (const section of sections) doc = spliceSection(doc, section);
  doc = spliceTargets(doc, sections.flatMap((s) => s.checks));
  writeFileSync(file, doc);
  for (const section of sections) process.stdout.write(`${section.markdown}\n${section.checks.map(([label, ok]) => `- [${ok ? 'x' : ' '}] ${label}`).join('\n')}\n`);
  if (sections.some((s) => s.checks.some(([, ok]) => !ok))) process.exitCode = 1;
}
