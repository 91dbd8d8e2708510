/**
 * The entry point: builds the context from the process, runs the program,
 * maps errors to exit codes, and is the only place that exits.
 */
import { createRequire } from 'node:module';
import { CommanderError } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { isLocale, localeFromEnv, translator } from '../i18n/index.js';
import {
  type Clock,
  type Context,
  createContext,
  type Factories,
  type IO,
  type OutStream,
} from './context.js';
import { errorToExit } from './exit.js';
import { preparseGlobals } from './flags.js';
import { buildProgram, translateCommanderError } from './program.js';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

export interface RunInit {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: OutStream;
  stderr: OutStream;
  stdin?: NodeJS.ReadableStream;
  /** Override TTY detection (tests). */
  tty?: { stdout: boolean; stderr: boolean; stdin: boolean };
  clock?: Clock;
  stateDir?: string;
  signal?: AbortSignal;
  /** Fakes for the registry client and the codec driver (tests). */
  factories?: Factories;
}

export function makeIO(init: RunInit, color: boolean): IO {
  const stdoutTTY = init.tty?.stdout ?? init.stdout.isTTY === true;
  const stderrTTY = init.tty?.stderr ?? init.stderr.isTTY === true;
  const stdinTTY = init.tty?.stdin ?? (init.stdin as { isTTY?: boolean } | undefined)?.isTTY === true;
  const forced = init.env.FORCE_COLOR !== undefined && init.env.FORCE_COLOR !== '0';
  return {
    stdout: init.stdout,
    stderr: init.stderr,
    stdin: init.stdin,
    stdoutTTY,
    stderrTTY,
    interactive: stdinTTY && stderrTTY && init.env.CI !== 'true',
    color: color && (stdoutTTY || forced),
    columns: init.stdout.columns || Number(init.env.COLUMNS) || 80,
  };
}

/** Run the CLI with the given streams; resolves to the exit code. Never exits the process. */
export async function runCli(init: RunInit): Promise<number> {
  const globals = preparseGlobals(init.argv, init.env);
  const io = makeIO(init, globals.color);
  const envLocale = localeFromEnv(init.env);
  if (globals.lang !== undefined && !isLocale(globals.lang)) {
    return errorToExit(new UsageError(translator(envLocale)('cli.err.lang', { got: globals.lang })), {
      io,
      t: translator(envLocale),
      debug: globals.debug,
    });
  }
  const locale = isLocale(globals.lang) ? globals.lang : envLocale;
  const ctx: Context = createContext({
    io,
    locale,
    localeFixed: isLocale(globals.lang),
    // --ca reaches the registry client as DIEMCAU_CA (src/registry/session.ts reads it, one place).
    env: globals.ca ? { ...init.env, DIEMCAU_CA: globals.ca } : init.env,
    cwd: init.cwd,
    clock: init.clock,
    stateDir: init.stateDir,
    debug: globals.debug,
    signal: init.signal,
    version: pkg.version,
    ...init.factories,
  });
  let exitCode = 0;
  const program = buildProgram(
    ctx,
    (code) => {
      exitCode = code;
    },
    pkg.version,
    init.argv,
  );
  try {
    await program.parseAsync(init.argv as string[], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      const mapped = translateCommanderError(err, ctx.t, init.argv, program);
      if (typeof mapped === 'number') return mapped;
      return errorToExit(mapped, ctx);
    }
    return errorToExit(err, ctx);
  }
}

export async function main(proc: NodeJS.Process): Promise<void> {
  const controller = new AbortController();
  let interrupted = 0;
  proc.on('SIGINT', () => {
    interrupted += 1;
    // A second Ctrl-C leaves at once, even if something does not stop.
    if (interrupted > 1) proc.exit(130);
    controller.abort(new Error('SIGINT'));
  });
  const code = await runCli({
    argv: proc.argv.slice(2),
    env: proc.env,
    cwd: proc.cwd(),
    stdout: proc.stdout,
    stderr: proc.stderr,
    stdin: proc.stdin,
    signal: controller.signal,
  });
  const finalCode = controller.signal.aborted && code !== 0 ? 130 : code;
  // Let stdout drain (pipes) before leaving; open sockets must not keep us alive.
  proc.stdout.write('', () => proc.exit(finalCode));
}
