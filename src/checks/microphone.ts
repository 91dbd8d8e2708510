/**
 * `microphone` (local only): the input device is there and, with
 * `capture: 3s`, a short recording through ffmpeg is neither silent (RMS
 * below −60 dBFS, the WebRTC pre-call test's limit) nor clipping (peak at
 * full scale, ≥ −0.1 dBFS, for more than 0.1 % of the samples).
 */
import { Type } from '@sinclair/typebox';
import type { MessageKey } from '../i18n/index.js';
import { toMs } from '../profile/duration.js';
import { type AvInput, isMonitor, listMicrophones, pickDevice } from './av-devices.js';
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
  type AudioLevels,
  ffmpegErrorLine,
  parseAstats,
  parseInputStream,
  parseVolumedetect,
} from './ffmpeg-parse.js';
import { Duration } from './params.js';
import { judge, round } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

/** Below this a level is reported as this (JSON has no −Infinity; 16-bit silence is −96 dBFS). */
export const FLOOR_DBFS = -120;
export const CLIP_DBFS = -0.1;

// dBFS limits are negative: params.ts's Limits() only takes numbers ≥ 0.
const micLimits = () =>
  Type.Optional(
    Type.Object(
      {
        level_dbfs: Type.Optional(
          Type.Number({ maximum: 0, description: 'RMS level of the capture, dBFS (minimum).' }),
        ),
        peak_dbfs: Type.Optional(Type.Number({ maximum: 0, description: 'Peak level, dBFS (maximum).' })),
        clip_pct: Type.Optional(
          Type.Number({
            minimum: 0,
            maximum: 100,
            description: 'Share of samples at full scale, % (maximum).',
          }),
        ),
      },
      { additionalProperties: false },
    ),
  );

export const MIC_DEFAULT_WARN = { clip_pct: 0.1 } as const;
export const MIC_DEFAULT_FAIL = { level_dbfs: -60 } as const;

export const microphoneParams = Type.Object({
  device: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'The input device: its name or part of its description (default: the system default).',
    }),
  ),
  /** Record this long and measure the level (e.g. 3s); without it only presence is checked. */
  capture: Type.Optional(Duration),
  input: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9_]+:.+$',
      description:
        'Advanced and test use: an ffmpeg input "format:target" measured instead of a device, e.g. "pulse:alsa_input.usb-0d8c" or "lavfi:sine=frequency=1000".',
    }),
  ),
  warn: micLimits(),
  fail: micLimits(),
});

/** Metrics from measured levels; clip_pct only when the peak reaches full scale. */
export function micMetrics(levels: AudioLevels, channels: number): Record<string, number> {
  const level = Math.max(FLOOR_DBFS, levels.rmsDb);
  const peak = Math.max(FLOOR_DBFS, levels.peakDb);
  let clip = 0;
  if (levels.peakDb >= CLIP_DBFS && levels.peakCount !== undefined && levels.samples) {
    clip = Math.min(100, (100 * levels.peakCount) / (levels.samples * Math.max(1, channels)));
  }
  return { level_dbfs: round(level, 1), peak_dbfs: round(peak, 1), clip_pct: round(clip, 2) };
}

const HINTS: Record<string, MessageKey> = {
  level_dbfs: 'mic.hint.silent',
  clip_pct: 'mic.hint.clip',
  peak_dbfs: 'mic.hint.clip',
};

export const microphone = defineKind({
  kind: 'microphone',
  remote: false,
  params: microphoneParams,
  defaultTimeoutMs: 20_000,
  thresholds: { level_dbfs: 'min', peak_dbfs: 'max', clip_pct: 'max' },
  async run(params, ctx): Promise<CheckOutcome> {
    const { t } = ctx;
    const located = await locateFfmpeg({
      configured: ctx.profile.ffmpeg,
      profileFile: ctx.profile.file,
      env: ctx.env,
    });
    if (!located.path) return ffmpegMissing(t, located);
    const bin = located.path;
    const budget = Math.max(1, ctx.timeoutMs - 250);

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
      devices = await listMicrophones({
        ffmpeg: bin,
        env: ctx.env,
        signal: ctx.signal,
        timeoutMs: Math.min(5000, budget),
      });
      chosen = pickDevice(devices, params.device, (d) => !isMonitor(d));
      const listed = devices.map((d) => d.name);
      if (!chosen) {
        const message = params.device
          ? t('mic.err.not_found', { device: params.device, found: listed.join(', ') || '—' })
          : t('mic.none');
        return { status: 'fail', summary: message, details: { devices: listed }, hint: t('mic.hint.none') };
      }
    }
    const label = chosen.description ? `${chosen.description} (${chosen.name})` : chosen.name;
    const found = {
      device: chosen.name,
      format: chosen.format,
      ...(devices.length ? { devices: devices.map((d) => d.name) } : {}),
    };
    if (params.capture === undefined) {
      return { status: 'pass', summary: t('mic.present', { device: label }), details: found };
    }

    const captureMs = toMs(params.capture, 3000);
    const timeoutMs = Math.min(budget, captureMs + 8000);
    const run = await runFfmpeg(
      bin,
      [
        ...BASE_ARGS,
        ...chosen.args,
        '-t',
        (captureMs / 1000).toFixed(3),
        '-af',
        'astats=measure_perchannel=none,volumedetect',
        '-f',
        'null',
        '-',
      ],
      { timeoutMs, signal: ctx.signal, env: ctx.env },
    );
    const evidence = { ...found, ffmpeg: bin, exit: run.code, log_tail: ffmpegErrorLine(run.stderr) };
    const problem = ffmpegRunProblem(t, run, {
      device: 'mic',
      bin: bin as string,
      label,
      timeoutMs,
      details: evidence,
    });
    if (problem) return problem;
    const levels = parseAstats(run.stderr) ?? parseVolumedetect(run.stderr);
    if (!levels) {
      const message = t('av.err.no_output', { path: bin });
      return {
        status: 'error',
        summary: message,
        error: { code: 'FFMPEG_NO_OUTPUT', message, hint: installHint(t) },
        details: evidence,
      };
    }
    const stream = parseInputStream(run.stderr);
    const metrics = micMetrics(levels, stream?.channels ?? 1);
    const warn = { ...MIC_DEFAULT_WARN, ...(params.warn ?? {}) };
    const fail = { ...MIC_DEFAULT_FAIL, ...(params.fail ?? {}) };
    const judged = judge(metrics, microphone.thresholds ?? {}, warn, fail);
    const parts = [
      t('mic.levels', {
        device: label,
        level: metrics.level_dbfs as number,
        peak: metrics.peak_dbfs as number,
      }),
    ];
    for (const b of judged.breaches)
      parts.push(
        t(b.metric === 'level_dbfs' ? 'mic.silent' : 'mic.clipping', { value: b.value, limit: b.limit }),
      );
    const hints = [
      ...new Set(judged.breaches.map((b) => HINTS[b.metric]).filter((k): k is MessageKey => k !== undefined)),
    ];
    return {
      status: judged.status,
      summary: parts.join('; '),
      metrics,
      details: { ...evidence, levels_from: levels.source, ...(stream ? { stream } : {}) },
      limits: { warn, fail },
      ...(judged.status !== 'pass' && hints.length ? { hint: hints.map((k) => t(k)).join(' ') } : {}),
    };
  },
});
