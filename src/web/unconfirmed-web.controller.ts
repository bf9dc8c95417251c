import { Controller, Param, ParseIntPipe, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RevisionDto } from '../approvals/dto/approval-action.dto';
import { Public } from '../common/decorators';
import { PublishingService } from '../publishing/publishing.service';
import { Form } from './form';
import { WebSession } from './sessions.service';
import { CurrentSession, WebSessionGuard } from './session.guard';
import { WebErrorFilter } from './web-errors';

/** "Send again" on an unconfirmed post's page ("it was published" is the existing /posts/:id/published form). */
@ApiExcludeController()
@Public()
@Controller('posts')
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class UnconfirmedWebController {
  constructor(private readonly publishing: PublishingService) {}

  @Post(':id/resend')
  async resend(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(RevisionDto) form: RevisionDto, @Res() response: Response) {
    await this.publishing.resend(session.user, id, form.revision);
    response.redirect(303, `/posts/${id}?done=retry`);
  }
}
