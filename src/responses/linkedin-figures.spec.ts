import { LINKEDIN_STATISTICS_MAX, linkedinFigures, linkedinPostUrn, shareStatisticsOf, shareStatisticsQuery, statisticsBatches } from './linkedin-figures';

describe('linkedinPostUrn', () => {
  it('takes the share or ugcPost URN from the URL the LinkedIn publisher records', () => {
    expect(linkedinPostUrn('https://www.linkedin.com/feed/update/urn:li:share:7100000000000000001')).toBe('urn:li:share:7100000000000000001');
    expect(linkedinPostUrn('https://www.linkedin.com/feed/update/urn%3Ali%3AugcPost%3A7100000000000000002/')).toBe('urn:li:ugcPost:7100000000000000002');
  });
  it('gives none for an organisation page or a hand-entered text', () => {
    expect(linkedinPostUrn('https://www.linkedin.com/company/natc-slovenija')).toBeNull();
    expect(linkedinPostUrn('posted by hand')).toBeNull();
  });
});

describe('linkedinFigures', () => {
  it('maps likesSummary.totalLikes and commentsSummary.aggregatedTotalComments; no reshares or impressions without the statistics', () => {
    const body = { target: 'urn:li:share:1', likesSummary: { totalLikes: 7, likedByCurrentUser: false, selectedLikes: [] }, commentsSummary: { aggregatedTotalComments: 5, totalFirstLevelComments: 3, selectedComments: [] } };
    expect(linkedinFigures(body)).toEqual({ kind: 'figures', likes: 7, reposts: null, replies: 5, quotes: null, impressions: null });
  });
  it('leaves a summary LinkedIn did not give null, never zero', () => {
    expect(linkedinFigures({ target: 'urn:li:share:1' })).toEqual({ kind: 'figures', likes: null, reposts: null, replies: null, quotes: null, impressions: null });
  });
});

describe('linkedinFigures with share statistics', () => {
  it('takes reshares and impressions from the statistics, likes and comments from socialActions', () => {
    const body = { target: 'urn:li:share:1', likesSummary: { totalLikes: 7 }, commentsSummary: { aggregatedTotalComments: 5 } };
    expect(linkedinFigures(body, { reposts: 2, impressions: 340 })).toEqual({ kind: 'figures', likes: 7, reposts: 2, replies: 5, quotes: null, impressions: 340 });
  });
});

describe('shareStatisticsQuery', () => {
  const org = 'urn:li:organization:2414183';
  it('lists shares in the Rest.li 2.0 form: a literal List( ), each URN encoded inside it', () => {
    expect(shareStatisticsQuery(org, ['urn:li:share:1', 'urn:li:share:2'])).toBe(
      'q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183&shares=List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)');
  });
  it('asks for ugcPosts under their own parameter', () => {
    expect(shareStatisticsQuery(org, ['urn:li:ugcPost:9'])).toMatch(/&ugcPosts=List\(urn%3Ali%3AugcPost%3A9\)$/);
  });
});

describe('shareStatisticsOf', () => {
  it('reads shareCount and impressionCount per share or ugcPost; a count not given is null', () => {
    const body = {
      paging: { count: 10, start: 0, links: [] },
      elements: [
        { organizationalEntity: 'urn:li:organization:1', share: 'urn:li:share:1', totalShareStatistics: { uniqueImpressionsCount: 80, shareCount: 3, engagement: 0.1, clickCount: 4, likeCount: 6, impressionCount: 120, commentCount: 1 } },
        { organizationalEntity: 'urn:li:organization:1', ugcPost: 'urn:li:ugcPost:2', totalShareStatistics: { shareCount: 0 } },
      ],
    };
    expect(shareStatisticsOf(body)).toEqual(new Map([
      ['urn:li:share:1', { reposts: 3, impressions: 120 }],
      ['urn:li:ugcPost:2', { reposts: 0, impressions: null }],
    ]));
  });
  it('gives nothing for an answer without elements', () => {
    expect(shareStatisticsOf({})).toEqual(new Map());
  });
});

describe('statisticsBatches', () => {
  it('asks for shares and ugcPosts in calls of their own, twenty URNs at most a call', () => {
    const shares = Array.from({ length: LINKEDIN_STATISTICS_MAX + 1 }, (_, i) => `urn:li:share:${i}`);
    const batches = statisticsBatches(['urn:li:ugcPost:7', ...shares]);
    expect(batches.map((b) => b.length)).toEqual([20, 1, 1]);
    expect(batches[2]).toEqual(['urn:li:ugcPost:7']);
    expect(batches.flat().sort()).toEqual(['urn:li:ugcPost:7', ...shares].sort());
  });
});
