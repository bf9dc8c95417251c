import { Injectable } from '@nestjs/common';
import { memberDisplayName } from '../campaigns/designations';
import type { CampaignEntity } from '../campaigns/campaign.entity';
import type { Translator } from '../i18n/i18n';
import { ChartRenderer } from '../reports/chart-renderer';
import { dailyChartSpec, onTimeChartSpec, type ChartLabels } from '../reports/chart-specs';
import { FIGURES, ReportRow, totalOf } from '../reports/delivery-figures';
import { ReportsService } from '../reports/reports.service';
import { WebService } from './web.service';
import type { AuthUser } from '../common/auth-user';
import { DEFAULT_ON_TIME_SECONDS, ReportQuery } from '../reports/dto/report.query';
import { PdfPrinter } from '../reports/pdf-printer';
import { reportMember } from '../reports/reports.service';
import type { pageChrome } from './ui-locale';

type PageChrome = ReturnType<typeof pageChrome>;
import { Views } from './views';

/** The report page's view model: plan summary, charts (inline SVG) and one table per member. */
@Injectable()
export class ReportPageService {
  constructor(
    private readonly reports: ReportsService,
    private readonly charts: ChartRenderer,
    private readonly web: WebService,
    private readonly views: Views,
    private readonly printer: PdfPrinter,
  ) {}

  /** The report page for `user` (their member only, unless secretariat), as HTML in the page's language. */
  html(user: AuthUser, slug: string, query: ReportQuery, chrome: PageChrome, options: { downloads: boolean }): Promise<string> {
    const member = reportMember(user, query.member);
    const params = new URLSearchParams({ ...(query.member ? { member: query.member } : {}), ...(query.onTimeSeconds !== undefined ? { onTimeSeconds: String(query.onTimeSeconds) } : {}) }).toString();
    const download = (extension: string) => `/campaigns/${slug}/report.${extension}${params ? `?${params}` : ''}`;
    return this.render(slug, member, query.onTimeSeconds ?? DEFAULT_ON_TIME_SECONDS, chrome, {
      downloads: options.downloads ? { csv: download('csv'), pdf: download('pdf') } : null,
    });
  }

  /** The page a public link opens: every member's figures, no downloads, no menu (nobody is signed in). */
  publicHtml(slug: string, chrome: PageChrome): Promise<string> {
    return this.render(slug, undefined, DEFAULT_ON_TIME_SECONDS, chrome, { downloads: null, publicLink: true });
  }

  private async render(slug: string, member: string | undefined, onTimeSeconds: number, chrome: PageChrome, extras: Record<string, unknown>): Promise<string> {
    const model = await this.model(slug, member, onTimeSeconds, chrome.i18n);
    return this.views.render('report', { ...chrome, title: chrome.i18n.t('report.title', { campaign: model.campaign.name }), ...model, sideBySide: !member, ...extras });
  }

  /** A page of ours as a PDF, with its style sheet (and nothing else it could load). */
  pdf(html: string): Promise<Buffer> {
    return this.printer.print(html, { '/app.css': { contentType: 'text/css; charset=utf-8', body: this.views.css } });
  }

  /** `member`: the one member the reader may see, or undefined for every member (secretariat, public link). */
  async model(slug: string, member: string | undefined, onTimeSeconds: number, i18n: Translator) {
    const { entity, definition } = await this.web.campaign(slug);
    const scope = { campaignId: entity.id, member };
    const [report, daily] = await Promise.all([this.reports.build(entity, scope, onTimeSeconds), this.reports.daily(scope)]);
    const shown = definition.members.filter((m) => !member || m.code === member);
    const names = new Map(shown.map((m) => [m.code, memberDisplayName(m, i18n.locale)]));
    const members = shown.map((m) => this.memberTable(entity, m.code, names.get(m.code)!, report.rows.filter((r) => r.member === m.code), i18n));
    const [dailySvg, onTimeSvg] = await Promise.all([
      this.charts.render(dailyChartSpec(daily, this.chartLabels(i18n))),
      this.charts.render(onTimeChartSpec(members.map((m) => ({ member: m.code, ...m.total })), this.chartLabels(i18n))),
    ]);
    const date = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'long', timeZone: 'UTC' });
    const day = (iso: string) => date.format(new Date(`${iso}T00:00:00Z`));
    return {
      campaign: { slug, name: entity.name },
      generatedAt: report.generatedAt,
      generated: `${new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(report.generatedAt))} UTC`,
      onTimeMinutes: Math.round(onTimeSeconds / 60),
      plan: {
        dates: `${day(definition.start)} – ${day(definition.end)}`,
        members: shown.map((m) => names.get(m.code)).join(', '),
        themes: definition.themes.map((t) => ({ title: this.web.themeTitle(entity, t.key, i18n.locale), dates: `${day(t.start)} – ${day(t.end)}` })),
        total: totalOf(report.rows),
      },
      charts: { daily: addTitle(dailySvg, i18n.t('report.dailyChart')), onTime: addTitle(onTimeSvg, i18n.t('report.onTimeChart')) },
      members,
      figures: FIGURES,
    };
  }

  private memberTable(entity: CampaignEntity, code: string, name: string, rows: ReportRow[], i18n: Translator) {
    const hours = new Intl.NumberFormat(i18n.intl, { maximumFractionDigits: 1 });
    return {
      code, name,
      total: totalOf(rows),
      rows: rows.map((r) => ({
        ...r,
        themeTitle: this.web.themeTitle(entity, r.theme, i18n.locale),
        lead: r.approvalLeadSeconds === null ? null : i18n.t('report.hours', { hours: hours.format(r.approvalLeadSeconds / 3600) }),
        approvers: r.approvedBy.map((a) => `${a.name} (${i18n.t('roles', { role: a.role })}) ${a.approvals}`).join('; '),
      })),
    };
  }

  private chartLabels(i18n: Translator): ChartLabels {
    const format = new Intl.DateTimeFormat(i18n.intl, { day: 'numeric', month: 'numeric', timeZone: 'UTC' });
    return {
      day: i18n.t('report.day'), member: i18n.t('report.member'),
      publishedOfPlanned: i18n.t('report.publishedOfPlanned'), onTimeShare: i18n.t('report.onTimeShare'),
      formatDay: (iso) => format.format(new Date(`${iso}T00:00:00Z`)),
    };
  }
}

/**
 * The chart as one image to assistive technology, named by its caption: its figures are in the tables
 * below, so vega's per-mark ARIA (hundreds of labelled cells) only slows readers and checkers down.
 */
function addTitle(svg: string, title: string): string {
  const escaped = title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const inner = svg.replace(/ (role|aria-[a-z]+)="[^"]*"/g, '');
  return inner.replace(/^<svg /, `<svg role="img" aria-label="${escaped}" focusable="false" `);
}
