import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** Real image bytes for uploads, made by sharp: a gradient so that encoders cannot shrink it to nothing. */
export async function testImage(format: 'png' | 'jpeg' | 'webp' | 'gif', width = 64, height = 48, options: { exif?: boolean; noise?: boolean } = {}): Promise<Buffer> {
  const channels = 3;
  // Noise does not compress: a photo-sized file from few pixels. (randomBytes: a JS loop is slow under Jest.)
  const pixels = options.noise ? randomBytes(width * height * channels) : Buffer.alloc(width * height * channels);
  for (let i = 0; !options.noise && i < pixels.length; i++) {
    const x = Math.floor(i / channels) % width;
    pixels[i] = (x * 255) / width + (i % channels) * 40;
  }
  let image = sharp(pixels, { raw: { width, height, channels } }).toFormat(format);
  if (options.exif) {
    // A phone photo: where it was taken and with which camera, exactly what must not be published.
    image = image.withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Secret Camera 9', Copyright: 'NATC' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '46/1 3/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '14/1 30/1 0/1' },
    });
  }
  return image.toBuffer();
}

/** A minimal PDF document, to be renamed .png by a careless (or hostile) uploader. */
export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
