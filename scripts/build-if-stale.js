#!/usr/bin/env node
/**
 * `npm run cli` runs the built CLI (dist/). Building on every call cost 8–19 s even for `validate`;
 * this builds only when dist/ is missing (a fresh clone) or older than a TypeScript source or the
 * compiler settings (after an edit, a pull or a checkout). `npm start` still always builds.
 */
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
// tsc rewrites every output on each build, so the CLI's entry point dates the last build.
const built = join(root, 'dist/cli/main.js');

/** The newest modification time of the files under `dir` that `include` accepts (0 if none). */
function newest(dir, include) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, include));
    else if (include(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

function isStale() {
  if (!existsSync(built)) return 'dist/ is missing';
  // Specs are not built (tsconfig.build.json), so editing one needs no build.
  const sources = newest(join(root, 'src'), (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));
  const settings = ['tsconfig.json', 'tsconfig.build.json'].map((name) => statSync(join(root, name)).mtimeMs);
  return Math.max(sources, ...settings) > statSync(built).mtimeMs ? 'a source changed since the last build' : null;
}

const reason = isStale();
if (reason) {
  process.stderr.write(`building first (${reason})…\n`);
  // Through npm, so the build command stays defined once, in package.json.
  const npm = process.env.npm_execpath;
  const build = npm ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }) : spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: true });
  process.exit(build.status ?? 1);
}
