import type { AuthUser } from '../common/auth-user';
import { canManageAccounts, channelAccountProblem, reconnectTarget } from './account-access';

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
