import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, bearer, ROOT, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
type Post = { member: string; network: string; locale: string; slotDate: string; slotOrdinal: number; text: string };

/** The built CLI (npm test builds first), as the secretariat runs it. */
function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function textsByPost(t: TestApp): Promise<Map<string, string>> {
  const items: Post[] = (await t.http.get('/api/campaigns/natc-see-2021/posts?limit=1000').set(admin).expect(200)).body.items;
  return new Map(items.map((p) => [`${p.member}|${p.network}|${p.locale}|${p.slotDate}|${p.slotOrdinal}`, p.text]));
}

describe('npm run cli -- export-templates', () => {
  const out = mkdtempSync(join(tmpdir(), 'exported-templates-'));
  let edited: TestApp;
  let fresh: TestApp | undefined;

  beforeAll(async () => {
    edited = await startTestApp();
  });
  afterAll(async () => {
    await edited.close();
    await fresh?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('writes the messages edited in the browser back to template files: imported into a fresh database, every post reads the same', async () => {
    const hr = (await edited.http.get('/api/campaigns/natc-see-2021/messages/policy-3/hr').set(admin).expect(200)).body;
    const hrText = `Izmijenjeno: "navodnici" & #znak.\n${hr.translation.text}`;
    await edited.http.put('/api/campaigns/natc-see-2021/messages/policy-3/hr').set(admin).send({ revision: 0, text: hrText }).expect(200);
    await edited.http.put('/api/campaigns/natc-see-2021/messages/policy-1/sl').set(admin).send({ revision: 0, text: 'Nova prva objava.\n{{> footer}}', short: null }).expect(200);
    const expected = await textsByPost(edited);

    const run = cli(['export-templates', 'natc-see-2021', '--out', out], { DATABASE_PATH: edited.config.databasePath });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrote 12 file(s) to ${join(out, 'natc-see-2021')}`);
    const hrFile = readFileSync(join(out, 'natc-see-2021', 'hr.yaml'), 'utf8');
    expect(hrFile).toContain('    text: |-\n      Izmijenjeno: "navodnici" & #znak.\n      Države naše regije');
    // Comments and untouched files stay as shipped.
    expect(readFileSync(join(out, 'natc-see-2021', 'en.yaml'), 'utf8')).toBe(readFileSync(join(ROOT, 'templates/natc-see-2021/en.yaml'), 'utf8'));

    fresh = await startTestApp({ templatesDir: out });
    const imported = await textsByPost(fresh);
    expect(imported.size).toBe(expected.size);
    expect([...imported].filter(([key, text]) => expected.get(key) !== text)).toEqual([]);
    expect([...imported.values()].some((text) => text.startsWith('Nova prva objava.'))).toBe(true);
    const messages: { edited: boolean }[] = (await fresh.http.get('/api/campaigns/natc-see-2021/messages').set(admin).expect(200)).body;
    expect(messages.some((m) => m.edited)).toBe(false);
  });
});
