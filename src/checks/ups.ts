/**
 * `ups`: ask a NUT server (upsd, TCP 3493) about the room's UPS. On line (OL)
 * passes, on battery (OB) warns, low battery (LB), replace battery (RB),
 * forced shutdown (FSD), output off or a runtime shorter than the meeting
 * fail; stale data, a driver that lost the UPS and unknown names are errors.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { MessageKey, Translator } from '../i18n/index.js';
import { formatDuration, toMs } from '../profile/duration.js';
import { NUT_DEFAULT_PORT, NutClient, NutError, NutFailure } from './nut-client.js';
import { errored } from './outcome.js';
import { Duration, Host, Limits, Port } from './params.js';
import { judgeMetrics, round, worse } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

const DEFAULT_MIN_RUNTIME = '45m';

const upsLimits = {
  charge_pct: 'Battery charge, % (minimum).',
  runtime_s: 'Battery runtime, seconds (minimum).',
  load_pct: 'UPS load, % (maximum).',
  input_voltage_v: 'Mains voltage, V (minimum).',
};

export const upsParams = Type.Object({
  /** Where upsd runs (default 127.0.0.1). */
  host: Type.Optional(Host),
  port: Type.Optional(Port),
  name: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9._-]{1,64}$',
      description: 'The UPS name in upsd (`upsc -l` lists them); optional when the server has only one.',
    }),
  ),
  username: Type.Optional(
    Type.String({ minLength: 1, description: 'A upsd.users name, when the server asks for a login.' }),
  ),
  password: Type.Optional(
    Type.String({ description: 'Use ${UPS_PASSWORD}; never write the password itself.' }),
  ),
  /** The battery must last at least this long (default: the profile's meeting.length, else 45m). */
  min_runtime: Type.Optional(Duration),
  warn: Limits(upsLimits),
  fail: Limits(upsLimits),
});

/** The variables we read, and the metric each becomes. */
const METRIC_VARS = {
  'battery.charge': 'charge_pct',
  'battery.runtime': 'runtime_s',
  'input.voltage': 'input_voltage_v',
  'ups.load': 'load_pct',
} as const;

/** Variables worth keeping as evidence (the full list can have 100+ driver.* entries). */
const EVIDENCE =
  /^(ups\.(status|load|mfr|model|alarm|test\.result|beeper\.status)|battery\.|input\.|output\.voltage|device\.(mfr|model|serial))/;

type Verdict = { status: 'pass' | 'warn' | 'fail'; reason: MessageKey; hint?: MessageKey };

/**
 * The verdict of a status word list (ups.status) and the runtime. FSD is
 * set by upsd when the primary is shutting down: treat it as OB LB (NUT docs).
 */
export function upsVerdict(
  flags: readonly string[],
  runtimeS: number | undefined,
  minRuntimeS: number,
): Verdict {
  const has = (f: string) => flags.includes(f);
  if (has('FSD')) return { status: 'fail', reason: 'ups.reason.fsd', hint: 'ups.hint.fsd' };
  if (has('LB')) return { status: 'fail', reason: 'ups.reason.lb', hint: 'ups.hint.lb' };
  if (has('OFF')) return { status: 'fail', reason: 'ups.reason.off', hint: 'ups.hint.off' };
  if (has('RB')) return { status: 'fail', reason: 'ups.reason.rb', hint: 'ups.hint.rb' };
  if (runtimeS !== undefined && runtimeS < minRuntimeS) {
    return {
      status: 'fail',
      reason: 'ups.reason.runtime',
      hint: has('OB') ? 'ups.hint.ob' : 'ups.hint.runtime',
    };
  }
  if (has('OB')) return { status: 'warn', reason: 'ups.reason.ob', hint: 'ups.hint.ob' };
  if (has('OVER')) return { status: 'warn', reason: 'ups.reason.over', hint: 'ups.hint.over' };
  if (has('BYPASS')) return { status: 'warn', reason: 'ups.reason.bypass', hint: 'ups.hint.bypass' };
  if (has('OL')) return { status: 'pass', reason: 'ups.reason.ol' };
  return { status: 'warn', reason: 'ups.reason.unknown', hint: 'ups.hint.unknown' };
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : undefined;
};

