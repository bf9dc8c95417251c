import { AccountAlerts } from '../../src/accounts/account-alerts.service';
import { AccountsService } from '../../src/accounts/accounts.service';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { startSmtpSink } from '../support/smtp-sink';
import { ADMIN_TOKEN, bearer, DatabaseKind, startReplica, startTestApp, TestApp } from '../support/test-app';
import { startXFake } from '../support/x-fake';
import { accountsConfigFor, connectAccount, reauthorize, signIn, X_CLIENT } from '../support/x-accounts';

const admin = bearer(ADMIN_TOKEN);

/**
 * Issue 14 #1: an account that must be reconnected, or whose last token ends within ALERT_DAYS, is
 * mailed about to its member's comms staff and the secretariat, each in their own language, once per
 * condition even with two replicas, before a post would fail; and the accounts page shows which posts.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('alerts about connected accounts on %s', (kind) => {
  let t: TestApp;
  let x: Awaited<ReturnType<typeof startXFake>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  // A second replica on the same database (PostgreSQL only: SQLite is one process).
  let replica: Awaited<ReturnType<typeof startReplica>> | undefined;
  const slug = `alerts-${kind}`;

  const user = async (body: object, lang?: string) => {
    const token = (await t.http.post('/api/users').set(admin).send(body).expect(201)).body.token as string;
    if (lang) {
      const who = await signIn(t, token);
      await t.http.post('/language').set('Cookie', who.cookie).type('form').send({ _csrf: who.csrf, lang, next: '/accounts' }).expect(303);
    }
    return token;
  };

  beforeAll(async () => {
    x = await startXFake(X_CLIENT);
    smtp = await startSmtpSink();
    t = await startTestApp({ kind, campaignsDir: '/nonexistent', config: { smtpUrl: smtp.url, accounts: accountsConfigFor(x) } });
    await user({ name: 'Maja Zupan', role: 'comms', member: 'SI', email: 'maja@si.test' }, 'sl');
    await user({ name: 'Elena', role: 'comms', member: 'SI' }); // no address: nobody to mail
    await user({ name: 'Ana Novak', role: 'coordinator', member: 'SI', email: 'ana@si.test' }); // coordinators get no alert
    await user({ name: 'Iva Kovač', role: 'comms', member: 'HR', email: 'iva@hr.test' }, 'hr');
    await user({ name: 'Lena Huber', role: 'secretariat', email: 'lena@natc.test' }); // chose no language: English
    const secretariat = await signIn(t, ADMIN_TOKEN);
    await connectAccount(t, secretariat, 'SI', 'si-x');
    await connectAccount(t, secretariat, 'HR', 'hr-x');
    await connectAccount(t, secretariat, 'SI', 'si-spare'); // named by no channel
    const c = campaignOnShippedTemplates(slug, ['SI', 'HR']);
    for (const member of c.members) member.channels = [{ network: 'x', publisher: { type: 'x', account: `${member.code.toLowerCase()}-x` } }];
    await t.http.post('/api/campaigns').set(admin).send(c).expect(201);
    if (kind === 'postgres') replica = await startReplica(t);
  });
  afterAll(async () => {
    await replica?.close();
    await t.close();
    await x.close();
    await smtp.close();
  });

  /** Both replicas run the job at the same moment (on SQLite, two runs of the one process). */
  const runEverywhere = async () => {
    const results = await Promise.all([t.app.get(AccountAlerts).run(), (replica ?? t.app).get(AccountAlerts).run()]);
    return results.reduce((sum, r) => sum + r.mailed, 0);
  };
  const accountsService = () => t.app.get(AccountsService);
  const postsOf = async (member: string) => (await t.http.get(`/api/campaigns/${slug}/posts?member=${member}&network=x&limit=1000`).set(admin).expect(200)).body.items as { status: string; scheduledAt: string }[];
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

  it('mails nothing while every account named by a channel works, nor for a revoked account no post uses', async () => {
    await accountsService().flagNeedsReconnect('si-spare', 'X answered 401');
    expect(await runEverywhere()).toBe(0);
    expect(smtp.mails).toEqual([]);
  });

  it('mails a revoked account once to the member\'s comms and the secretariat, each in their language, with two replicas running', async () => {
    await accountsService().flagNeedsReconnect('si-x', 'X answered 401 Unauthorized');
    const pending = (await postsOf('SI')).filter((p) => ['draft', 'in_review', 'approved'].includes(p.status));
    // SI's first slot: 09:00 in Ljubljana on 18 October (summer time).
    expect(pending.map((p) => p.scheduledAt).sort()[0]).toBe('2021-10-18T07:00:00.000Z');
    expect(await runEverywhere()).toBe(2);
    expect(smtp.mails.map((m) => m.to).sort()).toEqual([['lena@natc.test'], ['maja@si.test']]);
    const [english] = mailsTo('lena@natc.test');
    expect(english.subject).toBe(`[NATC SEE] Reconnect si-x (X): ${pending.length} posts would fail`);
    expect(english.text).toContain(`The X account si-x of SI must be reconnected: the network no longer accepts its access. Until then ${pending.length} approved or pending posts fail; the first is due 18 October 2021 at 07:00 UTC.`);
    expect(english.text).toContain('http://scheduler.test/accounts?member=SI');
    const [slovenian] = mailsTo('maja@si.test');
    const form = new Intl.PluralRules('sl').select(pending.length);
    expect(slovenian.subject).toBe(`[NATC SEE] Znova povežite si-x (X): ${({ one: `${pending.length} objava ne bo uspela`, two: `${pending.length} objavi ne bosta uspeli`, few: `${pending.length} objave ne bodo uspele`, other: `${pending.length} objav ne bo uspelo` } as Record<string, string>)[form]}`);
    expect(slovenian.text).toMatch(/^Spoštovani\/-a Maja Zupan,/);
    expect(slovenian.text).toContain('18. oktober 2021');

    // Once per condition: later runs send nothing more.
    expect(await runEverywhere()).toBe(0);
    expect(smtp.mails).toHaveLength(2);
  });

  it('shows on the accounts page which posts would fail, and the coordinator of another member sees none of it', async () => {
    const pending = (await postsOf('SI')).filter((p) => ['draft', 'in_review', 'approved'].includes(p.status));
    const page = await t.http.get('/accounts?member=SI').set('Cookie', (await signIn(t, ADMIN_TOKEN)).cookie).expect(200);
    expect(page.text).toContain(`${pending.length} approved or pending posts fail until the account is reconnected; the first is due 18 Oct 2021, 07:00 UTC.`);
    // si-spare needs reconnecting too, but no post would fail: no warning for it.
    expect(page.text.match(/role="note"/g)).toHaveLength(1);
    const hrCoordinator = await signIn(t, await t.token('coordinator', 'HR', 'Ivan Horvat'));
    const hrPage = await t.http.get('/accounts?member=SI').set('Cookie', hrCoordinator.cookie).expect(200);
    expect(hrPage.text).not.toContain('<strong translate="no">si-x</strong>');
    expect(hrPage.text).not.toContain('role="note"');
  });

  it('mails again after the account was reconnected and then revoked again', async () => {
    await connectAccount(t, await signIn(t, ADMIN_TOKEN), 'SI', 'si-x');
    expect(await runEverywhere()).toBe(0);
    await accountsService().flagNeedsReconnect('si-x', 'X answered 401 Unauthorized');
    expect(await runEverywhere()).toBe(2);
    expect(mailsTo('maja@si.test')).toHaveLength(2);
    expect(mailsTo('lena@natc.test')).toHaveLength(2);
  });

  it('reconnects from the page the alert links to: the same account, its alert cleared, and its approved post then goes out', async () => {
    // si-x needs reconnecting again and was mailed about (the test before).
    const secretariat = await signIn(t, ADMIN_TOKEN);
    const account = ((await t.http.get('/api/accounts?member=SI').set(admin).expect(200)).body as { id: number; name: string; status: string; revision: number }[]).find((a) => a.name === 'si-x')!;
    expect(account.status).toBe('needs-reconnect');
    const reconnectForm = `action="/accounts/${account.id}/reconnect"`;
    expect((await t.http.get('/accounts?member=SI').set('Cookie', secretariat.cookie).expect(200)).text).toContain(reconnectForm);
    const { callback } = await reauthorize(t, secretariat, account);
    expect((await t.http.get(callback).set('Cookie', secretariat.cookie).expect(303)).headers.location).toBe('/accounts?member=SI&done=connected');

    const [row] = await t.db.manager.query(`select id, status, alert_sent_for from accounts where name = 'si-x'`);
    expect(row).toMatchObject({ id: account.id, status: 'connected', alert_sent_for: null });
    const page = await t.http.get('/accounts?member=SI').set('Cookie', secretariat.cookie).expect(200);
    expect(page.text).not.toContain(reconnectForm);
    expect(page.text).not.toContain('role="note"');
    expect(await runEverywhere()).toBe(0);

    // SI's first post, approved, goes out through the reconnected account (its token refreshed with the new refresh token).
    type Post = { id: number; revision: number; status: string; scheduledAt: string; text: string };
    const [first] = ((await postsOf('SI')) as Post[]).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
    let post = (await t.http.post(`/api/posts/${first.id}/submit`).set(admin).send({ revision: first.revision }).expect(200)).body as Post;
    // Every approval step of the shipped campaign (the secretariat may act on each).
    while (post.status === 'in_review') post = (await t.http.post(`/api/posts/${first.id}/approve`).set(admin).send({ revision: post.revision }).expect(200)).body;
    expect(post.status).toBe('approved');
    const was = t.clock.now();
    t.clock.set(new Date(Date.parse(first.scheduledAt) + 5000));
    try {
      expect(await t.app.get(Dispatcher).tick()).toMatchObject({ claimed: 1, published: 1 });
    } finally {
      t.clock.set(was);
    }
    expect((await t.http.get(`/api/posts/${first.id}`).set(admin).expect(200)).body.status).toBe('published');
    expect(x.tweets.map((tweet) => tweet.text)).toContain(first.text);
  });

  it('mails an access token that ends without a refresh token before the member\'s posts after it, in Croatian to HR\'s comms', async () => {
    const before = smtp.mails.length;
    x.setIssueRefreshTokens(false);
    try {
      await connectAccount(t, await signIn(t, ADMIN_TOKEN), 'HR', 'hr-x'); // X gives two hours and no refresh token
    } finally {
      x.setIssueRefreshTokens(true);
    }
    const pending = (await postsOf('HR')).filter((p) => ['draft', 'in_review', 'approved'].includes(p.status));
    expect(await runEverywhere()).toBe(2);
    const sent = smtp.mails.slice(before);
    expect(sent.map((m) => m.to[0]).sort()).toEqual(['iva@hr.test', 'lena@natc.test']);
    const english = sent.find((m) => m.to.includes('lena@natc.test'))!;
    expect(english.subject).toBe('[NATC SEE] hr-x (X) expires 1 October 2021 at 11:00 UTC: reconnect it');
    expect(english.text).toContain(`${pending.length} approved or pending posts are due after that; the first 18 October 2021 at 08:00 UTC.`);
    const croatian = sent.find((m) => m.to.includes('iva@hr.test'))!;
    expect(croatian.subject).toMatch(/^\[NATC SEE\] hr-x \(X\) istječe 1\. listopada 2021\..*: ponovno ga povežite$/);
    expect(await runEverywhere()).toBe(0);
    // Still connected, but ending soon: its page offers Reconnect (a reconnect renews the access) beside Disconnect.
    const hrAccount = ((await t.http.get('/api/accounts?member=HR').set(admin).expect(200)).body as { id: number; status: string }[])[0];
    expect(hrAccount.status).toBe('connected');
    const hrPage = await t.http.get('/accounts?member=HR').set('Cookie', (await signIn(t, ADMIN_TOKEN)).cookie).expect(200);
    expect(hrPage.text).toContain(`action="/accounts/${hrAccount.id}/reconnect"`);
    expect(hrPage.text).toContain(`action="/accounts/${hrAccount.id}/disconnect"`);
  });

  it('mails nothing about a token that ends after the last post of the channels naming it', async () => {
    const before = smtp.mails.length;
    const last = (await postsOf('HR')).map((p) => p.scheduledAt).sort().at(-1)!;
    t.clock.set(new Date(Date.parse(last) - 3600_000)); // X's two hours end one hour after HR's last post
    x.setIssueRefreshTokens(false);
    try {
      await connectAccount(t, await signIn(t, ADMIN_TOKEN), 'HR', 'hr-x');
    } finally {
      x.setIssueRefreshTokens(true);
    }
    expect(await runEverywhere()).toBe(0);
    expect(smtp.mails.length).toBe(before);
  });
});
