import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface DispatchReport { published: number; first: number; last: number; cpuMs: number }

/**
 * A dispatcher process (dispatch-worker.js) on the database and clock `env` names: `ready` once
 * booted, `go()` starts it (every worker of a run starts together), `done` is its report.
 */
export function dispatchProcess(env: NodeJS.ProcessEnv) {
  // BENCH_WORKER_NODE_OPTIONS: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the dispatchers (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env.BENCH_WORKER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'dispatch-worker.js')], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let ready = () => undefined as void;
  const isReady = new Promise<void>((r) => (ready = r));
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (out.includes('ready\n')) ready();
  });
  const done = new Promise<DispatchReport>((resolve, reject) => child.on('exit', (code) => (code === 0
    ? resolve(JSON.parse(out.trim().split('\n').pop()!) as DispatchReport)
    : reject(new Error(`dispatch worker exited with ${code}`)))));
  return { ready: Promise.race([isReady, done.then(() => undefined)]), go: () => child.stdin.end('go\n'), done };
}

/** One dispatcher process, started as soon as it is ready, until nothing is left to claim. */
export async function dispatchAlone(env: NodeJS.ProcessEnv): Promise<DispatchReport> {
  const worker = dispatchProcess(env);
  await worker.ready;
  worker.go();
  return worker.done;
}
