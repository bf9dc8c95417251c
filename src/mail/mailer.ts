import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Outgoing mail over SMTP_URL; without it, mail is skipped (and said so once). */
@Injectable()
export class Mailer {
  private readonly logger = new Logger(Mailer.name);
  private readonly transport?: Transporter;
  private warned = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.smtpUrl) this.transport = createTransport(config.smtpUrl);
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  async send(mail: Mail): Promise<boolean> {
    if (!this.transport) {
      if (!this.warned) this.logger.warn('SMTP_URL is not set: reminders and alerts are not mailed');
      this.warned = true;
      return false;
    }
    await this.transport.sendMail({ from: this.config.mailFrom, ...mail });
    return true;
  }
}
