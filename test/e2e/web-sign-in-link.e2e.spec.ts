import { Logger } from '@nestjs/common';
import { Browser } from 'playwright-core';
import { UsersService } from '../../src/users/users.service';
import { launchChromium } from '../support/browser';
import { startSmtpSink } from '../support/smtp-sink';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 #6: sign in without pasting a token, through a one-time link sent by e-mail (real SMTP,
 * real HTTP, real database): valid 15 minutes, used once, and asking never tells who has an account.
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('sign-in links by e-mail on %s', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const logged: string[] = [];

  beforeAll(async () => {
    for (const level of ['log', 'error', 'warn', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
    smtp = await startSmtpSink();
    t = await startTestApp({ kind, config: { smtpUrl: smtp.url } });
    const ana = (await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send({ name: 'Ana Novak', role: 'coordinator', member: 'SI', email: 'ana@si.test' }).expect(201)).body;
    await t.app.get(UsersService).setUiLocale(ana.id, 'sl');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    await smtp.close();
  });

  /** The mails to `to`, once `count` have arrived (the mail goes out after the answer). */
  async function mailsTo(to: string, count: number) {
    for (let i = 0; i < 100 && smtp.mails.filter((m) => m.to.includes(to)).length < count; i++) await new Promise((r) => setTimeout(r, 50));
    return smtp.mails.filter((m) => m.to.includes(to));
  }
  const ask = (email: string) => t.http.post('/login/email').type('form').send({ email });
  const tokenOf = (text: string) => /http:\/\/scheduler\.test\/login\/link\?token=([A-Za-z0-9_-]+)/.exec(text)![1];
  const linkRows = async () => (await t.db.manager.query('select * from sign_in_links')) as Record<string, unknown>[];

  it('offers the e-mail form beside the token form', async () => {
    const page = (await t.http.get('/login').expect(200)).text;
    expect(page).toContain('action="/login"');
    expect(page).toMatch(/<form method="post" action="\/login\/email">[\s\S]*<input id="email" name="email" type="email"/);
  });

  it('mails a link in the user’s language that signs in once, after a confirmation page', async () => {
    const asked = await ask('  Ana@SI.test ').expect(200);
    expect(asked.text).toContain('If the address belongs to a user, a sign-in link is on its way. It works once, within 15 minutes.');
    const [mail] = await mailsTo('ana@si.test', 1);
    expect(mail.subject).toBe('[NATC SEE] Vaša povezava za prijavo');
    expect(mail.text).toMatch(/^Spoštovani\/-a Ana Novak,/);
    expect(mail.text).toContain('Deluje enkrat, in sicer 15 minut:');
    const token = tokenOf(mail.text);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    // Only a hash is stored.
    expect(JSON.stringify(await linkRows())).not.toContain(token);

    // Opening the link (as a mail scanner would, twice) signs nobody in and uses nothing up.
    for (let i = 0; i < 2; i++) {
      const confirm = await t.http.get(`/login/link?token=${token}`).expect(200);
      expect(confirm.headers['set-cookie']).toBeUndefined();
      expect(confirm.text).toMatch(/<form method="post" action="\/login\/link">\s*<input type="hidden" name="token" value="[^"]+">/);
    }
    const used = await t.http.post('/login/link').type('form').send({ token }).expect(303);
    expect(used.headers.location).toBe('/');
    const cookie = String(used.headers['set-cookie']).split(';')[0];
    expect(cookie).toMatch(/^natc_session=/);
    expect(String(used.headers['set-cookie'])).toMatch(/HttpOnly/);
    const approvals = await t.http.get('/approvals').set('Cookie', cookie).expect(200);
    expect(approvals.text).toContain('Ana Novak');

    // Used once: never again, and a refusal changes nothing.
    const before = await linkRows();
    const again = await t.http.post('/login/link').type('form').send({ token }).expect(303);
    expect(again.headers.location).toBe('/login?error=link');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(await linkRows()).toEqual(before);
    expect((await t.http.get(`/login/link?token=${token}`).expect(303)).headers.location).toBe('/login?error=link');
    expect((await t.http.get('/login?error=link').expect(200)).text).toContain('This sign-in link has expired or was already used.');
  });

  it('refuses a link after 15 minutes', async () => {
    await ask('ana@si.test').expect(200);
    const token = tokenOf((await mailsTo('ana@si.test', 2))[1].text);
    const start = t.clock.now();
    try {
      t.clock.set(new Date(start.getTime() + 16 * 60_000));
      expect((await t.http.get(`/login/link?token=${token}`).expect(303)).headers.location).toBe('/login?error=link');
      const refused = await t.http.post('/login/link').type('form').send({ token }).expect(303);
      expect(refused.headers.location).toBe('/login?error=link');
      expect(refused.headers['set-cookie']).toBeUndefined();
    } finally {
      t.clock.set(start);
    }
  });

  it('answers an unknown address with the same page, and mails nothing', async () => {
    const known = await ask('ana@si.test').expect(200);
    const unknown = await ask('nobody@nowhere.test').expect(200);
    expect(unknown.text).toBe(known.text);
    await mailsTo('ana@si.test', 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.mails.filter((m) => m.to.includes('nobody@nowhere.test'))).toEqual([]);
  });

  it('refuses the link of a user deleted since it was sent', async () => {
    const leaving = (await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send({ name: 'Leaving', role: 'comms', member: 'SI', email: 'leaving@si.test' }).expect(201)).body;
    await ask('leaving@si.test').expect(200);
    const token = tokenOf((await mailsTo('leaving@si.test', 1))[0].text);
    await t.http.delete(`/api/users/${leaving.id}`).set(bearer(ADMIN_TOKEN)).expect(204);
    const refused = await t.http.post('/login/link').type('form').send({ token }).expect(303);
    expect(refused.headers.location).toBe('/login?error=link');
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('names the field of a malformed address', async () => {
    const bad = await ask('not an address').expect(400);
    expect(bad.text).toContain('e-mail address: must be an e-mail address');
  });

  it('keeps addresses and links out of the logs', async () => {
    const secrets = [...smtp.mails.map((m) => tokenOf(m.text)), 'ana@si.test', 'nobody@nowhere.test'];
    expect(logged.filter((line) => secrets.some((s) => line.toLowerCase().includes(s.toLowerCase())))).toEqual([]);
  });
});

describe('sign-in link requests are limited per address and per e-mail address', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: smtp.url, badTokenLimitPerMinute: 3 } });
    await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send({ name: 'Iva Kovač', role: 'comms', member: 'HR', email: 'iva@hr.test' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('answers 429 with Retry-After past the limit, and sends no more mail', async () => {
    for (let i = 0; i < 3; i++) await t.http.post('/login/email').type('form').send({ email: 'iva@hr.test' }).expect(200);
    const refused = await t.http.post('/login/email').type('form').send({ email: 'iva@hr.test' }).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The three accepted requests' mails may still be on their way: wait for them, then a little more for a fourth.
    const mails = () => smtp.mails.filter((m) => m.to.includes('iva@hr.test'));
    for (const until = Date.now() + 10_000; mails().length < 3 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(mails()).toHaveLength(3);
  });
});

describe('a sign-in link and the post page in a browser without JavaScript', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: smtp.url } });
    await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send({ name: 'Iva Kovač', role: 'comms', member: 'HR', email: 'iva@hr.test' }).expect(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await smtp.close();
  });

  it('asks for a link, opens it from the mail, signs in with the button, then reads a post, its hashes and the next post', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${t.url}/login`);
    await page.getByLabel('E-mail address').fill('iva@hr.test');
    await page.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('a sign-in link is on its way');
    for (let i = 0; i < 100 && smtp.mails.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const link = /http:\/\/scheduler\.test(\/login\/link\?token=\S+)/.exec(smtp.mails[0].text)![1];
    await page.goto(`${t.url}${link}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/calendar$/);
    const [post] = (await t.http.get('/api/campaigns/natc-see-2021/posts?member=HR&network=x&limit=2').set(bearer(ADMIN_TOKEN))).body.items;
    await page.goto(`${t.url}/posts/${post.id}`);
    await expect(page.locator('.hashes').isVisible()).resolves.toBe(false);
    await page.getByText('Text hashes').click();
    await expect(page.locator('.hashes code').first().textContent()).resolves.toBe(post.textHash);
    await page.getByRole('link', { name: /Next post/ }).click();
    await page.waitForURL(/\/posts\/\d+$/);
    expect(page.url()).not.toBe(`${t.url}/posts/${post.id}`);
    await context.close();
  });
});
