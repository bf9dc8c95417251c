import { createHash } from 'node:crypto';
// The core entry: buffers only, and resolvable by Jest's CommonJS resolver (the main entry is import-only).
import { fileTypeFromBuffer } from 'file-type/core';
import type { Sharp, SharpOptions } from 'sharp';
import { IMAGE_TYPES, ImageMime, isImageMime, StoredImage } from './media-types';

/** sharp (libvips) is loaded with the first image: start-ups that handle none (CLI, most tests) skip it. */
async function sharp(input: Buffer, options?: SharpOptions): Promise<Sharp> {
  const { default: load } = await import('sharp');
  return load(input, options);
}

export type PreparedImage = StoredImage & { data: Buffer };

/** Why an upload is not an image we take: said to the uploader as a 400 naming `file`. */
export class NotAnImage extends Error {}

/**
 * The image as the service keeps it: its real type read from the bytes (a PDF renamed .png is
 * refused), re-encoded without metadata so that EXIF location, camera and dates never reach a
 * network, turned upright first (the EXIF orientation is metadata too), and hashed after all that,
 * so the same upload is always the same file.
 */
export async function prepareImage(upload: Buffer): Promise<PreparedImage> {
  const detected = await fileTypeFromBuffer(upload);
  if (!detected || !isImageMime(detected.mime)) {
    throw new NotAnImage(`is ${detected ? `a ${detected.mime} file` : 'of an unknown type'}, not a PNG, JPEG, WebP or GIF image`);
  }
  const mime = detected.mime;
  let data: Buffer;
  try {
    const source = await sharp(upload, { animated: mime === 'image/gif' || mime === 'image/webp' });
    const { orientation } = await source.metadata();
    data = await encode(orientation && orientation !== 1 ? source.rotate() : source, mime).toBuffer();
  } catch (error) {
    throw new NotAnImage(`could not be read as a ${IMAGE_TYPES[mime].toUpperCase()} image (${(error as Error).message})`);
  }
  return describe(data, mime);
}

/** sharp writes no metadata unless asked (withMetadata), so encoding again is what strips it. */
function encode(image: Sharp, mime: ImageMime, quality = 90): Sharp {
  switch (mime) {
    case 'image/png': return image.png({ compressionLevel: 9 });
    case 'image/jpeg': return image.jpeg({ quality });
    case 'image/webp': return image.webp({ quality });
    case 'image/gif': return image.gif();
  }
}

async function describe(data: Buffer, mime: ImageMime): Promise<PreparedImage> {
  const meta = await (await sharp(data, { animated: true })).metadata();
  return {
    data, mime, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex'),
    // An animation's height is all its frames stacked; a frame's is what people see.
    width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0,
  };
}

/**
 * A copy within a network's limits (`maxBytes`, and a type it takes): recompressed first, then
 * scaled down by the square root of how much it is over (bytes follow the pixel count), a little
 * more each round. Null when even a small copy does not fit (say, a long animation).
 */
export async function conformingCopy(original: Buffer, target: { maxBytes: number; mime: ImageMime }): Promise<PreparedImage | null> {
  const meta = await (await sharp(original)).metadata();
  let width = meta.width ?? 1;
  for (let round = 0; round < 6 && width >= 32; round++) {
    const resized = (await sharp(original, { animated: target.mime === 'image/gif' })).resize({ width, withoutEnlargement: true });
    const data = await encode(resized, target.mime, 82).toBuffer();
    if (data.length <= target.maxBytes) return describe(data, target.mime);
    width = Math.floor(width * Math.min(0.9, Math.sqrt(target.maxBytes / data.length) * (0.95 - round * 0.05)));
  }
  return null;
}
