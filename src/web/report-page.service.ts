import { Injectable } from '@nestjs/common';
import { memberDisplayName } from '../campaigns/designations';
import type { CampaignEntity } from '../campaigns/campaign.entity';
import type { Translator } from '../i18n/i18n';
import { ChartRenderer } from '../reports/chart-renderer';
import { bestPostsChartSpec, dailyChartSpec, onTimeChartSpec, responsesChartSpec, type ChartLabels, type ResponseChartLabels } from '../reports/chart-specs';
import { RESPONSE_KINDS, weekDates, type BestPost } from '../reports/response-figures';
import { networkName } from '../posts/length';
import { FIGURES, ReportRow, totalOf } from '../reports/delivery-figures';
import { ReportsService } from '../reports/reports.service';
import { WebService } from './web.service';
import type { AuthUser } from '../common/auth-user';
import { DEFAULT_ON_TIME_SECONDS, ReportQuery } from '../reports/dto/report.query';
import { PdfPrinter } from '../reports/pdf-printer';
import { reportMember } from '../reports/reports.service';
import { pageChrome, type WebRequest } from './ui-locale';
import type { UiLocale } from '../i18n/i18n';

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

  /**
   * The PDF the page's button gives, for a caller outside HTTP (the CLI): the same page for `user`, in
   * `ui`, printed by the same printer. Nobody is signed in to it, so it shows no menu, as the API's PDF.
   */
  async pdfFor(user: AuthUser, slug: string, query: ReportQuery, ui: UiLocale): Promise<Buffer> {
    const path = `/campaigns/${encodeURIComponent(slug)}/report`;
    const chrome = pageChrome({ method: 'GET', originalUrl: path, path, headers: {} } as WebRequest, undefined, ui);
    return this.pdf(await this.html(user, slug, query, chrome, { downloads: false }));
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
    const date = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'long', timeZone: 'UTC' });
    const day = (iso: string) => date.format(new Date(`${iso}T00:00:00Z`));
    const themeNames = new Map(definition.themes.map((t) => [t.key, this.web.themeTitle(entity, t.key, i18n.locale)]));
    const localeNames = new Map(report.responsesByLocale.map((g) => [g.key, languageName(g.key, i18n.intl)]));
    const weeks = this.bestWeeks(report.bestPosts, definition.start, names, themeNames, i18n, day);
    const responseLabels = (group: string): ResponseChartLabels => ({
      group, responses: i18n.t('report.responses'), kind: i18n.t('report.responseKind'),
      kinds: Object.fromEntries(RESPONSE_KINDS.map((k) => [k, i18n.t(`report.${k}`)])) as ResponseChartLabels['kinds'],
    });
    const hasResponses = report.responsesByTheme.length > 0;
    const [dailySvg, onTimeSvg, themeSvg, localeSvg, bestSvg] = await Promise.all([
      this.charts.render(dailyChartSpec(daily, this.chartLabels(i18n))),
      this.charts.render(onTimeChartSpec(members.map((m) => ({ member: m.code, ...m.total })), this.chartLabels(i18n))),
      hasResponses ? this.charts.render(responsesChartSpec(report.responsesByTheme, themeNames, responseLabels(i18n.t('report.theme')))) : null,
      hasResponses ? this.charts.render(responsesChartSpec(report.responsesByLocale, localeNames, responseLabels(i18n.t('report.language')))) : null,
      report.bestPosts.length > 0
        ? this.charts.render(bestPostsChartSpec(report.bestPosts, (p) => `${i18n.t('report.weekShort', { n: p.week })} · ${p.rank}. ${p.member} · ${networkName(p.network)} · ${p.locale}`, { responses: i18n.t('report.responses'), post: i18n.t('report.post') }))
        : null,
    ]);
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
      charts: {
        daily: addTitle(dailySvg, i18n.t('report.dailyChart')), onTime: addTitle(onTimeSvg, i18n.t('report.onTimeChart')),
        responsesTheme: themeSvg && addTitle(themeSvg, i18n.t('report.responsesThemeChart')),
        responsesLocale: localeSvg && addTitle(localeSvg, i18n.t('report.responsesLocaleChart')),
        bestPosts: bestSvg && addTitle(bestSvg, i18n.t('report.bestPostsChart')),
      },
      hasResponses,
      weeks,
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

  /** The best posts as one table per campaign week: member, network, language, theme, figures and link (never the text). */
  private bestWeeks(posts: BestPost[], start: string, members: Map<string, string>, themes: Map<string, string>, i18n: Translator, day: (iso: string) => string) {
    const number = new Intl.NumberFormat(i18n.intl);
    const figure = (n: number | null) => (n === null ? '—' : number.format(n));
    const weeks = new Map<number, { title: string; posts: object[] }>();
    for (const p of posts) {
      const dates = weekDates(start, p.week);
      const week = weeks.get(p.week) ?? { title: i18n.t('report.week', { n: p.week, from: day(dates.from), to: day(dates.to) }), posts: [] };
      week.posts.push({
        rank: p.rank, member: `${p.member} ${members.get(p.member) ?? ''}`.trim(), network: networkName(p.network), language: languageName(p.locale, i18n.intl),
        theme: themes.get(p.theme) ?? p.theme, responses: figure(p.responses), likes: figure(p.likes), reposts: figure(p.reposts), replies: figure(p.replies),
        quotes: figure(p.quotes), impressions: figure(p.impressions), url: p.url && /^https?:\/\//.test(p.url) ? p.url : null,
      });
      weeks.set(p.week, week);
    }
    return [...weeks.values()];
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

/** A locale's name in the reader's language (`sr-Cyrl` → "Serbian (Cyrillic)"), or its code when ICU has none. */
function languageName(locale: string, intl: string): string {
  try {
    const name = new Intl.DisplayNames([intl], { type: 'language' }).of(locale);
    return name && name !== locale ? name : locale;
  } catch {
    return locale;
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
