import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { EntityManager, In } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { InvalidInput } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { Clock } from '../time/clock';
import { conformingCopy, NotAnImage, PreparedImage, prepareImage } from './image-processing';
import { MediaEntity } from './media.entity';
import { MediaStore } from './media-store';
import { ImageMime, MEDIA_FILE_NAME, mediaFileName, mimeOfExtension, StoredImage } from './media-types';

export interface MediaResponse {
  id: number;
  url: string;
  sha256: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
}

/** Uploads, stores and serves images; copies them to fit a network. Posts attach them by id. */
@Injectable()
export class MediaService {
  readonly store: MediaStore;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = new MediaStore(config.media.dir);
  }

  /** The route lets only the secretariat and comms staff in; an upload is theirs to attach to their posts. */
  async upload(user: AuthUser, file: { buffer: Buffer; size: number } | undefined): Promise<MediaResponse> {
    if (!file) throw new InvalidInput([{ field: 'file', message: 'send the image as the multipart field "file"' }]);
    let prepared: PreparedImage;
    try {
      prepared = await prepareImage(file.buffer);
    } catch (error) {
      if (error instanceof NotAnImage) throw new InvalidInput([{ field: 'file', message: error.message }]);
      throw error;
    }
    return this.toResponse(await this.save(prepared, { createdBy: user.id, sourceId: null }));
  }

  /** The file first, then its row: a row never names a missing file; a file without a row is harmless. */
  private async save(image: PreparedImage, origin: { createdBy: number | null; sourceId: number | null }): Promise<MediaEntity> {
    await this.store.put(mediaFileName(image), image.data);
    return this.db.write((m) => this.saveRow(m, image, origin));
  }

  /** The row of an image whose file is stored (put): the existing one for the same bytes. */
  async saveRow(m: EntityManager, image: StoredImage, origin: { createdBy: number | null; sourceId: number | null }): Promise<MediaEntity> {
    const existing = await m.findOneBy(MediaEntity, { sha256: image.sha256 });
    if (existing) return existing;
    return m.save(m.create(MediaEntity, {
      sha256: image.sha256, mime: image.mime, width: image.width, height: image.height, bytes: image.bytes,
      sourceId: origin.sourceId, createdBy: origin.createdBy, createdAt: this.clock.now().toISOString(),
    }));
  }

  /** A copy of `media` within `maxBytes` in `mime` (stored once, like an upload), or null if none fits. */
  async conformingCopy(media: MediaEntity, target: { maxBytes: number; mime: ImageMime }): Promise<MediaEntity | null> {
    const original = await this.read(media);
    const copy = await conformingCopy(original, target);
    return copy && this.save(copy, { createdBy: null, sourceId: media.id });
  }

  async findByIds(m: EntityManager, ids: number[]): Promise<Map<number, MediaEntity>> {
    const unique = [...new Set(ids)];
    const rows = unique.length ? await m.findBy(MediaEntity, { id: In(unique) }) : [];
    return new Map(rows.map((row) => [row.id, row]));
  }

  read(media: Pick<MediaEntity, 'sha256' | 'mime'>): Promise<Buffer> {
    return readFile(this.pathOf(media));
  }

  /** The file behind a public media URL; 404 for any other name. */
  fileToServe(name: string): { path: string; mime: ImageMime } {
    const match = MEDIA_FILE_NAME.exec(name);
    const mime = match && mimeOfExtension(match[2]);
    if (!mime) throw new NotFoundException('no such image');
    return { path: this.store.pathOf(name), mime };
  }

  pathOf(media: Pick<MediaEntity, 'sha256' | 'mime'>): string {
    return this.store.pathOf(mediaFileName(media));
  }

  url(media: Pick<MediaEntity, 'sha256' | 'mime'>): string {
    return `${this.config.publicUrl}/media/${mediaFileName(media)}`;
  }

  toResponse(media: MediaEntity): MediaResponse {
    return { id: media.id, url: this.url(media), sha256: media.sha256, mime: media.mime, width: media.width, height: media.height, bytes: media.bytes };
  }
}
