import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
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
import { SettingsController } from './settings.controller';
import { EditionsController } from './editions.controller';
import { AccountsWebController } from './accounts-web.controller';
import { UnconfirmedWebController } from './unconfirmed-web.controller';
import { PostMediaController } from './post-media.controller';
import { MediaModule } from '../media/media.module';
import { MessagesMenuController, MessagesPageController } from './messages.controller';
import { MessagesModule } from '../messages/messages.module';
import { WebService } from './web.service';
import { ReportsModule } from '../reports/reports.module';
import { ReportController, ReportPdfController } from './report.controller';
import { ReportPageService } from './report-page.service';

@Module({
  imports: [AccountsModule, UsersModule, CampaignsModule, PostsModule, ApprovalsModule, PublishingModule, CalendarModule, MediaModule, ReportsModule, MessagesModule],
  controllers: [WebController, SettingsController, EditionsController, AccountsWebController, UnconfirmedWebController, PostMediaController, ReportController, ReportPdfController, MessagesPageController, MessagesMenuController],
  providers: [Views, SessionsService, SignInLinksService, WebService, ReportPageService],
})
export class WebModule {}
