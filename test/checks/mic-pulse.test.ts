/**
 * The microphone check against a real PulseAudio server started here: a
 * sine source is a live microphone, the null sink's monitor a dead one.
 * ffmpeg records from them exactly as it would from a USB microphone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { microphone } from '../../src/checks/microphone.js';
import { kindContext } from '../helpers/kind-context.js';
import { havePeer } from '../helpers/peers.js';
import { type PulseServer, startPulse } from '../helpers/pulse.js';

const ready =
  havePeer('ffmpeg', 'apt install ffmpeg') &&
  havePeer('pulseaudio', 'apt install pulseaudio') &&
  havePeer('pactl', 'apt install pulseaudio-utils');

describe.skipIf(!ready)('microphone through a real PulseAudio server', () => {
  let pulse: PulseServer;
  let sineModule: string;
  beforeAll(async () => {
    pulse = await startPulse();
    sineModule = pulse
      .pactl('load-module', 'module-sine-source', 'source_name=sinemic', 'rate=48000', 'frequency=1000')
      .trim();
  });
  afterAll(async () => {
    await pulse?.stop();
  });

  const check = (params: Record<string, unknown>, locale: 'en' | 'vi' = 'en') =>
    microphone.run(
      params as never,
      kindContext({ locale, env: { PATH: process.env.PATH, PULSE_SERVER: pulse.server } }),
    );

  it('finds the microphone (a monitor is not one) without recording', async () => {
    const r = await check({});
    expect(r.status).toBe('pass');
    expect(r.summary).toBe('microphone found: Sine source at 1000 Hz (sinemic)');
    expect(r.details).toMatchObject({
      device: 'sinemic',
      format: 'pulse',
      devices: ['spk.monitor', 'sinemic'],
    });
    expect(r.metrics).toBeUndefined();
  });

  it('a live microphone passes with its level', async () => {
    const r = await check({ capture: '1s' });
    expect(r.status).toBe('pass');
    // The sine source plays at half scale: RMS −9.03 dBFS, peak −6.02 dBFS.
    expect(r.metrics?.level_dbfs).toBeCloseTo(-9, 0);
    expect(r.metrics?.peak_dbfs).toBeCloseTo(-6, 0);
    expect(r.metrics?.clip_pct).toBe(0);
    expect(r.summary).toBe('microphone Sine source at 1000 Hz (sinemic): level -9 dBFS, peak -6 dBFS');
    expect(r.limits).toEqual({ warn: { clip_pct: 0.1 }, fail: { level_dbfs: -60 } });
  });

  it('a dead microphone is silent: fail, with what to check', async () => {
    const r = await check({ capture: '1s', device: 'spk.monitor' });
    expect(r.status).toBe('fail');
    expect(r.metrics?.level_dbfs).toBe(-120);
    expect(r.summary).toContain('NO SOUND (below -60 dBFS)');
    expect(r.hint).toContain('not muted');
    const vi = await check({ capture: '1s', device: 'spk.monitor' }, 'vi');
    expect(vi.summary).toContain('KHÔNG CÓ TIẾNG');
  });

  it('the site may ask for a louder microphone', async () => {
    const r = await check({ capture: '500ms', warn: { level_dbfs: -6 } });
    expect(r.status).toBe('warn');
  });

  it('a device that is not there: fail, naming those that are', async () => {
    const r = await check({ device: 'USB PnP Sound Device' });
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('microphone "USB PnP Sound Device" not found (found: spk.monitor, sinemic)');
  });

  it('with only a monitor left there is no microphone', async () => {
    pulse.pactl('unload-module', sineModule);
    try {
      const r = await check({ capture: '1s' });
      expect(r.status).toBe('fail');
      expect(r.summary).toBe('no microphone found on this machine');
      expect(r.hint).toContain('Plug in the microphone');
    } finally {
      sineModule = pulse
        .pactl('load-module', 'module-sine-source', 'source_name=sinemic', 'rate=48000', 'frequency=1000')
        .trim();
    }
  });
});

describe.skipIf(!havePeer('ffmpeg', 'apt install ffmpeg'))(
  'microphone measuring path with an lavfi input',
  () => {
    const check = (params: Record<string, unknown>) =>
      microphone.run(params as never, kindContext({ env: { PATH: process.env.PATH } }));

    it('a clipping signal warns', async () => {
      const r = await check({
        capture: '1s',
        input: 'lavfi:sine=frequency=1000:sample_rate=48000,volume=24dB,aformat=sample_fmts=s16',
      });
      expect(r.status).toBe('warn');
      expect(r.metrics?.peak_dbfs).toBe(0);
      expect(r.metrics?.clip_pct).toBeGreaterThan(50);
      expect(r.summary).toContain('TOO LOUD, clipping');
      expect(r.hint).toContain('lower the input gain');
    });

    it('a quiet but audible signal passes; a whisper below −60 dBFS fails', async () => {
      const quiet = await check({
        capture: '1s',
        input: 'lavfi:sine=frequency=1000:sample_rate=48000,volume=-30dB',
      });
      expect(quiet.status).toBe('pass');
      expect(quiet.metrics?.level_dbfs).toBeCloseTo(-51.1, 0);
      const whisper = await check({
        capture: '1s',
        input: 'lavfi:sine=frequency=1000:sample_rate=48000,volume=-45dB',
      });
      expect(whisper.status).toBe('fail');
    });
  },
);
