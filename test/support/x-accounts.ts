import { randomBytes } from 'node:crypto';
import type { AccountsConfig } from '../../src/config/config';
import type { TestApp } from './test-app';
import type { startXFake } from './x-fake';

export const X_CLIENT = { id: 'natc-x-client-id', secret: 'natc-x-client-secret' };
export const TEST_TOKEN_KEY = randomBytes(32);

/** The service's accounts configuration pointing at the fake (the client id and secret come from PUBLISHER_SECRET_*). */
export function accountsConfigFor(fake: Awaited<ReturnType<typeof startXFake>>, key = TEST_TOKEN_KEY): AccountsConfig {
  process.env.PUBLISHER_SECRET_X_CLIENT_ID = X_CLIENT.id;
  process.env.PUBLISHER_SECRET_X_CLIENT_SECRET = X_CLIENT.secret;
  return { encryptionKey: key, x: { ...fake.endpoints, clientIdSecret: 'PUBLISHER_SECRET_X_CLIENT_ID', clientSecretSecret: 'PUBLISHER_SECRET_X_CLIENT_SECRET' } };
}

export async function signIn(t: TestApp, token: string): Promise<{ cookie: string; csrf: string }> {
  const signedIn = await t.http.post('/login').type('form').send({ token, next: '/accounts' }).expect(303);
  const cookie = String(signedIn.headers['set-cookie']).split(';')[0];
  const page = await t.http.get('/accounts').set('Cookie', cookie).expect(200);
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
}

/** The network's consent page (the user allows access) → the path of our callback it sends the browser back to. */
async function consentOnNetwork(authorizeUrl: string): Promise<string> {
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location')!);
  return `${back.pathname}${back.search}`;
}

/** The browser's way through: our form → X's consent page → back to our callback. Returns the callback path. */
export async function authorizeOnX(t: TestApp, who: { cookie: string; csrf: string }, member: string, name: string): Promise<string> {
  const started = await t.http.post('/accounts/connect/x').set('Cookie', who.cookie).type('form').send({ _csrf: who.csrf, member, name }).expect(303);
  return consentOnNetwork(started.headers.location);
}

/** An account's Reconnect form → its network's consent page (X, or any fake that answers the same way) → back; the authorize URL it sent the browser to and the callback path. */
export async function reauthorize(t: TestApp, who: { cookie: string; csrf: string }, account: { id: number; revision: number }): Promise<{ authorize: URL; callback: string }> {
  const started = await t.http.post(`/accounts/${account.id}/reconnect`).set('Cookie', who.cookie).type('form').send({ _csrf: who.csrf, revision: account.revision }).expect(303);
  // To the network, not back to a page of ours (the sign-in page when the session has expired).
  if (!/^https?:/.test(started.headers.location)) throw new Error(`the reconnect form answered a redirect to ${started.headers.location}`);
  return { authorize: new URL(started.headers.location), callback: await consentOnNetwork(started.headers.location) };
}

export async function connectAccount(t: TestApp, who: { cookie: string; csrf: string }, member: string, name: string): Promise<void> {
  const callback = await authorizeOnX(t, who, member, name);
  await t.http.get(callback).set('Cookie', who.cookie).expect(303);
}
