import { Controller, ForbiddenException, Get, Header, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser, Public } from '../common/decorators';
import { ReportQuery } from '../reports/dto/report.query';
import { ReportsService, setCsvHeaders } from '../reports/reports.service';
import { ReportPageService } from './report-page.service';
import { CurrentSession, NoSession, WebSessionGuard } from './session.guard';
import { QueryValue } from './form';
import { isUiLocale } from '../i18n/i18n';
import { ReportLinksService, SHARED_REPORT_PATH } from '../reports/report-links.service';
import type { WebSession } from './sessions.service';
import { pageChrome, WebRequest } from './ui-locale';
import { WebErrorFilter } from './web-errors';
import { WebService } from './web.service';
import { Views } from './views';

function secretariatOnly(session: WebSession): void {
  if (session.user.role !== 'secretariat') throw new ForbiddenException('public report links are for the secretariat');
}

function sendPdf(response: Response, slug: string, member: string | undefined, pdf: Buffer): void {
  response.setHeader('Content-Type', 'application/pdf');
  response.setHeader('Content-Disposition', `attachment; filename="${slug}-report${member ? `-${member}` : ''}.pdf"`);
  response.end(pdf);
}

/** The campaign report in the web interface: the page (charts and tables), its CSV and its PDF, for the signed-in user. */
@ApiExcludeController()
@Public()
@Controller()
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class ReportController {
  constructor(
    private readonly page: ReportPageService,
    private readonly reports: ReportsService,
    private readonly web: WebService,
    private readonly links: ReportLinksService,
    private readonly views: Views,
  ) {}

  @Get('report')
  async firstReport(@Res() response: Response) {
    const [first] = await this.web.campaignList();
    return response.redirect(303, first ? `/campaigns/${first.slug}/report` : '/');
  }

  @Get('campaigns/:slug/report')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async report(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @Query() query: ReportQuery) {
    return this.page.html(session.user, slug, query, pageChrome(request, session), { downloads: true });
  }

  /** A public link: the token alone opens its campaign's report page, in the language asked for (`?lang=`) or the browser's. */
  @NoSession()
  @Get(`${SHARED_REPORT_PATH.slice(1)}/:token`)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async shared(@Req() request: WebRequest, @Param('token') token: string, @QueryValue('lang') lang?: string) {
    const campaign = await this.links.open(request, token);
    return this.page.publicHtml(campaign.slug, pageChrome(request, undefined, isUiLocale(lang) ? lang : undefined));
  }

  @Get('campaigns/:slug/report/links')
  @Header('Content-Type', 'text/html; charset=utf-8')
  linksPage(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string) {
    return this.linksView(request, session, slug, null);
  }

  /** The new link is shown in this answer only (never in a URL to redirect to): its token is not stored. */
  @Post('campaigns/:slug/report/links')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async createLink(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string) {
    secretariatOnly(session);
    const created = await this.links.create(session.user, slug);
    return this.linksView(request, session, slug, created.url);
  }

  @Post('campaigns/:slug/report/links/:id/revoke')
  async revokeLink(@CurrentSession() session: WebSession, @Param('slug') slug: string, @Param('id', ParseIntPipe) id: number, @Res() response: Response) {
    secretariatOnly(session);
    await this.links.revoke(id);
    response.redirect(303, `/campaigns/${encodeURIComponent(slug)}/report/links`);
  }

  private async linksView(request: WebRequest, session: WebSession, slug: string, created: string | null) {
    secretariatOnly(session);
    const chrome = pageChrome(request, session);
    const { entity } = await this.web.campaign(slug);
    const when = new Intl.DateTimeFormat(chrome.i18n.intl, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    const links = (await this.links.list(slug)).map((l) => ({ ...l, when: `${when.format(new Date(l.createdAt))} UTC` }));
    return this.views.render('report-links', { ...chrome, title: chrome.i18n.t('report.linksTitle'), slug, campaignName: entity.name, links, created });
  }

  @Get('campaigns/:slug/report.csv')
  async csv(@CurrentSession() session: WebSession, @Param('slug') slug: string, @Query() query: ReportQuery, @Res() response: Response) {
    const report = await this.reports.report(session.user, slug, query);
    setCsvHeaders(response, slug, query.member, query.table);
    response.send(this.reports.csv(report, query.table));
  }

  @Get('campaigns/:slug/report.pdf')
  async pdf(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @Query() query: ReportQuery, @Res() response: Response) {
    const html = await this.page.html(session.user, slug, query, pageChrome(request, session), { downloads: false });
    sendPdf(response, slug, query.member, await this.page.pdf(html));
  }
}

/** The same PDF for API clients (bearer token), in the language of their Accept-Language. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/campaigns')
export class ReportPdfController {
  constructor(private readonly page: ReportPageService) {}

  @Get(':slug/report.pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: "the report page printed by Chromium: plan summary, charts and tables (the caller's member only, unless secretariat)" })
  async pdf(@Req() request: WebRequest, @CurrentUser() user: AuthUser, @Param('slug') slug: string, @Query() query: ReportQuery, @Res() response: Response) {
    const html = await this.page.html(user, slug, query, pageChrome(request, undefined), { downloads: false });
    sendPdf(response, slug, query.member, await this.page.pdf(html));
  }
}
