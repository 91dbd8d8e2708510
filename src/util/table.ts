/**
 * Every table the CLI draws for people: measured in display columns
 * (string-width), so Vietnamese lines up whether it is precomposed (NFC: "ệ"
 * is one column) or decomposed (NFD: base letter plus zero-width marks), and
 * wide glyphs count two. When the table is wider than the terminal, the
 * flexible columns shrink and are cut with "…": from the right for words, from
 * the left for units (`…/xa-quang-phu`), whose last part names the place.
 * When stdout is not a terminal the same rows go out tab-separated.
 */
import stringWidth from 'string-width';
import { terminalText } from './sanitize.js';

export interface Column {
  head: string;
  /**
   * May shrink when the table is too wide (names, summaries): the column with
   * the largest width × flex gives up a column first, so a lower flex keeps
   * more of its text (1 when true).
   */
  flex?: boolean | number;
  /** Narrowest a flexible column may get (default 8). */
  min?: number;
  /** Exactly this wide: padded, and cut when longer. */
  width?: number;
  /** Numbers: pad on the left. */
  right?: boolean;
  /** Which end gives way when cut: the right (default), or the left for paths like units. */
  cut?: 'left' | 'right';
  /**
   * Wrap onto more lines instead of cutting, so no word is lost (results, figures): true breaks
   * between words, a string breaks preferably where it separates parts (`' · '`). Such a column
   * shrinks like a flexible one (flex 1 unless given).
   */
  wrap?: boolean | string;
}

export interface DrawOptions {
  /** The terminal's width; flexible columns shrink to fit it. */
  columns: number;
  indent?: string;
  /** Colour a padded cell (row index, column index); the header is not passed here. */
  paint?: (row: number, col: number, text: string) => string;
  head?: (text: string) => string;
}

const GAP = '  ';

/** One line per cell: tabs and line breaks become a space. */
export function clean(text: string): string {
  return terminalText(text.replace(/[\t\r\n]+/g, ' '));
}

/**
 * Display columns. Fast path for the text reports are made of: ASCII, Latin
 * letters with Vietnamese diacritics (precomposed: U+00A0–U+024F except the
 * soft hyphen, U+1E00–U+1EFF), and combining marks (U+0300–U+036F, zero
 * wide). All are one UTF-16 unit and narrow; anything else goes to string-width.
 */
export function width(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  if (/^[\x20-\x7e\u00a0-\u00ac\u00ae-\u036f\u1e00-\u1eff]*$/.test(text)) {
    let marks = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x300 && c <= 0x36f) marks += 1;
    }
    return text.length - marks;
  }
  // The rest repeats (state labels with their symbols): remember them, up to a bound.
  let w = slow.get(text);
  if (w === undefined) {
    w = stringWidth(text);
    if (slow.size < 4096) slow.set(text, w);
  }
  return w;
}

const slow = new Map<string, number>();

export function padEnd(text: string, w: number, textWidth = width(text)): string {
  return textWidth >= w ? text : text + ' '.repeat(w - textWidth);
}

export function padStart(text: string, w: number, textWidth = width(text)): string {
  return textWidth >= w ? text : ' '.repeat(w - textWidth) + text;
}

/** Cut to at most `w` columns, ending in "…" when cut. */
export function truncate(text: string, w: number, textWidth = width(text)): string {
  if (textWidth <= w) return text;
  if (w <= 1) return '…'.slice(0, Math.max(0, w));
  let out = '';
  let used = 0;
  // Code points, not graphemes: a zero-width combining mark (NFD text) fits whenever its letter did.
  for (const ch of text) {
    const cw = stringWidth(ch);
    if (used + cw > w - 1) break;
    out += ch;
    used += cw;
  }
  return `${out}…`;
}

/** Cut to at most `w` columns keeping the end, starting with "…" when cut: `…/xa-quang-phu`. */
export function truncateLeft(text: string, w: number, textWidth = width(text)): string {
  if (textWidth <= w) return text;
  if (w <= 1) return '…'.slice(0, Math.max(0, w));
  const chars = [...text];
  let start = chars.length;
  let used = 0;
  while (start > 0) {
    const cw = stringWidth(chars[start - 1] as string);
    if (used + cw > w - 1) break;
    used += cw;
    start -= 1;
  }
  // A combining mark kept without its letter would sit on the "…".
  while (start < chars.length && stringWidth(chars[start] as string) === 0) start += 1;
  return `…${chars.slice(start).join('')}`;
}

