/**
 * The campaign report's delivery figures: what the database counted per member, network, locale and
 * theme (GROUP BY in SQL, see report-queries.ts), merged here into the rows the API, CSV and page show.
 * Pure: no database, no Nest; raw values may come as strings (PostgreSQL counts are bigint).
 */

export const FIGURES = ['planned', 'approved', 'published', 'onTime', 'late', 'missed', 'failed', 'cancelled'] as const;
export type Figure = (typeof FIGURES)[number];

/** What a network says about the row's published posts (summed); a count the network does not give is null. */
export interface ResponseTotals {
  likes: number | null;
  reposts: number | null;
  replies: number | null;
  quotes: number | null;
  impressions: number | null;
  /** The latest collection of the row's posts. */
  collectedAt: string;
  /** Posts whose latest read the network refused, by reason ("deleted", "token refused", "not collected"): not counted as zero. */
  refused: Record<string, number>;
}

export interface Approver {
  name: string;
  role: string;
  approvals: number;
}

export interface ReportRow extends Record<Figure, number> {
  member: string;
  network: string;
  locale: string;
  theme: string;
  /** The latest `post_metrics` snapshot of each published post, summed (responseTotals); null until one is collected. */
  responses: ResponseTotals | null;
  /** Planned posts whose translation was still marked for review when planned. */
  unreviewed: number;
  /** Median seconds from the last submission to the final approval, over the row's approvals; null without any. */
  approvalLeadSeconds: number | null;
  approvedBy: Approver[];
}

export type RowKey = { member: string; network: string; locale: string; theme: string };
type Raw = string | number | null;

export interface CountRow extends RowKey {
  planned: Raw; approved: Raw; published: Raw; on_time: Raw; missed: Raw; failed: Raw; cancelled: Raw; unreviewed: Raw;
}
export interface LeadRow extends RowKey { median_seconds: Raw }
export interface ApproverRow extends RowKey { user_name: string; role: string; approvals: Raw }
/** One GROUP BY row of the latest snapshots: per row key and refusal (null: figures were read). */
export interface ResponseRow extends RowKey {
  error: string | null; posts: Raw; likes: Raw; reposts: Raw; replies: Raw; quotes: Raw; impressions: Raw; collected_at: string;
}
export interface DailyRow { member: string; day: string; planned: Raw; published: Raw }

export const rowKey = (r: RowKey): string => JSON.stringify([r.member, r.network, r.locale, r.theme]);
const num = (v: Raw): number => Number(v ?? 0);

const sumOrNull = (v: Raw): number | null => (v === null ? null : Number(v));

/**
 * The responses of each report row: the figures of the posts the network answered for (a count it
 * does not give stays null), and the posts it refused, by reason, beside them rather than as zeros.
 */
export function responseTotals(rows: ResponseRow[]): Map<string, ResponseTotals> {
  const totals = new Map<string, ResponseTotals>();
  for (const r of rows) {
    const key = rowKey(r);
    const total = totals.get(key) ?? { likes: null, reposts: null, replies: null, quotes: null, impressions: null, collectedAt: r.collected_at, refused: {} };
    if (r.collected_at > total.collectedAt) total.collectedAt = r.collected_at;
    if (r.error === null) {
      Object.assign(total, { likes: sumOrNull(r.likes), reposts: sumOrNull(r.reposts), replies: sumOrNull(r.replies), quotes: sumOrNull(r.quotes), impressions: sumOrNull(r.impressions) });
    } else {
      total.refused[r.error] = num(r.posts);
    }
    totals.set(key, total);
  }
  return totals;
}

/**
 * One row per member, network, locale and theme, in that order. `late` is every published post
 * outside the tolerance: in practice after its time (a post marked published by hand long before
 * its time is late for the report too, as it did not go out when planned).
 */
export function deliveryRows(
  counts: CountRow[],
  leads: LeadRow[] = [],
  approvers: ApproverRow[] = [],
  responsesByRow: Map<string, ResponseTotals> = new Map(),
): ReportRow[] {
  const leadByKey = new Map(leads.map((l) => [rowKey(l), l.median_seconds === null ? null : Math.round(Number(l.median_seconds))]));
  const approversByKey = new Map<string, Approver[]>();
  for (const a of approvers) {
    const list = approversByKey.get(rowKey(a)) ?? [];
    list.push({ name: a.user_name, role: a.role, approvals: num(a.approvals) });
    approversByKey.set(rowKey(a), list);
  }
  const rows = counts.map((c): ReportRow => {
    const key = rowKey(c);
    const published = num(c.published);
    const onTime = num(c.on_time);
    return {
      member: c.member, network: c.network, locale: c.locale, theme: c.theme,
      planned: num(c.planned), approved: num(c.approved), published, onTime, late: published - onTime,
      missed: num(c.missed), failed: num(c.failed), cancelled: num(c.cancelled),
      responses: responsesByRow.get(key) ?? null,
      unreviewed: num(c.unreviewed),
      approvalLeadSeconds: leadByKey.get(key) ?? null,
      approvedBy: (approversByKey.get(key) ?? []).sort((a, b) => b.approvals - a.approvals || a.name.localeCompare(b.name)),
    };
  });
  return rows.sort((a, b) => compareKeys(a, b));
}

function compareKeys(a: RowKey, b: RowKey): number {
  for (const field of ['member', 'network', 'locale', 'theme'] as const) {
    if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
  }
  return 0;
}

/** The figures of several rows added up (a member's total, the campaign's). */
export function totalOf(rows: ReportRow[]): Record<Figure, number> & { unreviewed: number } {
  const total = { planned: 0, approved: 0, published: 0, onTime: 0, late: 0, missed: 0, failed: 0, cancelled: 0, unreviewed: 0 };
  for (const row of rows) for (const field of Object.keys(total) as (keyof typeof total)[]) total[field] += row[field];
  return total;
}

/** Share of published posts that went out on time, 0…1; null when nothing was published. */
export function onTimeRate(figures: Pick<ReportRow, 'published' | 'onTime'>): number | null {
  return figures.published === 0 ? null : figures.onTime / figures.published;
}

export const CSV_REPORT_COLUMNS = [
  'member', 'network', 'locale', 'theme', ...FIGURES, 'unreviewed', 'approvalLeadSeconds', 'approvedBy',
  'likes', 'reposts', 'replies', 'quotes', 'impressions', 'responsesCollectedAt', 'responsesRefused',
] as const;

/** One CSV row per report row: numbers stay numbers; approvers as "name (role) count; …", refusals as "reason posts; …". */
export function csvReportRow(row: ReportRow): (string | number | null)[] {
  const r = row.responses;
  return [
    row.member, row.network, row.locale, row.theme, ...FIGURES.map((f) => row[f]), row.unreviewed, row.approvalLeadSeconds,
    row.approvedBy.map((a) => `${a.name} (${a.role}) ${a.approvals}`).join('; '),
    r?.likes ?? null, r?.reposts ?? null, r?.replies ?? null, r?.quotes ?? null, r?.impressions ?? null, r?.collectedAt ?? null,
    Object.entries(r?.refused ?? {}).map(([reason, posts]) => `${reason} ${posts}`).join('; '),
  ];
}
