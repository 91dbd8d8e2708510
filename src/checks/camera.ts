/**
 * `camera` (local only): the camera is there (/dev/video* on Linux, ffmpeg's
 * device list on Windows and macOS) and, with `grab: true`, a few seconds of
 * frames are measured through ffmpeg: a black picture (blackdetect), a
 * frozen one (freezedetect) or fewer than 5 frames per second fail, as in
 * the WebRTC pre-call test (more than a third black or frozen; < 5 fps).
 */
import { Type } from '@sinclair/typebox';
import type { MessageKey } from '../i18n/index.js';
import { toMs } from '../profile/duration.js';
import { type AvInput, listCameras, pickDevice } from './av-devices.js';
import {
  BASE_ARGS,
  ffmpegMissing,
  ffmpegRunProblem,
  inputArgs,
  installHint,
  locateFfmpeg,
  runFfmpeg,
} from './ffmpeg.js';
import {
  coveredSeconds,
  ffmpegErrorLine,
  parseBlackdetect,
  parseFreezedetect,
  parseInputStream,
  parseShowinfo,
} from './ffmpeg-parse.js';
import { Duration, Limits } from './params.js';
import { judge, round } from './thresholds.js';
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

    let chosen: AvInput | undefined;
    let devices: AvInput[] = [];
    if (params.input) {
      const args = inputArgs(params.input);
      if (!args) {
        const message = t('av.err.bad_input', { input: params.input });
        return { status: 'error', summary: message, error: { code: 'AV_BAD_INPUT', message } };
      }
      chosen = { name: params.input, format: args[1] as string, args };
    } else {
      devices = await listCameras({
        ...(bin ? { ffmpeg: bin } : {}),
        env: ctx.env,
        signal: ctx.signal,
        timeoutMs: Math.min(5000, budget),
      });
      chosen = pickDevice(devices, params.device);
      if (!chosen) {
        const listed = devices.map((d) => d.name);
        const message = params.device
          ? t('cam.err.not_found', { device: params.device, found: listed.join(', ') || '—' })
          : t('cam.none');
        return { status: 'fail', summary: message, details: { devices: listed }, hint: t('cam.hint.none') };
      }
    }
    const label = chosen.description ? `${chosen.description} (${chosen.name})` : chosen.name;
    const found = {
      device: chosen.name,
      format: chosen.format,
      ...(devices.length ? { devices: devices.map((d) => d.name) } : {}),
    };
    if (params.grab !== true)
      return { status: 'pass', summary: t('cam.present', { device: label }), details: found };

    const grabMs = toMs(params.duration ?? '3s', 3000);
    // Opening a USB camera and its first frames can take seconds.
    const timeoutMs = Math.min(budget, grabMs + 10_000);
    const run = await runFfmpeg(
      bin as string,
      [
        ...BASE_ARGS,
        ...chosen.args,
        '-t',
        (grabMs / 1000).toFixed(3),
        '-vf',
        grabFilters(grabMs / 1000),
        '-an',
        '-f',
        'null',
        '-',
      ],
      { timeoutMs, signal: ctx.signal, env: ctx.env },
    );
    const evidence = { ...found, ffmpeg: bin, exit: run.code, log_tail: ffmpegErrorLine(run.stderr) };
    const problem = ffmpegRunProblem(t, run, {
      device: 'cam',
      bin: bin as string,
      label,
      timeoutMs,
      details: evidence,
    });
    if (problem) return problem;
    const m = measureGrab(run.stderr);
    if (!m) {
      // ffmpeg ran but no frame came through: a camera that delivers nothing, or an ffmpeg that prints nothing.
      const silent = run.stderr.trim() === '';
      const message = silent
        ? t('av.err.no_output', { path: bin as string })
        : t('cam.no_frames', { device: label });
      return silent
        ? {
            status: 'error',
            summary: message,
            error: { code: 'FFMPEG_NO_OUTPUT', message, hint: installHint(t) },
            details: evidence,
          }
        : {
            status: 'fail',
            summary: message,
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
    const judged = judge(metrics, camera.thresholds ?? {}, warn, fail);
    const parts = [
      t('cam.measured', {
        device: label,
        size: m.width ? `${m.width}x${m.height}` : '?',
        fps: metrics.fps as number,
        black: Math.round(m.black_ratio * 100),
        frozen: Math.round(m.freeze_ratio * 100),
      }),
    ];
    const tags: Record<string, MessageKey> = {
      black_ratio: 'cam.black',
      freeze_ratio: 'cam.frozen',
      fps: 'cam.slow',
    };
    for (const b of judged.breaches) {
      const tag = tags[b.metric];
      parts.push(
        tag
          ? t(tag, { value: b.value, limit: b.limit })
          : t('cam.breach', { metric: b.metric, value: b.value, limit: b.limit }),
      );
    }
    const hints = [
      ...new Set(judged.breaches.map((b) => HINTS[b.metric]).filter((k): k is MessageKey => k !== undefined)),
    ];
    return {
      status: judged.status,
      summary: parts.join('; '),
      metrics,
      details: { ...evidence, frames: m.frames },
      limits: { warn, fail },
      ...(judged.status !== 'pass' && hints.length ? { hint: hints.map((k) => t(k)).join(' ') } : {}),
    };
  },
});
