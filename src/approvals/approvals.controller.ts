import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser } from '../common/decorators';
import { ApprovalsService } from './approvals.service';
import { AuditService } from './audit.service';
import { ApproveDto, BulkApprovalDto, RejectDto, RevisionDto } from './dto/approval-action.dto';

class PendingQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

class AuditQuery {
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @IsOptional()
  @Matches(/^[A-Z]{2,3}$/, { message: 'must be a member code such as SI' })
  member?: string;
}

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api')
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly audit: AuditService,
  ) {}

  @Get('campaigns/:slug/audit')
  @ApiOperation({ summary: 'every change of every post: actor, time, from/to status, comment, text hash (format=json|csv)' })
  auditLog(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Query() query: AuditQuery, @Res() response: Response) {
    return this.audit.export(user, slug, query.format ?? 'json', query.member, response);
  }

  @Post('posts/:id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'draft|rejected → in_review (comms of the member, or secretariat)' })
  submit(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: RevisionDto) {
    return this.approvals.act(user, id, 'submit', body.revision);
  }

  @Post('posts/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: "the current step's role of the post's member (secretariat: any step); after the last step → approved" })
  approve(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: ApproveDto) {
    return this.approvals.act(user, id, 'approve', body.revision, body.comment);
  }

  @Post('posts/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'in_review|approved → rejected; a comment is required' })
  reject(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: RejectDto) {
    return this.approvals.act(user, id, 'reject', body.revision, body.comment);
  }

  @Post('approvals/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'submit many posts (e.g. a week) for approval at once: all or nothing' })
  submitMany(@CurrentUser() user: AuthUser, @Body() body: BulkApprovalDto) {
    return this.approvals.bulk(user, 'submit', body.items);
  }

  @Post('approvals/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'approve many posts (e.g. a week) at once: all or nothing' })
  approveMany(@CurrentUser() user: AuthUser, @Body() body: BulkApprovalDto) {
    return this.approvals.bulk(user, 'approve', body.items, body.comment);
  }

  @Post('approvals/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'reject many posts at once (comment required): all or nothing' })
  rejectMany(@CurrentUser() user: AuthUser, @Body() body: BulkApprovalDto) {
    return this.approvals.bulk(user, 'reject', body.items, body.comment);
  }

  @Get('approvals/pending')
  @ApiOperation({ summary: 'posts awaiting the caller, oldest deadline first' })
  pending(@CurrentUser() user: AuthUser, @Query() query: PendingQuery) {
    return this.approvals.pending(user, query.limit);
  }
}
