import { mastodonStatusId, retryAt, UNAVAILABLE_PAUSE_MS } from './mastodon-figures';

describe('mastodonStatusId', () => {
  it('takes the status id from the URL Mastodon gave for the status', () => {
    expect(mastodonStatusId('https://mastodon.social/@natc/113456789012345678')).toBe('113456789012345678');
  });

  it('gives none for a URL that does not end in an id (a hand-entered link, not a URL at all)', () => {
    expect(mastodonStatusId('https://mastodon.social/@natc')).toBeNull();
    expect(mastodonStatusId('posted by hand')).toBeNull();
  });
});

describe('retryAt', () => {
  const now = Date.parse('2021-10-18T08:00:00Z');

  it('honours Retry-After first, then Mastodon’s X-RateLimit-Reset (ISO 8601), then Bluesky’s RateLimit-Reset (epoch seconds)', () => {
    expect(retryAt(new Headers({ 'Retry-After': '30', 'X-RateLimit-Reset': '2021-10-18T09:00:00Z' }), now)).toBe(now + 30_000);
    expect(retryAt(new Headers({ 'X-RateLimit-Reset': '2021-10-18T08:05:00.000000Z' }), now)).toBe(Date.parse('2021-10-18T08:05:00Z'));
    expect(retryAt(new Headers({ 'RateLimit-Reset': String(now / 1000 + 120) }), now)).toBe(now + 120_000);
    expect(retryAt(new Headers({ 'x-rate-limit-reset': String(now / 1000 + 60) }), now)).toBe(now + 60_000);
  });

  it('pauses a while when the network names no time, and never waits into the past', () => {
    expect(retryAt(new Headers(), now)).toBe(now + UNAVAILABLE_PAUSE_MS);
    expect(retryAt(new Headers({ 'X-RateLimit-Reset': '2021-10-18T07:00:00Z' }), now)).toBe(now);
  });
});
