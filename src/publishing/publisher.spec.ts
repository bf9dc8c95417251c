import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyResponse, idempotencyKey, parseRetryAfter, retryDelayMs } from './publisher';
import { SecretStore } from './secrets';

describe('idempotencyKey', () => {
  it('depends only on the post and the revision it was approved at', () => {
    expect(idempotencyKey(42, 7)).toBe('natc-post-42-r7');
    expect(idempotencyKey(42, 7)).toBe(idempotencyKey(42, 7));
    expect(idempotencyKey(42, 8)).not.toBe(idempotencyKey(42, 7));
  });
});

describe('classifyResponse', () => {
  const now = Date.parse('2021-10-18T08:00:00Z');
  it.each([
    [200, null, 'published'],
    [201, null, 'published'],
    [204, null, 'published'],
  ])('treats %i as published', (status, retryAfter, expected) => {
    expect(classifyResponse(status, retryAfter, now)).toBe(expected);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => {
    expect(classifyResponse(status, null, now)).toEqual({ kind: 'transient', error: `HTTP ${status}`, retryAfterMs: undefined });
  });

  it.each([400, 401, 403, 404, 409, 410, 413, 422])('fails at once on %i', (status) => {
    expect(classifyResponse(status, null, now)).toEqual({ kind: 'permanent', error: `HTTP ${status}` });
  });

  it('keeps a 429 Retry-After', () => {
    expect(classifyResponse(429, '120', now)).toEqual({ kind: 'transient', error: 'HTTP 429', retryAfterMs: 120_000 });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2021-10-18T08:00:00Z');
  it.each([
    ['30', 30_000],
    [' 5 ', 5_000],
    ['Mon, 18 Oct 2021 08:01:00 GMT', 60_000],
    ['Mon, 18 Oct 2021 07:00:00 GMT', 0],
  ])('reads %j as %i ms (seconds or an HTTP date, RFC 9110)', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([null, '', 'soon'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  const base = { baseMs: 2000, capMs: 300_000 };
  it.each([
    [1, 1000, 2000],
    [2, 2000, 4000],
    [3, 4000, 8000],
    [10, 150_000, 300_000],
  ])('waits between half and all of base·2^(n-1), capped: attempt %i → [%i, %i] ms', (attempt, low, high) => {
    expect(retryDelayMs(attempt, { ...base, random: () => 0 })).toBe(low);
    expect(retryDelayMs(attempt, { ...base, random: () => 1 })).toBe(high);
  });

  it('waits at least what the server asked for', () => {
    expect(retryDelayMs(1, { ...base, retryAfterMs: 30_000, random: () => 0.5 })).toBe(30_000);
    expect(retryDelayMs(5, { ...base, retryAfterMs: 1000, random: () => 1 })).toBe(32_000);
  });
});

describe('SecretStore', () => {
  const secretsFile = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.env');
    writeFileSync(file, text);
    return file;
  };

  it('reads NAME=value lines from the secrets file (any name), the environment winning, and ignores comments', () => {
    const file = secretsFile('# publisher secrets\nX_HOOK_SECRET = "from-file"\nPUBLISHER_SECRET_MASTODON_SI=tok en\n#OLD=x\n');
    const store = new SecretStore({ PUBLISHER_SECRET_MASTODON_SI: 'from-env' }, file);
    expect(store.get('X_HOOK_SECRET')).toBe('from-file');
    expect(store.get('PUBLISHER_SECRET_MASTODON_SI')).toBe('from-env');
    expect(store.get('OLD')).toBeUndefined();
    expect(store.asEnv()).toEqual({ X_HOOK_SECRET: 'from-file', PUBLISHER_SECRET_MASTODON_SI: 'from-env' });
  });

  it('reads from the environment only variables named PUBLISHER_SECRET_*, never the service\'s own configuration', () => {
    const store = new SecretStore({ PUBLISHER_SECRET_X: 'hook', BOOTSTRAP_ADMIN_TOKEN: 'admin-token-0123456789', DATABASE_URL: 'postgres://u:p@db/x', PATH: '/bin' });
    expect(store.asEnv()).toEqual({ PUBLISHER_SECRET_X: 'hook' });
    expect(store.get('BOOTSTRAP_ADMIN_TOKEN')).toBeUndefined();
  });

  it('lets the secrets file name a value the environment may not give', () => {
    const store = new SecretStore({ X_HOOK_SECRET: 'from-env-ignored' }, secretsFile('X_HOOK_SECRET=from-file\n'));
    expect(store.get('X_HOOK_SECRET')).toBe('from-file');
  });
});
