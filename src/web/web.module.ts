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
import { MessagesMenuController, MessagesPageController } from './messages.controller';
import { MessagesModule } from '../messages/messages.module';
import { WebService } from './web.service';

@Module({
  imports: [UsersModule, CampaignsModule, PostsModule, ApprovalsModule, PublishingModule, CalendarModule, MessagesModule],
  controllers: [WebController, MessagesPageController, MessagesMenuController],
  providers: [Views, SessionsService, SignInLinksService, WebService],
})
export class WebModule {}
