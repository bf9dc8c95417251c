import { createHash } from 'node:crypto';
import { AccountsService, AccountUnusable } from '../../src/accounts/accounts.service';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { startXFake, X_USER } from '../support/x-fake';
import { accountsConfigFor, authorizeOnX, connectAccount, reauthorize, signIn, X_CLIENT } from '../support/x-accounts';

type Who = { cookie: string; csrf: string };

/** Issue 14 #1: connecting a member's X account with OAuth 2.0 + PKCE, tokens sealed, only by its own staff. */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('connected accounts on %s', (kind) => {
  let t: TestApp;
  let x: Awaited<ReturnType<typeof startXFake>>;
  const who: Record<string, Who> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    x = await startXFake(X_CLIENT);
    t = await startTestApp({ kind, config: { accounts: accountsConfigFor(x) } });
    tokens.siComms = await t.token('comms', 'SI', 'Maja Zupan');
    tokens.hrComms = await t.token('comms', 'HR', 'Iva Kovač');
    tokens.hrCoordinator = await t.token('coordinator', 'HR', 'Ivan Horvat');
    tokens.admin = ADMIN_TOKEN;
    for (const [name, token] of Object.entries(tokens)) who[name] = await signIn(t, token);
  });
  afterAll(async () => {
    await t.close();
    await x.close();
  });

  const rows = async (table: string) => t.db.manager.query(`select * from ${table} order by id`);
  const tokenRequests = () => x.requests.filter((r) => r.path === '/2/oauth2/token');
  /** SI's comms disconnect the account while X's revocation endpoint hangs or fails; where the page sends them next. */
  const disconnectWhileX = async (mode: 'hang' | 'server-error', account: { id: number; revision: number }): Promise<string> => {
    x.setRevokeMode(mode);
    try {
      const done = await t.http.post(`/accounts/${account.id}/disconnect`).set('Cookie', who.siComms.cookie).type('form')
        .send({ _csrf: who.siComms.csrf, revision: account.revision }).expect(303);
      return done.headers.location;
    } finally {
      x.setRevokeMode('ok');
    }
  };
  /** The user revoked the app on X; once X's two hours are over, the refresh is refused: the account needs reconnecting. */
  const revokedOnX = async (name: string) => {
    x.revokeAll();
    const was = t.clock.now();
    t.clock.set(new Date(was.getTime() + 3 * 3600_000));
    try {
      await expect(t.app.get(AccountsService).credentials(name)).rejects.toThrow(AccountUnusable);
    } finally {
      t.clock.set(was);
    }
  };

  it('sends the browser to X with PKCE S256 and a state, then exchanges the code with Basic client auth and the verifier', async () => {
    const started = await t.http.post('/accounts/connect/x').set('Cookie', who.siComms.cookie).type('form')
      .send({ _csrf: who.siComms.csrf, member: 'SI', name: 'si-x' }).expect(303);
    const authorize = new URL(started.headers.location);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(x.endpoints.authorizeUrl);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code', client_id: X_CLIENT.id, redirect_uri: 'http://scheduler.test/accounts/callback/x',
      scope: 'tweet.read tweet.write users.read offline.access media.write', state: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/), code_challenge_method: 'S256',
    });
    // Nothing of the state or verifier is kept in the clear.
    expect(JSON.stringify(await rows('oauth_requests'))).not.toContain(authorize.searchParams.get('state'));

    const consent = await fetch(started.headers.location, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const done = await t.http.get(`${back.pathname}${back.search}`).set('Cookie', who.siComms.cookie).expect(303);
    expect(done.headers.location).toBe('/accounts?member=SI&done=connected');

    const [exchange] = tokenRequests();
    expect(exchange.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(exchange.headers.authorization).toBe(`Basic ${Buffer.from(`${X_CLIENT.id}:${X_CLIENT.secret}`).toString('base64')}`);
    const form = new URLSearchParams(exchange.raw);
    expect([...form.keys()]).toEqual(['grant_type', 'code', 'redirect_uri', 'code_verifier']);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe(back.searchParams.get('code'));
    expect(form.get('redirect_uri')).toBe('http://scheduler.test/accounts/callback/x');
    expect(createHash('sha256').update(form.get('code_verifier')!).digest('base64url')).toBe(authorize.searchParams.get('code_challenge'));
    const me = x.requests.find((r) => r.path === '/2/users/me')!;
    expect(x.accessTokens.has(String(me.headers.authorization).replace('Bearer ', ''))).toBe(true);

    const [account] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    expect(account).toEqual({
      id: expect.any(Number), name: 'si-x', member: 'SI', network: 'x', externalId: X_USER.id, handle: X_USER.username, status: 'connected',
      statusReason: null, expiresAt: '2021-10-01T11:00:00.000Z', revision: 1, createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    // Sealed at rest and never returned: no token issued by X appears in the table or the answers.
    const stored = JSON.stringify(await rows('accounts'));
    for (const token of [...x.accessTokens, ...x.refreshTokens]) expect(stored).not.toContain(token);
    const page = await t.http.get('/accounts').set('Cookie', who.siComms.cookie).expect(200);
    expect(page.text).toContain('si-x');
    expect(page.text).toContain('@natc_si');
    for (const token of [...x.accessTokens, ...x.refreshTokens]) expect(page.text).not.toContain(token);
  });

  it('refuses a replayed callback, a forged state and another session\'s state with 400, writing nothing and asking X nothing', async () => {
    const callback = await authorizeOnX(t, who.siComms, 'SI', 'si-x');
    const before = { accounts: await rows('accounts'), tokenCalls: tokenRequests().length };
    // Another session (even the secretariat) cannot finish what this session started.
    await t.http.get(callback).set('Cookie', who.admin.cookie).expect(400);
    const forged = callback.replace(/state=[^&]+/, 'state=forged-state-value');
    await t.http.get(forged).set('Cookie', who.siComms.cookie).expect(400);
    await t.http.get(callback.replace(/state=[^&]+&?/, '')).set('Cookie', who.siComms.cookie).expect(400);
    expect(tokenRequests()).toHaveLength(before.tokenCalls);
    await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(303); // reconnects: revision 2
    const replay = await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(400);
    expect(replay.text).toContain('state');
    expect(tokenRequests()).toHaveLength(before.tokenCalls + 1);
    const [account] = await rows('accounts');
    expect(Number(account.revision)).toBe(Number(before.accounts[0].revision) + 1);
  });

  it('answers 400 when the user declined on X (error=access_denied), and uses the state up', async () => {
    const callback = await authorizeOnX(t, who.siComms, 'SI', 'si-x');
    const state = new URL(callback, 'http://x').searchParams.get('state')!;
    const declined = await t.http.get(`/accounts/callback/x?error=access_denied&state=${state}`).set('Cookie', who.siComms.cookie).expect(400);
    expect(declined.text).toContain('access_denied');
    await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(400);
  });

  it('refuses a token answer that is not JSON with the reason, and writes no account', async () => {
    const callback = await authorizeOnX(t, who.admin, 'HR', 'hr-x');
    x.setTokenNotJson(true);
    try {
      const res = await t.http.get(callback).set('Cookie', who.admin.cookie).expect(409);
      expect(res.text).toContain('not JSON');
    } finally {
      x.setTokenNotJson(false);
    }
    expect((await rows('accounts')).map((a: { name: string }) => a.name)).toEqual(['si-x']);
  });

  it('refuses a state that has expired (10 minutes)', async () => {
    const callback = await authorizeOnX(t, who.siComms, 'SI', 'si-x');
    const was = t.clock.now();
    t.clock.set(new Date(was.getTime() + 11 * 60_000));
    try {
      await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(400);
    } finally {
      t.clock.set(was);
    }
  });

  it('lets only the secretariat or the member\'s own staff connect or disconnect (403, nothing changed)', async () => {
    const requestsBefore = await rows('oauth_requests');
    await t.http.post('/accounts/connect/x').set('Cookie', who.hrComms.cookie).type('form').send({ _csrf: who.hrComms.csrf, member: 'SI', name: 'si-x2' }).expect(403);
    expect(await rows('oauth_requests')).toEqual(requestsBefore);
    const [account] = (await t.http.get('/api/accounts').set(bearer(ADMIN_TOKEN)).expect(200)).body;
    await t.http.post(`/accounts/${account.id}/disconnect`).set('Cookie', who.hrComms.cookie).type('form').send({ _csrf: who.hrComms.csrf, revision: account.revision }).expect(403);
    await t.http.post(`/accounts/${account.id}/disconnect`).set('Cookie', who.hrCoordinator.cookie).type('form').send({ _csrf: who.hrCoordinator.csrf, revision: account.revision }).expect(403);
    // Refused before anything else: X was not asked to revoke anything either.
    expect(x.revocations).toEqual([]);
    expect((await t.http.get('/api/accounts').set(bearer(tokens.hrComms)).expect(200)).body).toEqual([]);
    const [unchanged] = (await t.http.get('/api/accounts').set(bearer(ADMIN_TOKEN)).expect(200)).body;
    expect(unchanged).toEqual(account);
    // A form without the session's CSRF token changes nothing either.
    await t.http.post(`/accounts/${account.id}/disconnect`).set('Cookie', who.siComms.cookie).type('form').send({ revision: account.revision }).expect(403);
  });

  it('disconnects: the tokens are revoked at X (refresh token first, client authenticated), then deleted here', async () => {
    const [account] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    const live = { access: [...x.accessTokens], refresh: [...x.refreshTokens] };
    const done = await t.http.post(`/accounts/${account.id}/disconnect`).set('Cookie', who.siComms.cookie).type('form')
      .send({ _csrf: who.siComms.csrf, revision: account.revision }).expect(303);
    expect(done.headers.location).toBe('/accounts?member=SI&done=disconnected');
    const [row] = await rows('accounts');
    expect(row).toMatchObject({ status: 'revoked', access_token_sealed: null, refresh_token_sealed: null, token_key_id: null });
    expect(x.revocations).toEqual([
      { token: expect.any(String), tokenTypeHint: 'refresh_token', clientAuthenticated: true },
      { token: expect.any(String), tokenTypeHint: 'access_token', clientAuthenticated: true },
    ]);
    const revoke = x.requests.filter((r) => r.path === '/2/oauth2/revoke');
    expect(revoke.map((r) => [r.method, r.headers['content-type'], [...new URLSearchParams(r.raw).keys()]])).toEqual([
      ['POST', 'application/x-www-form-urlencoded', ['token', 'token_type_hint']],
      ['POST', 'application/x-www-form-urlencoded', ['token', 'token_type_hint']],
    ]);
    // The tokens it revoked are the account's own, and X no longer accepts them.
    expect(live.refresh).toContain(x.revocations[0].token);
    expect(live.access).toContain(x.revocations[1].token);
    expect(x.refreshTokens.has(x.revocations[0].token)).toBe(false);
    expect(x.accessTokens.has(x.revocations[1].token)).toBe(false);
  });

  it('disconnects here even when X does not answer the revocation, and says so on the page', async () => {
    await connectAccount(t, who.siComms, 'SI', 'si-x');
    const [account] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    const before = x.revocations.length;
    expect(await disconnectWhileX('hang', account)).toBe('/accounts?member=SI&done=notRevoked');
    expect(x.revocations.length).toBe(before + 1);
    const [row] = await rows('accounts');
    expect(row).toMatchObject({ status: 'revoked', access_token_sealed: null, refresh_token_sealed: null, token_key_id: null });
    expect(row.status_reason).toContain('x did not confirm the revocation');
    const page = await t.http.get('/accounts?member=SI&done=notRevoked').set('Cookie', who.siComms.cookie).expect(200);
    expect(page.text).toContain('the network did not confirm that it revoked them');
  });
  it('reconnects an account X stopped accepting from its own Reconnect form: the same row, fresh tokens, usable again', async () => {
    await connectAccount(t, who.siComms, 'SI', 'si-x');
    await revokedOnX('si-x');
    const [account] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    expect(account.status).toBe('needs-reconnect');
    const page = await t.http.get('/accounts').set('Cookie', who.siComms.cookie).expect(200);
    expect(page.text).toContain(`action="/accounts/${account.id}/reconnect"`);
    expect(page.text).toContain(`action="/accounts/${account.id}/disconnect"`);

    const { authorize, callback } = await reauthorize(t, who.siComms, account);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(x.endpoints.authorizeUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect((await rows('oauth_requests')).at(-1)).toMatchObject({ network: 'x', member: 'SI', account_name: 'si-x', used_at: null });
    const done = await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(303);
    expect(done.headers.location).toBe('/accounts?member=SI&done=connected');

    const [again] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    expect(again).toMatchObject({ id: account.id, name: 'si-x', status: 'connected', statusReason: null, revision: account.revision + 1 });
    expect((await rows('accounts')).map((a: { name: string }) => a.name)).toEqual(['si-x']);
    const credentials = await t.app.get(AccountsService).credentials('si-x');
    expect(x.accessTokens.has(credentials.accessToken)).toBe(true);
  });

  it('refuses a reconnect signed in on X as someone else: the account keeps its identity, the new tokens are revoked; once disconnected, the name may take the other user', async () => {
    const [account] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    expect(account).toMatchObject({ name: 'si-x', status: 'connected', handle: X_USER.username });
    const before = await rows('accounts');
    const other = { id: '1460000000000000999', name: 'Someone Else', username: 'someone_else' };
    x.setUser(other);
    try {
      const revoked = x.revocations.length;
      const { callback } = await reauthorize(t, who.siComms, account);
      const refused = await t.http.get(callback).set('Cookie', who.siComms.cookie).expect(400);
      expect(refused.text).toContain('@natc_si');
      expect(refused.text).toContain('@someone_else');
      expect(await rows('accounts')).toEqual(before);
      // The tokens X issued for the other user were given back, refresh token first.
      expect(x.revocations.slice(revoked).map((r) => r.tokenTypeHint)).toEqual(['refresh_token', 'access_token']);
      // The connect form under the same name is refused the same way.
      await t.http.get(await authorizeOnX(t, who.siComms, 'SI', 'si-x')).set('Cookie', who.siComms.cookie).expect(400);
      expect(await rows('accounts')).toEqual(before);

      // Disconnected, the name is free for another identity.
      await t.http.post(`/accounts/${account.id}/disconnect`).set('Cookie', who.siComms.cookie).type('form').send({ _csrf: who.siComms.csrf, revision: account.revision }).expect(303);
      await t.http.get(await authorizeOnX(t, who.siComms, 'SI', 'si-x')).set('Cookie', who.siComms.cookie).expect(303);
      const [moved] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
      expect(moved).toMatchObject({ id: account.id, status: 'connected', externalId: other.id, handle: other.username });
    } finally {
      x.setUser(X_USER);
    }
    // Back to the member's own account, for the tests after this one.
    const [current] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    await t.http.post(`/accounts/${current.id}/disconnect`).set('Cookie', who.siComms.cookie).type('form').send({ _csrf: who.siComms.csrf, revision: current.revision }).expect(303);
    await connectAccount(t, who.siComms, 'SI', 'si-x');
  });

  it('refuses a reconnect by another member\'s staff, at a stale revision, without the CSRF token or of no account, with a page that says why; nothing written, X not asked', async () => {
    const [account] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    const before = { accounts: await rows('accounts'), requests: await rows('oauth_requests'), xCalls: x.requests.length };
    const reconnect = (id: number, as: Who, body: object) => t.http.post(`/accounts/${id}/reconnect`).set('Cookie', as.cookie).type('form').send(body);
    const foreign = await reconnect(account.id, who.hrComms, { _csrf: who.hrComms.csrf, revision: account.revision }).expect(403);
    expect(foreign.text).toContain('This belongs to another member.');
    await reconnect(account.id, who.hrCoordinator, { _csrf: who.hrCoordinator.csrf, revision: account.revision }).expect(403);
    const stale = await reconnect(account.id, who.siComms, { _csrf: who.siComms.csrf, revision: account.revision - 1 }).expect(409);
    expect(stale.text).toContain('Someone changed this account meanwhile');
    const forged = await reconnect(account.id, who.siComms, { revision: account.revision }).expect(403);
    expect(forged.text).toContain('This form has expired');
    await reconnect(account.id, who.siComms, { _csrf: who.siComms.csrf, revision: 'one' }).expect(400);
    await reconnect(999_999, who.siComms, { _csrf: who.siComms.csrf, revision: 1 }).expect(404);
    await t.http.post('/accounts/abc/reconnect').set('Cookie', who.siComms.cookie).type('form').send({ _csrf: who.siComms.csrf, revision: 1 }).expect(400);
    expect(await rows('accounts')).toEqual(before.accounts);
    expect(await rows('oauth_requests')).toEqual(before.requests);
    expect(x.requests.length).toBe(before.xCalls);
  });
  it('disconnects an account that needs reconnecting: its tokens are deleted here even when X answers the revocation with a 503, and the page says so', async () => {
    await revokedOnX('si-x');
    const [account] = (await t.http.get('/api/accounts').set(bearer(tokens.siComms)).expect(200)).body;
    expect(account.status).toBe('needs-reconnect');
    const disconnectForm = `action="/accounts/${account.id}/disconnect"`;
    expect((await t.http.get('/accounts').set('Cookie', who.siComms.cookie).expect(200)).text).toContain(disconnectForm);
    expect(await disconnectWhileX('server-error', account)).toBe('/accounts?member=SI&done=notRevoked');
    const [row] = await rows('accounts');
    expect(row).toMatchObject({ status: 'revoked', access_token_sealed: null, refresh_token_sealed: null, token_key_id: null });
    expect(row.status_reason).toContain('x did not confirm the revocation');
    const page = await t.http.get('/accounts?member=SI&done=notRevoked').set('Cookie', who.siComms.cookie).expect(200);
    expect(page.text).toContain('the network did not confirm that it revoked them');
    // Disconnected: nothing left to wipe or renew here; connecting it again is the form above.
    expect(page.text).not.toContain(disconnectForm);
    expect(page.text).not.toContain(`action="/accounts/${account.id}/reconnect"`);
  });
});
