import type { DailyRow } from './delivery-figures';
import { RESPONSE_KINDS, type BestPost, type ResponseGroup, type ResponseKind } from './response-figures';

/** The words a chart shows, in the reader's language (the page passes its catalogue's). */
export interface ChartLabels {
  day: string;
  member: string;
  publishedOfPlanned: string;
  onTimeShare: string;
  /** A day as the reader writes it (`18.10.`), from its ISO date. */
  formatDay: (isoDate: string) => string;
}

const FONT = { font: 'sans-serif', labelFont: 'sans-serif', titleFont: 'sans-serif' };
const CONFIG = { view: { stroke: null }, axis: { ...FONT, labelFontSize: 11, titleFontSize: 12 }, legend: { ...FONT }, text: { font: 'sans-serif' } };

/**
 * Published against planned per member and day: one cell per member and day, its colour the share
 * published, its text "published/planned". Days a member planned nothing have no cell.
 */
export function dailyChartSpec(rows: DailyRow[], labels: ChartLabels): object {
  const values = rows
    .map((r) => ({ member: r.member, day: r.day, planned: Number(r.planned), published: Number(r.published) }))
    .filter((r) => r.planned > 0)
    .sort((a, b) => (a.day === b.day ? a.member.localeCompare(b.member) : a.day < b.day ? -1 : 1))
    .map((r) => ({ ...r, dayLabel: labels.formatDay(r.day), share: r.published / r.planned, text: `${r.published}/${r.planned}` }));
  const x = { field: 'dayLabel', type: 'ordinal', sort: null, title: labels.day, axis: { labelAngle: -90 } };
  const y = { field: 'member', type: 'nominal', title: labels.member };
  return {
    data: { values },
    config: CONFIG,
    encoding: { x, y },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'share', type: 'quantitative', title: labels.publishedOfPlanned, scale: { domain: [0, 1], scheme: 'blues' }, legend: { format: '.0%' } } } },
      { mark: { type: 'text', fontSize: 9 }, encoding: { text: { field: 'text' }, color: { condition: { test: 'datum.share > 0.6', value: 'white' }, value: 'black' } } },
    ],
  };
}

/** Share of each member's published posts that went out on time; members that published nothing are left out. */
export function onTimeChartSpec(members: { member: string; published: number; onTime: number }[], labels: ChartLabels): object {
  const values = members.filter((m) => m.published > 0).map((m) => ({ member: m.member, share: m.onTime / m.published }));
  return {
    data: { values },
    config: CONFIG,
    mark: { type: 'bar', color: '#1f5fa8' },
    encoding: {
      y: { field: 'member', type: 'nominal', title: labels.member, sort: null },
      x: { field: 'share', type: 'quantitative', title: labels.onTimeShare, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
    },
  };
}

/** The words of the response charts, in the reader's language. */
export interface ResponseChartLabels {
  /** The axis of the groups: "Theme", "Language". */
  group: string;
  responses: string;
  kind: string;
  kinds: Record<ResponseKind, string>;
}

/**
 * Responses per theme or language: one bar per group, split by kind (likes, reposts, replies,
 * quotes). `names` gives each group's name as the reader says it; a kind no network gave is left out.
 */
export function responsesChartSpec(groups: ResponseGroup[], names: Map<string, string>, labels: ResponseChartLabels): object {
  const values = groups.flatMap((g) => RESPONSE_KINDS.filter((k) => g[k] !== null).map((k) => ({
    group: names.get(g.key) ?? g.key, kind: labels.kinds[k], order: RESPONSE_KINDS.indexOf(k), count: g[k],
  })));
  return {
    data: { values },
    config: CONFIG,
    mark: 'bar',
    encoding: {
      y: { field: 'group', type: 'nominal', title: labels.group, sort: null },
      x: { field: 'count', type: 'quantitative', title: labels.responses, stack: 'zero' },
      color: { field: 'kind', type: 'nominal', title: labels.kind, sort: RESPONSE_KINDS.map((k) => labels.kinds[k]), scale: { scheme: 'tableau10' } },
      order: { field: 'order' },
    },
  };
}

/** The best posts of each week as bars, longest first within the week; `label` names a post (week, rank, member, network, language). */
export function bestPostsChartSpec(posts: BestPost[], label: (post: BestPost) => string, labels: Pick<ResponseChartLabels, 'responses'> & { post: string }): object {
  const values = posts.map((p) => ({ post: label(p), responses: p.responses }));
  return {
    data: { values },
    config: CONFIG,
    mark: { type: 'bar', color: '#1f5fa8' },
    encoding: {
      y: { field: 'post', type: 'nominal', title: labels.post, sort: null, axis: { labelLimit: 320 } },
      x: { field: 'responses', type: 'quantitative', title: labels.responses },
    },
  };
}
