/**
 * Run an external program for a check: no shell (arguments are argv
 * elements, never interpolated), bounded output, and SIGKILL when the check's
 * signal aborts so nothing outlives a timeout or Ctrl-C.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ProgramResult {
  /** Exit status, or null when the program was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** We killed it because the check's signal aborted. */
  aborted: boolean;
}

export interface ProgramOptions {
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  /** Per stream; the rest is dropped (a runaway program cannot fill memory). */
  maxBytes?: number;
  /** argv[0] the program sees (ping prefixes its messages with it). */
  argv0?: string;
}

/** Rejects only when the program could not start (err.code ENOENT, EACCES...). */
export function runProgram(
  program: string,
  args: readonly string[],
  opts: ProgramOptions,
): Promise<ProgramResult> {
  const max = opts.maxBytes ?? 1 << 20;
  return new Promise((resolve, reject) => {
    if (opts.signal.aborted) {
      resolve({ code: null, signal: null, stdout: '', stderr: '', aborted: true });
      return;
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
    const child = spawn(program, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
      ...(opts.argv0 ? { argv0: opts.argv0 } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let aborted = false;
    child.stdout.on('data', (b: Buffer) => {
      if (outBytes < max) out.push(b);
      outBytes += b.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errBytes < max) err.push(b);
      errBytes += b.length;
    });
    const onAbort = () => {
      aborted = true;
      child.kill('SIGKILL');
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    let started = false;
    child.on('spawn', () => {
      started = true;
    });
    child.on('error', (e) => {
      opts.signal.removeEventListener('abort', onAbort);
      if (!started) reject(e);
    });
    child.on('close', (code, signal) => {
      opts.signal.removeEventListener('abort', onAbort);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        aborted,
      });
    });
  });
}

/** Absolute path of an executable on PATH, or undefined (POSIX; Windows lets spawn search). */
export function findOnPath(program: string, pathVar: string | undefined): string | undefined {
  if (program.includes('/')) return isExecutable(program) ? program : undefined;
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The file a symlink chain ends at (busybox applets are links to /bin/busybox). */
export function realFile(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
