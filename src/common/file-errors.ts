import { isAbsolute, relative } from 'node:path';

/** A path as a user reads it in an error: relative when inside the working folder, else absolute. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The yaml library's first line, without the position it repeats (we print file:line ourselves). */
export function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
