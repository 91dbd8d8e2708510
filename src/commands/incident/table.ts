/** Tables for people (aligned on a terminal, tab-separated when piped) and CSV for spreadsheets. */
import stringWidth from 'string-width';
import { csvCellGuard, terminalText } from '../../util/sanitize.js';

export function renderTable(head: string[], rows: string[][], tty: boolean): string {
  const clean = (s: string) => terminalText(s.replace(/[\t\r\n]+/g, ' '));
  if (!tty) return `${[head, ...rows].map((r) => r.map(clean).join('\t')).join('\n')}\n`;
  const widths = head.map((h, i) =>
    Math.max(stringWidth(h), ...rows.map((r) => stringWidth(clean(r[i] ?? '')))),
  );
  const line = (r: string[]) =>
    r
      .map((cell, i) => {
        const text = clean(cell);
        return i === r.length - 1
          ? text
          : text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - stringWidth(text)));
      })
      .join('  ');
  return `${[head, ...rows].map(line).join('\n')}\n`;
}

/** RFC 4180: quote fields with commas, quotes or line breaks; CRLF line ends. */
export function renderCsv(head: string[], rows: Array<Array<string | number>>, raw = false): string {
  const field = (v: string | number) => {
    const s = typeof v === 'string' ? csvCellGuard(v, raw) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[head, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
