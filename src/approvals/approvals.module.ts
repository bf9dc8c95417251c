import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsService } from './approvals.service';
import { DeadlinesService } from './deadlines.service';
import { AuditService } from './audit.service';

@Module({
  imports: [PostsModule],
  controllers: [ApprovalsController],
  providers: [ApprovalsService, DeadlinesService, AuditService],
  exports: [ApprovalsService, DeadlinesService],
})
export class ApprovalsModule {}
