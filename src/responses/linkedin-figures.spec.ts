import { linkedinFigures, linkedinPostUrn } from './linkedin-figures';

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
  it('maps likesSummary.totalLikes and commentsSummary.aggregatedTotalComments; no reshares or impressions here', () => {
    const body = { target: 'urn:li:share:1', likesSummary: { totalLikes: 7, likedByCurrentUser: false, selectedLikes: [] }, commentsSummary: { aggregatedTotalComments: 5, totalFirstLevelComments: 3, selectedComments: [] } };
    expect(linkedinFigures(body)).toEqual({ kind: 'figures', likes: 7, reposts: null, replies: 5, quotes: null, impressions: null });
  });
  it('leaves a summary LinkedIn did not give null, never zero', () => {
    expect(linkedinFigures({ target: 'urn:li:share:1' })).toEqual({ kind: 'figures', likes: null, reposts: null, replies: null, quotes: null, impressions: null });
  });
});
