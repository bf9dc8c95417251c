import { AccountsService } from '../../src/accounts/accounts.service';
import { authorizeOnLinkedIn, LINKEDIN_CLIENT, linkedinAccountsConfig } from '../support/linkedin-accounts';
import { LINKEDIN_ORG, LINKEDIN_OTHER_ORG, startLinkedInFake } from '../support/linkedin-fake';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { reauthorize, signIn } from '../support/x-accounts';

type Who = { cookie: string; csrf: string };

/** Issue 14 #1 for LinkedIn: connecting an organisation page (3-legged OAuth), refreshing its token. */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('connecting a LinkedIn organisation on %s', (kind) => {
  let t: TestApp;
  let li: Awaited<ReturnType<typeof startLinkedInFake>>;
  const who: Record<string, Who> = {};

  beforeAll(async () => {
    li = await startLinkedInFake(LINKEDIN_CLIENT);
    t = await startTestApp({ kind, config: { accounts: linkedinAccountsConfig(li) } });
    who.siComms = await signIn(t, await t.token('comms', 'SI', 'Maja Zupan'));
    who.hrComms = await signIn(t, await t.token('comms', 'HR', 'Iva Kovač'));
    who.admin = await signIn(t, ADMIN_TOKEN);
  });
  afterAll(async () => {
    await t.close();
    await li.close();
  });

  const rows = async (table: string) => t.db.manager.query(`select * from ${table} order by id`);
  const tokenCalls = () => li.requests.filter((r) => r.path === '/oauth/v2/accessToken');

  it('offers an organisation field on the LinkedIn form only', async () => {
    const page = (await t.http.get('/accounts').set('Cookie', who.siComms.cookie).expect(200)).text;
    expect(page).toContain('action="/accounts/connect/linkedin"');
    expect(page.match(/name="organization"/g)).toHaveLength(1);
    expect(page).toContain('id="organization-linkedin"');
  });

  it('refuses an organisation that is not an id or URN with 400 naming the field, storing nothing', async () => {
    const before = await rows('oauth_requests');
    const res = await t.http.post('/accounts/connect/linkedin').set('Cookie', who.siComms.cookie).type('form')
      .send({ _csrf: who.siComms.csrf, member: 'SI', name: 'si-linkedin', organization: 'natc slovenija' }).expect(400);
    expect(res.text).toContain('organization');
    expect(await rows('oauth_requests')).toEqual(before);
  });

  it('sends the browser to LinkedIn with the organisation scopes and a state, exchanges the code with the client in the form, and saves the organisation', async () => {
    const started = await t.http.post('/accounts/connect/linkedin').set('Cookie', who.siComms.cookie).type('form')
      .send({ _csrf: who.siComms.csrf, member: 'SI', name: 'si-linkedin', organization: String(LINKEDIN_ORG.id) }).expect(303);
    const authorize = new URL(started.headers.location);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(li.endpoints.authorizeUrl);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code', client_id: LINKEDIN_CLIENT.id, redirect_uri: 'http://scheduler.test/accounts/callback/linkedin',
      state: expect.stringMatching(/^[\w-]{43}$/), scope: 'w_organization_social r_organization_social rw_organization_admin',
    });
    const consent = await fetch(started.headers.location, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const done = await t.http.get(`${back.pathname}${back.search}`).set('Cookie', who.siComms.cookie).expect(303);
    expect(done.headers.location).toBe('/accounts?member=SI&done=connected');

    const [exchange] = tokenCalls();
    expect(exchange.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(exchange.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(exchange.raw))).toEqual({
      grant_type: 'authorization_code', code: back.searchParams.get('code'), redirect_uri: 'http://scheduler.test/accounts/callback/linkedin',
      client_id: LINKEDIN_CLIENT.id, client_secret: LINKEDIN_CLIENT.secret,
    });
    const acl = li.requests.find((r) => r.path === '/rest/organizationAcls')!;
    expect(Object.fromEntries(acl.query)).toEqual({ q: 'roleAssignee', state: 'APPROVED' });
    expect(acl.headers).toMatchObject({ 'linkedin-version': '202511', 'x-restli-protocol-version': '2.0.0' });

    const [account] = (await t.http.get('/api/accounts').set(bearer(ADMIN_TOKEN)).expect(200)).body;
    expect(account).toMatchObject({ name: 'si-linkedin', member: 'SI', network: 'linkedin', externalId: LINKEDIN_ORG.urn, handle: LINKEDIN_ORG.vanityName, status: 'connected', expiresAt: '2021-11-30T09:00:00.000Z' });
    const stored = JSON.stringify(await rows('accounts'));
    for (const token of [...li.accessTokens, ...li.refreshTokens]) expect(stored).not.toContain(token);
    // LinkedIn's refresh token ends after refresh_token_expires_in (a year): kept, so the alert can warn before.
    expect((await rows('accounts'))[0]).toMatchObject({ refresh_expires_at: '2022-10-01T09:00:00.000Z' });
  });

  it('refuses a replayed code, a forged state and another session\'s callback with 400: no token call, nothing written', async () => {
    const callback = await authorizeOnLinkedIn(t, who.siComms, { member: 'SI', name: 'si-linkedin', organization: LINKEDIN_ORG.urn });
    const before = { accounts: await rows('accounts'), calls: tokenCalls().length };
    await t.http.get(callback).set('Cookie', who.admin.cookie).expect(400);
    await t.http.get(callback.replace(/state=[^&]+/, 'state=forged')).set('Cookie', who.siComms.cookie).expect(400);
    expect(tokenCalls()).toHaveLength(before.calls);
    expect(await rows('accounts')).toEqual(before.accounts);
    await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(303);
    // The same callback again (the code replayed): the state is used up, LinkedIn is not asked.
    await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(400);
    expect(tokenCalls()).toHaveLength(before.calls + 1);
    // A code replayed under a fresh state: LinkedIn refuses it (single use), nothing is written.
    const fresh = await authorizeOnLinkedIn(t, who.siComms, { member: 'SI', name: 'si-linkedin', organization: LINKEDIN_ORG.urn });
    const replayed = fresh.replace(/code=[^&]+/, `code=${new URL(callback, 'http://x').searchParams.get('code')}`);
    const accounts = await rows('accounts');
    expect((await t.http.get(replayed).set('Cookie', who.siComms.cookie).expect(400)).text).toContain('LinkedIn refused the grant');
    expect(await rows('accounts')).toEqual(accounts);
  });

  it('refuses an organisation the user does not administer (400, nothing written)', async () => {
    const callback = await authorizeOnLinkedIn(t, who.admin, { member: 'HR', name: 'hr-linkedin', organization: String(LINKEDIN_OTHER_ORG.id) });
    const res = await t.http.get(callback).set('Cookie', who.admin.cookie).expect(400);
    expect(res.text).toContain(`not an administrator of ${LINKEDIN_OTHER_ORG.urn}`);
    expect((await rows('accounts')).map((a: { name: string }) => a.name)).toEqual(['si-linkedin']);
  });

  it('takes the only organisation the user administers when the field is left empty', async () => {
    const callback = await authorizeOnLinkedIn(t, who.hrComms, { member: 'HR', name: 'hr-linkedin', organization: '' });
    await t.http.get(callback).set('Cookie', who.hrComms.cookie).expect(303);
    const [account] = (await t.http.get('/api/accounts').set(bearer(await t.token('comms', 'HR', 'Ana'))).expect(200)).body;
    expect(account).toMatchObject({ name: 'hr-linkedin', externalId: LINKEDIN_ORG.urn });
  });

  it('refuses a token answer that is not JSON with the reason, writing no account', async () => {
    const callback = await authorizeOnLinkedIn(t, who.admin, { member: 'BA', name: 'ba-linkedin', organization: LINKEDIN_ORG.urn });
    li.set({ tokenNotJson: true });
    try {
      expect((await t.http.get(callback).set('Cookie', who.admin.cookie).expect(409)).text).toContain('not JSON');
    } finally {
      li.set({ tokenNotJson: false });
    }
    expect((await rows('accounts')).map((a: { name: string }) => a.name)).not.toContain('ba-linkedin');
  });

  it('refreshes the token before it expires, with the client in the form, keeping the refresh token LinkedIn does not rotate', async () => {
    const was = t.clock.now();
    t.clock.set(new Date('2021-11-30T08:57:00Z'));
    const credentials = await t.app.get(AccountsService).credentials('si-linkedin').finally(() => t.clock.set(was));
    const refreshes = tokenCalls().filter((r) => new URLSearchParams(r.raw).get('grant_type') === 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(refreshes[0].raw))).toEqual({
      grant_type: 'refresh_token', refresh_token: expect.any(String), client_id: LINKEDIN_CLIENT.id, client_secret: LINKEDIN_CLIENT.secret,
    });
    expect(li.refreshTokens.has(new URLSearchParams(refreshes[0].raw).get('refresh_token')!)).toBe(true);
    expect(li.accessTokens.has(credentials.accessToken)).toBe(true);
    expect((await rows('accounts')).find((a: { name: string }) => a.name === 'si-linkedin')).toMatchObject({ status: 'connected', expires_at: '2022-01-29T08:57:00.000Z' });
  });

  it('an app without refresh tokens: at the end of the 60 days the account needs reconnecting, and LinkedIn is not asked', async () => {
    li.set({ refreshTokens: false });
    try {
      const callback = await authorizeOnLinkedIn(t, who.admin, { member: 'RS', name: 'rs-linkedin', organization: LINKEDIN_ORG.urn });
      await t.http.get(callback).set('Cookie', who.admin.cookie).expect(303);
    } finally {
      li.set({ refreshTokens: true });
    }
    const stored = (await rows('accounts')).find((a: { name: string }) => a.name === 'rs-linkedin');
    expect(stored).toMatchObject({ status: 'connected', refresh_token_sealed: null, expires_at: '2021-11-30T09:00:00.000Z' });
    const calls = tokenCalls().length;
    const was = t.clock.now();
    t.clock.set(new Date('2021-11-30T08:58:00Z'));
    try {
      await expect(t.app.get(AccountsService).credentials('rs-linkedin')).rejects.toThrow(/needs reconnecting: its token expired and there is no refresh token/);
    } finally {
      t.clock.set(was);
    }
    expect(tokenCalls()).toHaveLength(calls);
    expect((await rows('accounts')).find((a: { name: string }) => a.name === 'rs-linkedin')).toMatchObject({ status: 'needs-reconnect' });
  });

  it('reconnects it from its Reconnect form for the same organisation: the same row, connected again', async () => {
    const account = ((await t.http.get('/api/accounts?member=RS').set(bearer(ADMIN_TOKEN)).expect(200)).body as { id: number; name: string; revision: number }[]).find((a) => a.name === 'rs-linkedin')!;
    const { callback } = await reauthorize(t, who.admin, account);
    expect((await rows('oauth_requests')).at(-1)).toMatchObject({ network: 'linkedin', member: 'RS', account_name: 'rs-linkedin', target: LINKEDIN_ORG.urn });
    await t.http.get(callback).set('Cookie', who.admin.cookie).expect(303);
    expect((await rows('accounts')).find((a: { name: string }) => a.name === 'rs-linkedin')).toMatchObject({ id: account.id, status: 'connected', external_id: LINKEDIN_ORG.urn });
  });

  it('lets only the secretariat or the member\'s own staff connect (403, nothing stored)', async () => {
    const before = await rows('oauth_requests');
    await t.http.post('/accounts/connect/linkedin').set('Cookie', who.hrComms.cookie).type('form')
      .send({ _csrf: who.hrComms.csrf, member: 'SI', name: 'si-linkedin2', organization: LINKEDIN_ORG.urn }).expect(403);
    expect(await rows('oauth_requests')).toEqual(before);
  });
});
