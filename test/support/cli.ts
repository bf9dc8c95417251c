import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './test-app';

/**
 * The built CLI (dist/), run as the secretariat would, without blocking this process: a loopback
 * server or the service started by the test must stay able to answer while the CLI runs.
 */
export function cliAsync(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
