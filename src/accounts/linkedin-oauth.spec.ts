import { linkedinAuthorizeUrl, parseOrganization } from './linkedin-oauth';

describe('parseOrganization (the connect form\'s LinkedIn organisation)', () => {
  it.each([
    ['2414183', 'urn:li:organization:2414183'],
    ['urn:li:organization:2414183', 'urn:li:organization:2414183'],
    ['  2414183 ', 'urn:li:organization:2414183'],
    ['', null],
    ['   ', null],
    ['natc-slovenija', undefined],
    ['urn:li:person:2414183', undefined],
    ['urn:li:organization:', undefined],
    ['2414183/admin', undefined],
  ])('%j → %j', (raw, expected) => {
    expect(parseOrganization(raw)).toBe(expected);
  });
});

describe('linkedinAuthorizeUrl', () => {
  it('asks for the organisation scopes, space-separated, with the state and no PKCE (LinkedIn offers it to native apps only)', () => {
    const endpoints = { authorizeUrl: 'https://www.linkedin.com/oauth/v2/authorization', tokenUrl: '', apiUrl: '', version: '202511', clientIdSecret: '', clientSecretSecret: '' };
    const url = new URL(linkedinAuthorizeUrl(endpoints, { id: 'cid' }, 'https://s.example/accounts/callback/linkedin', 'st'));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code', client_id: 'cid', redirect_uri: 'https://s.example/accounts/callback/linkedin', state: 'st',
      scope: 'w_organization_social r_organization_social rw_organization_admin',
    });
  });
});
