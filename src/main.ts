import { setFlagsFromString } from 'node:v8';
// Grow the old generation by 20% per full collection instead of V8's adaptive (up to 4x) factor:
// streamed exports make garbage fast, and the default let a 100,000-post .ics export grow the
// process by 100+ MB before the first full collection; this keeps it near 15 MB for ~5% more
// CPU time (BENCHMARKS.md). Set before anything is allocated in earnest.
setFlagsFromString('--heap-growing-percent=20');
import { Logger } from '@nestjs/common';
import { createApp, prepareApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config, { jobs: config.runJobs });
  // SIGTERM/SIGINT: stop taking requests and claims, let in-flight publishes finish and record,
  // release unstarted claims (the dispatcher's shutdown hook), then exit 0.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      new Logger('Main').log(`${signal}: shutting down`);
      app.close().then(() => process.exit(0), (error) => {
        console.error(error);
        process.exit(1);
      });
    });
  }
  await prepareApp(app, config);
  await app.listen(config.port);
  new Logger('Main').log(`listening on http://localhost:${config.port} (${config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.databasePath}`}); API docs at /docs`);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
