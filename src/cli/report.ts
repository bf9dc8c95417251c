import type { INestApplicationContext } from '@nestjs/common';
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AuthUser } from '../common/auth-user';
import { isUiLocale, UI_LOCALES } from '../i18n/i18n';

export interface ReportOptions { pdf?: string; csv?: string; member?: string; lang?: string }

/** The CLI acts as the secretariat: whoever runs it has the service's database already. */
const CLI_USER: AuthUser = { id: 0, name: 'cli', role: 'secretariat', member: null };

/** Why `path` cannot be written (a missing or read-only folder, a folder in its place), or null. */
export function unwritable(path: string): string | null {
  const target = resolve(path);
  try {
    if (statSync(target).isDirectory()) return `${path} is a folder, not a file`;
  } catch {
    // does not exist yet: its folder must
  }
  try {
    if (!statSync(dirname(target)).isDirectory()) return `${dirname(path)} is not a folder`;
    accessSync(dirname(target), constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : `cannot write into ${dirname(path)} (${(error as NodeJS.ErrnoException).code})`;
  }
}

export const reportCommand = {
  /** A usage problem, found before the database or a browser is opened; null when none. */
  check(slug: string | undefined, options: ReportOptions): string | null {
    if (!slug) return 'missing the campaign slug';
    if (!options.pdf && !options.csv) return 'report needs --pdf <file> or --csv <file> (or both)';
    if (options.lang && !isUiLocale(options.lang)) return `--lang must be one of ${UI_LOCALES.join(', ')}`;
    for (const [flag, path] of [['--pdf', options.pdf], ['--csv', options.csv]] as const) {
      const problem = path === undefined ? null : unwritable(path);
      if (problem) return `${flag} ${path}: ${problem}`;
    }
    return null;
  },

  /**
   * Writes the files; an unknown slug fails before anything is written (the report is read first).
   * The PDF is the report page's, printed by the same PdfPrinter as the page's button.
   */
  async write(app: INestApplicationContext, { ReportsService, ReportPageService }: Pick<typeof import('./app'), 'ReportsService' | 'ReportPageService'>, slug: string, options: ReportOptions): Promise<string[]> {
    const query = { member: options.member };
    const reports = app.get(ReportsService);
    const csv = options.csv ? reports.csv(await reports.report(CLI_USER, slug, query)) : null;
    const pdf = options.pdf ? await app.get(ReportPageService).pdfFor(CLI_USER, slug, query, isUiLocale(options.lang) ? options.lang : 'en') : null;
    const written: string[] = [];
    if (csv !== null) {
      writeFileSync(options.csv!, csv, 'utf8');
      written.push(`wrote ${options.csv} (CSV, ${Buffer.byteLength(csv)} bytes)`);
    }
    if (pdf) {
      writeFileSync(options.pdf!, pdf);
      written.push(`wrote ${options.pdf} (PDF, ${pdf.length} bytes)`);
    }
    return written;
  },
};
