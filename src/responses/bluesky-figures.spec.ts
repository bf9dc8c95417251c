import { blueskyPostRef, postAtUri } from './bluesky-figures';

describe('blueskyPostRef', () => {
  it('takes handle and record key from the post page the publisher records', () => {
    expect(blueskyPostRef('https://bsky.app/profile/natc-hr.bsky.social/post/3jzfcijpj2z2a')).toEqual({ handle: 'natc-hr.bsky.social', rkey: '3jzfcijpj2z2a' });
  });
  it('gives none for a page that is not a post (a profile, a hand-entered text)', () => {
    expect(blueskyPostRef('https://bsky.app/profile/natc-hr.bsky.social')).toBeNull();
    expect(blueskyPostRef('posted by hand')).toBeNull();
  });
});

describe('postAtUri', () => {
  it('names the post record under the DID, which is what the AppView answers for (it resolves no handle in getPosts)', () => {
    expect(postAtUri('did:plc:abc', '3jzfcijpj2z2a')).toBe('at://did:plc:abc/app.bsky.feed.post/3jzfcijpj2z2a');
  });
});
