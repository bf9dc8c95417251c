/** One RFC 4180 line: fields with a comma, quote or line break are quoted, quotes doubled; CRLF ends it. */
export function csvLine(fields: (string | number | boolean | null | undefined)[]): string {
  return `${fields.map((field) => {
    const text = field === null || field === undefined ? '' : String(field);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',')}\r\n`;
}

/** Excel reads UTF-8 (Cyrillic included) only when the file starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';
