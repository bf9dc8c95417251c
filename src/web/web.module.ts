import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { CalendarModule } from '../calendar/calendar.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { PostsModule } from '../posts/posts.module';
import { PublishingModule } from '../publishing/publishing.module';
import { UsersModule } from '../users/users.module';
import { SessionsService } from './sessions.service';
import { SignInLinksService } from './sign-in-links.service';
import { Views } from './views';
import { WebController } from './web.controller';
import { WebService } from './web.service';
import { ReportsModule } from '../reports/reports.module';
import { ReportController, ReportPdfController } from './report.controller';
import { ReportPageService } from './report-page.service';

@Module({
  imports: [UsersModule, CampaignsModule, PostsModule, ApprovalsModule, PublishingModule, CalendarModule, ReportsModule],
  controllers: [WebController, ReportController, ReportPdfController],
  providers: [Views, SessionsService, SignInLinksService, WebService, ReportPageService],
})
export class WebModule {}
