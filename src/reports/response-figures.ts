import type { ReportRow, ResponseTotals, RowKey } from './delivery-figures';

/**
 * Responses gathered for the report's pictures (issue 15 #3): per theme and per language, summed
 * from the rows (each row already sums the latest snapshot of its published posts), and the best
 * posts of each campaign week. Pure.
 */

export const RESPONSE_KINDS = ['likes', 'reposts', 'replies', 'quotes'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

/** The figures a network may give, each null when it gives none. */
export type ResponseFigures = Omit<ResponseTotals, 'collectedAt' | 'refused'>;

export interface ResponseGroup extends ResponseFigures {
  /** The theme key or the locale. */
  key: string;
}

const add = (a: number | null, b: number | null): number | null => (b === null ? a : (a ?? 0) + b);

/** The rows' responses summed per theme or per locale; a figure no network gave stays null; groups with nothing collected are left out. */
export function responsesBy(rows: ReportRow[], field: 'theme' | 'locale'): ResponseGroup[] {
  const groups = new Map<string, ResponseGroup>();
  for (const row of rows) {
    if (!row.responses) continue;
    const key = row[field];
    const group = groups.get(key) ?? { key, likes: null, reposts: null, replies: null, quotes: null, impressions: null };
    for (const figure of [...RESPONSE_KINDS, 'impressions'] as const) group[figure] = add(group[figure], row.responses[figure]);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Responses of one post: likes, reposts, replies and quotes the network gave (impressions are reach, not responses). */
export function responseCount(figures: Pick<ResponseTotals, ResponseKind>): number {
  return RESPONSE_KINDS.reduce((sum, kind) => sum + (figures[kind] ?? 0), 0);
}

type Raw = string | number | null;

/** One row of ReportQueries.bestPosts: a post ranked within its campaign week (0-based). */
export interface BestPostRow {
  post_id: Raw; week: Raw; week_rank: Raw; member: string; network: string; locale: string; theme: string;
  published_at: string; published_url: string | null;
  likes: Raw; reposts: Raw; replies: Raw; quotes: Raw; impressions: Raw; collected_at: string;
}

export interface BestPost extends RowKey, ResponseFigures {
  /** 1 for the campaign's first seven days (from its start date), 2 for the next seven… */
  week: number;
  /** 1 for the week's post with the most responses. */
  rank: number;
  postId: number;
  publishedAt: string;
  /** Where the post was published (the network's page); never the text. */
  url: string | null;
  /** likes + reposts + replies + quotes of its latest snapshot. */
  responses: number;
  collectedAt: string;
}

const numOrNull = (v: Raw): number | null => (v === null ? null : Number(v));

export function bestPosts(rows: BestPostRow[]): BestPost[] {
  return rows.map((r) => {
    const figures = { likes: numOrNull(r.likes), reposts: numOrNull(r.reposts), replies: numOrNull(r.replies), quotes: numOrNull(r.quotes) };
    return {
      week: Number(r.week) + 1, rank: Number(r.week_rank), postId: Number(r.post_id),
      member: r.member, network: r.network, locale: r.locale, theme: r.theme, publishedAt: r.published_at, url: r.published_url,
      responses: responseCount(figures), ...figures, impressions: numOrNull(r.impressions), collectedAt: r.collected_at,
    };
  }).sort((a, b) => a.week - b.week || a.rank - b.rank);
}

/** The first and last date of a campaign week, from the campaign's start (ISO dates, UTC arithmetic on dates only). */
export function weekDates(start: string, week: number): { from: string; to: string } {
  const day = (offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day((week - 1) * 7), to: day((week - 1) * 7 + 6) };
}

export const CSV_GROUP_COLUMNS = ['likes', 'reposts', 'replies', 'quotes', 'impressions'] as const;
export const CSV_BEST_POST_COLUMNS = [
  'week', 'rank', 'postId', 'member', 'network', 'locale', 'theme', 'publishedAt', 'url', 'responses', 'likes', 'reposts', 'replies', 'quotes', 'impressions', 'collectedAt',
] as const;
