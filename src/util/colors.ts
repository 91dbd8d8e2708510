/**
 * The one colour scheme: what each status, verdict and site state looks like
 * on a terminal, made once per context (`ctx.colors`) or per render (from
 * `RenderOptions.color`). Basic 16-colour ANSI, the same bytes chalk writes at
 * level 1; written here so that building a context loads no package (the
 * start-up cost in docs/architecture.md).
 */

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
  state: Record<'ready' | 'degraded' | 'not-ready' | 'unknown' | 'stale', Paint>;
  /** The verdict line: the state's colour, bold. */
  verdict: Record<'ready' | 'degraded' | 'not-ready' | 'unknown', Paint>;
}

const ESC = '\u001b[';

/** Open, close; a close inside the text (nested styles) reopens, and so does every line break. */
function style(open: string, close: string): Paint {
  const o = `${ESC}${open}m`;
  const c = `${ESC}${close}m`;
  return (text) => {
    if (!text) return '';
    let body = text.includes(c) ? text.split(c).join(c + o) : text;
    if (body.includes('\n')) body = body.replace(/(\r?\n)/g, `${c}$1${o}`);
    return o + body + c;
  };
}

/** Two styles at once (green then bold), closed in reverse order. */
function both(outer: [string, string], inner: [string, string]): Paint {
  return style(`${outer[0]}m${ESC}${inner[0]}`, `${inner[1]}m${ESC}${outer[1]}`);
}

const plain: Paint = (text) => text;

const GREEN: [string, string] = ['32', '39'];
const YELLOW: [string, string] = ['33', '39'];
const RED: [string, string] = ['31', '39'];
const MAGENTA: [string, string] = ['35', '39'];
const GRAY: [string, string] = ['90', '39'];
const CYAN: [string, string] = ['36', '39'];
const BOLD: [string, string] = ['1', '22'];
const DIM: [string, string] = ['2', '22'];

function build(enabled: boolean): Scheme {
  const s = (c: [string, string]) => (enabled ? style(...c) : plain);
  const sb = (c: [string, string]) => (enabled ? both(c, BOLD) : plain);
  return Object.freeze({
    enabled,
    bold: s(BOLD),
    dim: s(DIM),
    cyan: s(CYAN),
    red: s(RED),
    status: { pass: s(GREEN), warn: s(YELLOW), fail: s(RED), error: s(RED), skip: s(GRAY) },
    state: { ready: s(GREEN), degraded: s(YELLOW), 'not-ready': s(RED), unknown: s(MAGENTA), stale: s(GRAY) },
    verdict: { ready: sb(GREEN), degraded: sb(YELLOW), 'not-ready': sb(RED), unknown: sb(MAGENTA) },
  });
}

const SCHEMES = { on: build(true), off: build(false) } as const;

/** The scheme with colour, or the one that paints nothing. */
export function colorScheme(enabled: boolean): Scheme {
  return enabled ? SCHEMES.on : SCHEMES.off;
}
