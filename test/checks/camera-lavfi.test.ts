/**
 * The camera check's grab and measurement with real ffmpeg and lavfi
 * sources given as `input:` (the same code path as a /dev/video device):
 * testsrc is a good picture, color=black a black one, a looped still a
 * frozen one, and a 3 fps source is too slow.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCameras } from '../../src/checks/av-devices.js';
import { camera } from '../../src/checks/camera.js';
import { kindContext } from '../helpers/kind-context.js';
import { havePeer } from '../helpers/peers.js';

const grab = (input: string, extra: Record<string, unknown> = {}, locale: 'en' | 'vi' = 'en') =>
  camera.run(
    { grab: true, duration: '2s', input, ...extra } as never,
    kindContext({ locale, env: { PATH: process.env.PATH } }),
  );

describe.skipIf(!havePeer('ffmpeg', 'apt install ffmpeg'))('camera grab with lavfi sources', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-cam-'));
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240',
      '-frames:v',
      '1',
      path.join(dir, 'still.png'),
    ]);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a good picture passes with size and frame rate', async () => {
    const r = await grab('lavfi:testsrc=size=640x480:rate=15');
    expect(r.status).toBe('pass');
    expect(r.metrics).toEqual({ fps: 15, black_ratio: 0, freeze_ratio: 0, width: 640, height: 480 });
    expect(r.summary).toBe(
      'camera lavfi:testsrc=size=640x480:rate=15: 640x480 at 15 fps, black 0 %, frozen 0 %',
    );
  });

  it('a black picture fails', async () => {
    const r = await grab('lavfi:color=c=black:size=320x240:rate=25');
    expect(r.status).toBe('fail');
    expect(r.metrics?.black_ratio).toBeGreaterThan(0.9);
    expect(r.summary).toContain('BLACK PICTURE');
    expect(r.hint).toContain('lens cap');
    const vi = await grab('lavfi:color=c=black:size=320x240:rate=25', {}, 'vi');
    expect(vi.summary).toContain('HÌNH ĐEN');
  });

  it('a frozen picture (a looped still) fails', async () => {
    const r = await grab(`lavfi:movie=${path.join(dir, 'still.png')},loop=loop=-1:size=1,setpts=N/15/TB`);
    expect(r.status).toBe('fail');
    expect(r.metrics?.freeze_ratio).toBe(1);
    expect(r.metrics?.black_ratio).toBe(0);
    expect(r.summary).toContain('FROZEN PICTURE');
    expect(r.hint).toContain('unplug and replug');
  });

  it('a picture that freezes after a moment: the frozen share is measured', async () => {
    // 1 s moving, then the last frame held for 2 s: two thirds frozen.
    const r = await camera.run(
      {
        grab: true,
        duration: '3s',
        input: 'lavfi:testsrc=size=320x240:rate=15,trim=duration=1,tpad=stop_mode=clone:stop_duration=3',
      } as never,
      kindContext({ env: { PATH: process.env.PATH } }),
    );
    expect(r.status).toBe('fail');
    expect(r.metrics?.freeze_ratio).toBeGreaterThan(0.6);
    expect(r.metrics?.freeze_ratio).toBeLessThan(0.75);
  });

  it('fewer than 5 frames per second fails', async () => {
    const r = await grab('lavfi:testsrc=size=320x240:rate=3');
    expect(r.status).toBe('fail');
    expect(r.metrics?.fps).toBe(3);
    expect(r.summary).toContain('TOO FEW FRAMES (3 fps, needs 5)');
  });

  it('site limits: a minimum resolution', async () => {
    const r = await grab('lavfi:testsrc=size=320x240:rate=15', { warn: { width: 1280 } });
    expect(r.status).toBe('warn');
    expect(r.hint).toContain('smaller than this site needs');
  });

  it('an input ffmpeg cannot open is a clear error', async () => {
    const r = await grab('lavfi:nosuchfilter');
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('FFMPEG_FAILED');
    expect(r.error?.message).toBe(
      'ffmpeg could not open lavfi:nosuchfilter (exit status 1): nosuchfilter: Invalid argument',
    );
  });
});

describe('camera presence on Linux', () => {
  it('lists /dev/video* with their names, in number order', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-dev-'));
    try {
      fs.mkdirSync(path.join(root, 'dev'));
      for (const n of ['video10', 'video2', 'video0', 'vcs']) fs.writeFileSync(path.join(root, 'dev', n), '');
      fs.mkdirSync(path.join(root, 'sys/class/video4linux/video0'), { recursive: true });
      fs.writeFileSync(path.join(root, 'sys/class/video4linux/video0/name'), 'HD Pro Webcam C920\n');
      const cams = await listCameras({ env: {}, platform: 'linux', root });
      expect(cams.map((c) => [c.name, c.description])).toEqual([
        ['/dev/video0', 'HD Pro Webcam C920'],
        ['/dev/video2', undefined],
        ['/dev/video10', undefined],
      ]);
      expect(cams[0]?.args).toEqual(['-f', 'v4l2', '-i', '/dev/video0']);
      expect(await listCameras({ env: {}, platform: 'linux', root: path.join(root, 'nothing') })).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it.skipIf(process.platform !== 'linux' || fs.readdirSync('/dev').some((n) => /^video\d+$/.test(n)))(
    'this machine has no camera: fail with what to plug in (no ffmpeg needed)',
    async () => {
      const r = await camera.run({} as never, kindContext({ env: { PATH: '/nonexistent' } }));
      expect(r.status).toBe('fail');
      expect(r.summary).toBe('no camera found on this machine');
      expect(r.hint).toContain('Plug in the camera');
    },
  );
});
