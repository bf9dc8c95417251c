import { blueskyPostRecord, classifyBlueskyFailure, toXrpcFailure } from './bluesky-post';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
/** The text a facet covers, cut by its UTF-8 byte offsets as Bluesky's apps cut it. */
const covered = (text: string, index: { byteStart: number; byteEnd: number }) => utf8(text).subarray(index.byteStart, index.byteEnd).toString('utf8');

describe('blueskyPostRecord', () => {
  it('marks links and hashtags with UTF-8 byte offsets, after Cyrillic letters and emoji', async () => {
    const text = 'Трговија со луѓе 🚫👧 — пријави: https://natc.example/mk/пријава #EndImpunity #СтопТрговија';
    const record = await blueskyPostRecord(text, 'mk', '2021-10-18T08:00:00.000Z');
    expect(record).toMatchObject({ $type: 'app.bsky.feed.post', text, createdAt: '2021-10-18T08:00:00.000Z', langs: ['mk'] });
    const facets = record.facets!.map((f) => ({ covers: covered(text, f.index), feature: f.features[0] }));
    expect(facets).toEqual([
      { covers: 'https://natc.example/mk/пријава', feature: { $type: 'app.bsky.richtext.facet#link', uri: 'https://natc.example/mk/пријава' } },
      { covers: '#EndImpunity', feature: { $type: 'app.bsky.richtext.facet#tag', tag: 'EndImpunity' } },
      { covers: '#СтопТрговија', feature: { $type: 'app.bsky.richtext.facet#tag', tag: 'СтопТрговија' } },
    ]);
    // Byte offsets, not UTF-16 indexes: the link starts well after its UTF-16 position.
    expect(record.facets![0].index.byteStart).toBeGreaterThan(text.indexOf('https'));
  });

  it('leaves out mentions, which would need the account DID, and has no facets when nothing is linked', async () => {
    const record = await blueskyPostRecord('Thanks @natc.bsky.social', 'en', '2021-10-18T08:00:00Z');
    expect(record.facets).toBeUndefined();
  });

  it.each([['hr', 'hr'], ['sr-Latn', 'sr'], ['sr-Cyrl', 'sr'], ['cnr', 'cnr'], ['sq', 'sq']])('gives locale %s the language %s', async (locale, language) => {
    expect((await blueskyPostRecord('x', locale, '2021-10-18T08:00:00Z')).langs).toEqual([language]);
  });
});

describe('classifyBlueskyFailure', () => {
  const now = Date.parse('2021-10-18T08:00:00Z');

  it.each([
    ['no answer at all', { status: 1, message: 'ECONNREFUSED: fetch failed' }, 'transient'],
    ['a 500 (the PDS also answers this for an existing record key)', { status: 500, error: 'InternalServerError', message: 'Internal Server Error' }, 'transient'],
    ['a 502 upstream failure', { status: 502, error: 'UpstreamFailure', message: 'x' }, 'transient'],
    ['a rate limit', { status: 429, error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, 'transient'],
    ['a record the PDS refuses', { status: 400, error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes' }, 'permanent'],
    ['a forbidden write', { status: 403, error: 'Forbidden', message: 'x' }, 'permanent'],
  ])('%s is %s', (_, failure, kind) => {
    expect(classifyBlueskyFailure(failure, now).kind).toBe(kind);
  });

  it('waits until the rate-limit window named by ratelimit-reset ends, or Retry-After', () => {
    const reset = String(now / 1000 + 120);
    expect(classifyBlueskyFailure({ status: 429, message: 'Rate Limit Exceeded', headers: { 'RateLimit-Reset': reset } }, now)).toMatchObject({ retryAfterMs: 120_000 });
    expect(classifyBlueskyFailure({ status: 429, message: 'x', headers: { 'retry-after': '30' } }, now)).toMatchObject({ retryAfterMs: 30_000 });
  });

  it('names the error and its message in lastError', () => {
    expect(classifyBlueskyFailure({ status: 400, error: 'InvalidRequest', message: 'Invalid record key' }, now).error).toBe('Bluesky HTTP 400 InvalidRequest: Invalid record key');
  });
});

describe('toXrpcFailure', () => {
  it('reads a network error (no status) with its cause code', () => {
    const error = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(toXrpcFailure(error)).toEqual({ status: 1, error: undefined, message: 'ECONNREFUSED: fetch failed', headers: undefined });
  });
});
