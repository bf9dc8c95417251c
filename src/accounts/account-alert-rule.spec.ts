import { AccountAlertFacts, alertCondition, alertStep, channelsNamingAccounts } from './account-alert-rule';

const NOW = new Date('2021-10-10T09:00:00Z');
const facts = (over: Partial<AccountAlertFacts>): AccountAlertFacts => ({ status: 'connected', expiresAt: null, refreshExpiresAt: null, hasRefreshToken: false, ...over });

describe('alertCondition', () => {
  it.each<[string, Partial<AccountAlertFacts>, ReturnType<typeof alertCondition>]>([
    ['a token revoked on the network: every post from now fails', { status: 'needs-reconnect', expiresAt: '2021-10-10T10:00:00.000Z', hasRefreshToken: true },
      { kind: 'reconnect', key: 'needs-reconnect', failsFrom: '2021-10-10T09:00:00.000Z' }],
    ['a token that never expires (a Facebook Page token)', { expiresAt: null }, null],
    ['an access token without a refresh token, ending in 6 days', { expiresAt: '2021-10-16T09:00:00Z' },
      { kind: 'expiring', key: 'expires:2021-10-16T09:00:00.000Z', failsFrom: '2021-10-16T09:00:00.000Z' }],
    ['an access token without a refresh token, ending exactly at ALERT_DAYS', { expiresAt: '2021-10-17T09:00:00.000Z' },
      { kind: 'expiring', key: 'expires:2021-10-17T09:00:00.000Z', failsFrom: '2021-10-17T09:00:00.000Z' }],
    ['an access token without a refresh token, ending a minute after ALERT_DAYS', { expiresAt: '2021-10-17T09:01:00.000Z' }, null],
    ['an access token that already ended, with no refresh token', { expiresAt: '2021-10-09T09:00:00.000Z' },
      { kind: 'expiring', key: 'expires:2021-10-09T09:00:00.000Z', failsFrom: '2021-10-09T09:00:00.000Z' }],
    ['an X token ending in 2 hours, renewed by its refresh token (no known end)', { expiresAt: '2021-10-10T11:00:00.000Z', hasRefreshToken: true }, null],
    ['a LinkedIn refresh token ending in 3 days', { expiresAt: '2021-12-01T00:00:00.000Z', refreshExpiresAt: '2021-10-13T09:00:00.000Z', hasRefreshToken: true },
      { kind: 'expiring', key: 'expires:2021-10-13T09:00:00.000Z', failsFrom: '2021-10-13T09:00:00.000Z' }],
    ['a LinkedIn refresh token ending in 300 days', { expiresAt: '2021-10-11T00:00:00.000Z', refreshExpiresAt: '2022-08-06T09:00:00.000Z', hasRefreshToken: true }, null],
    ['an account a person disconnected', { status: 'revoked' }, null],
  ])('%s', (_, over, expected) => {
    expect(alertCondition(facts(over), NOW, 7)).toEqual(expected);
  });

  it('counts ALERT_DAYS as given (1 day)', () => {
    expect(alertCondition(facts({ expiresAt: '2021-10-12T09:00:00Z' }), NOW, 1)).toBeNull();
    expect(alertCondition(facts({ expiresAt: '2021-10-11T08:00:00Z' }), NOW, 1)?.kind).toBe('expiring');
  });
});

describe('alertStep', () => {
  const reconnect = { kind: 'reconnect' as const, key: 'needs-reconnect', failsFrom: NOW.toISOString() };
  const expiring = { kind: 'expiring' as const, key: 'expires:2021-10-13T09:00:00.000Z', failsFrom: '2021-10-13T09:00:00.000Z' };
  const posts = { count: 3, first: '2021-10-18T08:00:00.000Z' };
  const none = { count: 0, first: null };
  it.each([
    ['mails a condition with posts at risk, not mailed yet', reconnect, posts, null, 'mail'],
    ['mails nothing for an account no approved or pending post uses', reconnect, none, null, 'nothing'],
    ['mails a condition once, not every run', reconnect, posts, 'needs-reconnect', 'nothing'],
    ['mails again when the condition changes (expiring, then revoked)', reconnect, posts, expiring.key, 'mail'],
    ['mails again for a new expiry after a reconnect', expiring, posts, 'expires:2021-09-01T00:00:00.000Z', 'mail'],
    ['forgets a condition that no longer holds, so that its return is mailed', null, none, 'needs-reconnect', 'forget'],
    ['does nothing for a healthy account never alerted about', null, none, null, 'nothing'],
  ] as const)('%s', (_, condition, atRisk, sentFor, step) => {
    expect(alertStep(condition, atRisk, sentFor)).toBe(step);
  });
});

describe('channelsNamingAccounts', () => {
  it('lists the channels whose publisher names an account, on any network, and no others', () => {
    const source = JSON.stringify({
      members: [
        { code: 'SI', channels: [{ network: 'x', publisher: { type: 'x', account: 'si-x' } }, { network: 'facebook' }, { network: 'linkedin', publisher: { type: 'linkedin', account: 'si-li' } }] },
        { code: 'HR', channels: [{ network: 'mastodon', publisher: { type: 'mastodon', instance: 'https://m.example', tokenEnv: 'PUBLISHER_SECRET_T' } }] },
      ],
    });
    expect(channelsNamingAccounts(source)).toEqual([{ member: 'SI', network: 'x', account: 'si-x' }, { member: 'SI', network: 'linkedin', account: 'si-li' }]);
  });
});
