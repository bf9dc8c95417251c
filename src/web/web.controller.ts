import { Controller, ForbiddenException, Get, Header, HttpCode, Inject, Param, ParseIntPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApprovalsService } from '../approvals/approvals.service';
import { ApproveDto, BulkApprovalDto, RejectDto, RevisionDto } from '../approvals/dto/approval-action.dto';
import { Public } from '../common/decorators';
import { cookieOf, TokenAttempts, TooManyBadTokens } from '../common/token-attempts';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EditPostDto } from '../posts/dto/edit-post.dto';
import { ReopenPostDto } from '../posts/dto/reopen-post.dto';
import { PostsService } from '../posts/posts.service';
import { MarkPublishedDto } from '../publishing/dto/mark-published.dto';
import { PublishingService } from '../publishing/publishing.service';
import { CalendarService } from '../calendar/calendar.service';
import { CalendarTokensService } from '../calendar/calendar-tokens.service';
import { SESSION_COOKIE, SessionsService, WebSession } from './sessions.service';
import { Form, QueryValue, queryValues } from './form';
import { calendarPageLinks } from './calendar-links';
import { parseCalendarFilters } from './calendar-filters';
import { LanguageForm, SignInForm, SignInLinkForm, SignInLinkRequestForm, SubscriptionForm } from './forms';
import { safeNext } from './safe-next';
import { SignInLinksService } from './sign-in-links.service';
import { normalizeEmail, SIGN_IN_LINK_MINUTES } from './sign-in-links';
import { CurrentSession, NoSession, WebSessionGuard } from './session.guard';
import { WebErrorFilter } from './web-errors';
import { WebService } from './web.service';
import { Views } from './views';
import { isUiLocale } from '../i18n/i18n';
import { UsersService } from '../users/users.service';
import { LANGUAGE_COOKIE, LANGUAGE_COOKIE_OPTIONS, pageChrome, WebRequest } from './ui-locale';

const CALENDAR_QUERY = ['member', 'network', 'locale', 'theme', 'status', 'q', 'week', 'view'];
/**
 * A week's form carries the posts ticked (`pick`, `id:revision` each) and, when "all of this week" is
 * ticked, the whole week as JSON in `items`; the API's DTO caps and checks the merged list.
 */
const WEEK_FORM = { json: ['items'], blankIsAbsent: ['comment'], selection: { field: 'pick', into: 'items' } };

/**
 * The web interface: server-rendered pages over the same services as the API. A session cookie
 * (HttpOnly, SameSite=Lax) stands for the signed-in user; WebSessionGuard checks it, and the CSRF
 * token of every form, before any handler runs. Forms are validated with the API's own DTOs.
 * @Public(): no bearer token here (the API's guard); pages authenticate by session instead.
 */
