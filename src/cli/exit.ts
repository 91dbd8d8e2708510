/** The one place where errors become messages and exit codes. */
import { CancelledError, DiemcauError, ExitCode, ExitWith, ProfileError } from '../errors.js';
import type { Context } from './context.js';

/** `file:line:col: path` of a profile error. */
export function location(err: ProfileError): string {
  const parts = [err.file, err.line, err.col].filter((x) => x !== undefined && x !== '');
  const where = parts.join(':');
  return [where, err.path].filter(Boolean).join(': ');
}

export function errorToExit(err: unknown, ctx: Pick<Context, 'io' | 't' | 'debug'>): number {
  const { io, t } = ctx;
  if (err instanceof ExitWith) return err.exitCode;
  const isPromptExit =
    err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
  if (err instanceof CancelledError || isPromptExit) {
    io.stderr.write(`${t('cli.cancelled')}\n`);
    return ExitCode.cancelled;
  }
  const prefix = `diemcau: ${t('cli.error')}: `;
  if (err instanceof DiemcauError) {
    const where = err instanceof ProfileError ? location(err) : '';
    io.stderr.write(`${prefix}${where ? `${where}: ` : ''}${err.message}\n`);
    if (err.hint) io.stderr.write(`  ${t('cli.hint')}: ${err.hint}\n`);
    if (ctx.debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`${prefix}${t('cli.err.internal', { message })}\n`);
  if (ctx.debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return ExitCode.cannotRun;
}
