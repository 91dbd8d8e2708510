/**
 * Parsers of ffmpeg's audio output and of device lists, on real output
 * captured on this machine (test/fixtures/ffmpeg/capture.sh, ffmpeg 5.1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMonitor, parseAsoundPcm, pickDevice } from '../../src/checks/av-devices.js';
import {
  ffmpegErrorLine,
  parseAstats,
  parseAvfoundationDevices,
  parseDshowDevices,
  parseInputStream,
  parseSources,
  parseVolumedetect,
} from '../../src/checks/ffmpeg-parse.js';
import { micMetrics } from '../../src/checks/microphone.js';

const fixture = (name: string) =>
  fs.readFileSync(path.join(import.meta.dirname, '../fixtures/ffmpeg', name), 'utf8');

describe('audio levels from real ffmpeg output', () => {
  it('a live microphone (PulseAudio sine source)', () => {
    const log = fixture('mic-pulse-sine.txt');
    expect(parseAstats(log)).toEqual({
      rmsDb: -9.030604,
      peakDb: -6.020335,
      peakCount: 15096,
      samples: 362303,
      source: 'astats',
    });
    expect(parseVolumedetect(log)).toMatchObject({ rmsDb: -9, peakDb: -6, source: 'volumedetect' });
    expect(parseInputStream(log)).toEqual({ kind: 'audio', sampleRate: 48000, channels: 2 });
    expect(micMetrics(parseAstats(log)!, 2)).toEqual({ level_dbfs: -9, peak_dbfs: -6, clip_pct: 0 });
  });
  it('a dead microphone (a null sink monitor): −inf becomes the floor', () => {
    const log = fixture('mic-pulse-monitor.txt');
    const a = parseAstats(log)!;
    expect(a.rmsDb).toBe(Number.NEGATIVE_INFINITY);
    expect(a.peakDb).toBe(Number.NEGATIVE_INFINITY);
    expect(parseVolumedetect(log)).toMatchObject({ rmsDb: -91, peakDb: -91 });
    expect(micMetrics(a, 2)).toEqual({ level_dbfs: -120, peak_dbfs: -120, clip_pct: 0 });
  });
  it('a clipping input: peak at full scale for most samples', () => {
    const log = fixture('mic-lavfi-clipped.txt');
    const a = parseAstats(log)!;
    expect(a.peakDb).toBeCloseTo(0.000265, 6);
    expect(parseInputStream(log)).toMatchObject({ channels: 1 });
    // 60,798 of 97,280 samples at the peak.
    expect(micMetrics(a, 1)).toEqual({ level_dbfs: -1.1, peak_dbfs: 0, clip_pct: 62.5 });
  });
  it('output without a measurement gives nothing, not zeros', () => {
    expect(parseAstats(fixture('cam-testsrc.txt'))).toBeUndefined();
    expect(parseVolumedetect('')).toBeUndefined();
  });
});

describe('device lists', () => {
  it('ffmpeg -sources pulse, with the default marked', () => {
    const list = parseSources(fixture('sources-pulse.txt'));
    expect(list).toEqual([
      { name: 'spk.monitor', description: 'Monitor of Null Output', isDefault: false },
      { name: 'sinemic', description: 'Sine source at 1000 Hz', isDefault: true },
    ]);
    expect(list.filter(isMonitor).map((d) => d.name)).toEqual(['spk.monitor']);
    expect(pickDevice(list, undefined, (d) => !isMonitor(d))?.name).toBe('sinemic');
    expect(pickDevice(list, 'null output')?.name).toBe('spk.monitor');
    expect(pickDevice(list, 'nothing like it')).toBeUndefined();
  });
  it('no PulseAudio server: an empty list', () => {
    expect(parseSources(fixture('sources-pulse-noserver.txt'))).toEqual([]);
  });
  it('/proc/asound/pcm capture devices', () => {
    const pcm =
      '00-00: ALC892 Analog : ALC892 Analog : playback 1 : capture 1\n00-01: ALC892 Digital : ALC892 Digital : playback 1\n01-00: USB Audio : USB Audio : playback 1 : capture 1\n';
    expect(parseAsoundPcm(pcm)).toEqual([
      { name: 'hw:0,0', description: 'ALC892 Analog' },
      { name: 'hw:1,0', description: 'USB Audio' },
    ]);
  });
  // Windows and macOS lists cannot be captured on this Linux machine: these follow the formats
  // printed by ffmpeg's dshow (4.4+ and older) and avfoundation devices, as in ffmpeg's docs.
  it('DirectShow device lists, new and old formats', () => {
    const recent = [
      '[dshow @ 000001e1a3b2c3c0] "Integrated Camera" (video)',
      '[dshow @ 000001e1a3b2c3c0]   Alternative name "@device_pnp_\\\\?\\usb#vid_04f2"',
      '[dshow @ 000001e1a3b2c3c0] "Microphone Array (Realtek(R) Audio)" (audio)',
      'dummy: Immediate exit requested',
    ].join('\r\n');
    expect(parseDshowDevices(recent)).toEqual([
      { name: 'Integrated Camera', type: 'video' },
      { name: 'Microphone Array (Realtek(R) Audio)', type: 'audio' },
    ]);
    const old = [
      '[dshow @ 03c3a3e0] DirectShow video devices',
      '[dshow @ 03c3a3e0]  "USB2.0 Camera"',
      '[dshow @ 03c3a3e0] DirectShow audio devices',
      '[dshow @ 03c3a3e0]  "Mic (USB Audio)"',
    ].join('\n');
    expect(parseDshowDevices(old)).toEqual([
      { name: 'USB2.0 Camera', type: 'video' },
      { name: 'Mic (USB Audio)', type: 'audio' },
    ]);
  });
  it('AVFoundation device lists', () => {
    const log = [
      '[AVFoundation indev @ 0x7f8] AVFoundation video devices:',
      '[AVFoundation indev @ 0x7f8] [0] FaceTime HD Camera',
      '[AVFoundation indev @ 0x7f8] [1] Capture screen 0',
      '[AVFoundation indev @ 0x7f8] AVFoundation audio devices:',
      '[AVFoundation indev @ 0x7f8] [0] MacBook Pro Microphone',
    ].join('\n');
    expect(parseAvfoundationDevices(log)).toEqual([
      { name: '0', description: 'FaceTime HD Camera', type: 'video' },
      { name: '1', description: 'Capture screen 0', type: 'video' },
      { name: '0', description: 'MacBook Pro Microphone', type: 'audio' },
    ]);
  });
  it('the last line of a failed run is its reason', () => {
    expect(ffmpegErrorLine(fixture('cam-v4l2-missing.txt'))).toBe('/dev/video0: No such file or directory');
    expect(ffmpegErrorLine(fixture('cam-bad-input.txt'))).toBe('nosuchfilter: Invalid argument');
  });
});
