/** The image types the service takes, by the MIME type read from the bytes, and their file extension. */
export const IMAGE_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
} as const;

export type ImageMime = keyof typeof IMAGE_TYPES;

export function isImageMime(mime: string): mime is ImageMime {
  return Object.prototype.hasOwnProperty.call(IMAGE_TYPES, mime);
}

export function mimeOfExtension(ext: string): ImageMime | undefined {
  return (Object.keys(IMAGE_TYPES) as ImageMime[]).find((mime) => IMAGE_TYPES[mime] === ext);
}

/** `<sha256>.<ext>`: the only file names the media folder holds and serves. */
export const MEDIA_FILE_NAME = /^([0-9a-f]{64})\.(png|jpg|webp|gif)$/;

/** What the service knows of a stored image. */
export interface StoredImage {
  sha256: string;
  mime: ImageMime;
  width: number;
  height: number;
  bytes: number;
}

export function mediaFileName(image: Pick<StoredImage, 'sha256' | 'mime'>): string {
  return `${image.sha256}.${IMAGE_TYPES[image.mime]}`;
}
