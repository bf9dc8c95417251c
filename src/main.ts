import { Logger } from '@nestjs/common';
import { createApp, prepareApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  app.enableShutdownHooks();
  await prepareApp(app, config);
  await app.listen(config.port);
  new Logger('Main').log(`listening on http://localhost:${config.port} (${config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.databasePath}`}); API docs at /docs`);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
