import { Logger } from '@nestjs/common';
import { createApp, prepareApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
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
