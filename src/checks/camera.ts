/**
 * `camera` (local only): the camera is there (/dev/video* on Linux, ffmpeg's
 * device list on Windows and macOS) and, with `grab: true`, a few seconds of
 * frames are measured through ffmpeg: a black picture (blackdetect), a
 * frozen one (freezedetect) or fewer than 5 frames per second fail, as in
 * the WebRTC pre-call test (more than a third black or frozen; < 5 fps).
 */
import { type Static, Type } from '@sinclair/typebox';
import type { MessageKey, Translator } from '../i18n/index.js';
import { toMs } from '../profile/duration.js';
import { type Captured, capture, chooseInput } from './av-capture.js';
import { listCameras } from './av-devices.js';
import { ffmpegMissing, installHint, locateFfmpeg } from './ffmpeg.js';
import {
  coveredSeconds,
  parseBlackdetect,
  parseFreezedetect,
  parseInputStream,
  parseShowinfo,
} from './ffmpeg-parse.js';
import { errored, judgedOutcome } from './outcome.js';
import { Duration, Limits } from './params.js';
import { judgeMetrics, round } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

const camLimits = {
  fps: 'Frames per second actually delivered (minimum).',
  black_ratio: 'Share of the grab that was black, 0–1 (maximum).',
  freeze_ratio: 'Share of the grab that was frozen, 0–1 (maximum).',
  width: 'Picture width, pixels (minimum).',
  height: 'Picture height, pixels (minimum).',
};

export const CAM_DEFAULT_FAIL = { fps: 5, black_ratio: 0.33, freeze_ratio: 0.33 } as const;

export const cameraParams = Type.Object({
  device: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'The camera: /dev/videoN, its DirectShow/AVFoundation name, or part of its description.',
    }),
  ),
  grab: Type.Optional(
    Type.Boolean({
      description: 'Grab a few seconds of frames and check the picture (default false: presence only).',
    }),
  ),
  /** How long to grab (default 3s). */
  duration: Type.Optional(Duration),
  input: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9_]+:.+$',
      description:
        'Advanced and test use: an ffmpeg input "format:target" grabbed instead of a device, e.g. "v4l2:/dev/video2" or "lavfi:testsrc=size=640x480:rate=15".',
    }),
  ),
  warn: Limits(camLimits),
  fail: Limits(camLimits),
});

/** The video filters: one line per frame (showinfo), black and frozen stretches. */
export function grabFilters(grabS: number): string {
  // A freeze counts once it lasts a third of the grab (the WebRTC test's "1/3 frozen").
  const freezeD = Math.max(0.5, round(grabS / 3, 2));
  return `showinfo,blackdetect=d=0.1:pix_th=0.10,freezedetect=n=-60dB:d=${freezeD}`;
}

export interface GrabMeasure {
  frames: number;
  fps: number;
  width?: number;
  height?: number;
  black_ratio: number;
  freeze_ratio: number;
}

/** Measure a grab from ffmpeg's log (pure: tested on recorded output). */
export function measureGrab(log: string): GrabMeasure | undefined {
  const f = parseShowinfo(log);
  if (f.frames === 0 || f.firstPts === undefined || f.lastPts === undefined) return undefined;
  const streamFps = parseInputStream(log)?.fps;
  const fps =
    f.frames >= 2 && f.lastPts > f.firstPts ? (f.frames - 1) / (f.lastPts - f.firstPts) : (streamFps ?? 0);
  const interval = fps > 0 ? 1 / fps : 0;
  const from = f.firstPts;
  const to = f.lastPts + interval;
  const span = to - from;
  const ratio = (covered: number) => (span > 0 ? Math.min(1, covered / span) : 0);
  return {
    frames: f.frames,
    fps,
    ...(f.width ? { width: f.width, height: f.height as number } : {}),
    black_ratio: ratio(coveredSeconds(parseBlackdetect(log), from, to)),
    freeze_ratio: ratio(coveredSeconds(parseFreezedetect(log), from, to)),
  };
}

const HINTS: Record<string, MessageKey> = {
  black_ratio: 'cam.hint.black',
  freeze_ratio: 'cam.hint.frozen',
  fps: 'cam.hint.fps',
  width: 'cam.hint.size',
  height: 'cam.hint.size',
};

