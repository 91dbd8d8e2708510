/**
 * What the camera and microphone kinds share before they judge anything:
 * which input to open (the profile's ffmpeg input, else a device from the
 * list) and one bounded ffmpeg run on it, with the evidence a report keeps.
 */
import type { Translator } from '../i18n/index.js';
import type { AvInput } from './av-devices.js';
import { pickDevice } from './av-devices.js';
import { BASE_ARGS, type FfmpegRun, ffmpegRunProblem, inputArgs, runFfmpeg } from './ffmpeg.js';
import { ffmpegErrorLine } from './ffmpeg-parse.js';
import { errored } from './outcome.js';
import type { CheckContext, CheckOutcome } from './types.js';

export type AvKind = 'cam' | 'mic';

/** The input chosen, how the summary names it, and what was found (evidence). */
export interface Chosen {
  input: AvInput;
  label: string;
  found: { device: string; format: string; devices?: string[] };
}

/** An input, or the outcome that says why there is none. */
export async function chooseInput(
  t: Translator,
  device: AvKind,
  params: { input?: string | undefined; device?: string | undefined },
  list: () => Promise<AvInput[]>,
  usable?: (d: AvInput) => boolean,
): Promise<{ ok: true; chosen: Chosen } | { ok: false; outcome: CheckOutcome }> {
  let input: AvInput | undefined;
  let devices: AvInput[] = [];
  if (params.input) {
    const args = inputArgs(params.input);
    if (!args)
      return { ok: false, outcome: errored('AV_BAD_INPUT', t('av.err.bad_input', { input: params.input })) };
    input = { name: params.input, format: args[1] as string, args };
  } else {
    devices = await list();
    input = pickDevice(devices, params.device, usable);
    if (!input) {
      const listed = devices.map((d) => d.name);
      const summary = params.device
        ? t(`${device}.err.not_found`, { device: params.device, found: listed.join(', ') || '—' })
        : t(`${device}.none`);
      return {
        ok: false,
        outcome: { status: 'fail', summary, details: { devices: listed }, hint: t(`${device}.hint.none`) },
      };
    }
  }
  const label = input.description ? `${input.description} (${input.name})` : input.name;
  const found = {
    device: input.name,
    format: input.format,
    ...(devices.length ? { devices: devices.map((d) => d.name) } : {}),
  };
  return { ok: true, chosen: { input, label, found } };
}

export interface Captured {
  run: FfmpegRun;
  /** What was found, which ffmpeg, how it ended, and its last error line. */
  evidence: Chosen['found'] & { ffmpeg: string; exit: number | null; log_tail: string };
}

/**
 * Run ffmpeg on the chosen input for `seconds`, with `filter` (e.g. "-vf", "...")
 * and no output; or the outcome of a run that did not work.
 */
export async function capture(
  ctx: Pick<CheckContext, 't' | 'signal' | 'env'>,
  device: AvKind,
  bin: string,
  chosen: Chosen,
  o: { seconds: number; filter: readonly string[]; timeoutMs: number },
): Promise<{ ok: true; captured: Captured } | { ok: false; outcome: CheckOutcome }> {
  const run = await runFfmpeg(
    bin,
    [...BASE_ARGS, ...chosen.input.args, '-t', o.seconds.toFixed(3), ...o.filter, '-f', 'null', '-'],
    { timeoutMs: o.timeoutMs, signal: ctx.signal, env: ctx.env },
  );
  const evidence = { ...chosen.found, ffmpeg: bin, exit: run.code, log_tail: ffmpegErrorLine(run.stderr) };
  const problem = ffmpegRunProblem(ctx.t, run, {
    device,
    bin,
    label: chosen.label,
    timeoutMs: o.timeoutMs,
    details: evidence,
  });
  return problem ? { ok: false, outcome: problem } : { ok: true, captured: { run, evidence } };
}
