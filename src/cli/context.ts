/**
 * The one context object, built once here and passed down. Below src/cli
 * nothing touches console, process.exit, process.cwd() or process.env.
 */
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import type { CodecDriver, DriverContext } from '../drivers/types.js';
import { type Locale, type Translator, translator } from '../i18n/index.js';
import type { CodecConfig } from '../model/codec.js';
import type { ClientOptions, RegistryClient } from '../registry/client.js';

export interface OutStream {
  write(chunk: string): unknown;
  /** Present on real TTY streams. */
  isTTY?: boolean;
  columns?: number;
}

export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream | undefined;
  /** stdout is a terminal: tables align, human output is the default. */
  stdoutTTY: boolean;
  /** stderr is a terminal: spinners and progress may be drawn there. */
  stderrTTY: boolean;
  /** stdin and stderr are terminals: prompts may be asked. */
  interactive: boolean;
  /** Colour on stdout / stderr (TTY and not NO_COLOR / --no-color). */
  color: boolean;
  columns: number;
}

export interface Clock {
  now(): Date;
  /** Monotonic milliseconds, for durations. */
  monotonic(): number;
}

/** What commands use of a registry client: all a fake needs. */
export type RegistryApi = Pick<RegistryClient, 'send' | 'close'>;

/**
 * The collaborators commands open, as factories a test can replace with
 * fakes (no server, no codec). When absent, commands use the real ones:
 * `RegistryClient` (src/registry/client.ts) and `createDriver`
 * (src/drivers/index.ts), which the commands import only when they run.
 */
export interface Factories {
  registryClient?(opts: ClientOptions): RegistryApi;
  createDriver?(codec: CodecConfig | undefined, dctx: DriverContext): Promise<CodecDriver>;
}

export interface Context extends Factories {
  io: IO;
  locale: Locale;
  /** The locale was chosen with --lang (a profile's `locale:` does not override it). */
  localeFixed: boolean;
  t: Translator;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where the outbox and other per-user state live. */
  stateDir: string;
  debug: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  version: string;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
};

/** XDG state dir on Linux, Library/Application Support on macOS, LOCALAPPDATA on Windows. */
export function defaultStateDir(
  env: Record<string, string | undefined>,
  platform = process.platform,
): string {
  if (env.DIEMCAU_STATE_DIR) return env.DIEMCAU_STATE_DIR;
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'diemcau');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'diemcau');
  return path.join(env.XDG_STATE_HOME || path.join(home, '.local', 'state'), 'diemcau');
}

export interface ContextInit extends Factories {
  io: IO;
  locale: Locale;
  localeFixed?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  clock?: Clock;
  stateDir?: string;
  debug?: boolean;
  signal?: AbortSignal;
  version?: string;
}

export function createContext(init: ContextInit): Context {
  // Every running check listens for Ctrl-C on this signal: a sweep has hundreds at once.
  const signal = init.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  return {
    io: init.io,
    locale: init.locale,
    localeFixed: init.localeFixed ?? false,
    t: translator(init.locale),
    clock: init.clock ?? systemClock,
    env: init.env,
    cwd: init.cwd,
    stateDir: init.stateDir ?? defaultStateDir(init.env),
    debug: init.debug ?? false,
    signal,
    version: init.version ?? '0.0.0',
    ...(init.registryClient ? { registryClient: init.registryClient } : {}),
    ...(init.createDriver ? { createDriver: init.createDriver } : {}),
  };
}

/** A context with a different locale (a profile's `locale:` wins over LANG). */
export function withLocale(ctx: Context, locale: Locale | undefined): Context {
  if (!locale || ctx.localeFixed || locale === ctx.locale) return ctx;
  return { ...ctx, locale, t: translator(locale) };
}
