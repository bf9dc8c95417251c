import { Injectable, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { AuthUser, canActForMember } from '../common/auth-user';
import { csvLine, UTF8_BOM } from '../common/csv';
import { NotYours } from '../common/errors';
import { Database } from '../database/database';
import { Clock } from '../time/clock';
import { CSV_REPORT_COLUMNS, csvReportRow, DailyRow, deliveryRows, ReportRow, responseTotals } from './delivery-figures';
import { BEST_POSTS_PER_WEEK, DEFAULT_ON_TIME_SECONDS, REPORT_TABLES } from './dto/report.query';
import { ReportQueries, ReportScope } from './report-queries';
import { BestPost, bestPosts, CSV_BEST_POST_COLUMNS, CSV_GROUP_COLUMNS, ResponseGroup, responsesBy } from './response-figures';

export interface CampaignReport {
  slug: string;
  generatedAt: string;
  onTimeSeconds: number;
  rows: ReportRow[];
  /** Responses per theme and per locale (the rows' responses summed), groups with nothing collected left out. */
  responsesByTheme: ResponseGroup[];
  responsesByLocale: ResponseGroup[];
  /** The posts with the most responses in each campaign week (week 1 = the first seven days from `start`). */
  bestPosts: BestPost[];
}

/** The tables the CSV can hold, one per download (`table=`): a CSV has one header. */
export type ReportTable = (typeof REPORT_TABLES)[number];

/** The answer's headers for the report as a CSV file (a download named after the campaign and member). */
export function setCsvHeaders(response: Response, slug: string, member: string | undefined, table: ReportTable = 'rows'): void {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${slug}-report${table === 'rows' ? '' : `-${table}`}${member ? `-${member}` : ''}.csv"`);
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

  async report(user: AuthUser, slug: string, query: { member?: string; onTimeSeconds?: number; bestPerWeek?: number }): Promise<CampaignReport> {
    const member = reportMember(user, query.member);
    const campaign = await this.campaign(slug);
    return this.build(campaign, { campaignId: campaign.id, member }, query.onTimeSeconds ?? DEFAULT_ON_TIME_SECONDS, query.bestPerWeek);
  }

  /** The report of a campaign for a caller already allowed to see `scope` (the API above, a public link). */
  async build(campaign: CampaignEntity, scope: ReportScope, onTimeSeconds: number, bestPerWeek = BEST_POSTS_PER_WEEK): Promise<CampaignReport> {
    const [counts, leads, approvers, responses, best] = await Promise.all([
      this.queries.counts(scope, onTimeSeconds), this.queries.leadTimes(scope), this.queries.approvers(scope), this.queries.responses(scope),
      this.queries.bestPosts(scope, campaign.startDate, bestPerWeek),
    ]);
    const rows = deliveryRows(counts, leads, approvers, responseTotals(responses));
    return {
      slug: campaign.slug, generatedAt: this.clock.now().toISOString(), onTimeSeconds, rows,
      responsesByTheme: responsesBy(rows, 'theme'), responsesByLocale: responsesBy(rows, 'locale'), bestPosts: bestPosts(best),
    };
  }

  /** Planned and published per member and day, for the report page's chart. */
  daily(scope: ReportScope): Promise<DailyRow[]> {
    return this.queries.daily(scope);
  }

  /** `table`: the rows (the default, as before), responses per theme or locale, or the best posts of each week. */
  csv(report: CampaignReport, table: ReportTable = 'rows'): string {
    const lines = (header: string[], cells: (string | number | null)[][]) => UTF8_BOM + csvLine(header) + cells.map((c) => csvLine(c)).join('');
    const groups = (key: string, list: ResponseGroup[]) => lines([key, ...CSV_GROUP_COLUMNS], list.map((g) => [g.key, ...CSV_GROUP_COLUMNS.map((f) => g[f])]));
    switch (table) {
      case 'themes': return groups('theme', report.responsesByTheme);
      case 'locales': return groups('locale', report.responsesByLocale);
      case 'best-posts': return lines([...CSV_BEST_POST_COLUMNS], report.bestPosts.map((b) => CSV_BEST_POST_COLUMNS.map((f) => b[f])));
      default: return lines([...CSV_REPORT_COLUMNS], report.rows.map((row) => csvReportRow(row)));
    }
  }
}