/** A NutError as a check error, in the technician's language. */
export function nutErrorOutcome(
  err: NutError,
  t: Translator,
  where: string,
  name: string | undefined,
): CheckOutcome {
  const map: Record<string, [MessageKey, MessageKey]> = {
    [NutFailure.connect]: ['ups.err.connect', 'ups.hint.connect'],
    [NutFailure.resolve]: ['ups.err.resolve', 'ups.hint.resolve'],
    [NutFailure.timeout]: ['ups.err.timeout', 'ups.hint.connect'],
    [NutFailure.closed]: ['ups.err.closed', 'ups.hint.protocol'],
    [NutFailure.protocol]: ['ups.err.protocol', 'ups.hint.protocol'],
    [NutFailure.aborted]: ['ups.err.aborted', 'ups.hint.connect'],
    'UNKNOWN-UPS': ['ups.err.unknown_ups', 'ups.hint.unknown_ups'],
    'DATA-STALE': ['ups.err.stale', 'ups.hint.stale'],
    'DRIVER-NOT-CONNECTED': ['ups.err.driver', 'ups.hint.driver'],
    'ACCESS-DENIED': ['ups.err.auth', 'ups.hint.auth'],
    'USERNAME-REQUIRED': ['ups.err.auth', 'ups.hint.auth'],
    'PASSWORD-REQUIRED': ['ups.err.auth', 'ups.hint.auth'],
    'INVALID-PASSWORD': ['ups.err.auth', 'ups.hint.auth'],
    'INVALID-USERNAME': ['ups.err.auth', 'ups.hint.auth'],
  };
  const [msgKey, hintKey] = map[err.code] ?? (['ups.err.server', 'ups.hint.protocol'] as const);
  const params = { where, name: name ?? '?', word: err.code, detail: err.detail ?? err.message };
  return errored(`NUT_${err.code.replace(/-/g, '_')}`, t(msgKey, params), {
    errorHint: t(hintKey, params),
    details: { server: where, ups: name, nut: err.code, ...(err.detail ? { reply: err.detail } : {}) },
  });
}

type UpsParams = Static<typeof upsParams>;

type Read = { ok: true; name: string; vars: Record<string, string> } | { ok: false; outcome: CheckOutcome };

/** Ask upsd for the UPS's variables (the only one it has when the profile names none). */
async function readUps(
  t: Translator,
  params: UpsParams,
  server: { host: string; port: number; where: string },
  signal: AbortSignal,
  budget: number,
): Promise<Read> {
  const { host, port, where } = server;
  let client: NutClient | undefined;
  let name = params.name;
  try {
    client = await NutClient.connect({ host, port, timeoutMs: budget, signal });
    if (params.username) await client.login(params.username, params.password ?? '');
    if (!name) {
      const list = await client.listUps();
      if (list.length !== 1) {
        await client.logout();
        const names = list.map((u) => u.name).join(', ');
        const message =
          list.length === 0 ? t('ups.err.none', { where }) : t('ups.err.which', { where, names });
        return {
          ok: false,
          outcome: errored(list.length === 0 ? 'NUT_NO_UPS' : 'NUT_WHICH_UPS', message, {
            errorHint: t('ups.hint.name', { names }),
            details: { server: where, ups_list: list },
          }),
        };
      }
      name = (list[0] as { name: string }).name;
    }
    let vars: Record<string, string>;
    try {
      vars = await client.listVars(name);
    } catch (err) {
      if (err instanceof NutError && err.code === 'UNKNOWN-UPS') {
        // Name the UPSes that do exist: the technician copies the right one into the profile.
        const known = await client.listUps().catch(() => []);
        const names = known.map((u) => u.name).join(', ') || '—';
        const out = nutErrorOutcome(err, t, where, name);
        return {
          ok: false,
          outcome: errored(out.error?.code as string, t('ups.err.unknown_ups', { where, name, names }), {
            errorHint: t('ups.hint.unknown_ups', { names }),
            details: out.details,
          }),
        };
      }
      throw err;
    }
    await client.logout();
    return { ok: true, name, vars };
  } catch (err) {
    client?.close();
    if (err instanceof NutError) return { ok: false, outcome: nutErrorOutcome(err, t, where, name) };
    throw err;
  }
}

