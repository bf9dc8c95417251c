import { Body, Controller, ForbiddenException, Get, Header, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import { ApprovalsService } from '../approvals/approvals.service';
import { Public } from '../common/decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PostsService } from '../posts/posts.service';
import { PublishingService } from '../publishing/publishing.service';
import { CalendarService } from '../calendar/calendar.service';
import { CalendarTokensService } from '../calendar/calendar-tokens.service';
import { SESSION_COOKIE, SessionsService, WebSession } from './sessions.service';
import { pickUiLocale } from './calendar-grid';
import { SignInRequired, WebErrorFilter } from './web-errors';
import { WebService } from './web.service';
import { Views } from './views';

const UI_LOCALES = ['en', 'sq', 'bs', 'bg', 'hr', 'sr-Latn', 'sr-Cyrl', 'ro', 'cnr', 'mk', 'sl'];
type Form = Record<string, string | undefined>;

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * The web interface: server-rendered pages over the same services as the API. A session cookie
 * (HttpOnly, SameSite=Lax) stands for the signed-in user; every form carries the session's CSRF token.
 */
@ApiExcludeController()
@Public()
@Controller()
@UseFilters(WebErrorFilter)
export class WebController {
  constructor(
    private readonly views: Views,
    private readonly sessions: SessionsService,
    private readonly web: WebService,
    private readonly posts: PostsService,
    private readonly approvals: ApprovalsService,
    private readonly publishing: PublishingService,
    private readonly calendarExport: CalendarService,
    private readonly calendarTokens: CalendarTokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('app.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css() {
    return this.views.css;
  }

  @Get('login')
  @Header('Content-Type', 'text/html; charset=utf-8')
  loginPage(@Query('next') next?: string, @Query('error') error?: string) {
    return this.views.render('login', { title: 'Sign in', next: safeNext(next), error: error ? 'That token is not valid, or was revoked.' : null });
  }

  @Post('login')
  async login(@Body() form: Form, @Res() response: Response) {
    const signedIn = typeof form.token === 'string' ? await this.sessions.signIn(form.token) : null;
    if (!signedIn) return response.redirect(303, `/login?error=1&next=${encodeURIComponent(safeNext(form.next))}`);
    response.cookie(SESSION_COOKIE, signedIn.sessionId, {
      httpOnly: true, sameSite: 'lax', secure: this.config.publicUrl.startsWith('https:'), path: '/', maxAge: 12 * 3600_000,
    });
    return response.redirect(303, safeNext(form.next));
  }

  @Post('logout')
  async logout(@Req() request: Request, @Body() form: Form, @Res() response: Response) {
    const session = await this.session(request);
    this.checkCsrf(session, form);
    await this.sessions.signOut(cookie(request, SESSION_COOKIE));
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    return response.redirect(303, '/login');
  }

  @Get()
  async home(@Req() request: Request, @Res() response: Response) {
    await this.session(request);
    const [first] = await this.web.campaignList();
    return response.redirect(303, first ? `/campaigns/${first.slug}/calendar` : '/approvals');
  }

  @Get('campaigns/:slug/calendar')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async calendar(@Req() request: Request, @Param('slug') slug: string, @Query('member') member?: string) {
    const session = await this.session(request);
    const ui = this.uiLocale(request);
    const model = await this.web.calendar(session.user, slug, member || undefined, ui);
    return this.page(session, ui, 'calendar', { title: `${model.campaign.name} — calendar`, ...model, calendarUrl: `/campaigns/${slug}/calendar` });
  }

  @Get('overview')
  async firstOverview(@Req() request: Request, @Res() response: Response) {
    await this.session(request);
    const [first] = await this.web.campaignList();
    return response.redirect(303, first ? `/campaigns/${first.slug}/overview` : '/');
  }

  @Get('campaigns/:slug/overview')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async overview(@Req() request: Request, @Param('slug') slug: string) {
    const session = await this.session(request);
    if (session.user.role !== 'secretariat') throw new ForbiddenException('the overview is for the secretariat');
    const model = await this.web.overview(slug);
    return this.page(session, this.uiLocale(request), 'overview', { title: `${model.campaign.name} — overview`, ...model });
  }

  @Get('posts/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async post(@Req() request: Request, @Param('id', ParseIntPipe) id: number, @Query('done') done?: string) {
    const session = await this.session(request);
    const ui = this.uiLocale(request);
    const model = await this.web.post(session.user, id, ui);
    return this.page(session, ui, 'post', { title: `Post ${id}`, ...model, done: done ? `Done: ${done}.` : null });
  }

  @Post('posts/:id/:action')
  @HttpCode(303)
  async act(@Req() request: Request, @Param('id', ParseIntPipe) id: number, @Param('action') action: string, @Body() form: Form, @Res() response: Response) {
    const session = await this.session(request);
    this.checkCsrf(session, form);
    const user = session.user;
    const revision = Number(form.revision);
    switch (action) {
      case 'submit':
      case 'approve':
      case 'reject':
        await this.approvals.act(user, id, action, revision, form.comment || undefined);
        break;
      case 'edit':
        await this.posts.edit(user, id, { revision, text: form.text === undefined ? undefined : form.text.replace(/\r\n/g, '\n'), localTime: form.localTime || undefined });
        break;
      case 'published':
        await this.publishing.markPublished(user, id, revision, String(form.url ?? ''));
        break;
      case 'retry':
        await this.publishing.retry(user, id, revision);
        break;
      default:
        throw new ForbiddenException(`unknown action ${action}`);
    }
    return response.redirect(303, `/posts/${id}?done=${encodeURIComponent(action)}`);
  }

  /** Downloads for the signed-in user (the API's own routes take a bearer or calendar token). */
  @Get('campaigns/:slug/export.:format')
  async download(@Req() request: Request, @Param('slug') slug: string, @Param('format') format: string, @Query('member') member: string | undefined, @Res() response: Response) {
    const session = await this.session(request);
    if (format !== 'ics' && format !== 'csv') throw new ForbiddenException(`no ${format} export`);
    await this.calendarExport.exportFor(session.user, format, slug, { member: member || undefined }, response);
  }

  @Get('calendar-subscription')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async subscription(@Req() request: Request, @Query('campaign') campaign?: string) {
    const session = await this.session(request);
    const tokens = await this.calendarTokens.list(session.user);
    return this.page(session, this.uiLocale(request), 'subscription', { title: 'Calendar subscription', campaign: campaign ?? '', tokens, created: null });
  }

  @Post('calendar-subscription')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async subscribe(@Req() request: Request, @Body() form: Form) {
    const session = await this.session(request);
    this.checkCsrf(session, form);
    if (form.revoke) await this.calendarTokens.revoke(session.user, Number(form.revoke));
    const created = form.revoke ? null : await this.calendarTokens.create(session.user, form.campaign || undefined);
    const tokens = await this.calendarTokens.list(session.user);
    return this.page(session, this.uiLocale(request), 'subscription', { title: 'Calendar subscription', campaign: form.campaign ?? '', tokens, created });
  }

  @Get('approvals')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async approvalsPage(@Req() request: Request, @Query('done') done?: string) {
    const session = await this.session(request);
    const weeks = await this.web.pending(session.user);
    return this.page(session, this.uiLocale(request), 'approvals', { title: 'Approval queue', weeks, done: done ? `Done: ${done}.` : null });
  }

  @Post('approvals/:action')
  async bulk(@Req() request: Request, @Param('action') action: string, @Body() form: Form, @Res() response: Response) {
    const session = await this.session(request);
    this.checkCsrf(session, form);
    if (action !== 'approve' && action !== 'reject') throw new ForbiddenException(`unknown action ${action}`);
    const items = JSON.parse(form.items ?? '[]') as { id: number; revision: number }[];
    const result = await this.approvals.bulk(session.user, action, items, form.comment || undefined);
    return response.redirect(303, `/approvals?done=${encodeURIComponent(`${action}d ${result.items.length} post(s)`)}`);
  }

  private async session(request: Request): Promise<WebSession> {
    const session = await this.sessions.find(cookie(request, SESSION_COOKIE));
    if (!session) throw new SignInRequired();
    return session;
  }

  private checkCsrf(session: WebSession, form: Form): void {
    if (!SessionsService.csrfMatches(session, form?._csrf)) throw new ForbiddenException('this form has expired: reload the page and try again');
  }

  private uiLocale(request: Request): string {
    return pickUiLocale(request.query.lang, request.headers['accept-language'], UI_LOCALES);
  }

  private page(session: WebSession, ui: string, view: string, context: Record<string, unknown>): string {
    return this.views.render(view, { ...context, lang: ui, user: session.user, csrf: session.csrfToken, secretariat: session.user.role === 'secretariat' });
  }
}

/** Only our own paths: a sign-in link must not send the browser elsewhere. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
