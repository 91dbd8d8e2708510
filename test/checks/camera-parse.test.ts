/**
 * Reading a camera grab from real ffmpeg output (showinfo, blackdetect,
 * freezedetect), captured on this machine by test/fixtures/ffmpeg/capture.sh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grabFilters, measureGrab } from '../../src/checks/camera.js';
import {
  coveredSeconds,
  parseBlackdetect,
  parseFreezedetect,
  parseInputStream,
  parseShowinfo,
} from '../../src/checks/ffmpeg-parse.js';

const fixture = (name: string) =>
  fs.readFileSync(path.join(import.meta.dirname, '../fixtures/ffmpeg', name), 'utf8');

describe('grab measurement from real ffmpeg output', () => {
  it('a good picture (testsrc 640x480 at 15 fps, 3 s)', () => {
    const log = fixture('cam-testsrc.txt');
    // -t 3 at 15 fps: frames at 0, 1/15, ... 3.0.
    expect(parseShowinfo(log)).toEqual({ frames: 46, firstPts: 0, lastPts: 3, width: 640, height: 480 });
    expect(parseInputStream(log)).toEqual({ kind: 'video', width: 640, height: 480, fps: 15 });
    expect(parseBlackdetect(log)).toEqual([]);
    expect(parseFreezedetect(log)).toEqual([]);
    const m = measureGrab(log)!;
    expect(m.frames).toBe(46);
    expect(m.fps).toBeCloseTo(15, 3);
    expect(m).toMatchObject({ width: 640, height: 480, black_ratio: 0, freeze_ratio: 0 });
  });
  it('a black picture', () => {
    const log = fixture('cam-black.txt');
    expect(parseBlackdetect(log)).toEqual([{ start: 0, end: 3 }]);
    const m = measureGrab(log)!;
    expect(m.fps).toBeCloseTo(25, 3);
    // Black from 0 to 3 s of a grab that ends one frame (0.04 s) later.
    expect(m.black_ratio).toBeCloseTo(3 / 3.04, 3);
    // A uniform black picture is also a frozen one.
    expect(m.freeze_ratio).toBeGreaterThan(0.95);
  });
  it('a frozen picture (a looped still): the freeze runs to the end, with no end printed', () => {
    const log = fixture('cam-frozen.txt');
    expect(parseFreezedetect(log)).toEqual([{ start: 0 }]);
    const m = measureGrab(log)!;
    expect(m.freeze_ratio).toBe(1);
    expect(m.black_ratio).toBe(0);
  });
  it('no frames at all: no measurement', () => {
    expect(measureGrab(fixture('cam-v4l2-missing.txt'))).toBeUndefined();
  });
  it('intervals are clipped to the grab', () => {
    expect(coveredSeconds([{ start: 1, end: 2 }, { start: 2.5 }], 0, 3)).toBeCloseTo(1.5, 10);
    expect(coveredSeconds([{ start: 100.5, end: 101 }], 100, 103)).toBeCloseTo(0.5, 10);
  });
  it('freezes count from a third of the grab', () => {
    expect(grabFilters(3)).toBe('showinfo,blackdetect=d=0.1:pix_th=0.10,freezedetect=n=-60dB:d=1');
    expect(grabFilters(1)).toContain('freezedetect=n=-60dB:d=0.5');
  });
});
