/**
 * Output hygiene in one place (docs/reports.md): text from the registry, a
 * codec, a profile or a person goes through these before it reaches a
 * terminal, a spreadsheet or a monitoring system.
 */

// ESC sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC strings (ended by BEL or ST), then any
// other ESC + one character; the same introduced by their one-byte C1 forms (0x9b CSI, 0x9d OSC…).
const ESCAPES =
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -~]?/g;
// What is left: C0 (but \t and \n), DEL and C1.
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Remote or user text made safe for a terminal: escape sequences (colours,
 * cursor moves, OSC window titles and links), BEL, and every other C0 and C1
 * control removed. `\n` and `\t` are kept when `multiline`, else each becomes
 * a space.
 */
export function terminalText(text: string, opts: { multiline?: boolean } = {}): string {
  const out = text.replace(ESCAPES, '').replace(CONTROLS, '');
  return opts.multiline ? out : out.replace(/[\t\n]/g, ' ');
}

/**
 * A CSV cell a spreadsheet will not run as a formula: a cell starting with
 * `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` (OWASP's CSV injection
 * advice). `raw` (`--csv-raw`, for machine consumers) leaves it as it is.
 */
export function csvCellGuard(cell: string, raw = false): string {
  return !raw && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Monitoring Plugins text: a `|` would start perfdata, so it becomes `¦`; controls go as for a terminal. */
export function nagiosText(text: string): string {
  return terminalText(text).replace(/\|/g, '¦');
}
