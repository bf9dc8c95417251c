import type { AccountsConfig } from '../../src/config/config';
import type { startMetaFake } from './meta-fake';
import type { TestApp } from './test-app';
import { TEST_TOKEN_KEY } from './x-accounts';

export const META_APP = { id: '730000000000001', secret: 'meta-app-secret-for-tests' };

/** Accounts configuration with Facebook and Instagram pointing at the fake (X at a closed port: not used here). */
export function metaAccountsConfigFor(fake: Awaited<ReturnType<typeof startMetaFake>>): AccountsConfig {
  process.env.PUBLISHER_SECRET_FACEBOOK_CLIENT_ID = META_APP.id;
  process.env.PUBLISHER_SECRET_FACEBOOK_CLIENT_SECRET = META_APP.secret;
  const closed = 'http://127.0.0.1:9';
  return {
    encryptionKey: TEST_TOKEN_KEY,
    x: { authorizeUrl: `${closed}/i/oauth2/authorize`, tokenUrl: `${closed}/2/oauth2/token`, apiUrl: closed, clientIdSecret: 'PUBLISHER_SECRET_X_CLIENT_ID', clientSecretSecret: 'PUBLISHER_SECRET_X_CLIENT_SECRET' },
    facebook: { ...fake.endpoints, clientIdSecret: 'PUBLISHER_SECRET_FACEBOOK_CLIENT_ID', clientSecretSecret: 'PUBLISHER_SECRET_FACEBOOK_CLIENT_SECRET' },
  };
}

/** Our connect form → Facebook's login dialog → back to our callback. Returns the callback path. */
export async function authorizeOnFacebook(t: TestApp, who: { cookie: string; csrf: string }, network: 'facebook' | 'instagram', form: { member: string; name: string; page: string }): Promise<string> {
  const started = await t.http.post(`/accounts/connect/${network}`).set('Cookie', who.cookie).type('form').send({ _csrf: who.csrf, ...form }).expect(303);
  const dialog = await fetch(started.headers.location, { redirect: 'manual' });
  const back = new URL(dialog.headers.get('location')!);
  return `${back.pathname}${back.search}`;
}
