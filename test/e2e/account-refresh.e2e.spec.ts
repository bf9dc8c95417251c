import { randomBytes } from 'node:crypto';
import { AccountsService, AccountUnusable } from '../../src/accounts/accounts.service';
import { keyIdOf } from '../../src/accounts/token-cipher';
import { createApp, prepareApp } from '../../src/bootstrap';
import { ADMIN_TOKEN, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { startXFake } from '../support/x-fake';
import { accountsConfigFor, connectAccount, signIn, TEST_TOKEN_KEY, X_CLIENT } from '../support/x-accounts';

/**
 * Issue 14 #1/#2: tokens are refreshed before they expire, and X rotates the refresh token on every
 * refresh, so two replicas refreshing at once must make ONE refresh: the other reads its result.
 */
describe.each<DatabaseKind>(['postgres', 'sqlite'])('refreshing an account\'s token on %s', (kind) => {
  let t: TestApp;
  let x: Awaited<ReturnType<typeof startXFake>>;
  // A second replica on the same database (PostgreSQL only: SQLite is one process).
  let replica: Awaited<ReturnType<typeof createApp>> | undefined;

  beforeAll(async () => {
    x = await startXFake(X_CLIENT);
    t = await startTestApp({ kind, config: { accounts: accountsConfigFor(x) } });
    await connectAccount(t, await signIn(t, ADMIN_TOKEN), 'SI', 'si-x');
    if (kind === 'postgres') {
      replica = await createApp(t.config, { clock: t.clock, logger: false });
      await prepareApp(replica, t.config);
    }
  });
  afterAll(async () => {
    await replica?.close();
    await t.close();
    await x.close();
  });

  const refreshCalls = () => x.requests.filter((r) => r.path === '/2/oauth2/token' && new URLSearchParams(r.raw).get('grant_type') === 'refresh_token');
  const row = async () => (await t.db.manager.query(`select * from accounts where name = 'si-x'`))[0];

  it('uses the stored token while it is fresh, with no call to X', async () => {
    const credentials = await t.app.get(AccountsService).credentials('si-x');
    expect(x.accessTokens.has(credentials.accessToken)).toBe(true);
    expect(refreshCalls()).toHaveLength(0);
  });

  it('refreshes once when two replicas need the token at the same moment, and both use the new one', async () => {
    t.clock.set(new Date('2021-10-01T10:57:00Z')); // 3 minutes before expiry: inside the refresh margin
    const [firstRefreshToken] = [...x.refreshTokens];
    const services = [t.app.get(AccountsService), (replica ?? t.app).get(AccountsService)];
    const [a, b] = await Promise.all(services.map((s) => s.credentials('si-x')));
    expect(refreshCalls()).toHaveLength(1);
    const [refresh] = refreshCalls();
    expect(refresh.headers.authorization).toBe(`Basic ${Buffer.from(`${X_CLIENT.id}:${X_CLIENT.secret}`).toString('base64')}`);
    expect(refresh.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(refresh.raw).toBe(`grant_type=refresh_token&refresh_token=${firstRefreshToken}`);
    expect(a.accessToken).toBe(b.accessToken);
    expect(x.accessTokens.has(a.accessToken)).toBe(true);
    // The rotated refresh token is the one stored: the account survives the next refresh.
    expect(x.refreshTokens.has(firstRefreshToken)).toBe(false);
    expect(await row()).toMatchObject({ status: 'connected', expires_at: '2021-10-01T12:57:00.000Z', refresh_lease_until: null });
    t.clock.set(new Date('2021-10-01T12:55:00Z'));
    await services[1].credentials('si-x');
    expect(refreshCalls()).toHaveLength(2);
    expect((await row()).status).toBe('connected');
  });

  it('re-seals every token with the new key after a rotation (TOKEN_ENCRYPTION_KEY_PREVIOUS), and still works', async () => {
    // The service restarted with the new key and the old one as previous (on SQLite: a second app on the same file, one write at start).
    const newKey = randomBytes(32);
    const rotated = await createApp({ ...t.config, accounts: { ...t.config.accounts!, encryptionKey: newKey, previousEncryptionKey: TEST_TOKEN_KEY } }, { clock: t.clock, logger: false });
    try {
      await prepareApp(rotated, t.config);
      expect((await row()).token_key_id).toBe(keyIdOf(newKey));
      const credentials = await rotated.get(AccountsService).credentials('si-x');
      expect(x.accessTokens.has(credentials.accessToken)).toBe(true);
      // The old key alone no longer opens the row: it really was sealed again.
      await expect(t.app.get(AccountsService).credentials('si-x')).rejects.toThrow(/neither TOKEN_ENCRYPTION_KEY/);
    } finally {
      await rotated.close();
    }
  });

  it('flags the account for reconnecting when X refuses the refresh token (revoked on X), without losing the row', async () => {
    // After the rotation test the row is sealed with a key only `rotated` had: start from a fresh connection.
    await connectAccount(t, await signIn(t, ADMIN_TOKEN), 'SI', 'si-x');
    x.revokeAll();
    t.clock.set(new Date(t.clock.now().getTime() + 3 * 3600_000));
    const service = (replica ?? t.app).get(AccountsService);
    await expect(service.credentials('si-x')).rejects.toThrow(AccountUnusable);
    expect(await row()).toMatchObject({ status: 'needs-reconnect', refresh_lease_until: null });
    await expect(service.credentials('si-x')).rejects.toThrow(/needs reconnecting/);
  });
});
