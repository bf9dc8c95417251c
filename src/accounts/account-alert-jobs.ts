import { Injectable, Logger } from '@nestjs/common';
import { Interval, Timeout } from '@nestjs/schedule';
import { AccountAlerts } from './account-alerts.service';

/** Hourly is plenty for a warning given days ahead. */
export const ACCOUNT_ALERT_INTERVAL_MS = 60 * 60_000;
/** Also soon after start: replicas redeployed more often than hourly would otherwise never run it. */
const FIRST_RUN_MS = 60_000;

/** The account alerts' clock (service only, like the dispatcher's): it only hands the work on. */
@Injectable()
export class AccountAlertJobs {
  private readonly logger = new Logger(AccountAlertJobs.name);
  private current: Promise<void> | null = null;

  constructor(private readonly alerts: AccountAlerts) {}

  // One schedule per method: @nestjs/schedule keeps a single schedule type per method.
  @Timeout('account-alerts-first', FIRST_RUN_MS)
  firstTick(): void {
    this.tick();
  }

  @Interval('account-alerts', ACCOUNT_ALERT_INTERVAL_MS)
  tick(): void {
    // A run still going (a slow SMTP server) is not joined by another.
    this.current ??= this.alerts.run()
      .then(() => undefined, (error: Error) => this.logger.error(`account alerts failed: ${error.stack ?? error}`))
      .finally(() => { this.current = null; });
  }
}
