import { Body, Controller, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RevisionDto } from '../approvals/dto/approval-action.dto';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/decorators';
import { MarkPublishedDto } from './dto/mark-published.dto';
import { PublishingService } from './publishing.service';

@ApiTags('publishing')
@ApiBearerAuth()
@Controller('api/posts')
export class PublishingController {
  constructor(private readonly publishing: PublishingService) {}

  @Post(':id/published')
  @HttpCode(200)
  @ApiOperation({ summary: 'a post made by hand (manual channels, or after a failure) → published, with its URL' })
  markPublished(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: MarkPublishedDto) {
    return this.publishing.markPublished(user, id, body.revision, body.url, body.id ?? null);
  }

  @Post(':id/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'unconfirmed → approved (comms of the member, or secretariat): nobody found it on the network, so it is sent again' })
  resend(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: RevisionDto) {
    return this.publishing.resend(user, id, body.revision);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'failed → approved: sent again under the same idempotency key' })
  retry(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: RevisionDto) {
    return this.publishing.retry(user, id, body.revision);
  }
}
