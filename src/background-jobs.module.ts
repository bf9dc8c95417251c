import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AccountAlertJobs } from './accounts/account-alert-jobs';
import { AccountsModule } from './accounts/accounts.module';
import { ApprovalJobs } from './approvals/approval-jobs';
import { ApprovalsModule } from './approvals/approvals.module';
import { PublishingJobs } from './publishing/publishing-jobs';
import { PublishingModule } from './publishing/publishing.module';
import { ResponseJobs } from './responses/response-jobs';
import { ResponsesModule } from './responses/responses.module';

/**
 * Everything that changes posts by itself: the deadline and reminder job and the dispatcher; and the
 * collection of response figures, which calls the networks on its own too; and the connected accounts'
 * alerts (mail only). Only the
 * service (`npm start`, JOBS=on) imports this module. The CLI, the tests and the benches build the app
 * without it, so no schedule is even registered there: the contract says the CLI never runs a
 * background job, and a job left in a short-lived context once turned posts `missed` and claimed
 * due ones while `cli posts` merely listed them.
 */
@Module({
  imports: [ScheduleModule.forRoot(), AccountsModule, ApprovalsModule, PublishingModule, ResponsesModule],
  providers: [ApprovalJobs, PublishingJobs, ResponseJobs, AccountAlertJobs],
})
export class BackgroundJobsModule {}