/** The UPS's status words and figures: its own flags, then the profile's limits. */
export function judgeUps(
  t: Translator,
  params: UpsParams,
  read: { name: string; vars: Record<string, string>; where: string; minRuntimeMs: number },
): CheckOutcome {
  const { name, vars, where, minRuntimeMs } = read;
  const statusText = vars['ups.status'];
  if (statusText === undefined || statusText.trim() === '')
    return errored('NUT_NO_STATUS', t('ups.err.no_status', { where, name }), {
      errorHint: t('ups.hint.driver'),
    });
  const flags = statusText.trim().split(/\s+/);
  const metrics: Record<string, number> = {};
  for (const [variable, metric] of Object.entries(METRIC_VARS)) {
    const v = num(vars[variable]);
    if (v !== undefined) metrics[metric] = v;
  }
  const minRuntimeS = Math.round(minRuntimeMs / 1000);
  const verdict = upsVerdict(flags, metrics.runtime_s, minRuntimeS);
  const judged = judgeMetrics(
    t,
    metrics,
    ups.thresholds ?? {},
    { warn: params.warn, fail: params.fail },
    { breach: (b) => t('ups.part.breach', { metric: b.metric, value: b.value, limit: b.limit }) },
  );
  const status = worse(judged.status, verdict.status);
  const parts = [
    t(verdict.reason, {
      status: statusText,
      runtime: formatDuration((metrics.runtime_s ?? 0) * 1000),
      min: formatDuration(minRuntimeMs),
    }),
  ];
  if (metrics.charge_pct !== undefined)
    parts.push(t('ups.part.charge', { pct: round(metrics.charge_pct, 0) }));
  if (metrics.runtime_s !== undefined)
    parts.push(t('ups.part.runtime', { runtime: formatDuration(metrics.runtime_s * 1000) }));
  if (metrics.load_pct !== undefined) parts.push(t('ups.part.load', { pct: round(metrics.load_pct, 0) }));
  parts.push(...judged.said);

  const evidence: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) if (EVIDENCE.test(k)) evidence[k] = v;
  const hintKey = verdict.hint ?? (status !== 'pass' ? 'ups.hint.limits' : undefined);
  return {
    status,
    summary: `${name}: ${parts.join(', ')}`,
    metrics,
    details: {
      server: where,
      ups: name,
      status: statusText,
      flags,
      min_runtime_s: minRuntimeS,
      vars: evidence,
    },
    ...(status !== 'pass' && hintKey ? { hint: t(hintKey, { min: formatDuration(minRuntimeMs) }) } : {}),
  };
}

export const ups = defineKind({
  kind: 'ups',
  remote: true,
  params: upsParams,
  defaultTimeoutMs: 10_000,
  thresholds: { charge_pct: 'min', runtime_s: 'min', load_pct: 'max', input_voltage_v: 'min' },
  async run(params, ctx) {
    const host = params.host ?? '127.0.0.1';
    const port = params.port ?? NUT_DEFAULT_PORT;
    const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const minRuntimeMs = toMs(
      params.min_runtime ?? ctx.profile.meeting?.length ?? DEFAULT_MIN_RUNTIME,
      45 * 60_000,
    );
    // Finish a little before the engine's timeout so our error, not a bare timeout, is reported.
    const budget = Math.max(200, ctx.timeoutMs - 250);
    const read = await readUps(ctx.t, params, { host, port, where }, ctx.signal, budget);
    if (!read.ok) return read.outcome;
    return judgeUps(ctx.t, params, { name: read.name, vars: read.vars, where, minRuntimeMs });
  },
});
