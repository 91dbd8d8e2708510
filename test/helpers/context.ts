/** A Context for tests: buffer streams, a chosen locale, no process state. */
import { type Context, createContext } from '../../src/cli/context.js';
import type { Locale } from '../../src/i18n/index.js';
import { Buffer } from './cli.js';

export function testContext(
  opts: {
    locale?: Locale;
    env?: Record<string, string>;
    cwd?: string;
    signal?: AbortSignal;
    tty?: boolean;
  } = {},
): Context & {
  out: Buffer;
  err: Buffer;
} {
  const out = new Buffer(opts.tty ?? false);
  const err = new Buffer(opts.tty ?? false);
  const ctx = createContext({
    io: {
      stdout: out,
      stderr: err,
      stdin: undefined,
      stdoutTTY: opts.tty ?? false,
      stderrTTY: opts.tty ?? false,
      interactive: false,
      color: false,
      columns: 100,
    },
    locale: opts.locale ?? 'en',
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    signal: opts.signal,
    stateDir: '/nonexistent/diemcau-test-state',
  });
  return Object.assign(ctx, { out, err });
}