/** How a broken limit reads for the metrics that have their own words. */
const SAID: Record<string, MessageKey> = {
  black_ratio: 'cam.black',
  freeze_ratio: 'cam.frozen',
  fps: 'cam.slow',
};

/** The grab's figures against the limits (defaults included), in words. */
export function judgeGrab(
  t: Translator,
  params: Static<typeof cameraParams>,
  label: string,
  captured: Captured,
): CheckOutcome {
  const { run, evidence } = captured;
  const m = measureGrab(run.stderr);
  if (!m) {
    // ffmpeg ran but no frame came through: a camera that delivers nothing, or an ffmpeg that prints nothing.
    if (run.stderr.trim() === '')
      return errored('FFMPEG_NO_OUTPUT', t('av.err.no_output', { path: evidence.ffmpeg }), {
        errorHint: installHint(t),
        details: evidence,
      });
    return {
      status: 'fail',
      summary: t('cam.no_frames', { device: label }),
      metrics: { fps: 0 },
      details: evidence,
      hint: t('cam.hint.busy'),
    };
  }
  const metrics: Record<string, number> = {
    fps: round(m.fps, 1),
    black_ratio: round(m.black_ratio, 2),
    freeze_ratio: round(m.freeze_ratio, 2),
    ...(m.width ? { width: m.width, height: m.height as number } : {}),
  };
  const fail = { ...CAM_DEFAULT_FAIL, ...(params.fail ?? {}) };
  const warn = params.warn ?? {};
  const judged = judgeMetrics(
    t,
    metrics,
    camera.thresholds ?? {},
    { warn, fail },
    {
      hints: HINTS,
      breach: (b) => t(SAID[b.metric] ?? 'cam.breach', { metric: b.metric, value: b.value, limit: b.limit }),
    },
  );
  const measured = t('cam.measured', {
    device: label,
    size: m.width ? `${m.width}x${m.height}` : '?',
    fps: metrics.fps as number,
    black: Math.round(m.black_ratio * 100),
    frozen: Math.round(m.freeze_ratio * 100),
  });
  return judgedOutcome(judged, [measured, ...judged.said].join('; '), {
    metrics,
    details: { ...evidence, frames: m.frames },
    limits: { warn, fail },
  });
}

export const camera = defineKind({
  kind: 'camera',
  remote: false,
  params: cameraParams,
  defaultTimeoutMs: 20_000,
  thresholds: { fps: 'min', black_ratio: 'max', freeze_ratio: 'max', width: 'min', height: 'min' },
  async run(params, ctx): Promise<CheckOutcome> {
    const { t } = ctx;
    const budget = Math.max(1, ctx.timeoutMs - 250);
    // Listing cameras needs ffmpeg only off Linux; grabbing always does.
    const needFfmpeg = params.grab === true || params.input !== undefined || process.platform !== 'linux';
    const located = needFfmpeg
      ? await locateFfmpeg({ configured: ctx.profile.ffmpeg, profileFile: ctx.profile.file, env: ctx.env })
      : undefined;
    if (located && !located.path) return ffmpegMissing(t, located);
    const bin = located?.path;
    const list = () =>
      listCameras({
        ...(bin ? { ffmpeg: bin } : {}),
        env: ctx.env,
        signal: ctx.signal,
        timeoutMs: Math.min(5000, budget),
      });
    const picked = await chooseInput(t, 'cam', params, list);
    if (!picked.ok) return picked.outcome;
    const { chosen } = picked;
    if (params.grab !== true)
      return { status: 'pass', summary: t('cam.present', { device: chosen.label }), details: chosen.found };

    const grabMs = toMs(params.duration ?? '3s', 3000);
    const grabS = grabMs / 1000;
    const grabbed = await capture(ctx, 'cam', bin as string, chosen, {
      seconds: grabS,
      filter: ['-vf', grabFilters(grabS), '-an'],
      // Opening a USB camera and its first frames can take seconds.
      timeoutMs: Math.min(budget, grabMs + 10_000),
    });
    return grabbed.ok ? judgeGrab(t, params, chosen.label, grabbed.captured) : grabbed.outcome;
  },
});
