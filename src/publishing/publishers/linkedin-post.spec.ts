import { postBody, postUrl, trustedUploadUrl } from './linkedin.publisher';

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

describe('trustedUploadUrl (who may receive the account\'s token with the image bytes)', () => {
  it.each([
    ['https://www.linkedin.com/dms-uploads/sp/v2/D4E10AQ/uploaded-image/0?ca=vector', true],
    ['https://api.linkedin.com/mediaUpload/x', true],
    ['http://www.linkedin.com/dms-uploads/x', false],
    ['https://linkedin.com.evil.example/x', false],
    ['https://evil.example/?linkedin.com', false],
    ['http://127.0.0.1:4000/upload/x', true],
    ['http://127.0.0.1:4001/upload/x', false],
    ['not a url', false],
  ])('%s → %s', (url, trusted) => {
    expect(trustedUploadUrl(url, 'http://127.0.0.1:4000')).toBe(trusted);
  });
});
