import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ResponseCollector } from './response-collector.service';

/** Often enough for the hourly reads of the first two days; each run reads a bounded batch. */
export const COLLECT_INTERVAL_MS = 5 * 60_000;

/** The response collection's clock (service only, like the dispatcher's). Runs never overlap. */
@Injectable()
export class ResponseJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResponseJobs.name);
  private running = false;

  constructor(private readonly collector: ResponseCollector, private readonly registry: SchedulerRegistry) {}

  onApplicationBootstrap(): void {
    const run = async () => {
      if (this.running) return;
      this.running = true;
      try {
        await this.collector.collect();
      } catch (error) {
        this.logger.error(`response collection failed: ${(error as Error).stack ?? error}`);
      } finally {
        this.running = false;
      }
    };
    this.registry.addInterval('responses', setInterval(() => void run(), COLLECT_INTERVAL_MS));
  }
}
