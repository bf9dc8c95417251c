/** A tiny RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; CRLF ends a record. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') { field += '"'; i++; }
    else if (c === '"' && (quoted || field === '')) quoted = !quoted;
    else if (quoted) field += c;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { rows.push([...row, field]); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
