/**
 * The one CSV writer (RFC 4180): CRLF line ends; a field holding a comma, a
 * quote, CR or LF is quoted with its quotes doubled; UTF-8, with a byte-order
 * mark on request (Excel needs it to read Vietnamese). Every CSV the CLI
 * writes goes through `csvDocument`, so a rule for all cells belongs in
 * `csvField`.
 */

import { csvCellGuard } from './sanitize.js';

export const BOM = '\uFEFF';

export type CsvValue = string | number | boolean | null | undefined;

/** `raw`: no `'` before text that starts like a formula (for machine readers; docs/reports.md). */
export function csvField(value: CsvValue, raw = false): string {
  if (value === null || value === undefined) return '';
  // Text may come from anyone (a site name, an incident): never a formula in a spreadsheet.
  const s = typeof value === 'string' ? csvCellGuard(value, raw) : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header line, then a line per row. */
export function csvDocument(
  head: readonly string[],
  rows: Iterable<ReadonlyArray<CsvValue>>,
  bom = false,
  raw = false,
): string {
  const lines = [head.map((h) => csvField(h)).join(',')];
  for (const r of rows) lines.push(r.map((v) => csvField(v, raw)).join(','));
  return `${bom ? BOM : ''}${lines.join('\r\n')}\r\n`;
}
