import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Dispatcher } from './dispatcher.service';

/** The dispatcher's clock: every DISPATCH_INTERVAL_MS (and once at start, to settle any downtime). */
@Injectable()
export class PublishingJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(PublishingJobs.name);

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => this.dispatcher.tick().catch((error) => this.logger.error(`dispatch tick failed: ${(error as Error).stack ?? error}`));
    this.registry.addInterval('dispatcher', setInterval(tick, this.config.publishing.intervalMs));
    void tick();
  }
}
