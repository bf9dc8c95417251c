import type { Request } from 'express';
import type { AppConfig } from '../config/config';
import { presentedToken, TokenAttempts } from './token-attempts';

/** Just the parts of a request the limit reads. */
function aRequest(from: string, parts: { bearer?: string; query?: string; form?: string; cookie?: string } = {}): Request {
  return {
    ip: from,
    headers: { ...(parts.bearer ? { authorization: `Bearer ${parts.bearer}` } : {}), ...(parts.cookie ? { cookie: `lang=en; natc_session=${parts.cookie}` } : {}) },
    query: parts.query ? { token: parts.query } : {},
    body: parts.form ? { token: parts.form } : undefined,
  } as unknown as Request;
}

describe('presentedToken', () => {
  it.each([
    [{ bearer: 'nsc_a' }, 'nsc_a'],
    [{ query: 'cal_b' }, 'cal_b'],
    [{ form: 'nsc_c' }, 'nsc_c'],
    [{ cookie: 'session-d' }, 'session-d'],
    [{}, undefined],
  ])('finds the token of %j', (parts, expected) => {
    expect(presentedToken(aRequest('10.0.0.1', parts))).toBe(expected);
  });
});

describe('TokenAttempts', () => {
  const T0 = 1_700_000_000_000;
  const attempts = () => new TokenAttempts({ badTokenLimitPerMinute: 3 } as AppConfig);

  it('refuses an address after the limit of bad tokens, until its minute is over', () => {
    const limit = attempts();
    for (let i = 0; i < 3; i++) {
      expect(limit.retryAfter(aRequest('10.0.0.1', { bearer: `guess${i}` }), T0 + i)).toBe(0);
      limit.failed(aRequest('10.0.0.1', { bearer: `guess${i}` }), T0 + i);
    }
    expect(limit.retryAfter(aRequest('10.0.0.1', { bearer: 'good' }), T0 + 1000)).toBe(59);
    expect(limit.retryAfter(aRequest('10.0.0.1', { cookie: 'any' }), T0 + 59_500)).toBe(1);
    expect(limit.retryAfter(aRequest('10.0.0.1', { bearer: 'good' }), T0 + 60_000)).toBe(0);
    expect(limit.retryAfter(aRequest('10.0.0.2', { bearer: 'good' }), T0 + 1000)).toBe(0);
  });

  it('never refuses a request without a token', () => {
    const limit = attempts();
    for (let i = 0; i < 5; i++) limit.failed(aRequest('10.0.0.1', { query: `guess${i}` }), T0);
    expect(limit.retryAfter(aRequest('10.0.0.1'), T0)).toBe(0);
  });

  it('refuses one token tried from many addresses', () => {
    const limit = attempts();
    for (const from of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) limit.failed(aRequest(from, { query: 'cal_revoked' }), T0);
    expect(limit.retryAfter(aRequest('10.0.0.4', { query: 'cal_revoked' }), T0)).toBe(60);
    expect(limit.retryAfter(aRequest('10.0.0.4', { query: 'cal_other' }), T0)).toBe(0);
  });
});
