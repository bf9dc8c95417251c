import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../time/clock';
import { DeadlinesService } from './deadlines.service';

/** The approval workflow's clock: every minute, hand the work to the deadlines service. */
@Injectable()
export class ApprovalJobs {
  private readonly logger = new Logger(ApprovalJobs.name);
  private running = false;

  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly clock: Clock,
  ) {}

  @Interval('approval-deadlines', 60_000)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const now = this.clock.now();
      await this.deadlines.markMissed(now);
      await this.deadlines.sendReminders(now);
    } catch (error) {
      this.logger.error(`deadline tick failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
