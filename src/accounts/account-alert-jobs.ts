import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AccountAlerts } from './account-alerts.service';

/** Hourly is plenty for a warning given days ahead. */
export const ACCOUNT_ALERT_INTERVAL_MS = 60 * 60_000;

/** The account alerts' clock (service only, like the dispatcher's): it only hands the work on. */
@Injectable()
export class AccountAlertJobs {
  private readonly logger = new Logger(AccountAlertJobs.name);
  private current: Promise<void> | null = null;

  constructor(private readonly alerts: AccountAlerts) {}

  @Interval('account-alerts', ACCOUNT_ALERT_INTERVAL_MS)
  tick(): void {
    // A run still going (a slow SMTP server) is not joined by another.
    this.current ??= this.alerts.run()
      .then(() => undefined, (error: Error) => this.logger.error(`account alerts failed: ${error.stack ?? error}`))
      .finally(() => { this.current = null; });
  }
}
