import { ConsoleLogger, INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { CampaignsService } from './campaigns/campaigns.service';
import { securityHeaders } from './common/security-headers';
import { refuseDeepJson } from './common/json-depth';
import type { AppConfig } from './config/config';
import { Database } from './database/database';
import { Readiness } from './health/readiness';
import { Clock, SystemClock } from './time/clock';
import { UsersService } from './users/users.service';

/**
 * Builds the HTTP app (migrations run as the database connects) without listening yet. `jobs`: run
 * the background jobs (the service passes JOBS; tests drive deadlines and the dispatcher by hand).
 */
export async function createApp(config: AppConfig, options: { clock?: Clock; logger?: false; jobs?: boolean } = {}): Promise<NestExpressApplication> {
  const module = AppModule.with(config, options.clock ?? new SystemClock(), { jobs: options.jobs ?? false });
  // An explicit adapter: Nest would otherwise import() it, which Jest's CommonJS runtime cannot.
  const app = await NestFactory.create<NestExpressApplication>(module, new ExpressAdapter(), {
    bodyParser: false,
    // Production logs are one JSON object per line, for the log collector.
    logger: options.logger ?? (config.logFormat === 'json' ? new ConsoleLogger({ json: true }) : undefined),
  });
  // Over BODY_LIMIT → 413 from the Content-Length alone, before the body is read.
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.use(refuseDeepJson());
  app.useBodyParser('urlencoded', { limit: config.bodyLimitBytes, extended: false });
  app.disable('x-powered-by');
  // Before Swagger's routes (registered right below), so /docs gets its headers too.
  app.use(securityHeaders({ https: config.publicUrl.startsWith('https:') }));
  const docs = new DocumentBuilder()
    .setTitle('NATC SEE campaign scheduler')
    .setDescription('Campaigns, posts per member and locale, approvals and publishing. See contract.md.')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, docs));
  return app;
}

/** Start-up work before the service reports healthy: the first admin, then the shipped campaigns. */
export async function prepareApp(app: INestApplication, config: AppConfig): Promise<void> {
  await app.init();
  // Replicas starting together take turns, so the first admin and each campaign are made once.
  const imported = await app.get(Database).exclusively('startup', async () => {
    await app.get(UsersService).ensureBootstrapAdmin(config.bootstrapAdminToken);
    return app.get(CampaignsService).importDirectory();
  });
  if (imported.length > 0) new Logger('Import').log(`imported ${imported.join(', ')}`);
  await app.get(UsersService).explainFirstUser();
  app.get(Readiness).ready = true;
}
