/**
 * Finding and running ffmpeg for the microphone and camera checks. Every run
 * is bounded in time and ended with SIGKILL: ffmpeg blocked on a capture
 * device ignores SIGTERM (docs/references.md §7), and a check
 * must never hang.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Translator } from '../i18n/index.js';
import { ffmpegErrorLine } from './ffmpeg-parse.js';
import { cancelled, errored } from './outcome.js';
import type { CheckOutcome } from './types.js';

export interface FfmpegRun {
  /** Exit code; null when killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** The program could not be started (ENOENT, EACCES...). */
  spawnError?: string;
}

export interface Located {
  path?: string;
  /** Where we looked, for the error message. */
  looked: string;
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    if (platform === 'win32') return true;
    await fs.access(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The profile's `ffmpeg:` path (relative to the profile file) when given,
 * else the first ffmpeg on PATH (with PATHEXT on Windows).
 */
export async function locateFfmpeg(opts: {
  configured?: string;
  profileFile: string;
  env: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
}): Promise<Located> {
  const platform = opts.platform ?? process.platform;
  // `platform` picks the PATH rules; file names are joined the native way, as the OS will open them.
  const p = path;
  if (opts.configured) {
    const file = p.resolve(p.dirname(opts.profileFile), opts.configured);
    return (await isExecutable(file, platform)) ? { path: file, looked: file } : { looked: file };
  }
  const pathVar = opts.env.PATH ?? opts.env.Path ?? '';
  const dirs = pathVar.split(platform === 'win32' ? ';' : ':').filter((d) => d !== '');
  const exts =
    platform === 'win32'
      ? (opts.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())
      : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = p.join(dir, `ffmpeg${ext}`);
      if (await isExecutable(file, platform)) return { path: file, looked: 'PATH' };
    }
  }
  return { looked: 'PATH' };
}

/** Keep at most this much of each stream (the end matters most: results come last). */
const MAX_KEEP = 4 * 1024 * 1024;

function keep(buf: string, chunk: string): string {
  const s = buf + chunk;
  return s.length > MAX_KEEP ? s.slice(s.length - MAX_KEEP) : s;
}

/** Run ffmpeg with a hard time limit; never rejects. */
export function runFfmpeg(
  bin: string,
  args: readonly string[],
  opts: { timeoutMs: number; signal?: AbortSignal; env?: Readonly<Record<string, string | undefined>> },
): Promise<FfmpegRun> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(bin, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env, windowsHide: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout = keep(stdout, d);
    });
    child.stderr.on('data', (d: string) => {
      stderr = keep(stderr, d);
    });
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // A grandchild holding the pipes open must not keep us waiting.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ code, stdout, stderr, timedOut, aborted, ...(spawnError ? { spawnError } : {}) });
    };
    child.on('error', (err: NodeJS.ErrnoException) => finish(null, err.code ?? err.message));
    // 'exit', not 'close': stdio may stay open if the program left children behind.
    child.on('exit', (code) => setTimeout(() => finish(code), 20));
  });
}

/** How to install ffmpeg here, in the run's language. */
export function installHint(t: Translator, platform: NodeJS.Platform = process.platform): string {
  const how =
    platform === 'win32'
      ? 'winget install Gyan.FFmpeg'
      : platform === 'darwin'
        ? 'brew install ffmpeg'
        : 'sudo apt install ffmpeg';
  return t('av.hint.install_ffmpeg', { how });
}

/** The error outcome when ffmpeg is not there. */
export function ffmpegMissing(t: Translator, located: Located): CheckOutcome {
  const message =
    located.looked === 'PATH' ? t('av.err.no_ffmpeg') : t('av.err.no_ffmpeg_at', { path: located.looked });
  return errored('FFMPEG_MISSING', message, { errorHint: installHint(t) });
}

/**
 * An `input:` spec "format:target" (e.g. "lavfi:testsrc=size=640x480:rate=15",
 * "v4l2:/dev/video1", "dshow:video=USB Camera") as ffmpeg arguments.
 */
export function inputArgs(spec: string): string[] | undefined {
  const m = /^([a-z0-9_]+):(.+)$/s.exec(spec);
  if (!m) return undefined;
  return ['-f', m[1] as string, '-i', m[2] as string];
}

/** The options every run starts with: no banner, no progress, never read stdin. */
export const BASE_ARGS = ['-hide_banner', '-nostats', '-nostdin'] as const;

/**
 * The ways an ffmpeg run can fail before there is anything to measure, as a
 * check result (`device` is the microphone's or camera's messages), or
 * undefined when it ran to the end.
 */
export function ffmpegRunProblem(
  t: Translator,
  run: FfmpegRun,
  o: { device: 'mic' | 'cam'; bin: string; label: string; timeoutMs: number; details: unknown },
): CheckOutcome | undefined {
  const fail = (code: string, message: string, hint: string) =>
    errored(code, message, { errorHint: hint, details: o.details });
  if (run.spawnError)
    return fail('FFMPEG_START', t('av.err.spawn', { path: o.bin, reason: run.spawnError }), installHint(t));
  if (run.aborted) return cancelled(t('av.err.aborted'), { details: o.details });
  const busy = t(`${o.device}.hint.busy`);
  if (run.timedOut) {
    return fail(
      'FFMPEG_TIMEOUT',
      t(`${o.device}.err.timeout`, { device: o.label, s: (o.timeoutMs / 1000).toFixed(0) }),
      busy,
    );
  }
  if (run.code !== 0) {
    const reason = ffmpegErrorLine(run.stderr) || '—';
    return fail(
      'FFMPEG_FAILED',
      t(`${o.device}.err.ffmpeg`, { device: o.label, code: String(run.code), reason }),
      busy,
    );
  }
  return undefined;
}