/** A word wider than `w` broken into pieces of at most `w` columns, after a `-`, `/` or `.` when it has one. */
function breakWord(word: string, w: number): string[] {
  const out: string[] = [];
  let piece = '';
  let used = 0;
  for (const ch of word) {
    const cw = stringWidth(ch);
    if (used + cw > w && piece) {
      const at = Math.max(piece.lastIndexOf('-'), piece.lastIndexOf('/'), piece.lastIndexOf('.')) + 1;
      const keep = at > 0 && at < piece.length ? piece.slice(at) : '';
      out.push(piece.slice(0, piece.length - keep.length));
      piece = keep;
      used = width(keep);
    }
    piece += ch;
    used += cw;
  }
  if (piece) out.push(piece);
  return out;
}

/**
 * Lines of at most `w` columns, nothing lost: parts split at `sep` stay together when they fit,
 * then words, and a word wider than a line is broken.
 */
export function wrapFit(text: string, w: number, sep?: string): string[] {
  const lines: string[] = [];
  const parts = sep ? text.split(sep) : [text];
  let line = '';
  const joiner = sep ?? ' ';
  for (const part of parts) {
    if (line && width(`${line}${joiner}${part}`) <= w) {
      line = `${line}${joiner}${part}`;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    for (const word of part.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (width(next) <= w) {
        line = next;
        continue;
      }
      if (line) lines.push(line);
      const pieces = width(word) <= w ? [word] : breakWord(word, Math.max(1, w));
      line = pieces.pop() ?? '';
      lines.push(...pieces);
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** The fewest columns a wrapped line keeps for its text, whatever its indent. */
const MIN_ROOM = 20;

/**
 * Text lines (titles, summaries) wrapped to the terminal: a line wider than `columns` goes on
 * over more lines, each keeping the line's indent while that leaves MIN_ROOM columns of text.
 * A deeper indent (a wrapped table cell past the terminal's edge, when a table's minimums add
 * up to more than `columns`) is cut back to leave them: kept whole, it broke the text one
 * character per line.
 */
export function fitLines(lines: readonly string[], columns: number): string[] {
  return lines.flatMap((line) => {
    if (!Number.isFinite(columns) || width(line) <= columns) return [line];
    const spaces = /^ */.exec(line)?.[0].length ?? 0;
    const indent = ' '.repeat(Math.max(0, Math.min(spaces, columns - MIN_ROOM)));
    const room = Math.max(1, columns - indent.length);
    return wrapFit(line.slice(spaces), room).map((l) => indent + l);
  });
}

/** Words on lines of at most `w` columns (a longer word stays whole on its own line). */
export function wrap(text: string, w: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && stringWidth(`${line} ${word}`) > w) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const weight = (c: Column) =>
  c.width !== undefined ? 0 : c.flex === true ? 1 : c.flex || (c.wrap && c.flex === undefined ? 1 : 0);

/**
 * The fewest columns the table can be drawn in: each flexible column at its
 * minimum (or its widest text, if narrower), the others at their widest text,
 * plus the gaps. A table that needs more than the terminal has comes out wider
 * than it; the caller may leave a column out instead.
 */
export function tableMinWidth(cols: readonly Column[], rows: readonly string[][], indent = ''): number {
  let total = indent.length + GAP.length * (cols.length - 1);
  cols.forEach((c, i) => {
    if (c.width !== undefined) {
      total += c.width;
      return;
    }
    let w = width(clean(c.head));
    for (const r of rows) w = Math.max(w, width(clean(r[i] ?? '')));
    total += weight(c) ? Math.min(w, c.min ?? 8) : w;
  });
  return total;
}

/** Each column's width: its widest text, then the flexible ones shrunk until the table fits. */
function fitWidths(cols: readonly Column[], heads: string[], cellWidths: number[][], opts: DrawOptions) {
  const widths = cols.map((c, i) => {
    if (c.width !== undefined) return c.width;
    let w = width(heads[i] as string);
    for (const r of cellWidths) if ((r[i] as number) > w) w = r[i] as number;
    return w;
  });
  // The last column is not padded, so only its own text counts against the terminal width.
  let total = (opts.indent ?? '').length + widths.reduce((a, b) => a + b, 0) + GAP.length * (cols.length - 1);
  const mins = cols.map((c, i) => (weight(c) ? Math.min(widths[i] as number, c.min ?? 8) : widths[i]));
  while (total > opts.columns) {
    let widest = -1;
    let score = 0;
    for (let i = 0; i < cols.length; i++) {
      const w = widths[i] as number;
      const s = w * weight(cols[i] as Column);
      if (w > (mins[i] as number) && (widest < 0 || s > score)) {
        widest = i;
        score = s;
      }
    }
    if (widest < 0) break;
    widths[widest] = (widths[widest] as number) - 1;
    total -= 1;
  }
  return widths;
}

/** The table's header line and each row's lines (more than one where a wrapped column needs it). */
export function drawTableRows(
  cols: readonly Column[],
  rows: readonly string[][],
  opts: DrawOptions,
): { head: string; rows: string[][] } {
  const indent = opts.indent ?? '';
  const heads = cols.map((c) => clean(c.head));
  const cells = rows.map((r) => cols.map((_, i) => clean(r[i] ?? '')));
  const cellWidths = cells.map((r) => r.map((c) => width(c)));
  const widths = fitWidths(cols, heads, cellWidths, opts);
  const line = (texts: string[], textWidths: number[], row: number | null) =>
    (
      indent +
      texts
        .map((text, i) => {
          const col = cols[i] as Column;
          const w = widths[i] as number;
          const fitted = (col.cut === 'left' ? truncateLeft : truncate)(text, w, textWidths[i]);
          const fw = fitted === text ? (textWidths[i] as number) : width(fitted);
          const last = i === texts.length - 1 && col.width === undefined;
          const padded = col.right ? padStart(fitted, w, fw) : last ? fitted : padEnd(fitted, w, fw);
          return row !== null && opts.paint ? opts.paint(row, i, padded) : padded;
        })
        .join(GAP)
    ).trimEnd();
  const head = line(heads, heads.map(width), null);
  const drawn = cells.map((r, k) => {
    const rw = cellWidths[k] as number[];
    if (!cols.some((c, i) => c.wrap && (rw[i] as number) > (widths[i] as number))) return [line(r, rw, k)];
    // A wrapped cell goes on under itself; the other cells stay on the first line.
    const parts = r.map((text, i) => {
      const c = cols[i] as Column;
      if (!c.wrap || (rw[i] as number) <= (widths[i] as number)) return [text];
      return wrapFit(text, widths[i] as number, typeof c.wrap === 'string' ? c.wrap : undefined);
    });
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_, j) => {
      const texts = parts.map((p) => p[j] ?? '');
      return line(texts, texts.map(width), k);
    });
  });
  return { head: opts.head ? opts.head(head) : head, rows: drawn };
}

/** The table's lines (header first), each already fitted to `columns`. */
export function drawTable(cols: readonly Column[], rows: readonly string[][], opts: DrawOptions): string[] {
  const { head, rows: drawn } = drawTableRows(cols, rows, opts);
  return [head, ...drawn.flat()];
}

/** Rows joined by tabs: what scripts get when stdout is not a terminal. */
export function tsv(rows: readonly string[][]): string {
  return rows.map((r) => r.map(clean).join('\t')).join('\n') + (rows.length ? '\n' : '');
}

/**
 * A plain table with a header: aligned on a terminal and fitted to `columns` (a column given as
 * a string wraps when it must, so nothing is lost), else tab-separated with the header as the
 * first line.
 */
export function simpleTable(
  head: readonly (string | Column)[],
  rows: readonly string[][],
  tty: boolean,
  columns = Number.POSITIVE_INFINITY,
): string {
  const cols = head.map((h): Column => (typeof h === 'string' ? { head: h, wrap: true, min: 8 } : h));
  if (!tty) return tsv([cols.map((c) => c.head), ...rows]);
  return `${drawTable(cols, rows, { columns }).join('\n')}\n`;
}
