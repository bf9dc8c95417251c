import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database as Sqlite } from 'sqlite3';
import { ROOT } from '../support/test-app';

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
    const run = cli([command, 'campaigns/natc-see-2021.yaml'], { DATABASE_PATH: database, MAX_POSTS_PER_CAMPAIGN: '876' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('campaigns/natc-see-2021.yaml: the campaign would plan 877 posts');
    expect(run.stderr).toContain('MAX_POSTS_PER_CAMPAIGN allows 876');
    expect(existsSync(database)).toBe(false);
  });

  it('imports with progress, then re-plans without writing anything', async () => {
    const imported = cli(['import', 'campaigns/natc-see-2021.yaml'], env);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('planning: 877 / 877 posts (100%)');
    expect(imported.stdout).toContain('natc-see-2021: 877 posts planned (877 created, 0 updated, 0 unchanged, 0 cancelled)');
    const [before] = await query<{ n: number; last: string }>(env.DATABASE_PATH, 'select count(*) n, max(updated_at) last from posts');
    const replanned = cli(['plan', 'campaigns/natc-see-2021.yaml', '--force'], env);
    expect(replanned.code).toBe(0);
    expect(replanned.stdout).toContain('(0 created, 0 updated, 877 unchanged, 0 cancelled)');
    expect(await query(env.DATABASE_PATH, 'select count(*) n, max(updated_at) last from posts')).toEqual([before]);
    const again = cli(['import', 'campaigns/natc-see-2021.yaml'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
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

