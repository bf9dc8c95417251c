import { Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/decorators';
import { ReportLinksService } from './report-links.service';
import { ReportQuery } from './dto/report.query';
import { ReportsService, setCsvHeaders } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly links: ReportLinksService,
  ) {}

  @Get('campaigns/:slug/report')
  @ApiOperation({ summary: 'delivery figures per member, network, locale and theme (JSON, or CSV with format=csv); coordinators and comms: their member only' })
  async report(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = await this.reports.report(user, slug, query);
    if (query.format !== 'csv') return report;
    setCsvHeaders(response, slug, query.member, query.table);
    return this.reports.csv(report, query.table);
  }

  @Post('campaigns/:slug/report-links')
  @Roles('secretariat')
  @ApiOperation({ summary: "a public read-only link to the campaign's report page (the token and URL are shown once)" })
  createLink(@CurrentUser() user: AuthUser, @Param('slug') slug: string) {
    return this.links.create(user, slug);
  }

  @Get('campaigns/:slug/report-links')
  @Roles('secretariat')
  @ApiOperation({ summary: "the campaign's public report links not revoked (never their tokens)" })
  listLinks(@Param('slug') slug: string) {
    return this.links.list(slug);
  }

  @Delete('report-links/:id')
  @Roles('secretariat')
  @HttpCode(204)
  @ApiOperation({ summary: 'revokes a public report link: it answers 404 from then on' })
  revokeLink(@Param('id', ParseIntPipe) id: number) {
    return this.links.revoke(id);
  }
}
