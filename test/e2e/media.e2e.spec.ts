import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { PDF_BYTES, testImage } from '../factories/images';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);

describe('POST /api/media and GET /media/<sha256>.<ext>', () => {
  let t: TestApp;
  let siComms: string;
  let siCoordinator: string;
  beforeAll(async () => {
    t = await startTestApp();
    siComms = await t.token('comms', 'SI');
    siCoordinator = await t.token('coordinator', 'SI');
  });
  afterAll(() => t.close());

  const mediaDir = () => t.config.media.dir;
  const storedFiles = () => (existsSync(mediaDir()) ? readdirSync(mediaDir()) : []);
  const mediaRows = async () => Number((await t.db.manager.query('select count(*) as n from media'))[0].n);
  const upload = (token: string, bytes: Buffer, filename = 'photo.png') =>
    t.http.post('/api/media').set(bearer(token)).attach('file', bytes, filename);

  it('stores a PNG by its hash and answers its type, size and dimensions (201)', async () => {
    const png = await testImage('png', 120, 80);
    const res = await upload(siComms, png).expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), mime: 'image/png', width: 120, height: 80,
      bytes: expect.any(Number), url: `http://scheduler.test/media/${res.body.sha256}.png`,
    });
    const file = readFileSync(join(mediaDir(), `${res.body.sha256}.png`));
    expect(createHash('sha256').update(file).digest('hex')).toBe(res.body.sha256);
    expect(file.length).toBe(res.body.bytes);
  });

  it('gives the same bytes the same id and the same single file', async () => {
    const jpeg = await testImage('jpeg', 50, 50);
    const first = await upload(siComms, jpeg, 'a.jpg').expect(201);
    const files = storedFiles().length;
    const second = await upload(ADMIN_TOKEN, jpeg, 'b.jpg').expect(201);
    expect(second.body).toEqual(first.body);
    expect(storedFiles()).toHaveLength(files);
  });

  it('strips EXIF (GPS position, camera) from a phone photo', async () => {
    const photo = await testImage('jpeg', 80, 60, { exif: true });
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    expect(photo.includes('Secret Camera 9')).toBe(true);
    const res = await upload(siComms, photo, 'IMG_0001.jpg').expect(201);
    const served = await t.http.get(`/media/${res.body.sha256}.jpg`).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    const stored = served.body as Buffer;
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(stored.includes('Secret Camera 9')).toBe(false);
    expect(stored.includes('PhoneMaker')).toBe(false);
    expect(await sharp(stored).metadata()).toMatchObject({ width: 80, height: 60, format: 'jpeg' });
  });

  it.each(['webp', 'gif'] as const)('takes %s images', async (format) => {
    const res = await upload(siComms, await testImage(format, 30, 20), `x.${format}`).expect(201);
    expect(res.body).toMatchObject({ mime: `image/${format}`, width: 30, height: 20 });
  });

  it('refuses a PDF renamed .png with the reason, storing nothing (400)', async () => {
    const [files, rows] = [storedFiles(), await mediaRows()];
    const res = await upload(siComms, PDF_BYTES, 'poster.png').expect(400);
    expect(res.body.errors).toEqual([{ field: 'file', message: 'is a application/pdf file, not a PNG, JPEG, WebP or GIF image' }]);
    expect(storedFiles()).toEqual(files);
    expect(await mediaRows()).toBe(rows);
  });

  it('refuses bytes that claim to be a PNG but are cut short (400, not 500)', async () => {
    const png = await testImage('png', 200, 200, { noise: true });
    const res = await upload(siComms, png.subarray(0, 200), 'cut.png').expect(400);
    expect(res.body.errors[0].field).toBe('file');
  });

  it('refuses a request without the file field (400 naming file)', async () => {
    const res = await t.http.post('/api/media').set(bearer(siComms)).field('note', 'no file').expect(400);
    expect(res.body.errors).toEqual([{ field: 'file', message: 'send the image as the multipart field "file"' }]);
  });

  it('refuses coordinators, and anyone without a token, storing nothing (403, 401)', async () => {
    const [files, rows] = [storedFiles(), await mediaRows()];
    const png = await testImage('png', 10, 10);
    await upload(siCoordinator, png).expect(403);
    await t.http.post('/api/media').attach('file', png, 'x.png').expect(401);
    expect(storedFiles()).toEqual(files);
    expect(await mediaRows()).toBe(rows);
  });

  it('answers 413 to a 50 MB upload from its Content-Length, before the body is sent', async () => {
    const rows = await mediaRows();
    const { port } = new URL(t.url);
    const size = 50 * 1024 * 1024;
    const status = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest({
        host: '127.0.0.1', port: Number(port), method: 'POST', path: '/api/media',
        headers: { Authorization: `Bearer ${siComms}`, 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': size },
      }, (res) => {
        res.resume();
        resolve({ status: res.statusCode!, sent });
        req.destroy();
      });
      req.on('error', (e) => (sent > 0 ? undefined : reject(e)));
      // Only the first megabyte goes out unless the server asks for more by reading it.
      req.write('--x\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n\r\n');
      req.write(Buffer.alloc(1024 * 1024));
      sent = 1024 * 1024;
    });
    expect(status.status).toBe(413);
    expect(status.sent).toBeLessThan(size);
    expect(await mediaRows()).toBe(rows);
  });

  it('stops a chunked body (no Content-Length) once the file passes MEDIA_MAX_BYTES (413)', async () => {
    const small = await startTestApp({ config: { media: { dir: join(mediaDir(), '..', 'small-media'), maxBytes: 50_000 } } });
    try {
      const big = await testImage('png', 400, 400, { noise: true });
      expect(big.length).toBeGreaterThan(50_000);
      const { port } = new URL(small.url);
      const status = await new Promise<number>((resolve, reject) => {
        // Without Content-Length Node sends the body chunked: only multer's limit can stop it.
        const req = httpRequest({
          host: '127.0.0.1', port: Number(port), method: 'POST', path: '/api/media',
          headers: { ...admin, 'Content-Type': 'multipart/form-data; boundary=x' },
        }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.write('--x\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n');
        req.write(big);
        req.end('\r\n--x--\r\n');
      });
      expect(status).toBe(413);
      expect(existsSync(small.config.media.dir)).toBe(false);
    } finally {
      await small.close();
    }
  });

  it('serves only names of the form <sha256>.<ext> (404 otherwise), without a token', async () => {
    await t.http.get('/media/..%2F..%2Fetc%2Fpasswd').expect(404);
    await t.http.get(`/media/${'0'.repeat(64)}.png`).expect(404);
    await t.http.get('/media/test.sqlite').expect(404);
  });
});
