import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './test-app';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The built service (`node dist/main.js`) as its own process, the way `npm start` runs it. */
export class ServiceProcess {
  private child?: ChildProcess;
  exitCode: number | null = null;
  readonly url: string;

  constructor(
    readonly name: string,
    private readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.exitCode = null;
    this.child = spawn(process.execPath, [join(ROOT, 'dist/main.js')], { cwd: ROOT, env: { ...process.env, ...this.env, PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.pipe(log);
    this.child.stderr!.pipe(log);
    this.child.on('exit', (code, signal) => (this.exitCode = code ?? (signal ? 128 : -1)));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== null) throw new Error(`${this.name} exited with ${this.exitCode} while starting (log: ${this.logFile})`);
      const ok = await fetch(`${this.url}/health`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} did not become healthy in ${timeoutMs} ms (log: ${this.logFile})`);
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** Resolves with the exit code once the process is gone. */
  async exited(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (this.exitCode === null) {
      this.child?.kill('SIGKILL');
      throw new Error(`${this.name} did not exit in ${timeoutMs} ms`);
    }
    return this.exitCode;
  }
}
