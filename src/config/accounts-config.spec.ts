import { randomBytes } from 'node:crypto';
import { loadConfig } from './config';

describe('loadConfig: connected accounts', () => {
  it('reads TOKEN_ENCRYPTION_KEY and the previous key as 32 bytes each, and X endpoints with their defaults', () => {
    const key = randomBytes(32);
    const previous = randomBytes(32);
    const config = loadConfig({ TOKEN_ENCRYPTION_KEY: key.toString('base64'), TOKEN_ENCRYPTION_KEY_PREVIOUS: previous.toString('base64'), X_API_URL: 'http://127.0.0.1:9/' });
    expect(config.accounts!.encryptionKey!.equals(key)).toBe(true);
    expect(config.accounts!.previousEncryptionKey!.equals(previous)).toBe(true);
    expect(config.accounts!.x).toEqual({
      authorizeUrl: 'https://x.com/i/oauth2/authorize', tokenUrl: 'https://api.x.com/2/oauth2/token', apiUrl: 'http://127.0.0.1:9',
      clientIdSecret: 'PUBLISHER_SECRET_X_CLIENT_ID', clientSecretSecret: 'PUBLISHER_SECRET_X_CLIENT_SECRET',
    });
  });

  it('leaves accounts unusable, not the service, without a key', () => {
    expect(loadConfig({}).accounts!.encryptionKey).toBeUndefined();
  });

  it.each([
    ['TOKEN_ENCRYPTION_KEY', randomBytes(16).toString('base64')],
    ['TOKEN_ENCRYPTION_KEY', 'not base64 at all!'],
    ['TOKEN_ENCRYPTION_KEY_PREVIOUS', randomBytes(31).toString('base64')],
  ])('stops the start on a %s that is not 32 bytes of base64, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: must be base64 of 32 random bytes`));
  });

  it('stops the start on an X URL that is not http(s)', () => {
    expect(() => loadConfig({ X_TOKEN_URL: 'ftp://x' })).toThrow(/X_TOKEN_URL: must be an http\(s\) URL/);
  });

  it('reads the Facebook Login and Graph API URLs (Graph API v26.0 by default) and names the Meta app\'s secrets', () => {
    expect(loadConfig({}).accounts!.facebook).toEqual({
      authorizeUrl: 'https://www.facebook.com/v26.0/dialog/oauth', graphUrl: 'https://graph.facebook.com/v26.0',
      clientIdSecret: 'PUBLISHER_SECRET_FACEBOOK_CLIENT_ID', clientSecretSecret: 'PUBLISHER_SECRET_FACEBOOK_CLIENT_SECRET',
    });
    expect(loadConfig({ FACEBOOK_GRAPH_URL: 'http://127.0.0.1:9/v26.0/' }).accounts!.facebook!.graphUrl).toBe('http://127.0.0.1:9/v26.0');
    expect(() => loadConfig({ FACEBOOK_AUTH_URL: 'facebook.com/dialog' })).toThrow(/FACEBOOK_AUTH_URL: must be an http\(s\) URL/);
  });

  it('reads ALERT_DAYS (default 7) and stops the start on one outside 1–60, naming it', () => {
    expect(loadConfig({}).accountAlertDays).toBe(7);
    expect(loadConfig({ ALERT_DAYS: '14' }).accountAlertDays).toBe(14);
    for (const bad of ['0', '61', 'a week']) expect(() => loadConfig({ ALERT_DAYS: bad })).toThrow(/ALERT_DAYS: ".*" must be an integer from 1 to 60/);
  });

  it('reads LinkedIn endpoints and the API version with their defaults', () => {
    expect(loadConfig({ LINKEDIN_API_URL: 'http://127.0.0.1:9/' }).accounts!.linkedin).toEqual({
      authorizeUrl: 'https://www.linkedin.com/oauth/v2/authorization', tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken', apiUrl: 'http://127.0.0.1:9',
      version: '202511', clientIdSecret: 'PUBLISHER_SECRET_LINKEDIN_CLIENT_ID', clientSecretSecret: 'PUBLISHER_SECRET_LINKEDIN_CLIENT_SECRET',
    });
    expect(loadConfig({ LINKEDIN_VERSION: '202601' }).accounts!.linkedin!.version).toBe('202601');
  });

  it('stops the start on a LINKEDIN_VERSION that is not a month, or a LinkedIn URL that is not http(s)', () => {
    expect(() => loadConfig({ LINKEDIN_VERSION: 'latest' })).toThrow(/LINKEDIN_VERSION: "latest" must be a month such as 202511/);
    expect(() => loadConfig({ LINKEDIN_AUTH_URL: 'javascript:alert(1)' })).toThrow(/LINKEDIN_AUTH_URL: must be an http\(s\) URL/);
  });
});
