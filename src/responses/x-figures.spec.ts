import { xFigures, xPostId } from './x-figures';

describe('xPostId', () => {
  it('takes the post id from the URL the X publisher records', () => {
    expect(xPostId('https://x.com/natc_si/status/1850000000000000001')).toBe('1850000000000000001');
    expect(xPostId('https://x.com/i/web/status/1850000000000000001')).toBe('1850000000000000001');
  });
  it('gives none for a profile link or a hand-entered text', () => {
    expect(xPostId('https://x.com/natc_si')).toBeNull();
    expect(xPostId('posted by hand')).toBeNull();
  });
});

describe('xFigures', () => {
  it('maps public_metrics and prefers the impressions of non_public_metrics when X granted them', () => {
    const public_metrics = { like_count: 4, retweet_count: 2, reply_count: 1, quote_count: 0, bookmark_count: 3, impression_count: 90 };
    expect(xFigures({ id: '1', public_metrics })).toEqual({ kind: 'figures', likes: 4, reposts: 2, replies: 1, quotes: 0, impressions: 90 });
    expect(xFigures({ id: '1', public_metrics, non_public_metrics: { impression_count: 120 } })).toMatchObject({ impressions: 120 });
  });
  it('leaves a count X did not give null, never zero', () => {
    expect(xFigures({ id: '1', public_metrics: { like_count: 4 } })).toEqual({ kind: 'figures', likes: 4, reposts: null, replies: null, quotes: null, impressions: null });
  });
});
