import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Database as Sqlite } from 'sqlite3';
import { FixedClock } from '../../src/time/clock';
import { ADMIN_TOKEN, bearer, ROOT, startTestApp } from '../support/test-app';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { startReceiver } from '../support/webhook-receiver';
import { cliAsync } from '../support/cli';

/** The built CLI (npm test builds first), run as the secretariat would run it. */
function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function query<T>(file: string, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new Sqlite(file);
    db.all(sql, (error, rows) => db.close(() => (error ? reject(error) : resolve(rows as T[]))));
  });
}

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scheduler-cli-'));
  const env = { DATABASE_PATH: join(dir, 'cli.sqlite') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validates the shipped campaign and shows translation coverage', () => {
    const run = cli(['validate', 'campaigns/natc-see-2021.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('valid — 12 members, 3 themes, 2021-10-18 – 2021-11-07');
    expect(run.stdout).toMatch(/sl\s+21\/21\s+review:\s+21/);
    expect(run.stdout).toMatch(/sr-Cyrl-BA\s+21\/21\s+review:\s+21/);
  });

  it('warns that Serbia’s instagram channel gets no post until the messages have images', () => {
    const run = cli(['validate', 'campaigns/natc-see-2021.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 warning(s):\n  members[9].channels[2]: instagram needs an image; no post planned until the messages have images');
  });

  it('validates and imports the example campaign for newcomers, which borrows the 2021 templates', () => {
    const run = cli(['validate', 'docs/examples/example-campaign.yaml']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('docs/examples/example-campaign.yaml: valid — 2 members, 2 themes, 2027-06-14 – 2027-06-27');
    expect(run.stdout).toMatch(/hr\s+7\/7\s+review:\s+7/);
    // `blackout: [holidays]` at the top: each member's public holidays, listed by name.
    expect(run.stdout).toContain('Public holidays (blackout: holidays; no posts on these local dates)\n'
      + '  HR  2027-06-22  Anti-Fascist Struggle Day (Dan antifašističke borbe)\n'
      + '  SI  2027-06-25  Statehood Day (dan državnosti)\n');
    const imported = cli(['import', 'docs/examples/example-campaign.yaml'], { DATABASE_PATH: join(dir, 'example.sqlite') });
    expect(imported.stdout).toContain('example-campaign: 77 posts planned (77 created, 0 updated, 0 unchanged, 0 cancelled)');
  });

  it('looks for the messages in templates/<slug>/ when the campaign names no `templates` folder', () => {
    const file = join(dir, 'own-templates.yaml');
    writeFileSync(file, readFileSync(join(ROOT, 'docs/examples/example-campaign.yaml'), 'utf8').replace(/^templates: natc-see-2021$/m, ''));
    const run = cli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no folder templates/example-campaign/: set `templates: natc-see-2021` (the folder that holds messages policy-1, policy-2, policy-3, … (7))');
  });

  it('validates the shipped 2027 campaign, on the 2021 templates', () => {
    const run = cli(['validate', 'campaigns/natc-see-2027.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('valid — 12 members, 3 themes, 2027-10-18 – 2027-11-07');
  });

  it('lists every error of a broken file at once, each with file and line', () => {
    const file = join(dir, 'broken.yaml');
    const source = readFileSync(join(ROOT, 'campaigns/natc-see-2021.yaml'), 'utf8')
      .replace('timezone: Europe/Tirane', 'timezone: Europe/Tirana')
      .replace('end: 2021-11-07', 'end: 2021-10-01')
      .replace('locales: [bg]', 'locales: []');
    writeFileSync(file, source);
    const run = cli(['validate', file]);
    expect(run.code).toBe(1);
    const line = (text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(run.stderr).toContain(`broken.yaml:${line('Europe/Tirana')}: members[0].timezone: "Europe/Tirana" is invalid (not an IANA time zone)`);
    expect(run.stderr).toContain(`broken.yaml:${line('end: 2021-10-01')}: end: 2021-10-01 is before start 2021-10-18`);
    expect(run.stderr).toContain(`broken.yaml:${line('locales: []')}: members[2].locales: must not be empty`);
  });

  it('reports malformed YAML with its line', () => {
    const file = join(dir, 'malformed.yaml');
    writeFileSync(file, 'slug: x\nname: [unclosed\nstart: 2021-10-18\n');
    const run = cli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/malformed\.yaml:\d+: malformed YAML/);
  });

  it('reports a template error with its file and line', () => {
    // TEMPLATES_DIR holds <campaign>/<locale>.yaml: a copy of the shipped one with a misspelt variable.
    const root = mkdtempSync(join(dir, 'templates-'));
    cpSync(join(ROOT, 'templates'), root, { recursive: true });
    const en = join(root, 'natc-see-2021/en.yaml');
    const source = readFileSync(en, 'utf8').replace('In {{facts.year}}, the police', 'In {{facts.yaer}}, the police');
    writeFileSync(en, source);
    const run = cli(['validate', 'campaigns/natc-see-2021.yaml'], { TEMPLATES_DIR: root });
    expect(run.code).toBe(1);
    const line = source.split('\n').findIndex((l) => l.includes('facts.yaer')) + 1;
    expect(run.stderr).toContain(`natc-see-2021/en.yaml:${line}:`);
    expect(run.stderr).toContain('messages.capacity-building-3.text: unknown variable "facts.yaer"');
  });

  it.each(['validate', 'import', 'plan'])('%s refuses a campaign over MAX_POSTS_PER_CAMPAIGN before touching the database', (command) => {
    const database = join(dir, `limited-${command}.sqlite`);
    const run = cli([command, 'campaigns/natc-see-2021.yaml'], { DATABASE_PATH: database, MAX_POSTS_PER_CAMPAIGN: '834' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('campaigns/natc-see-2021.yaml: the campaign would plan 835 posts');
    expect(run.stderr).toContain('MAX_POSTS_PER_CAMPAIGN allows 834');
    expect(existsSync(database)).toBe(false);
  });

  it('imports with progress, then re-plans without writing anything', async () => {
    const imported = cli(['import', 'campaigns/natc-see-2027.yaml'], env);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('planning: 835 / 835 posts (100%)');
    expect(imported.stdout).toContain('natc-see-2027: 835 posts planned (835 created, 0 updated, 0 unchanged, 0 cancelled)');
    const [before] = await query<{ n: number; last: string }>(env.DATABASE_PATH, 'select count(*) n, max(updated_at) last from posts');
    const replanned = cli(['plan', 'campaigns/natc-see-2027.yaml', '--force'], env);
    expect(replanned.code).toBe(0);
    expect(replanned.stdout).toContain('(0 created, 0 updated, 835 unchanged, 0 cancelled)');
    expect(await query(env.DATABASE_PATH, 'select count(*) n, max(updated_at) last from posts')).toEqual([before]);
    const again = cli(['import', 'campaigns/natc-see-2027.yaml'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('imports a campaign whose last date has passed as archived, and refuses to re-plan it', async () => {
    const imported = cli(['import', 'campaigns/natc-see-2021.yaml'], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('natc-see-2021: 835 posts planned (835 created, 0 updated, 0 unchanged, 0 cancelled) — archived: its last date has passed, its posts are read-only');
    const [before] = await query<{ n: number; last: string }>(env.DATABASE_PATH, "select count(*) n, max(updated_at) last from posts");
    const replanned = cli(['plan', 'campaigns/natc-see-2021.yaml', '--force'], env);
    expect(replanned.code).toBe(1);
    expect(replanned.stderr).toContain('campaign "natc-see-2021" is archived');
    expect(await query(env.DATABASE_PATH, 'select count(*) n, max(updated_at) last from posts')).toEqual([before]);
  });

  it('makes an edition of the archived 2021 campaign: --out writes its file, then it is created in the database', async () => {
    const counts = () => query<{ campaigns: number; posts: number }>(env.DATABASE_PATH, 'select (select count(*) from campaigns) campaigns, (select count(*) from posts) posts');
    const before = await counts();
    const wrongDay = cli(['edition', 'natc-see-2021', '--start', '2028-10-18'], env);
    expect([wrongDay.code, wrongDay.stderr.trim()]).toEqual([1, 'start: 2028-10-18 is a Wednesday; the source starts on a Monday: choose 2028-10-16 or 2028-10-23']);
    const out = join(dir, 'natc-see-2028.yaml');
    const written = cli(['edition', 'natc-see-2021', '--start', '2028-10-16', '--out', out], env);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain('natc-see-2028: 2028-10-16 – 2028-11-05, 835 posts to plan (an edition of natc-see-2021)');
    expect(readFileSync(out, 'utf8')).toContain('# - facts of SI were copied from natc-see-2021: check them for 2028, then re-plan without factsToReview');
    expect(cli(['validate', out]).stdout).toContain('valid — 12 members, 3 themes, 2028-10-16 – 2028-11-05');
    expect(cli(['edition', 'natc-see-2021', '--start', '2028-10-16', '--dry-run'], env).stdout).toContain('dry run: nothing was created');
    expect(await counts()).toEqual(before);
    const created = cli(['edition', 'natc-see-2021', '--start', '2028-10-16'], env);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('planning: 835 / 835 posts (100%)');
    expect(created.stdout).toContain('natc-see-2028: 835 posts planned (835 created, 0 updated, 0 unchanged, 0 cancelled)\n  moved by 365 weeks');
    expect(created.stdout).toContain('shares the templates of natc-see-2021');
    expect(await query(env.DATABASE_PATH, "select slug, state, start_date from campaigns where slug = 'natc-see-2028'")).toEqual([{ slug: 'natc-see-2028', state: 'active', start_date: '2028-10-16' }]);
    const after = await counts();
    const again = cli(['edition', 'natc-see-2021', '--start', '2028-10-16'], env);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('campaign "natc-see-2028" already exists')]);
    expect(await counts()).toEqual(after);
  });

  it('adds a user, printing the token once and storing only its hash', async () => {
    const run = cli(['add-user', '--name', 'Ana Novak', '--role', 'coordinator', '--member', 'SI'], env);
    expect(run.code).toBe(0);
    const token = /token \(shown once, store it now\): (\S+)/.exec(run.stdout)![1];
    const rows = await query<{ token_hash: string }>(env.DATABASE_PATH, "select token_hash from users where name = 'Ana Novak'");
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
    const bad = cli(['add-user', '--name', 'X', '--role', 'emperor'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--role must be one of');
  });

  it('lists posts with filters', () => {
    const run = cli(['posts', 'natc-see-2021', '--member', 'MK', '--network', 'x', '--locale', 'mk', '--limit', '2'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2021-10-18T10:00:00+02:00  MK  x');
    expect(run.stdout).toContain('2 post(s) (more');
  });
});


describe('the CLI and the background jobs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scheduler-cli-jobs-'));
  const databasePath = join(dir, 'jobs.sqlite');
  const secretEnv = 'PUBLISHER_SECRET_CLI_TEST_HOOK';
  const slug = 'cli-jobs';
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  // Croatia posts once a day at a slot five minutes ago, from two days ago to two days ahead.
  const due = DateTime.now().setZone('Europe/Zagreb').minus({ minutes: 5 });
  const day = (n: number) => due.plus({ days: n }).toISODate()!;

  beforeAll(async () => {
    process.env[secretEnv] = 'cli-test-hook-secret';
    hook = await startReceiver();
    const campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
    const [hr, si] = campaign.members;
    // The shipped templates cite Slovenia's facts: one member of the campaign must declare them.
    campaign.members = [{ ...hr, facts: si.facts }];
    campaign.members[0].channels = [{ network: 'x', publisher: { type: 'webhook', url: `${hook.url}/x`, secretEnv } }];
    delete campaign.members[0].blackout;
    Object.assign(campaign, {
      start: day(-2), end: day(2), slots: [{ time: due.toFormat('HH:mm') }],
      themes: [{ key: 'policy', start: day(-2), end: day(2), messages: ['policy-1', 'policy-2'] }],
    });
    // Through the API, before the first post's time: four posts approved, the last one in review.
    const t = await startTestApp({ campaignsDir: '/nonexistent', config: { databasePath }, clock: new FixedClock(due.minus({ days: 3 }).toJSDate()) });
    try {
      const admin = bearer(ADMIN_TOKEN);
      await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
      const posts = (await t.http.get(`/api/campaigns/${slug}/posts?limit=100`).set(admin).expect(200)).body.items;
      expect(posts).toHaveLength(5);
      for (const [n, post] of posts.entries()) {
        const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200)).body;
        if (n < 4) await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200);
      }
    } finally {
      await t.close();
    }
  });
  afterAll(async () => {
    delete process.env[secretEnv];
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const snapshot = async () => ({
    posts: await query<Record<string, unknown>>(databasePath, 'select id, local_time, status, revision, lease_owner, updated_at from posts order by id'),
    events: await query<{ n: number }>(databasePath, 'select count(*) n from post_events'),
  });

  it('runs no job, whatever JOBS says: approved posts past their time stay approved, a due one is not sent', async () => {
    const before = await snapshot();
    // What a job would act on: two approved posts long past (→ missed), one due now (→ sent).
    expect(before.posts.map((p) => [String(p.local_time).slice(0, 10), p.status])).toEqual([
      [day(-2), 'approved'], [day(-1), 'approved'], [day(0), 'approved'], [day(1), 'approved'], [day(2), 'in_review'],
    ]);
    const env = { DATABASE_PATH: databasePath, JOBS: 'on', DISPATCH_INTERVAL_MS: '100', PUBLISH_TIMEOUT_MS: '2000', [secretEnv]: 'cli-test-hook-secret' };
    const runs = [
      await cliAsync(['posts', slug, '--member', 'HR'], env),
      await cliAsync(['add-user', '--name', 'Jobs Test', '--role', 'secretariat'], env),
      await cliAsync(['validate', 'campaigns/natc-see-2021.yaml'], env),
      await cliAsync(['posts', slug], env),
    ];
    expect(runs.map((r) => [r.code, r.stderr])).toEqual(runs.map(() => [0, '']));
    expect(runs[0].stdout).toContain('5 post(s)');
    expect(hook.deliveries).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('npm run cli (scripts/build-if-stale.js, its precli)', () => {
  // A project of its own whose "build" only counts its runs, so the decision is tested, not tsc.
  const root = mkdtempSync(join(tmpdir(), 'scheduler-precli-'));
  const builds = join(root, 'builds.log');
  const entry = join(root, 'dist/cli/main.js');
  beforeAll(() => {
    mkdirSync(join(root, 'scripts'));
    mkdirSync(join(root, 'src/cli'), { recursive: true });
    cpSync(join(ROOT, 'scripts/build-if-stale.js'), join(root, 'scripts/build-if-stale.js'));
    const build = "require('fs').mkdirSync('dist/cli',{recursive:true});require('fs').writeFileSync('dist/cli/main.js','');require('fs').appendFileSync('builds.log','x')";
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'precli-test', private: true, scripts: { build: `node -e "${build}"` } }));
    for (const file of ['tsconfig.json', 'tsconfig.build.json', 'src/cli/main.ts', 'src/cli/main.spec.ts']) writeFileSync(join(root, file), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const precli = () => spawnSync(process.execPath, [join(root, 'scripts/build-if-stale.js')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  const buildCount = () => (existsSync(builds) ? readFileSync(builds, 'utf8').length : 0);
  /** Sets each file's modification time, in seconds before now. */
  const modified = (secondsAgo: Record<string, number>) => {
    for (const [file, seconds] of Object.entries(secondsAgo)) utimesSync(join(root, file), new Date(Date.now() - seconds * 1000), new Date(Date.now() - seconds * 1000));
  };
  const SOURCES_OLD = { 'tsconfig.json': 300, 'tsconfig.build.json': 300, 'src/cli/main.ts': 300, 'src/cli/main.spec.ts': 300 };

  it('builds a fresh clone once, then runs the built CLI without building again', () => {
    expect(precli()).toMatchObject({ status: 0, stderr: 'building first (dist/ is missing)…\n' });
    expect([buildCount(), existsSync(entry)]).toEqual([1, true]);
    for (let i = 0; i < 3; i++) expect(precli()).toMatchObject({ status: 0, stderr: '' });
    expect(buildCount()).toBe(1);
  });

  it('builds again after a source or the compiler settings change, not after a spec changes', () => {
    modified({ ...SOURCES_OLD, 'dist/cli/main.js': 200, 'src/cli/main.spec.ts': 100 });
    expect(precli().stderr).toBe('');
    modified({ ...SOURCES_OLD, 'dist/cli/main.js': 200, 'src/cli/main.ts': 100 });
    expect(precli().stderr).toBe('building first (a source changed since the last build)…\n');
    expect(buildCount()).toBe(2);
    expect(precli().stderr).toBe('');
    modified({ ...SOURCES_OLD, 'dist/cli/main.js': 200, 'tsconfig.build.json': 100 });
    precli();
    expect(buildCount()).toBe(3);
  });
});
