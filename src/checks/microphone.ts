/**
 * `microphone` (local only): the input device is there and, with
 * `capture: 3s`, a short recording through ffmpeg is neither silent (RMS
 * below −60 dBFS, the WebRTC pre-call test's limit) nor clipping (peak at
 * full scale, ≥ −0.1 dBFS, for more than 0.1 % of the samples).
 */
import { type Static, Type } from '@sinclair/typebox';
import type { MessageKey, Translator } from '../i18n/index.js';
import { toMs } from '../profile/duration.js';
import { type Captured, capture, chooseInput } from './av-capture.js';
import { isMonitor, listMicrophones } from './av-devices.js';
import { ffmpegMissing, installHint, locateFfmpeg } from './ffmpeg.js';
import { type AudioLevels, parseAstats, parseInputStream, parseVolumedetect } from './ffmpeg-parse.js';
import { errored, judgedOutcome } from './outcome.js';
import { Duration } from './params.js';
import { judgeMetrics, round } from './thresholds.js';
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

/** The capture's levels against the limits (defaults included), in words. */
export function judgeCapture(
  t: Translator,
  params: Static<typeof microphoneParams>,
  label: string,
  captured: Captured,
): CheckOutcome {
  const { run, evidence } = captured;
  const levels = parseAstats(run.stderr) ?? parseVolumedetect(run.stderr);
  if (!levels) {
    return errored('FFMPEG_NO_OUTPUT', t('av.err.no_output', { path: evidence.ffmpeg }), {
      errorHint: installHint(t),
      details: evidence,
    });
  }
  const stream = parseInputStream(run.stderr);
  const metrics = micMetrics(levels, stream?.channels ?? 1);
  const warn = { ...MIC_DEFAULT_WARN, ...(params.warn ?? {}) };
  const fail = { ...MIC_DEFAULT_FAIL, ...(params.fail ?? {}) };
  const judged = judgeMetrics(
    t,
    metrics,
    microphone.thresholds ?? {},
    { warn, fail },
    {
      hints: HINTS,
      breach: (b) =>
        t(b.metric === 'level_dbfs' ? 'mic.silent' : 'mic.clipping', { value: b.value, limit: b.limit }),
    },
  );
  const measured = t('mic.levels', {
    device: label,
    level: metrics.level_dbfs as number,
    peak: metrics.peak_dbfs as number,
  });
  return judgedOutcome(judged, [measured, ...judged.said].join('; '), {
    metrics,
    details: { ...evidence, levels_from: levels.source, ...(stream ? { stream } : {}) },
    limits: { warn, fail },
  });
}

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
    const list = () =>
      listMicrophones({ ffmpeg: bin, env: ctx.env, signal: ctx.signal, timeoutMs: Math.min(5000, budget) });
    const picked = await chooseInput(t, 'mic', params, list, (d) => !isMonitor(d));
    if (!picked.ok) return picked.outcome;
    const { chosen } = picked;
    if (params.capture === undefined)
      return { status: 'pass', summary: t('mic.present', { device: chosen.label }), details: chosen.found };

    const captureMs = toMs(params.capture, 3000);
    const captured = await capture(ctx, 'mic', bin, chosen, {
      seconds: captureMs / 1000,
      filter: ['-af', 'astats=measure_perchannel=none,volumedetect'],
      timeoutMs: Math.min(budget, captureMs + 8000),
    });
    return captured.ok ? judgeCapture(t, params, chosen.label, captured.captured) : captured.outcome;
  },
});
