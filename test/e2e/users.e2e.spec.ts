import { createHash } from 'node:crypto';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

describe('users and authentication (HTTP, SQLite file)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ campaignsDir: '/nonexistent' });
  });
  afterAll(() => t.close());

  it('answers /health without a token once started', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('refuses the API without a token (401) and with a wrong one (401)', async () => {
    await t.http.get('/api/campaigns').expect(401);
    const res = await t.http.get('/api/campaigns').set(bearer('nope')).expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: 'invalid or revoked token' });
  });

  it('creates a user once, shows the token once and stores only its hash', async () => {
    const res = await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send({ name: 'Ana Novak', role: 'coordinator', member: 'SI' }).expect(201);
    expect(res.body).toMatchObject({ name: 'Ana Novak', role: 'coordinator', member: 'SI' });
    expect(res.body.token).toMatch(/^nsc_[A-Za-z0-9_-]{43}$/);
    const rows = await t.db.manager.query('select * from users');
    expect(JSON.stringify(rows)).not.toContain(res.body.token);
    const row = rows.find((r: { name: string }) => r.name === 'Ana Novak');
    expect(row.token_hash).toBe(createHash('sha256').update(res.body.token).digest('hex'));
    const list = await t.http.get('/api/users').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(JSON.stringify(list.body)).not.toMatch(/token/);
    await t.http.get('/api/campaigns').set(bearer(res.body.token)).expect(200);
  });

  it('lets only the secretariat create users, and a refused request creates nothing', async () => {
    const comms = await t.token('comms', 'HR');
    const before = await t.db.manager.query('select count(*) as n from users');
    const res = await t.http.post('/api/users').set(bearer(comms)).send({ name: 'Mallory', role: 'secretariat' }).expect(403);
    expect(res.body.message).toContain('secretariat');
    expect(await t.db.manager.query('select count(*) as n from users')).toEqual(before);
  });

  it.each([
    [{ name: 'X', role: 'coordinator', member: 'SI', admin: true }, 'admin', 'unknown field'],
    [{ name: 'X', role: 'king' }, 'role', 'must be one of'],
    [{ name: 'X', role: 'coordinator' }, 'member', 'needs the member code'],
    [{ name: 'X', role: 'secretariat', member: 'SI' }, 'member', 'leave member out'],
    [{ name: 'X', role: 'comms', member: 'slovenia' }, 'member', 'member code'],
  ])('refuses %j naming the field %s', async (body, field, message) => {
    const before = await t.db.manager.query('select count(*) as n from users');
    const res = await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send(body).expect(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(message) })]));
    expect(await t.db.manager.query('select count(*) as n from users')).toEqual(before);
  });

  it('refuses the token of a deleted user at once', async () => {
    const created = await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send({ name: 'Leaving', role: 'comms', member: 'RS' }).expect(201);
    await t.http.get('/api/campaigns').set(bearer(created.body.token)).expect(200);
    await t.http.delete(`/api/users/${created.body.id}`).set(bearer(ADMIN_TOKEN)).expect(204);
    await t.http.get('/api/campaigns').set(bearer(created.body.token)).expect(401);
  });

  it('answers 413 to a 5 MB body without creating anything', async () => {
    const before = await t.db.manager.query('select count(*) as n from users');
    const res = await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(5 * 1024 * 1024), role: 'secretariat' })).expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, message: expect.stringContaining('request body is too large') });
    expect(await t.db.manager.query('select count(*) as n from users')).toEqual(before);
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(res.body.message).toMatch(/malformed JSON/);
  });

  it('serves the OpenAPI documentation at /docs', async () => {
    const res = await t.http.get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger');
    const spec = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/api/campaigns/{slug}/posts', '/api/posts/{id}', '/api/users']));
  });
});
