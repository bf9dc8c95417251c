import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaStore } from './media-store';

describe('MediaStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'media-store-')), 'media');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('writes a file under its name, creating the folder, and leaves no temporary file', async () => {
    await new MediaStore(dir).put('a.png', Buffer.from('image bytes'));
    expect(readdirSync(dir)).toEqual(['a.png']);
    expect(readFileSync(join(dir, 'a.png'), 'utf8')).toBe('image bytes');
  });

  it('keeps the file it has: the same name is the same content (a SHA-256)', async () => {
    const store = new MediaStore(dir);
    await store.put('a.png', Buffer.from('first'));
    await store.put('a.png', Buffer.from('second'));
    expect(readFileSync(join(dir, 'a.png'), 'utf8')).toBe('first');
  });

  it('leaves neither the file nor its temporary copy when the final rename fails', async () => {
    const store = new MediaStore(dir);
    await expect(store.put(join('missing-folder', 'b.png'), Buffer.from('bytes'))).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(dir, 'missing-folder', 'b.png'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
