/**
 * The one CSV writer (RFC 4180): CRLF line ends; a field holding a comma, a
 * quote, CR or LF is quoted with its quotes doubled; UTF-8, with a byte-order
 * mark on request (Excel needs it to read Vietnamese). Every CSV the CLI
 * writes goes through `csvDocument`, so a rule for all cells belongs in
 * `csvField`.
 */

export const BOM = '\uFEFF';

export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header line, then a line per row. */
export function csvDocument(
  head: readonly string[],
  rows: Iterable<ReadonlyArray<CsvValue>>,
  bom = false,
): string {
  const lines = [head.map(csvField).join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return `${bom ? BOM : ''}${lines.join('\r\n')}\r\n`;
}
