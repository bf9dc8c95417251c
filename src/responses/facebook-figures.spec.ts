import { facebookFigures, facebookPostId, insightValue } from './facebook-figures';

describe('facebookPostId', () => {
  it('takes <page>_<post> from the permalink or the id address the Facebook publisher records', () => {
    expect(facebookPostId('https://www.facebook.com/104000000000001/posts/900000000000003')).toBe('104000000000001_900000000000003');
    expect(facebookPostId('https://www.facebook.com/104000000000001_900000000000003')).toBe('104000000000001_900000000000003');
  });
  it('gives none for a pfbid permalink, a Page link or a hand-entered text (the post is then not collected)', () => {
    expect(facebookPostId('https://www.facebook.com/natc/posts/pfbid02abcDEF')).toBeNull();
    expect(facebookPostId('https://www.facebook.com/104000000000001')).toBeNull();
    expect(facebookPostId('posted by hand')).toBeNull();
  });
});

describe('facebookFigures', () => {
  it('maps reactions to likes, comments to replies and shares to reposts', () => {
    const post = { id: '1_2', reactions: { data: [], summary: { total_count: 12 } }, comments: { data: [], summary: { total_count: 3, order: 'ranked' } }, shares: { count: 4 } };
    expect(facebookFigures(post)).toEqual({ kind: 'figures', likes: 12, reposts: 4, replies: 3, quotes: null, impressions: null });
  });
  it('counts a post nobody shared (no shares field) as 0 shares, and a summary Graph left out as unknown', () => {
    expect(facebookFigures({ id: '1_2', reactions: { data: [], summary: { total_count: 1 } } })).toEqual({ kind: 'figures', likes: 1, reposts: 0, replies: null, quotes: null, impressions: null });
  });
});

describe('insightValue', () => {
  const answer = (name: string, value: unknown) => ({ data: [{ name, period: 'lifetime', values: [{ value }], title: 'Views', description: '', id: `1_2/insights/${name}/lifetime` }] });
  it('takes the lifetime value of the metric asked for', () => {
    expect(insightValue(answer('post_media_view', 1234), 'post_media_view')).toBe(1234);
    expect(insightValue(answer('views', 0), 'views')).toBe(0);
  });
  it('gives null, not zero, for an empty data set (nothing counted yet), another metric or a value that is no count', () => {
    expect(insightValue({ data: [] }, 'post_media_view')).toBeNull();
    expect(insightValue(answer('post_impressions', 9), 'post_media_view')).toBeNull();
    expect(insightValue(answer('views', { organic: 3 }), 'views')).toBeNull();
    expect(insightValue({}, 'views')).toBeNull();
  });
});
