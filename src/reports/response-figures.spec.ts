import { deliveryRows, rowKey, type CountRow, type ResponseTotals } from './delivery-figures';
import { bestPosts, responseCount, responsesBy, weekDates, type BestPostRow } from './response-figures';

const counts = (over: Partial<CountRow>): CountRow => ({
  member: 'SI', network: 'mastodon', locale: 'sl', theme: 'policy',
  planned: 3, approved: 3, published: 3, on_time: 3, missed: 0, failed: 0, cancelled: 0, unreviewed: 0, ...over,
});
const responses = (over: Partial<ResponseTotals>): ResponseTotals => ({
  likes: null, reposts: null, replies: null, quotes: null, impressions: null, collectedAt: '2021-10-20T00:00:00.000Z', refused: {}, ...over,
});

describe('responsesBy', () => {
  const rows = deliveryRows(
    [counts({}), counts({ network: 'bluesky' }), counts({ member: 'MK', locale: 'mk' }), counts({ member: 'HR', locale: 'hr', theme: 'victims' })],
    [], [],
    new Map([
      [rowKey({ member: 'SI', network: 'mastodon', locale: 'sl', theme: 'policy' }), responses({ likes: 4, reposts: 1, replies: 2 })],
      [rowKey({ member: 'SI', network: 'bluesky', locale: 'sl', theme: 'policy' }), responses({ likes: 1, reposts: 0, replies: 0, quotes: 3 })],
      [rowKey({ member: 'MK', network: 'mastodon', locale: 'mk', theme: 'policy' }), responses({ likes: 10, refused: { deleted: 1 } })],
    ]),
  );

  it('sums the rows per theme; a figure no network of the theme gave stays null; themes with nothing collected are left out', () => {
    expect(responsesBy(rows, 'theme')).toEqual([{ key: 'policy', likes: 15, reposts: 1, replies: 2, quotes: 3, impressions: null }]);
  });
  it('sums the rows per language', () => {
    expect(responsesBy(rows, 'locale')).toEqual([
      { key: 'mk', likes: 10, reposts: null, replies: null, quotes: null, impressions: null },
      { key: 'sl', likes: 5, reposts: 1, replies: 2, quotes: 3, impressions: null },
    ]);
  });
});

describe('responseCount', () => {
  it('adds likes, reposts, replies and quotes; a figure not given counts nothing (impressions are reach, not responses)', () => {
    expect(responseCount({ likes: 3, reposts: 2, replies: null, quotes: 1 })).toBe(6);
  });
});

describe('bestPosts', () => {
  const row = (over: Partial<BestPostRow>): BestPostRow => ({
    post_id: '7', week: '0', week_rank: '1', member: 'SI', network: 'mastodon', locale: 'sl', theme: 'policy',
    published_at: '2021-10-18T08:00:05.000Z', published_url: 'https://m.test/@natc/1', likes: '5', reposts: '1', replies: null, quotes: null,
    impressions: null, collected_at: '2021-10-19T08:00:00.000Z', ...over,
  });
  it('numbers weeks from 1, keeps week and rank order, counts responses, and never carries a text', () => {
    const best = bestPosts([row({ week: 1, week_rank: 1, post_id: 9 }), row({ week_rank: '2', post_id: '8', likes: '1' }), row({})]);
    expect(best.map((b) => [b.week, b.rank, b.postId, b.responses])).toEqual([[1, 1, 7, 6], [1, 2, 8, 2], [2, 1, 9, 6]]);
    expect(best[0]).toMatchObject({ member: 'SI', network: 'mastodon', locale: 'sl', url: 'https://m.test/@natc/1', likes: 5, replies: null });
    expect(Object.keys(best[0])).not.toContain('text');
  });
});

describe('weekDates', () => {
  it('gives the seven days of a campaign week from its start, across a month end', () => {
    expect(weekDates('2021-10-18', 1)).toEqual({ from: '2021-10-18', to: '2021-10-24' });
    expect(weekDates('2021-10-18', 3)).toEqual({ from: '2021-11-01', to: '2021-11-07' });
  });
});
