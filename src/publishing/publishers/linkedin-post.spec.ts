import { postBody, postUrl } from './linkedin.publisher';

describe('LinkedIn post body (Posts API)', () => {
  const author = 'urn:li:organization:1';
  const common = {
    author, commentary: 'c', visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    lifecycleState: 'PUBLISHED', isReshareDisabledByAuthor: false,
  };

  it('has no content without images, content.media with one, content.multiImage with several', () => {
    expect(postBody(author, 'c', [])).toEqual(common);
    expect(postBody(author, 'c', [{ id: 'urn:li:image:a', altText: 'A' }])).toEqual({ ...common, content: { media: { id: 'urn:li:image:a', altText: 'A' } } });
    const two = [{ id: 'urn:li:image:a', altText: 'A' }, { id: 'urn:li:image:b', altText: 'B' }];
    expect(postBody(author, 'c', two)).toEqual({ ...common, content: { multiImage: { images: two } } });
  });

  it('links to the post by its URN', () => {
    expect(postUrl('urn:li:share:7')).toBe('https://www.linkedin.com/feed/update/urn:li:share:7');
  });
});
