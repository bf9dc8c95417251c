import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { PostsModule } from '../posts/posts.module';
import { UsersModule } from '../users/users.module';
import { CalendarTokensService } from './calendar-tokens.service';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

@Module({
  imports: [PostsModule, CampaignsModule, UsersModule],
  controllers: [CalendarController],
  providers: [CalendarService, CalendarTokensService],
  exports: [CalendarService, CalendarTokensService],
})
export class CalendarModule {}
