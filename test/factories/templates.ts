import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

/** An image a message names: a file beside the templates and alt text by locale. */
export interface TemplateMediaEntry {
  file: string;
  alt: Record<string, string>;
}

export interface LocaleFile {
  locale: string;
  review?: string;
  themes?: Record<string, string>;
  partials?: Record<string, string>;
  messages: Record<string, { text: string; short?: string; reviewedBy?: string; media?: TemplateMediaEntry[] }>;
}

/** The YAML of one `<locale>.yaml` template file (use a literal string when line numbers matter). */
export function localeFileYaml(file: LocaleFile): string {
  return stringify({
    locale: file.locale,
    review: file.review ?? (file.locale === 'en' ? 'source' : 'needs-review'),
    themes: file.themes ?? { 'capacity-building': 'Capacity building', 'victim-assistance': 'Victim assistance' },
    ...(file.partials ? { partials: file.partials } : {}),
    messages: file.messages,
  });
}

const created: string[] = [];

/**
 * Writes `<root>/<folder>/<name>.yaml` for each entry (file name → YAML text) under a fresh temporary
 * directory and returns the root, to pass to loadTemplateSet.
 */
export function writeTemplatesFolder(files: Record<string, string>, folder = 'test-campaign'): string {
  const root = mkdtempSync(join(tmpdir(), 'templates-'));
  created.push(root);
  mkdirSync(join(root, folder));
  for (const [name, yaml] of Object.entries(files)) writeFileSync(join(root, folder, `${name}.yaml`), yaml, 'utf8');
  return root;
}

/** Writes an image (or any bytes) at `<root>/<folder>/<file>`, creating its folders: a visual the templates name. */
export function writeTemplateFile(root: string, file: string, data: Buffer, folder = 'test-campaign'): void {
  const path = join(root, folder, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** Deletes every folder writeTemplatesFolder made (call from afterAll). */
export function removeTemplatesFolders(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}
