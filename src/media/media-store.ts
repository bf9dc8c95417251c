import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files named by their content hash, so the same image is stored once. Written to a temporary name in
 * the same folder and renamed (atomic on one file system): a reader or a crash never sees half a file.
 */
export class MediaStore {
  constructor(readonly dir: string) {}

  pathOf(fileName: string): string {
    return join(this.dir, fileName);
  }

  async put(fileName: string, data: Buffer): Promise<void> {
    const path = this.pathOf(fileName);
    if (existsSync(path)) return;
    await mkdir(this.dir, { recursive: true });
    const temporary = join(this.dir, `.upload-${randomBytes(8).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, data, { flush: true });
      await rename(temporary, path);
    } finally {
      await rm(temporary, { force: true });
    }
  }
}
