/**
 * What the commands that open the database need, loaded only by them: `validate` and the usage text
 * need none of it, and requiring it cost each CLI run over a second of CPU.
 */
export { NestFactory } from '@nestjs/core';
export { AppModule } from '../app.module';
export { CampaignsService } from '../campaigns/campaigns.service';
export { EditionsService } from '../campaigns/editions.service';
export { MessagesService } from '../messages/messages.service';
export { PostsService } from '../posts/posts.service';
export { ReportsService } from '../reports/reports.service';
export { UsersService } from '../users/users.service';
export { ReportPageService } from '../web/report-page.service';
