/**
 * A spreadsheet runs a cell that starts with = + - @ TAB or CR as a formula (`=HYPERLINK(…)` can
 * send the sheet's data elsewhere). OWASP's advice: prefix such a text with a single quote, which
 * spreadsheets show as text and a reader still understands. Numbers we write ourselves (ids,
 * lengths) are numbers, not text, and are left alone.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One RFC 4180 line: fields with a comma, quote or line break are quoted, quotes doubled; CRLF ends it. */
export function csvLine(fields: (string | number | boolean | null | undefined)[]): string {
  return `${fields.map((field) => {
    const text = field === null || field === undefined ? '' : typeof field === 'string' ? neutraliseFormula(field) : String(field);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',')}\r\n`;
}

/** Excel reads UTF-8 (Cyrillic included) only when the file starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';
