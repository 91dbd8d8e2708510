/** What the terminal reports share: the palette, upper-case headings, and the title line. */
import { colorScheme } from '../../util/colors.js';
import { terminalText } from '../../util/sanitize.js';
import { zoneClock } from './time.js';
import type { FleetRenderOptions } from './types.js';

// Colour only on a terminal: the same text piped or in a file is plain.
export const palette = (opts: FleetRenderOptions) => colorScheme(opts.color && opts.tty);

export const upper = (opts: FleetRenderOptions, s: string) => s.toLocaleUpperCase(opts.locale);

export function header(
  opts: FleetRenderOptions,
  title: string,
  parts: string[],
  generatedAt: string,
): string {
  const clock = zoneClock(opts.timeZone);
  const ms = Date.parse(generatedAt);
  const generated = opts.t('report.generated', {
    time: clock.local(generatedAt),
    zone: clock.offsetLabel(ms),
  });
  return [title, ...parts.map((p) => terminalText(p)), generated].join(' · ');
}
