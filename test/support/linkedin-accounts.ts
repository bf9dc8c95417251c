import type { AccountsConfig } from '../../src/config/config';
import type { startLinkedInFake } from './linkedin-fake';
import type { TestApp } from './test-app';
import { TEST_TOKEN_KEY } from './x-accounts';

export const LINKEDIN_CLIENT = { id: 'natc-linkedin-client-id', secret: 'natc-linkedin-client-secret' };

/** The service's accounts configuration with LinkedIn pointing at the fake (X at nothing in use). */
export function linkedinAccountsConfig(fake: Awaited<ReturnType<typeof startLinkedInFake>>): AccountsConfig {
  process.env.PUBLISHER_SECRET_LINKEDIN_CLIENT_ID = LINKEDIN_CLIENT.id;
  process.env.PUBLISHER_SECRET_LINKEDIN_CLIENT_SECRET = LINKEDIN_CLIENT.secret;
  const unused = { authorizeUrl: 'http://127.0.0.1:9/authorize', tokenUrl: 'http://127.0.0.1:9/token', apiUrl: 'http://127.0.0.1:9' };
  return {
    encryptionKey: TEST_TOKEN_KEY,
    x: { ...unused, clientIdSecret: 'PUBLISHER_SECRET_X_CLIENT_ID', clientSecretSecret: 'PUBLISHER_SECRET_X_CLIENT_SECRET' },
    linkedin: { ...fake.endpoints, clientIdSecret: 'PUBLISHER_SECRET_LINKEDIN_CLIENT_ID', clientSecretSecret: 'PUBLISHER_SECRET_LINKEDIN_CLIENT_SECRET' },
  };
}

/** Our form → LinkedIn's consent page → back: the callback path to open in the same session. */
export async function authorizeOnLinkedIn(t: TestApp, who: { cookie: string; csrf: string }, form: { member: string; name: string; organization?: string }): Promise<string> {
  const started = await t.http.post('/accounts/connect/linkedin').set('Cookie', who.cookie).type('form').send({ _csrf: who.csrf, ...form }).expect(303);
  const consent = await fetch(started.headers.location, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location')!);
  return `${back.pathname}${back.search}`;
}
