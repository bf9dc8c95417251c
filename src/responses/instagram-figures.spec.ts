import { instagramFigures, instagramPermalinkKey, settleInstagramPage } from './instagram-figures';

describe('instagramPermalinkKey', () => {
  it('keys a post by its shortcode, whatever slash, query or account prefix the address carries', () => {
    expect(instagramPermalinkKey('https://www.instagram.com/p/C900000000000003/')).toBe('p/C900000000000003');
    expect(instagramPermalinkKey('https://www.instagram.com/p/C900000000000003?igsh=abc')).toBe('p/C900000000000003');
    expect(instagramPermalinkKey('https://www.instagram.com/natc_slovenija/reel/DAbc-12/')).toBe('reel/DAbc-12');
  });
  it('gives none for a profile, another site or a hand-entered text', () => {
    expect(instagramPermalinkKey('https://www.instagram.com/natc_slovenija')).toBeNull();
    expect(instagramPermalinkKey('https://example.org/p/C1/')).toBeNull();
    expect(instagramPermalinkKey('posted by hand')).toBeNull();
  });
});

describe('instagramFigures', () => {
  it('maps like_count to likes and comments_count to replies; no reposts, quotes or impressions', () => {
    expect(instagramFigures({ id: '1', like_count: 9, comments_count: 2 })).toEqual({ kind: 'figures', likes: 9, reposts: null, replies: 2, quotes: null, impressions: null });
  });
  it('leaves a count Instagram hides (like_count when likes are hidden) null, never zero', () => {
    expect(instagramFigures({ id: '1', comments_count: 2 })).toMatchObject({ likes: null, replies: 2 });
  });
});

describe('settleInstagramPage', () => {
  const at = (iso: string) => Date.parse(iso);
  const media = (shortcode: string, timestamp: string, likes: number) => ({ id: shortcode, permalink: `https://www.instagram.com/p/${shortcode}/`, timestamp, like_count: likes, comments_count: 1 });

  it('settles the posts found, and asks for the next page while an older post may still be on it', () => {
    const wanted = new Map([['p/A', at('2021-10-19T08:00:05Z')], ['p/B', at('2021-10-18T08:00:05Z')]]);
    const page = { data: [media('A', '2021-10-19T08:00:06+0000', 4)], paging: { next: 'https://graph.test/next' } };
    const { readings, more } = settleInstagramPage(wanted, page);
    expect(readings).toEqual(new Map([['p/A', { kind: 'figures', likes: 4, reposts: null, replies: 1, quotes: null, impressions: null }]]));
    expect(more).toBe(true);
  });
  it('takes a post as deleted once the page reaches back past its publication, or on the last page', () => {
    const wanted = new Map([['p/B', at('2021-10-18T08:00:05Z')]]);
    expect(settleInstagramPage(wanted, { data: [media('Z', '2021-10-17T08:00:00+0000', 1)], paging: { next: 'x' } }).readings.get('p/B')).toEqual({ kind: 'refused', error: 'deleted' });
    expect(settleInstagramPage(wanted, { data: [], paging: {} })).toEqual({ readings: new Map([['p/B', { kind: 'refused', error: 'deleted' }]]), mediaIds: new Map(), more: false });
  });
  it('gives the media id of each post found, for its views (IG Media Insights are read by media id)', () => {
    const wanted = new Map([['p/A', at('2021-10-19T08:00:05Z')]]);
    const page = { data: [{ ...media('A', '2021-10-19T08:00:06+0000', 4), id: '17900000000000001' }, media('Z', '2021-10-17T08:00:00+0000', 1)], paging: {} };
    expect(settleInstagramPage(wanted, page).mediaIds).toEqual(new Map([['p/A', '17900000000000001']]));
  });
});
