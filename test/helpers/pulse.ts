/**
 * A real PulseAudio server for microphone tests, in a temp dir, with no
 * kernel sound devices: a sine source is a live microphone, a null sink's
 * monitor a dead one (docs/references.md §7). As root, the
 * daemon runs as user nobody (PulseAudio refuses to run as root without
 * --system); clients reach it through PULSE_SERVER=unix:<dir>/native.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PulseServer {
  /** The value for PULSE_SERVER. */
  server: string;
  dir: string;
  /** pactl against this server. */
  pactl(...args: string[]): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startPulse(): Promise<PulseServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-pulse-'));
  const run = path.join(dir, 'run');
  fs.mkdirSync(run);
  fs.chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? {
        uid: Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim()),
        gid: Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim()),
      }
    : undefined;
  if (ids) {
    fs.chownSync(dir, ids.uid, ids.gid);
    fs.chownSync(run, ids.uid, ids.gid);
  }
  const socket = path.join(dir, 'native');
  const child: ChildProcess = spawn(
    'pulseaudio',
    [
      '-n',
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--disable-shm=yes',
      '--use-pid-file=no',
      '--log-target=stderr',
      '-L',
      'module-null-sink sink_name=spk',
      '-L',
      `module-native-protocol-unix socket=${socket} auth-anonymous=1`,
    ],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, XDG_RUNTIME_DIR: run },
      stdio: 'ignore',
      ...(ids ?? {}),
    },
  );
  const server = `unix:${socket}`;
  const pactl = (...args: string[]) =>
    execFileSync('pactl', args, {
      encoding: 'utf8',
      env: { ...process.env, PULSE_SERVER: server },
      timeout: 5000,
    });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i += 1) {
    if (child.exitCode !== null) break;
    try {
      if (fs.existsSync(socket)) {
        pactl('info');
        return { server, dir, pactl, stop };
      }
    } catch {
      // not ready yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error('pulseaudio did not start');
}
