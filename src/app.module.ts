import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AccountsModule } from './accounts/accounts.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { MailModule } from './mail/mail.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { AuthGuard } from './common/auth.guard';
import { ErrorFilter } from './common/error.filter';
import { TokenAttempts, TokenLimitGuard } from './common/token-attempts';
import { createValidationPipe } from './common/validation';
import { BackgroundJobsModule } from './background-jobs.module';
import { APP_CONFIG, AppConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { HealthModule, MetricsModule } from './health/health.module';
import { PublishingModule } from './publishing/publishing.module';
import { Readiness } from './health/readiness';
import { PostsModule } from './posts/posts.module';
import { SecretStore } from './publishing/secrets';
import { Shutdown } from './common/shutdown';
import { Clock, SystemClock } from './time/clock';
import { UsersModule } from './users/users.module';
import { CalendarModule } from './calendar/calendar.module';
import { WebModule } from './web/web.module';
import { MediaModule } from './media/media.module';
import { ReportsModule } from './reports/reports.module';
import { MessagesModule } from './messages/messages.module';
import { ResponsesModule } from './responses/responses.module';

@Global()
@Module({})
class CoreModule {
  static with(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: SecretStore, useFactory: () => new SecretStore(process.env, config.secretsFile) },
        Readiness,
        TokenAttempts,
        Shutdown,
      ],
      exports: [APP_CONFIG, Clock, SecretStore, Readiness, TokenAttempts, Shutdown],
    };
  }
}

@Module({})
export class AppModule {
  /**
   * The whole service; tests pass their own config (a temporary database) and a fixed clock.
   * Background jobs are off unless asked for: only the service turns them on (main.ts, JOBS).
   */
  static with(config: AppConfig, clock: Clock = new SystemClock(), options: { jobs?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.with(config, clock), ...(options.jobs ? [BackgroundJobsModule] : []), DatabaseModule, MailModule, MetricsModule, UsersModule, AccountsModule, MediaModule, CampaignsModule, PostsModule, ApprovalsModule, PublishingModule, ResponsesModule, HealthModule, CalendarModule, ReportsModule, MessagesModule, WebModule],
      providers: [
        // Guards run in this order: the bad-token limit comes before any token is looked at.
        { provide: APP_GUARD, useClass: TokenLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
