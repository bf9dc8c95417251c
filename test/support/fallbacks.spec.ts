import { createServer, Server, Socket } from 'node:net';
import { DEBIAN_CHROMIUM, findChromium, isExecutableFile, NO_CHROMIUM } from './chromium';
import { othersCanReach, probePostgres } from './embedded-postgres';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { slowestTests } = require('./summary-reporter.js') as { slowestTests: (t: { file: string; name: string; duration: number }[]) => string[] };

/** How `npm test` finds its browser and its database on a machine with nothing installed (issue 16 #2). */
describe('which Chromium the browser tests use', () => {
  const packaged = { executablePath: '/tmp/natc-chromium-x/chromium', libDir: '/tmp/natc-chromium-x/al2023/lib' };
  const sources = (env: NodeJS.ProcessEnv, executables: string[], hasPackage = true) => ({
    env,
    isExecutable: (path: string) => executables.includes(path),
    unpackPackaged: async () => (hasPackage ? packaged : undefined),
  });

  it('takes CHROMIUM_PATH first, then Debian’s, then the packaged one with its own libraries', async () => {
    await expect(findChromium(sources({ CHROMIUM_PATH: '/opt/c' }, ['/opt/c', DEBIAN_CHROMIUM]))).resolves.toMatchObject({ executablePath: '/opt/c', source: 'CHROMIUM_PATH' });
    await expect(findChromium(sources({}, [DEBIAN_CHROMIUM]))).resolves.toMatchObject({ executablePath: DEBIAN_CHROMIUM, source: 'debian' });
    await expect(findChromium(sources({ LD_LIBRARY_PATH: '/x' }, []))).resolves.toEqual({
      executablePath: packaged.executablePath,
      source: 'package',
      env: { LD_LIBRARY_PATH: `${packaged.libDir}:/x` },
    });
  });

  it('fails with one line saying how to get one, never skipping', async () => {
    const error = await findChromium(sources({}, [], false)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(NO_CHROMIUM);
    expect(NO_CHROMIUM).not.toContain('\n');
    expect(NO_CHROMIUM).toMatch(/CHROMIUM_PATH.*apt-get install chromium.*npm ci/);
  });

  it('refuses a CHROMIUM_PATH that is not a browser rather than quietly using another', async () => {
    await expect(findChromium(sources({ CHROMIUM_PATH: '/nope' }, [DEBIAN_CHROMIUM]))).rejects.toThrow(/^CHROMIUM_PATH=\/nope is not an executable file/);
  });

  it('does not take a /dev/null bind-mounted over the path for a browser', () => {
    expect(isExecutableFile('/dev/null')).toBe(false);
    expect(isExecutableFile(process.execPath)).toBe(true);
  });
});

describe('whether PostgreSQL answers on a port', () => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  });

  it('says nothing answers where a connection is refused', async () => {
    server = createServer();
    const port = await new Promise<number>((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)));
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(probePostgres(`postgres://postgres@127.0.0.1:${port}/test`)).resolves.toEqual({ answers: false, reason: 'ECONNREFUSED' });
  });

  it('fails loudly, rather than starting another server, when something answers but is not usable', async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.end('nonsense\n');
    });
    const port = await new Promise<number>((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)));
    await expect(probePostgres(`postgres://postgres@127.0.0.1:${port}/test`, 2000)).rejects.toThrow(/answers but cannot be used.*TEST_PG_URL/);
  });

  it('knows a folder other users cannot enter', () => {
    expect(othersCanReach('/')).toBe(true);
    expect(othersCanReach('/nonexistent-folder')).toBe(false);
  });
});

describe('the slowest tests at the end of a run', () => {
  it('lists the ten slowest, slowest first, with file and name', () => {
    const tests = Array.from({ length: 12 }, (_, i) => ({ file: 'a.spec.ts', name: `t${i}`, duration: i * 1000 }));
    const lines = slowestTests(tests);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('   11.0 s  a.spec.ts › t11');
    expect(lines[9]).toContain('t2');
  });
});
