/**
 * ffmpeg that is missing, exits non-zero, prints nothing or hangs while
 * ignoring SIGTERM: each is a clear check error within the check's timeout
 * (microphone and camera share this path), never a crash or a hang.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camera } from '../../src/checks/camera.js';
import { locateFfmpeg, runFfmpeg } from '../../src/checks/ffmpeg.js';
import { microphone } from '../../src/checks/microphone.js';
import { kindContext } from '../helpers/kind-context.js';
import { which } from '../helpers/peers.js';

let dir: string;
const fake = (name: string, body: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-ff-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const ctxWith = (
  ffmpeg: string | undefined,
  opts: { timeoutMs?: number; locale?: 'en' | 'vi'; PATH?: string } = {},
) =>
  kindContext({
    timeoutMs: opts.timeoutMs ?? 10_000,
    locale: opts.locale ?? 'en',
    env: { PATH: opts.PATH ?? process.env.PATH },
    profile: { file: path.join(dir, 'site.yaml'), ...(ffmpeg ? { ffmpeg } : {}) },
  });

describe('ffmpeg missing', () => {
  it('not on PATH: an error that says how to install it', async () => {
    const r = await microphone.run({ capture: '1s' } as never, ctxWith(undefined, { PATH: '/nonexistent' }));
    expect(r.status).toBe('error');
    expect(r.error).toEqual({
      code: 'FFMPEG_MISSING',
      message: 'ffmpeg was not found on PATH; it is needed to test the microphone and camera',
      hint: 'Install ffmpeg (sudo apt install ffmpeg), or set `ffmpeg:` in the profile to the full path of ffmpeg.',
    });
    const cam = await camera.run(
      { grab: true } as never,
      ctxWith(undefined, { PATH: '/nonexistent', locale: 'vi' }),
    );
    expect(cam.error?.code).toBe('FFMPEG_MISSING');
    expect(cam.error?.hint).toBe(
      'Cài ffmpeg (sudo apt install ffmpeg), hoặc ghi đường dẫn đầy đủ của ffmpeg vào mục `ffmpeg:` trong tệp cấu hình.',
    );
  });

  it('the profile names a path that is not there', async () => {
    const r = await camera.run({ grab: true, input: 'lavfi:testsrc' } as never, ctxWith('tools/ffmpeg'));
    expect(r.error?.code).toBe('FFMPEG_MISSING');
    expect(r.error?.message).toBe(
      `ffmpeg was not found at ${path.join(dir, 'tools/ffmpeg')} (the profile's \`ffmpeg:\`)`,
    );
  });

  it('finds ffmpeg on PATH, at a profile-relative path, and with PATHEXT on Windows', async () => {
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    const exe = fake('bin/ffmpeg', 'exit 0');
    expect(
      await locateFfmpeg({
        profileFile: path.join(dir, 'site.yaml'),
        env: { PATH: `/nonexistent:${path.join(dir, 'bin')}` },
      }),
    ).toEqual({ path: exe, looked: 'PATH' });
    expect(
      await locateFfmpeg({ configured: 'bin/ffmpeg', profileFile: path.join(dir, 'site.yaml'), env: {} }),
    ).toEqual({ path: exe, looked: exe });
    fs.writeFileSync(path.join(dir, 'bin', 'ffmpeg.exe'), '');
    // Windows rules (";" between PATH entries, Path spelling, PATHEXT), checked with this machine's files.
    const win = await locateFfmpeg({
      profileFile: path.join(dir, 'site.yaml'),
      env: { Path: `/nowhere;${path.join(dir, 'bin')}`, PATHEXT: '.COM;.EXE' },
      platform: 'win32',
    });
    expect(win.path?.endsWith('ffmpeg.exe')).toBe(true);
  });
});

describe('ffmpeg misbehaving', () => {
  it('exits non-zero: the error carries its last line', async () => {
    const bad = fake(
      'ffmpeg-fails',
      'echo "[alsa @ 0x1] cannot open audio device hw:1,0 (Device or resource busy)" >&2\necho "hw:1,0: Input/output error" >&2\nexit 1',
    );
    const r = await microphone.run({ capture: '1s', input: 'alsa:hw:1,0' } as never, ctxWith(bad));
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('FFMPEG_FAILED');
    expect(r.error?.message).toBe(
      'ffmpeg could not record from alsa:hw:1,0 (exit status 1): hw:1,0: Input/output error',
    );
    expect(r.error?.hint).toContain('Close other programs');
  });

  it('prints nothing and exits 0: an error, not a pass or a silent microphone', async () => {
    const mute = fake('ffmpeg-mute', 'exit 0');
    const mic = await microphone.run({ capture: '1s', input: 'lavfi:sine' } as never, ctxWith(mute));
    expect(mic.status).toBe('error');
    expect(mic.error?.code).toBe('FFMPEG_NO_OUTPUT');
    expect(mic.error?.message).toBe(`ffmpeg (${mute}) ran but printed no measurement`);
    const cam = await camera.run({ grab: true, input: 'lavfi:testsrc' } as never, ctxWith(mute));
    expect(cam.status).toBe('error');
    expect(cam.error?.code).toBe('FFMPEG_NO_OUTPUT');
  });

  it('hangs on the device ignoring SIGTERM: killed hard, an error before the check timeout', async () => {
    const pidFile = path.join(dir, 'hung.pid');
    // Like ffmpeg blocked on a device: SIGTERM is ignored (the disposition survives exec).
    const hung = fake('ffmpeg-hangs', `echo $$ > ${pidFile}\ntrap '' TERM\nexec sleep 60`);
    const r = await camera.run(
      { grab: true, duration: '1s', input: 'v4l2:/dev/video0' } as never,
      ctxWith(hung, { timeoutMs: 2500 }),
    );
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('FFMPEG_TIMEOUT');
    expect(r.error?.message).toBe('ffmpeg did not finish grabbing from v4l2:/dev/video0 within 2 s');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('the run is stopped at once when the check is cancelled', async () => {
    const hung = fake('ffmpeg-hangs2', `trap '' TERM\nexec sleep 60`);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await runFfmpeg(hung, [], { timeoutMs: 30_000, signal: ac.signal });
    expect(r).toMatchObject({ code: null, aborted: true, timedOut: false });
  });

  it.skipIf(!which('ffmpeg'))('a program that cannot start is reported, not thrown', async () => {
    const notExec = path.join(dir, 'not-exec');
    fs.writeFileSync(notExec, 'nothing');
    const r = await runFfmpeg(notExec, [], { timeoutMs: 2000 });
    expect(r.spawnError).toBe('EACCES');
  });
});
