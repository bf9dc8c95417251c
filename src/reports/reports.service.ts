import { Injectable, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { AuthUser, canActForMember } from '../common/auth-user';
import { csvLine, UTF8_BOM } from '../common/csv';
import { NotYours } from '../common/errors';
import { Database } from '../database/database';
import { Clock } from '../time/clock';
import { CSV_REPORT_COLUMNS, csvReportRow, DailyRow, deliveryRows, ReportRow, responseTotals } from './delivery-figures';
import { DEFAULT_ON_TIME_SECONDS } from './dto/report.query';
import { ReportQueries, ReportScope } from './report-queries';

export interface CampaignReport {
  slug: string;
  generatedAt: string;
  onTimeSeconds: number;
  rows: ReportRow[];
}

/** The answer's headers for the report as a CSV file (a download named after the campaign and member). */
export function setCsvHeaders(response: Response, slug: string, member: string | undefined): void {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${slug}-report${member ? `-${member}` : ''}.csv"`);
}

/** Who sees what: the secretariat every member (or the one asked for), everyone else their own member only. */
export function reportMember(user: Pick<AuthUser, 'role' | 'member'>, asked: string | undefined): string | undefined {
  if (asked && !canActForMember(user as AuthUser, asked)) throw new NotYours(`member ${asked}`);
  return user.role === 'secretariat' ? asked : user.member!;
}

@Injectable()
export class ReportsService {
  private readonly queries: ReportQueries;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.queries = new ReportQueries(db);
  }

  async campaign(slug: string): Promise<CampaignEntity> {
    const campaign = await this.db.manager.findOneBy(CampaignEntity, { slug });
    if (!campaign) throw new NotFoundException(`no campaign "${slug}"`);
    return campaign;
  }

  async report(user: AuthUser, slug: string, query: { member?: string; onTimeSeconds?: number }): Promise<CampaignReport> {
    const member = reportMember(user, query.member);
    const campaign = await this.campaign(slug);
    return this.build(campaign, { campaignId: campaign.id, member }, query.onTimeSeconds ?? DEFAULT_ON_TIME_SECONDS);
  }

  /** The report of a campaign for a caller already allowed to see `scope` (the API above, a public link). */
  async build(campaign: CampaignEntity, scope: ReportScope, onTimeSeconds: number): Promise<CampaignReport> {
    const [counts, leads, approvers, responses] = await Promise.all([
      this.queries.counts(scope, onTimeSeconds), this.queries.leadTimes(scope), this.queries.approvers(scope), this.queries.responses(scope),
    ]);
    const rows = deliveryRows(counts, leads, approvers, responseTotals(responses));
    return { slug: campaign.slug, generatedAt: this.clock.now().toISOString(), onTimeSeconds, rows };
  }

  /** Planned and published per member and day, for the report page's chart. */
  daily(scope: ReportScope): Promise<DailyRow[]> {
    return this.queries.daily(scope);
  }

  csv(report: CampaignReport): string {
    return UTF8_BOM + csvLine([...CSV_REPORT_COLUMNS]) + report.rows.map((row) => csvLine(csvReportRow(row))).join('');
  }
}