@ApiExcludeController()
@Public()
@Controller()
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class WebController {
  constructor(
    private readonly views: Views,
    private readonly sessions: SessionsService,
    private readonly attempts: TokenAttempts,
    private readonly web: WebService,
    private readonly posts: PostsService,
    private readonly approvals: ApprovalsService,
    private readonly publishing: PublishingService,
    private readonly calendarExport: CalendarService,
    private readonly calendarTokens: CalendarTokensService,
    private readonly users: UsersService,
    private readonly links: SignInLinksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @NoSession()
  @Get('app.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css() {
    return this.views.css;
  }

  @NoSession()
  @Get('app.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  script() {
    return this.views.script;
  }

  @NoSession()
  @Get('login')
  @Header('Content-Type', 'text/html; charset=utf-8')
  loginPage(@Req() request: WebRequest, @Res({ passthrough: true }) response: Response, @QueryValue('next') next?: string, @QueryValue('error') error?: string, @QueryValue('lang') lang?: string) {
    // Signed out, the switcher comes here with ?lang=: kept in a cookie until the user signs in and saves one.
    if (isUiLocale(lang)) response.cookie(LANGUAGE_COOKIE, lang, { ...LANGUAGE_COOKIE_OPTIONS, secure: this.secureCookies });
    const chrome = pageChrome(request, undefined, isUiLocale(lang) ? lang : undefined);
    // The switcher here comes back to this page with the same page to go to after signing in.
    const after = this.safeNext(next);
    return this.views.render('login', {
      ...chrome, here: after, title: chrome.i18n.t('login.title'), next: after,
      error: Boolean(error) && error !== 'link', linkError: error === 'link', mailLinks: this.links.enabled,
    });
  }

  /**
   * "E-mail me a sign-in link": the same page whether or not the address is anyone's (no way to
   * learn who has an account), the mail sent after the answer so that timing tells nothing either.
   * Each request counts against its address and the e-mail address it names.
   */
  @NoSession()
  @Post('login/email')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async emailLink(@Req() request: WebRequest, @Form(SignInLinkRequestForm) form: SignInLinkRequestForm, @Res({ passthrough: true }) response: Response) {
    const wait = this.attempts.counted(request, `email:${normalizeEmail(form.email)}`);
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      throw new TooManyBadTokens(wait);
    }
    this.links.sendInBackground(form.email);
    const chrome = pageChrome(request);
    return this.views.render('login', { ...chrome, here: '/login', title: chrome.i18n.t('login.title'), next: '/', linkSent: true, linkMinutes: SIGN_IN_LINK_MINUTES, mailLinks: true });
  }

  /** The link from the e-mail: a page with a button, never a sign-in by itself (mail scanners open links). */
  @NoSession()
  @Get('login/link')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async linkPage(@Req() request: WebRequest, @Res() response: Response, @QueryValue('token') token?: string) {
    if (!token || !(await this.links.isUsable(token))) {
      this.attempts.failed(request);
      return response.redirect(303, '/login?error=link');
    }
    const chrome = pageChrome(request);
    response.send(this.views.render('login-link', { ...chrome, here: '/login', title: chrome.i18n.t('login.linkTitle'), token }));
  }

  @NoSession()
  @Post('login/link')
  async useLink(@Req() request: Request, @Form(SignInLinkForm) form: SignInLinkForm, @Res() response: Response) {
    const user = await this.links.use(form.token);
    if (!user) {
      this.attempts.failed(request);
      return response.redirect(303, '/login?error=link');
    }
    return this.startSession(response, (await this.sessions.open(user)).sessionId, '/');
  }

  /** The language switcher, signed in: saved for the user (pages and e-mails), then back to the page. */
  @Post('language')
  async language(@CurrentSession() session: WebSession, @Form(LanguageForm) form: LanguageForm, @Res() response: Response) {
    await this.users.setUiLocale(session.user.id, form.lang);
    response.cookie(LANGUAGE_COOKIE, form.lang, { ...LANGUAGE_COOKIE_OPTIONS, secure: this.secureCookies });
    return response.redirect(303, this.safeNext(form.next));
  }

  @NoSession()
  @Post('login')
  async login(@Req() request: Request, @Form(SignInForm) form: SignInForm, @Res() response: Response) {
    const signedIn = await this.sessions.signIn(form.token);
    const next = this.safeNext(form.next);
    if (!signedIn) {
      this.attempts.failed(request);
      return response.redirect(303, `/login?error=1&next=${encodeURIComponent(next)}`);
    }
    return this.startSession(response, signedIn.sessionId, next);
  }

  /** The session cookie (HttpOnly, SameSite=Lax; Secure over https), then on to the page. */
  private startSession(response: Response, sessionId: string, next: string): void {
    response.cookie(SESSION_COOKIE, sessionId, {
      httpOnly: true, sameSite: 'lax', secure: this.secureCookies, path: '/', maxAge: 12 * 3600_000,
    });
    response.redirect(303, next);
  }

  @Post('logout')
  async logout(@Req() request: Request, @Res() response: Response) {
    await this.sessions.signOut(cookieOf(request, SESSION_COOKIE));
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    return response.redirect(303, '/login');
  }

  @Get()
  async home(@Res() response: Response) {
    const [first] = await this.web.campaignList();
    return response.redirect(303, first ? `/campaigns/${first.slug}/calendar` : '/approvals');
  }

  @Get('campaigns/:slug/calendar')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async calendar(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string) {
    const chrome = pageChrome(request, session);
    const filters = parseCalendarFilters(queryValues(request.query as Record<string, unknown>, CALENDAR_QUERY));
    const model = await this.web.calendar(session.user, slug, filters, chrome.i18n);
    // Just made by the "new edition" form (editions.controller.ts): say what it shares and what to check.
    const editionOf = chrome.secretariat ? queryValues(request.query as Record<string, unknown>, ['edition']).edition : undefined;
    return this.views.render('calendar', {
      ...chrome, title: chrome.i18n.t('calendar.title', { campaign: model.campaign.name }), ...model, editionOf,
      ...calendarPageLinks(`/campaigns/${slug}/calendar`, { ...filters, member: model.member || undefined }, model),
    });
  }

  @Get('overview')
  async firstOverview(@Res() response: Response) {
    const [first] = await this.web.campaignList();
    return response.redirect(303, first ? `/campaigns/${first.slug}/overview` : '/');
  }

  @Get('campaigns/:slug/overview')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async overview(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string) {
    if (session.user.role !== 'secretariat') throw new ForbiddenException('the overview is for the secretariat');
    const chrome = pageChrome(request, session);
    const model = await this.web.overview(slug, chrome.i18n);
    return this.views.render('overview', { ...chrome, title: chrome.i18n.t('overview.title', { campaign: model.campaign.name }), ...model });
  }

  @Get('posts/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async post(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @QueryValue('done') done?: string) {
    const chrome = pageChrome(request, session);
    const model = await this.web.post(session.user, id, chrome.i18n);
    return this.views.render('post', { ...chrome, title: chrome.i18n.t('post.title', { id }), ...model, done: done ? chrome.i18n.t('post.done', { action: done }) : null });
  }

  // One route per action, each with the DTO of its API route.
  @Post('posts/:id/submit')
  async submit(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(RevisionDto) form: RevisionDto, @Res() response: Response) {
    await this.approvals.act(session.user, id, 'submit', form.revision);
    return done(response, id, 'submit');
  }

  @Post('posts/:id/approve')
  async approve(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(ApproveDto, { blankIsAbsent: ['comment'] }) form: ApproveDto, @Res() response: Response) {
    await this.approvals.act(session.user, id, 'approve', form.revision, form.comment);
    return done(response, id, 'approve');
  }

  @Post('posts/:id/reject')
  async reject(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(RejectDto) form: RejectDto, @Res() response: Response) {
    await this.approvals.act(session.user, id, 'reject', form.revision, form.comment);
    return done(response, id, 'reject');
  }

  @Post('posts/:id/edit')
  async edit(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(EditPostDto, { blankIsAbsent: ['localTime'] }) form: EditPostDto, @Res() response: Response) {
    // A textarea sends CRLF line breaks; posts keep LF, as the API's clients send them.
    await this.posts.edit(session.user, id, { ...form, text: form.text?.replace(/\r\n/g, '\n') });
    return done(response, id, 'edit');
  }

  @Post('posts/:id/reopen')
  async reopen(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(ReopenPostDto, { blankIsAbsent: ['comment'] }) form: ReopenPostDto, @Res() response: Response) {
    await this.posts.reopen(session.user, id, form);
    return done(response, id, 'reopen');
  }

  @Post('posts/:id/published')
  async published(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(MarkPublishedDto) form: MarkPublishedDto, @Res() response: Response) {
    await this.publishing.markPublished(session.user, id, form.revision, form.url);
    return done(response, id, 'published');
  }

  @Post('posts/:id/retry')
  async retry(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(RevisionDto) form: RevisionDto, @Res() response: Response) {
    await this.publishing.retry(session.user, id, form.revision);
    return done(response, id, 'retry');
  }

  /** Downloads for the signed-in user (the API's own routes take a bearer or calendar token). */
  @Get('campaigns/:slug/export.:format')
  async download(@CurrentSession() session: WebSession, @Param('slug') slug: string, @Param('format') format: string, @QueryValue('member') member: string | undefined, @Res() response: Response) {
    if (format !== 'ics' && format !== 'csv') throw new ForbiddenException(`no ${format} export`);
    await this.calendarExport.exportFor(session.user, format, slug, { member: member || undefined }, response);
  }

  @Get('calendar-subscription')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async subscription(@Req() request: WebRequest, @CurrentSession() session: WebSession, @QueryValue('campaign') campaign?: string) {
    return this.subscriptionPage(request, session, campaign ?? '', null);
  }

  @Post('calendar-subscription')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async subscribe(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Form(SubscriptionForm, { blankIsAbsent: ['campaign', 'revoke'] }) form: SubscriptionForm) {
    if (form.revoke) await this.calendarTokens.revoke(session.user, form.revoke);
    const created = form.revoke ? null : await this.calendarTokens.create(session.user, form.campaign);
    return this.subscriptionPage(request, session, form.campaign ?? '', created);
  }

  private async subscriptionPage(request: WebRequest, session: WebSession, campaign: string, created: unknown) {
    const chrome = pageChrome(request, session);
    const dates = new Intl.DateTimeFormat(chrome.i18n.intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    const tokens = (await this.calendarTokens.list(session.user)).map((token) => ({ ...token, createdWhen: `${dates.format(new Date(token.createdAt))} UTC` }));
    return this.views.render('subscription', { ...chrome, title: chrome.i18n.t('subscription.title'), campaign, tokens, created });
  }

  @Get('approvals')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async approvalsPage(@Req() request: WebRequest, @CurrentSession() session: WebSession, @QueryValue('done') done?: string, @QueryValue('count') count?: string) {
    const chrome = pageChrome(request, session);
    const queue = await this.web.pending(session.user, chrome.i18n);
    const said = done ? chrome.i18n.t('approvals.done', { action: done, count: Number(count) || 0 }) : null;
    return this.views.render('approvals', { ...chrome, title: chrome.i18n.t('approvals.title'), ...queue, done: said });
  }

  @Post('approvals/approve')
  async approveWeek(@CurrentSession() session: WebSession, @Form(BulkApprovalDto, WEEK_FORM) form: BulkApprovalDto, @Res() response: Response) {
    const result = await this.approvals.bulk(session.user, 'approve', form.items, form.comment);
    return response.redirect(303, `/approvals?done=approve&count=${result.items.length}`);
  }

  @Post('approvals/reject')
  async rejectWeek(@CurrentSession() session: WebSession, @Form(BulkApprovalDto, WEEK_FORM) form: BulkApprovalDto, @Res() response: Response) {
    const result = await this.approvals.bulk(session.user, 'reject', form.items, form.comment);
    return response.redirect(303, `/approvals?done=reject&count=${result.items.length}`);
  }

  private safeNext(next: unknown): string {
    return safeNext(next, this.config.publicUrl);
  }

  private get secureCookies(): boolean {
    return this.config.publicUrl.startsWith('https:');
  }
}

/** Back to the post, saying what was done. */
function done(response: Response, id: number, action: string): void {
  response.redirect(303, `/posts/${id}?done=${encodeURIComponent(action)}`);
}
