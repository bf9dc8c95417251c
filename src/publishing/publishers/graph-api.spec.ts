import { classifyGraphRefusal, DEFAULT_RATE_LIMIT_WAIT_MS, rateLimitWaitMs } from './graph-api';
import { pickInstagramPage, pickPage } from '../../accounts/meta-oauth';
import { withinWindow } from './instagram.publisher';

const headers = (values: Record<string, string> = {}) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

describe('classifyGraphRefusal (Graph API "Handling Errors", v26.0)', () => {
  it.each([
    ['an expired or revoked token (190)', 400, { message: 'Error validating access token', code: 190, subcode: 463 }, 'reconnect'],
    ['a session expired (102)', 400, { message: 'Session key invalid', code: 102 }, 'reconnect'],
    ['the app rate limit (4)', 400, { message: 'Application request limit reached', code: 4 }, 'rate-limited'],
    ['a user rate limit (17)', 400, { message: 'User request limit reached', code: 17 }, 'rate-limited'],
    ['a Page rate limit (32)', 400, { message: 'Page request limit reached', code: 32 }, 'rate-limited'],
    ['a custom rate limit (613)', 400, { message: 'Calls to this api have exceeded the rate limit', code: 613 }, 'rate-limited'],
    ['a 500 that may have created the post', 500, { message: 'An unexpected error has occurred', code: 2 }, 'maybe-created'],
    ['a temporary error (is_transient)', 400, { message: 'temporary', code: 1, isTransient: true }, 'maybe-created'],
    ['a duplicate post (506): an earlier attempt got through', 400, { message: 'Duplicate status message', code: 506 }, 'maybe-created'],
    ['a missing permission (200)', 403, { message: 'Permissions error', code: 200 }, 'failed'],
    ['an invalid parameter (100)', 400, { message: 'Invalid parameter', code: 100 }, 'failed'],
    ['a 400 error page that is not JSON', 400, { message: 'not JSON' }, 'failed'],
  ])('%s → %s', (_case, status, error, kind) => {
    expect(classifyGraphRefusal('Facebook', status, error, headers()).kind).toBe(kind);
  });

  it('names the network, the status, code and subcode in the error', () => {
    expect(classifyGraphRefusal('Instagram', 400, { message: 'Error validating access token', code: 190, subcode: 460 }, headers()).error)
      .toBe('Instagram: HTTP 400 code 190/460 Error validating access token');
  });

  it('waits for the time X-Business-Use-Case-Usage names, else a default', () => {
    const usage = JSON.stringify({ 104: [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 7 }, { type: 'pages', estimated_time_to_regain_access: 2 }] });
    expect(classifyGraphRefusal('Facebook', 400, { message: '', code: 32 }, headers({ 'x-business-use-case-usage': usage }))).toMatchObject({ kind: 'rate-limited', retryAfterMs: 7 * 60_000 });
    expect(classifyGraphRefusal('Facebook', 400, { message: '', code: 4 }, headers({ 'x-app-usage': '{"call_count":100}' }))).toMatchObject({ retryAfterMs: DEFAULT_RATE_LIMIT_WAIT_MS });
  });
});

describe('rateLimitWaitMs', () => {
  it('ignores a header that is missing, not JSON, or names no wait', () => {
    expect(rateLimitWaitMs(headers())).toBeUndefined();
    expect(rateLimitWaitMs(headers({ 'x-business-use-case-usage': '<html>' }))).toBeUndefined();
    expect(rateLimitWaitMs(headers({ 'x-business-use-case-usage': '{"1":[{"estimated_time_to_regain_access":0}]}' }))).toBeUndefined();
  });
});

describe('pickPage', () => {
  const pages = [
    { id: '1', name: 'NATC Slovenija', accessToken: 'a', instagramId: null },
    { id: '2', name: 'Ministry', accessToken: 'b', instagramId: '9' },
    { id: '3', name: 'Ministry', accessToken: 'c', instagramId: null },
  ];
  it('finds a Page by id, or by its one name ignoring case and spaces', () => {
    expect(pickPage(pages, '2')).toMatchObject({ id: '2' });
    expect(pickPage(pages, '  natc slovenija ')).toMatchObject({ id: '1' });
  });
  it('asks for the id when two Pages share the name, and lists the Pages when none matches', () => {
    expect(pickPage(pages, 'Ministry')).toBe('2 Pages are named "Ministry": give the Page\'s id (2, 3)');
    expect(pickPage(pages, 'Other')).toBe('no Page "Other" among the Pages this Facebook user manages: NATC Slovenija (1), Ministry (2), Ministry (3)');
    expect(pickPage([], 'Other')).toBe('no Page "Other" among the Pages this Facebook user manages (none)');
  });
  it('Instagram: also finds the Page by the id of the Instagram account linked to it (what a reconnect names)', () => {
    expect(pickInstagramPage(pages, '9')).toMatchObject({ id: '2' });
    expect(pickInstagramPage(pages, '1')).toMatchObject({ id: '1' });
    expect(pickInstagramPage(pages, 'NATC Slovenija')).toMatchObject({ id: '1' });
    expect(pickPage(pages, '9')).toEqual(expect.stringContaining('no Page "9"'));
  });
});

describe('withinWindow (Instagram timestamps, +0000 without a colon)', () => {
  const from = new Date('2026-11-30T15:00:00Z');
  const to = new Date('2026-11-30T15:10:00Z');
  it.each([
    ['2026-11-30T15:04:05+0000', true],
    ['2026-11-30T16:04:05+0100', true],
    ['2026-11-30T14:59:59+0000', false],
    ['2026-11-30T15:10:01+0000', false],
  ])('%s → %s', (timestamp, inside) => {
    expect(withinWindow(timestamp, from, to)).toBe(inside);
  });
});
