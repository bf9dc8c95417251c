import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser } from '../common/decorators';
import { ReportQuery } from './dto/report.query';
import { ReportsService, setCsvHeaders } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/campaigns')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get(':slug/report')
  @ApiOperation({ summary: 'delivery figures per member, network, locale and theme (JSON, or CSV with format=csv); coordinators and comms: their member only' })
  async report(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Query() query: ReportQuery, @Res({ passthrough: true }) response: Response) {
    const report = await this.reports.report(user, slug, query);
    if (query.format !== 'csv') return report;
    setCsvHeaders(response, slug, query.member);
    return this.reports.csv(report);
  }
}
