import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { displayPath } from '../common/file-errors';

/** A folder under the templates root and the wanted messages its default-locale file defines. */
export interface FolderHolding {
  folder: string;
  holds: string[];
}

function messageKeys(file: string): Set<string> {
  try {
    const data = parse(readFileSync(file, 'utf8')) as { messages?: unknown } | null;
    const messages = data?.messages;
    return new Set(messages && typeof messages === 'object' && !Array.isArray(messages) ? Object.keys(messages) : []);
  } catch {
    return new Set(); // a broken file holds nothing usable; its own campaign reports it
  }
}

/** Which folders under `templatesRoot` define the messages in `locale`, most messages first. */
export function foldersHolding(templatesRoot: string, locale: string, messages: string[]): FolderHolding[] {
  let folders: string[];
  try {
    folders = readdirSync(templatesRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  return folders
    .map((folder) => {
      const file = join(templatesRoot, folder, `${locale}.yaml`);
      const keys = existsSync(file) ? messageKeys(file) : new Set<string>();
      return { folder, holds: messages.filter((m) => keys.has(m)) };
    })
    .filter((f) => f.holds.length > 0)
    .sort((a, b) => b.holds.length - a.holds.length || a.folder.localeCompare(b.folder));
}

function listed(keys: string[], max = 3): string {
  return keys.length > max ? `${keys.slice(0, max).join(', ')}, … (${keys.length})` : keys.join(', ');
}

/**
 * What to tell a campaign whose `templates` folder lacks its messages: the folder that holds them
 * all (`set templates: natc-see-2021`), else those holding some; undefined when no folder does.
 */
export function templatesHint(templatesRoot: string, locale: string, messages: string[], current: string): string | undefined {
  const shown = (folder: string) => `${displayPath(join(templatesRoot, folder))}/`;
  const holders = foldersHolding(templatesRoot, locale, messages).filter((f) => f.folder !== current);
  const complete = holders.filter((f) => f.holds.length === messages.length);
  if (complete.length === 1) return `set \`templates: ${complete[0].folder}\` (the folder that holds messages ${listed(messages)})`;
  if (complete.length > 1) {
    return `set \`templates:\` to one of ${complete.map((f) => f.folder).join(', ')} (the folders that hold messages ${listed(messages)})`;
  }
  if (holders.length > 0) {
    const some = holders.map((f) => `${shown(f.folder)} holds ${listed(f.holds)}`).join('; ');
    return `no folder holds all ${messages.length} messages: ${some}`;
  }
  return undefined;
}

/**
 * For each missing message the folders that do hold it (`policy-1` → `; it is in templates/x/ …`),
 * so the fix, the `templates` key, is in the error. One scan for all of them.
 */
export function missingMessageHints(templatesRoot: string, locale: string, missing: string[], current: string): Map<string, string> {
  const holders = foldersHolding(templatesRoot, locale, missing).filter((f) => f.folder !== current);
  const hints = new Map<string, string>();
  for (const message of missing) {
    const folders = holders.filter((f) => f.holds.includes(message)).map((f) => `${displayPath(join(templatesRoot, f.folder))}/`);
    if (folders.length > 0) hints.set(message, `; it is in ${folders.join(', ')} (the \`templates\` key names the folder to read)`);
  }
  return hints;
}
