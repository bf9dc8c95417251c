/**
 * A dispatcher process for the bench: the service's own modules on the given database, its clock
 * starting at FIXED_NOW and running, ticking until nothing is left to claim. Prints one JSON line when done.
 */
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';
import { Dispatcher } from '../publishing/dispatcher.service';
import { Clock } from '../time/clock';

/**
 * FIXED_NOW, then running as the system clock does: a clock stopped at one instant gave every outcome
 * the same publishedAt, which let the group commit write them all with one UPDATE as no real clock would.
 */
class RunningClock extends Clock {
  private readonly offsetMs = Date.parse(process.env.FIXED_NOW!) - Date.now();
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

async function main() {
  const config = { ...loadConfig(), runJobs: false };
  const app = await NestFactory.createApplicationContext(AppModule.with(config, new RunningClock()), { logger: ['error'] });
  const dispatcher = app.get(Dispatcher);
  // Start together: say ready, then wait for the bench's "go" (sent once every worker is ready; a
  // fixed start time let a worker that booted slowly on a busy machine start late, alone).
  process.stdout.write('ready\n');
  await new Promise<void>((r) => process.stdin.once('data', () => r()));
  process.stdin.pause();
  let published = 0;
  let idle = 0;
  let first = 0;
  let last = 0;
  // The process's CPU (every thread: JavaScript, sqlite3's pool, GC) from the start to the last claiming tick.
  const cpuAtStart = process.cpuUsage();
  let cpu = { user: 0, system: 0 };
  while (idle < 3) {
    const started = Date.now();
    const report = await dispatcher.tick();
    if (report.claimed > 0) {
      first ||= started;
      last = Date.now();
      cpu = process.cpuUsage(cpuAtStart);
    }
    published += report.published + report.handedOver;
    idle = report.claimed === 0 ? idle + 1 : 0;
    if (report.claimed === 0) await new Promise((r) => setTimeout(r, 100));
  }
  await app.close();
  process.stdout.write(`${JSON.stringify({ published, first, last, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
