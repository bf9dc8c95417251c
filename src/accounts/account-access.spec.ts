import type { AuthUser } from '../common/auth-user';
import { canManageAccounts, channelAccountProblem, identityProblem, reconnectTarget } from './account-access';

const user = (role: AuthUser['role'], member: string | null): AuthUser => ({ id: 1, name: 'u', role, member });

describe('canManageAccounts', () => {
  it.each([
    [user('secretariat', null), 'SI', true],
    [user('coordinator', 'SI'), 'SI', true],
    [user('comms', 'SI'), 'SI', true],
    [user('comms', 'HR'), 'SI', false],
    [user('coordinator', 'HR'), 'SI', false],
  ])('%j on %s → %s', (who, member, expected) => expect(canManageAccounts(who, member)).toBe(expected));
});

describe('channelAccountProblem', () => {
  it('accepts the member\'s own account on the channel\'s network', () => {
    expect(channelAccountProblem({ member: 'SI', network: 'x' }, 'si-x', 'SI', 'x')).toBeUndefined();
  });

  it.each([
    [null, 'no connected account "si-x"'],
    [{ member: 'HR', network: 'x' }, 'account "si-x" belongs to another member (HR), not SI'],
    [{ member: 'SI', network: 'mastodon' }, 'account "si-x" is on mastodon, not x'],
  ])('refuses %j: %s', (account, message) => {
    expect(channelAccountProblem(account, 'si-x', 'SI', 'x')).toContain(message);
  });
});

describe('reconnectTarget', () => {
  it.each([
    ['X asks for nothing', 'x', undefined, '1460000000000000001', {}],
    ['Facebook: the Page it posts on, by id', 'facebook', 'page', '104000000000001', { page: '104000000000001' }],
    ['Instagram: its own id, which names the Page it is linked to', 'instagram', 'page', '17841400000000001', { page: '17841400000000001' }],
    ['LinkedIn: the organisation URN', 'linkedin', 'organization', 'urn:li:organization:12345', { organization: 'urn:li:organization:12345' }],
    ['LinkedIn without one stored: blank (the only organisation the user administers)', 'linkedin', 'organization', null, { organization: '' }],
  ] as const)('%s', (_case, network, field, externalId, expected) => {
    expect(reconnectTarget({ network, externalId }, field)).toEqual(expected);
  });
});

describe('identityProblem', () => {
  const account = { name: 'si-x', status: 'connected' as const, externalId: '1460000000000000001', handle: 'natc_si' };

  it('lets the same identity renew the account, whatever its handle is now', () => {
    expect(identityProblem(account, { externalId: '1460000000000000001', handle: 'natc_slovenija' })).toBeUndefined();
    expect(identityProblem({ ...account, status: 'needs-reconnect' }, { externalId: '1460000000000000001', handle: 'natc_si' })).toBeUndefined();
  });

  it('refuses another identity while the account is in use, saying who is expected and who signed in', () => {
    for (const status of ['connected', 'needs-reconnect'] as const) {
      expect(identityProblem({ ...account, status }, { externalId: '999', handle: 'someone_else' })).toBe(
        'account "si-x" is connected as @natc_si, but the network signed you in as @someone_else: sign in as @natc_si to reconnect it, or disconnect it first to connect another account under this name');
    }
  });

  it('lets a disconnected account, or one never identified, take another identity', () => {
    expect(identityProblem({ ...account, status: 'revoked' }, { externalId: '999', handle: 'someone_else' })).toBeUndefined();
    expect(identityProblem({ ...account, externalId: null }, { externalId: '999', handle: 'someone_else' })).toBeUndefined();
  });
});
