/**
 * The one colour scheme: what each status, verdict and site state looks like
 * on a terminal: two schemes made once (one Chalk at level 1, basic 16
 * colours, and one at level 0), picked by whether colour is on. Only the
 * modules that print load this file (renderers, progress), so `--help` does
 * not pay for chalk (docs/architecture.md, "Start-up cost").
 */
import { Chalk, type ChalkInstance } from 'chalk';

export type Paint = (text: string) => string;

export interface Scheme {
  enabled: boolean;
  bold: Paint;
  dim: Paint;
  /** Hints and whom to call. */
  cyan: Paint;
  red: Paint;
  /** A check's status (pass, warn, fail, error, skip). */
  status: Record<'pass' | 'warn' | 'fail' | 'error' | 'skip', Paint>;
  /** A site's state: its verdict, or stale in the reports. */
  state: Record<'ready' | 'degraded' | 'not-ready' | 'unknown' | 'stale' | 'never', Paint>;
  /** The verdict line: the state's colour, bold. */
  verdict: Record<'ready' | 'degraded' | 'not-ready' | 'unknown', Paint>;
}

function build(enabled: boolean): Scheme {
  const c = new Chalk({ level: enabled ? 1 : 0 });
  const p =
    (paint: ChalkInstance): Paint =>
    (text) =>
      paint(text);
  return Object.freeze({
    enabled,
    bold: p(c.bold),
    dim: p(c.dim),
    cyan: p(c.cyan),
    red: p(c.red),
    status: { pass: p(c.green), warn: p(c.yellow), fail: p(c.red), error: p(c.red), skip: p(c.gray) },
    state: {
      ready: p(c.green),
      degraded: p(c.yellow),
      'not-ready': p(c.red),
      unknown: p(c.magenta),
      stale: p(c.gray),
      never: p(c.gray),
    },
    verdict: {
      ready: p(c.green.bold),
      degraded: p(c.yellow.bold),
      'not-ready': p(c.red.bold),
      unknown: p(c.magenta.bold),
    },
  });
}

const SCHEMES = { on: build(true), off: build(false) } as const;

/** The scheme with colour, or the one that paints nothing. */
export function colorScheme(enabled: boolean): Scheme {
  return enabled ? SCHEMES.on : SCHEMES.off;
}
