import { ConflictException, Controller, Get, Header, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/decorators';
import { InvalidInput } from '../common/errors';
import { REVIEW_DECISIONS, ReviewMessageDto, SaveMessageDto } from '../messages/dto/save-message.dto';
import { MessagesService } from '../messages/messages.service';
import { Form, QueryValue } from './form';
import { messageList, reviewLabel } from './message-list';
import { CurrentSession, WebSessionGuard } from './session.guard';
import type { WebSession } from './sessions.service';
import { pageChrome, WebRequest } from './ui-locale';
import { Views } from './views';
import { WebErrorFilter } from './web-errors';
import { WebService } from './web.service';

/** A textarea sends CRLF line breaks; templates keep LF, as the files and the API's clients write them. */
const lf = (text: string) => text.replace(/\r\n/g, '\n');
const MESSAGE_FORM = { blankIsAbsent: [] as string[] };
const editorPath = (slug: string, key: string, locale: string) => `/campaigns/${encodeURIComponent(slug)}/messages/${encodeURIComponent(key)}/${encodeURIComponent(locale)}`;

/**
 * The message editor (issue 12 #2): every message per locale with its review state, and for one
 * message and locale the English source beside the translation, a preview per member and network
 * with its length against the limit, and save. Forms use the API's DTO; CSRF as every form.
 */
@ApiExcludeController()
@Public()
@Controller('campaigns/:slug/messages')
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class MessagesPageController {
  constructor(
    private readonly views: Views,
    private readonly messages: MessagesService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async list(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string) {
    const chrome = pageChrome(request, session);
    const entries = await this.messages.list(session.user, slug);
    return this.views.render('messages', { ...chrome, title: chrome.i18n.t('editor.listTitle', { campaign: slug }), slug, locales: messageList(entries, chrome.i18n) });
  }

  @Get(':key/:locale')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async editor(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @Param('key') key: string, @Param('locale') locale: string,
    @QueryValue('updated') updated?: string, @QueryValue('reset') reset?: string, @QueryValue('reviewed') reviewed?: string) {
    const model = await this.messages.preview(session.user, slug, key, locale);
    const saved = updated !== undefined ? { updated: Number(updated) || 0, reset: Number(reset) || 0 } : null;
    const decision = REVIEW_DECISIONS.find((d) => d === reviewed) ?? null;
    return this.page(request, session, slug, model, { saved, decision });
  }

  /** A coordinator's (or the secretariat's) national review of the translation, with the revision read. */
  @Post(':key/:locale/review')
  async review(@CurrentSession() session: WebSession, @Param('slug') slug: string, @Param('key') key: string, @Param('locale') locale: string,
    @Form(ReviewMessageDto, { blankIsAbsent: ['comment'] }) form: ReviewMessageDto, @Res() response: Response) {
    await this.messages.review(session.user, slug, key, locale, { ...form, comment: form.comment && lf(form.comment) });
    return response.redirect(303, `${editorPath(slug, key, locale)}?reviewed=${form.decision}`);
  }

  /** The text as typed, rendered for every member and network, saving nothing. */
  @Post(':key/:locale/preview')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async preview(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @Param('key') key: string, @Param('locale') locale: string,
    @Form(SaveMessageDto, MESSAGE_FORM) form: SaveMessageDto, @Res({ passthrough: true }) response: Response) {
    const draft = { text: lf(form.text), short: lf(form.short ?? '') };
    const model = await this.messages.preview(session.user, slug, key, locale, draft);
    if (model.errors.length) response.status(400);
    return this.page(request, session, slug, model, { draft, revision: form.revision });
  }

  @Post(':key/:locale')
  async save(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @Param('key') key: string, @Param('locale') locale: string,
    @Form(SaveMessageDto, MESSAGE_FORM) form: SaveMessageDto, @Res() response: Response) {
    const draft = { text: lf(form.text), short: lf(form.short ?? '') };
    try {
      const result = await this.messages.save(session.user, slug, key, locale, { ...form, ...draft });
      const own = result.plans.find((p) => p.campaign === slug)?.plan;
      return response.redirect(303, `${editorPath(slug, key, locale)}?updated=${own?.updated ?? 0}&reset=${own?.approvalsReset ?? 0}`);
    } catch (error) {
      // Errors in the text go back to the form, beside the field, with what was typed kept.
      if (!(error instanceof InvalidInput) && !(error instanceof ConflictException && /is stale/.test(error.message))) throw error;
      const model = await this.messages.preview(session.user, slug, key, locale);
      const errors = error instanceof InvalidInput ? (error.getResponse() as { errors: { field: string; message: string }[] }).errors : [];
      response.status(error.getStatus()).type('html').send(this.page(request, session, slug, { ...model, errors }, { draft, revision: form.revision, stale: error instanceof ConflictException }));
    }
  }

  private page(request: WebRequest, session: WebSession, slug: string, model: Awaited<ReturnType<MessagesService['preview']>>, state: { draft?: { text: string; short: string }; revision?: number; saved?: { updated: number; reset: number } | null; stale?: boolean; decision?: string | null }) {
    const chrome = pageChrome(request, session);
    const { entry } = model;
    const fieldErrors = (field: string) => model.errors.filter((e) => e.field === field).map((e) => e.message);
    return this.views.render('message', {
      ...chrome,
      title: chrome.i18n.t('editor.title', { key: entry.key, locale: entry.locale }),
      slug, entry, defaultLocale: model.defaultLocale,
      reviewLabel: reviewLabel(chrome.i18n, entry.review),
      canEdit: session.user.role === 'secretariat' && model.campaign.state !== 'archived',
      archived: model.campaign.state === 'archived',
      // Who may review: the secretariat, or a coordinator (the page is refused for another member's locale).
      canReview: ['secretariat', 'coordinator'].includes(session.user.role) && model.campaign.state !== 'archived' && Boolean(entry.translation) && entry.review !== 'source',
      reviewDone: state.decision ? chrome.i18n.t('editor.reviewDone', { decision: state.decision }) : null,
      reviewedWhen: entry.reviewedAt ? new Intl.DateTimeFormat(chrome.i18n.intl, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(entry.reviewedAt)) : null,
      text: state.draft?.text ?? entry.translation?.text ?? '',
      short: state.draft ? state.draft.short : entry.translation?.short ?? '',
      revision: state.revision ?? entry.revision,
      draft: Boolean(state.draft), saved: state.saved, stale: state.stale,
      textErrors: fieldErrors('text'), shortErrors: fieldErrors('short'),
      otherErrors: model.errors.filter((e) => e.field !== 'text' && e.field !== 'short'),
      previews: model.previews.map((p) => ({ ...p, networks: p.networks.map((n) => ({ ...n, lengthLabel: chrome.i18n.t('editor.length', { length: n.length, limit: n.limit }) })) })),
    });
  }
}


/** The menu's "Messages": the first campaign's (as the calendar's and the overview's links do). */
@ApiExcludeController()
@Public()
@Controller('messages')
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class MessagesMenuController {
  constructor(private readonly web: WebService) {}

  @Get()
  async first(@Res() response: Response) {
    const campaigns = await this.web.campaignList();
    const active = campaigns.filter((c) => c.state === 'active');
    const chosen = active[active.length - 1] ?? campaigns[campaigns.length - 1];
    return response.redirect(303, chosen ? `/campaigns/${encodeURIComponent(chosen.slug)}/messages` : '/');
  }
}
