import { DatabaseKind, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 #1: the language of the pages is the user's saved choice, else the one picked on the
 * sign-in page, else the browser's Accept-Language, else English; the switcher saves it per user.
 */
const langOf = (html: string) => /<html lang="([^"]+)">/.exec(html)?.[1];

describe.each<DatabaseKind>(['sqlite', 'postgres'])('choosing the language of the pages on %s', (kind) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ kind });
    token = await t.token('coordinator', 'RS', 'Jelena Jovanović');
  });
  afterAll(() => t.close());

  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const res = await t.http.post('/login').type('form').send({ token, next: '/approvals' }).expect(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const page = await t.http.get('/approvals').set('Cookie', cookie).expect(200);
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
  }
  const page = (cookie: string, acceptLanguage?: string) => {
    const request = t.http.get('/approvals').set('Cookie', cookie);
    return (acceptLanguage ? request.set('Accept-Language', acceptLanguage) : request).expect(200);
  };

  it('follows Accept-Language by its q-values, and is English when it names nothing we have', async () => {
    expect(langOf((await t.http.get('/login').set('Accept-Language', 'de-AT,de;q=0.9,mk;q=0.8,en;q=0.5').expect(200)).text)).toBe('mk');
    expect(langOf((await t.http.get('/login').set('Accept-Language', 'sr-RS').expect(200)).text)).toBe('sr-Cyrl');
    expect(langOf((await t.http.get('/login').set('Accept-Language', 'sr-Latn-ME').expect(200)).text)).toBe('sr-Latn');
    expect(langOf((await t.http.get('/login').set('Accept-Language', 'cnr').expect(200)).text)).toBe('cnr');
    const german = await t.http.get('/login').set('Accept-Language', 'de').expect(200);
    expect(langOf(german.text)).toBe('en');
    expect(german.text).toContain('<h1>Sign in</h1>');
  });

  it('keeps the sign-in page’s choice in a cookie, ahead of the browser’s language', async () => {
    const chosen = await t.http.get('/login?lang=sl').set('Accept-Language', 'mk').expect(200);
    expect(langOf(chosen.text)).toBe('sl');
    expect(chosen.text).toContain('<h1>Prijava</h1>');
    const cookie = String(chosen.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe('natc_lang=sl');
    expect(langOf((await t.http.get('/login').set('Cookie', cookie).set('Accept-Language', 'mk').expect(200)).text)).toBe('sl');
    const { cookie: session } = await signIn();
    expect(langOf((await page(`${session}; ${cookie}`, 'mk')).text)).toBe('sl');
  });

  it('saves the switcher’s choice for the user, ahead of the browser’s language, in every new session', async () => {
    const { cookie, csrf } = await signIn();
    expect(langOf((await page(cookie, 'bg')).text)).toBe('bg');
    const saved = await t.http.post('/language').set('Cookie', cookie).type('form').send({ _csrf: csrf, lang: 'sr-Cyrl', next: '/approvals?x=1' }).expect(303);
    expect(saved.headers.location).toBe('/approvals?x=1');
    const mine = await page(cookie, 'bg');
    expect(langOf(mine.text)).toBe('sr-Cyrl');
    expect(mine.text).toContain('<h1>Ред за одобравање</h1>');
    expect(mine.text).toMatch(/<option value="sr-Cyrl" lang="sr-Cyrl" selected>Српски \(ћирилица\)<\/option>/);
    // Another browser, another session, another Accept-Language: the user's choice still holds.
    const { cookie: elsewhere } = await signIn();
    expect(langOf((await page(elsewhere, 'hr')).text)).toBe('sr-Cyrl');
  });

  it('refuses a language it does not have, naming the field, and a switch without the CSRF token, changing nothing', async () => {
    const { cookie, csrf } = await signIn();
    await t.http.post('/language').set('Cookie', cookie).type('form').send({ _csrf: csrf, lang: 'cnr' }).expect(303);
    const unknown = await t.http.post('/language').set('Cookie', cookie).type('form').send({ _csrf: csrf, lang: 'tlh' }).expect(400);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
    expect(unknown.text).toMatch(/jezik: nije jezik ovog interfejsa/);
    const forged = await t.http.post('/language').set('Cookie', cookie).type('form').send({ lang: 'en' }).expect(403);
    expect(langOf(forged.text)).toBe('cnr');
    expect(langOf((await page(cookie, 'en')).text)).toBe('cnr');
  });
});
