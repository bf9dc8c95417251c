import { Controller, Get, Header, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/decorators';
import { DEFAULT_ON_TIME_SECONDS, ReportQuery } from '../reports/dto/report.query';
import { reportMember, ReportsService, setCsvHeaders } from '../reports/reports.service';
import { ReportPageService } from './report-page.service';
import { CurrentSession, WebSessionGuard } from './session.guard';
import type { WebSession } from './sessions.service';
import { pageChrome, WebRequest } from './ui-locale';
import { Views } from './views';
import { WebErrorFilter } from './web-errors';
import { WebService } from './web.service';

/** The campaign report in the web interface: the page (charts and tables) and its CSV, for the signed-in user. */
@ApiExcludeController()
@Public()
@Controller()
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class ReportController {
  constructor(
    private readonly views: Views,
    private readonly page: ReportPageService,
    private readonly reports: ReportsService,
    private readonly web: WebService,
  ) {}

  @Get('report')
  async firstReport(@Res() response: Response) {
    const [first] = await this.web.campaignList();
    return response.redirect(303, first ? `/campaigns/${first.slug}/report` : '/');
  }

  @Get('campaigns/:slug/report')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async report(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @Query() query: ReportQuery) {
    const chrome = pageChrome(request, session);
    const member = reportMember(session.user, query.member);
    const model = await this.page.model(slug, member, query.onTimeSeconds ?? DEFAULT_ON_TIME_SECONDS, chrome.i18n);
    const download = new URLSearchParams({ ...(query.member ? { member: query.member } : {}), ...(query.onTimeSeconds !== undefined ? { onTimeSeconds: String(query.onTimeSeconds) } : {}) }).toString();
    return this.views.render('report', {
      ...chrome, title: chrome.i18n.t('report.title', { campaign: model.campaign.name }), ...model, sideBySide: !member,
      downloads: { csv: `/campaigns/${slug}/report.csv${download ? `?${download}` : ''}` },
    });
  }

  @Get('campaigns/:slug/report.csv')
  async csv(@CurrentSession() session: WebSession, @Param('slug') slug: string, @Query() query: ReportQuery, @Res() response: Response) {
    const report = await this.reports.report(session.user, slug, query);
    setCsvHeaders(response, slug, query.member);
    response.send(this.reports.csv(report));
  }
}
