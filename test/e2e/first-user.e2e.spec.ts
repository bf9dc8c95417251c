import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ServiceProcess } from '../support/service-process';
import { ROOT } from '../support/test-app';

const HINT_TOKEN = 'BOOTSTRAP_ADMIN_TOKEN=<at least 24 characters> npm start';
const HINT_CLI = 'npm run cli -- add-user --name "Your Name" --role secretariat';

/**
 * `npm start` on a fresh database, as a newcomer runs it (the built service in its own process):
 * without a user and without BOOTSTRAP_ADMIN_TOKEN, the log says how to make the first user.
 */
describe('the first user', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scheduler-first-user-'));
  const noCampaigns = join(dir, 'campaigns');
  mkdirSync(noCampaigns);
  const running: ServiceProcess[] = [];
  afterEach(() => running.splice(0).forEach((s) => s.exitCode === null && s.kill('SIGKILL')));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function startService(name: string, env: Record<string, string>) {
    const log = join(dir, `${name}.log`);
    const service = new ServiceProcess(name, await freePort(), { CAMPAIGNS_DIR: noCampaigns, JOBS: 'on', LOG_FORMAT: 'text', ...env }, log);
    running.push(service);
    await service.start();
    // Healthy comes first; the log reaches its file through a pipe a moment later.
    const read = () => readFileSync(log, 'utf8');
    for (const deadline = Date.now() + 10_000; !read().includes('listening on') && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    return { service, log: read };
  }
  async function stop(service: ServiceProcess) {
    service.kill('SIGTERM');
    expect(await service.exited()).toBe(0);
  }
  const campaigns = (url: string, token: string) => fetch(`${url}/api/campaigns`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);

  it('explains both ways to create it, the CLI way works, and then the hint is gone', async () => {
    const databasePath = join(dir, 'cli-way.sqlite');
    const first = await startService('no-user', { DATABASE_PATH: databasePath, BOOTSTRAP_ADMIN_TOKEN: '' });
    expect(first.log()).toContain(HINT_TOKEN);
    expect(first.log()).toContain(HINT_CLI);
    // The service (not only the CLI's absence of them) runs its jobs: the dispatcher has looked.
    const health = (await (await fetch(`${first.service.url}/health`)).json()) as { dispatcher: { lastTick: string | null } };
    expect(health.dispatcher.lastTick).not.toBeNull();
    await stop(first.service);

    const added = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'add-user', '--name', 'Your Name', '--role', 'secretariat'], {
      cwd: ROOT, env: { ...process.env, DATABASE_PATH: databasePath }, encoding: 'utf8', timeout: 60_000,
    });
    expect(added.status).toBe(0);
    const token = /token \(shown once, store it now\): (\S+)/.exec(added.stdout)![1];

    const again = await startService('cli-user', { DATABASE_PATH: databasePath, BOOTSTRAP_ADMIN_TOKEN: '' });
    expect(again.log()).not.toContain(HINT_TOKEN);
    expect(await campaigns(again.service.url, token)).toBe(200);
    await stop(again.service);
  });

  it('says nothing of it when BOOTSTRAP_ADMIN_TOKEN makes the first user', async () => {
    const token = 'a-first-secret-of-at-least-24-characters';
    const started = await startService('bootstrap', { DATABASE_PATH: join(dir, 'token-way.sqlite'), BOOTSTRAP_ADMIN_TOKEN: token });
    expect(started.log()).toContain('created the bootstrap secretariat user');
    expect(started.log()).not.toContain(HINT_TOKEN);
    expect(await campaigns(started.service.url, token)).toBe(200);
    await stop(started.service);
  });
});
