import { facebookPostId } from './facebook-figures';
import { blueskyAtUriRef, networkPostId } from './published-post-id';

describe('networkPostId', () => {
  it('takes the recorded id as it is, whatever the URL carries (a pfbid permalink carries none)', () => {
    const post = { published_id: '100200300_400500600', published_url: 'https://www.facebook.com/natcsee/posts/pfbid02Xk9wQ7mRrT3hYzUvA1bC2dE3fG4hJ5kL6mN7pQ8rS9tl' };
    expect(networkPostId(post, facebookPostId)).toBe('100200300_400500600');
  });
  it('derives the id from the URL for a post published before ids were recorded', () => {
    expect(networkPostId({ published_id: null, published_url: 'https://www.facebook.com/100200300/posts/400500600' }, facebookPostId)).toBe('100200300_400500600');
  });
  it('gives none when neither says (a pfbid permalink without an id, or nothing recorded)', () => {
    expect(networkPostId({ published_id: null, published_url: 'https://www.facebook.com/natcsee/posts/pfbid02Xk9wQ7mRrT3hYzUvA1bC2dE3fG4hJ5kL6mN7pQ8rS9tl' }, facebookPostId)).toBeNull();
    expect(networkPostId({ published_id: null, published_url: null }, facebookPostId)).toBeNull();
  });
});

describe('blueskyAtUriRef', () => {
  it('splits the at:// URI the publisher records into DID and record key', () => {
    expect(blueskyAtUriRef('at://did:plc:abc123xyz/app.bsky.feed.post/3kq2bzvgtjc2a')).toEqual({ did: 'did:plc:abc123xyz', rkey: '3kq2bzvgtjc2a' });
    expect(blueskyAtUriRef('at://did:web:natc.example/app.bsky.feed.post/3kq2bzvgtjc2a')).toEqual({ did: 'did:web:natc.example', rkey: '3kq2bzvgtjc2a' });
  });
  it('gives none for another collection, a handle instead of a DID, or an id entered by hand', () => {
    expect(blueskyAtUriRef('at://did:plc:abc123xyz/app.bsky.feed.like/3kq2bzvgtjc2a')).toBeNull();
    expect(blueskyAtUriRef('at://natc.bsky.social/app.bsky.feed.post/3kq2bzvgtjc2a')).toBeNull();
    expect(blueskyAtUriRef('12345')).toBeNull();
  });
});
