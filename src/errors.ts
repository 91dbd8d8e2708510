/**
 * Typed errors. Everything that stops a command is one of these; the CLI maps
 * them to exit codes in one place (src/cli/exit.ts). A failing *check* is never
 * an exception: it is a CheckResult with status fail/error.
 */

export const ExitCode = {
  ready: 0,
  degraded: 1,
  notReady: 2,
  cannotRun: 3,
  cancelled: 130,
} as const;

export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class DiemcauError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number = ExitCode.cannotRun;
  constructor(message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.hint = opts.hint;
  }
}

/** Bad flags or arguments. */
export class UsageError extends DiemcauError {}

/** A profile that cannot be read, parsed, validated or resolved. */
export class ProfileError extends DiemcauError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly col: number | undefined;
  readonly path: string | undefined;
  constructor(
    message: string,
    where: { file?: string; line?: number; col?: number; path?: string } = {},
    opts: ErrorOptions = {},
  ) {
    super(message, opts);
    this.file = where.file;
    this.line = where.line;
    this.col = where.col;
    this.path = where.path;
  }
}

/** A file that cannot be read or written (outside profiles). */
export class FileError extends DiemcauError {}

/** The registry answered with an error, or could not be reached. */
export class RegistryError extends DiemcauError {
  readonly status: number | undefined;
  readonly code: string | undefined;
  override readonly exitCode: number;
  constructor(
    message: string,
    opts: ErrorOptions & { status?: number; code?: string; exitCode?: number } = {},
  ) {
    super(message, opts);
    this.status = opts.status;
    this.code = opts.code;
    this.exitCode = opts.exitCode ?? ExitCode.notReady;
  }
}

/** A codec driver could not do what was asked (unreachable, bad credentials, busy). */
export class DriverError extends DiemcauError {
  readonly code: string;
  override readonly exitCode: number;
  constructor(code: string, message: string, opts: ErrorOptions & { exitCode?: number } = {}) {
    super(message, opts);
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.notReady;
  }
}

/** The user pressed Ctrl-C (at a prompt or during a run). */
export class CancelledError extends DiemcauError {
  override readonly exitCode: number = ExitCode.cancelled;
}

/** A command finished and wants a particular exit code without an error message. */
export class ExitWith extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
