import { ConflictException, Controller, Get, Header, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/decorators';
import { CampaignsService } from '../campaigns/campaigns.service';
import { EditionsService } from '../campaigns/editions.service';
import { Form } from './form';
import { EditionForm } from './settings.forms';
import { secretariatOnly, validationErrors } from './settings.controller';
import { CurrentSession, WebSessionGuard } from './session.guard';
import type { WebSession } from './sessions.service';
import { pageChrome, WebRequest } from './ui-locale';
import { Views } from './views';
import { WebErrorFilter } from './web-errors';

/** The campaign page's "new edition" button: a small form over the API's EditionsService. */
@ApiExcludeController()
@Public()
@Controller('campaigns/:slug/edition')
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class EditionsController {
  constructor(
    private readonly views: Views,
    private readonly campaigns: CampaignsService,
    private readonly editions: EditionsService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string) {
    secretariatOnly(session, 'make a new edition');
    return this.form(request, session, slug, {}, []);
  }

  @Post()
  async create(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @Form(EditionForm, { blankIsAbsent: ['name'] }) form: EditionForm, @Res() response: Response) {
    secretariatOnly(session, 'make a new edition');
    try {
      const result = await this.editions.create(slug, { ...form }, session.user);
      response.redirect(303, `/campaigns/${encodeURIComponent(result.campaign.slug)}/calendar?edition=${encodeURIComponent(slug)}`);
    } catch (error) {
      // A weekday or a slug taken: the form again, the message at its field (the API's 400 and 409).
      const problems = validationErrors(error) ?? (error instanceof ConflictException ? [{ field: 'slug', message: String((error.getResponse() as { message?: string }).message ?? error.message) }] : null);
      if (!problems) throw error;
      response.status(error instanceof ConflictException ? 409 : 400).type('html').send(await this.form(request, session, slug, form, problems));
    }
  }

  private async form(request: WebRequest, session: WebSession, slug: string, values: Partial<EditionForm>, errors: { field: string; message: string }[]) {
    const chrome = pageChrome(request, session);
    const { summary } = await this.campaigns.stored(slug);
    const at = (field: string) => errors.filter((e) => e.field === field).map((e) => e.message).join('; ') || null;
    const others = errors.filter((e) => !['slug', 'start', 'name'].includes(e.field)).map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
    return this.views.render('edition', {
      ...chrome, title: chrome.i18n.t('edition.title', { campaign: summary.name }), campaign: summary, values,
      errors: { slug: at('slug'), start: at('start'), name: at('name') }, others, errorCount: errors.length,
    });
  }
}
