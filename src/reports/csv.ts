/**
 * CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, a quote or a line break quoted, quotes
 * doubled), starting with a UTF-8 byte order mark so Excel opens Vietnamese text correctly. A text cell that a
 * spreadsheet would run as a formula (leading =, +, - or @; also tab and carriage return, which OWASP lists for
 * the same attack) is prefixed with an apostrophe: a citizen's comment "=HYPERLINK(…)" stays text.
 */

export type CsvValue = string | number | null | undefined;

export const CSV_BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field. Numbers are written as they are (a negative number is not a formula); text is defused, then quoted. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}
