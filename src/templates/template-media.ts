import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * An image a message names in the default-locale file (`media: [{file, alt: {en, sl, …}}]`), read from
 * the templates folder. `sha256` is of the file as written: the fingerprint and the planned hash use
 * it, so a replaced image re-plans like a changed text even when its name stays the same.
 */
export interface TemplateImage {
  /** As written in the template, relative to the campaign's templates folder. */
  file: string;
  data: Buffer;
  sha256: string;
  /** Alt text by locale: every locale the campaign renders has its own (no fallback to English). */
  alt: Record<string, string>;
}

export interface MediaReadProblem {
  /** `media[0].alt.sl`: where in the message's entry. */
  path: string;
  message: string;
}

/**
 * Reads a message's `media` list: each entry a `file` inside `dir` and an `alt` text for every locale
 * in `locales`. A locale without its own alt text is refused rather than given the English one: alt
 * text read aloud in another language than the post helps no one, and unlike a text there is no
 * reviewer flag on an image to show the fallback.
 */
export function readTemplateMedia(value: unknown, dir: string, locales: string[]): { images: TemplateImage[]; problems: MediaReadProblem[] } {
  const problems: MediaReadProblem[] = [];
  if (!Array.isArray(value)) return { images: [], problems: [{ path: 'media', message: 'must be a list of {file, alt}' }] };
  const images: TemplateImage[] = [];
  value.forEach((entry, i) => {
    const at = `media[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({ path: at, message: 'must be a map with file and alt' });
      return;
    }
    const { file, alt, ...extra } = entry as Record<string, unknown>;
    for (const key of Object.keys(extra)) problems.push({ path: `${at}.${key}`, message: 'unknown field (expected one of: file, alt)' });
    const read = readImageFile(file, dir);
    if ('problem' in read) problems.push({ path: `${at}.file`, message: read.problem });
    const alts = readAlt(alt, typeof file === 'string' ? file : '', locales, `${at}.alt`, problems);
    if ('data' in read && alts) images.push({ file: file as string, data: read.data, sha256: createHash('sha256').update(read.data).digest('hex'), alt: alts });
  });
  return { images, problems };
}

function readImageFile(file: unknown, dir: string): { data: Buffer } | { problem: string } {
  if (typeof file !== 'string' || file.trim() === '') return { problem: 'must be a file name relative to the templates folder, e.g. visuals/week1.png' };
  const path = resolve(dir, file);
  const inside = relative(dir, path);
  // Templates name files beside them; a path out of the folder could read any file the service can.
  if (isAbsolute(file) || inside.startsWith('..') || isAbsolute(inside)) return { problem: `${file}: must be inside the templates folder` };
  if (!existsSync(path) || !statSync(path).isFile()) return { problem: `${file}: no such file` };
  return { data: readFileSync(path) };
}

function readAlt(alt: unknown, file: string, locales: string[], at: string, problems: MediaReadProblem[]): Record<string, string> | undefined {
  if (typeof alt !== 'object' || alt === null || Array.isArray(alt)) {
    problems.push({ path: at, message: `must be a map of alt text by locale (${locales.join(', ')}) describing ${file}` });
    return undefined;
  }
  const given = alt as Record<string, unknown>;
  const texts: Record<string, string> = {};
  let complete = true;
  for (const locale of locales) {
    const text = given[locale];
    if (typeof text === 'string' && text.trim() !== '') {
      texts[locale] = text.trim();
      continue;
    }
    complete = false;
    problems.push({ path: `${at}.${locale}`, message: `missing: describe ${file} in ${locale} (the campaign posts this message in ${locale})` });
  }
  return complete ? texts : undefined;
}
