/**
 * The scheduler: runs one site's checks in parallel (bounded), honours
 * `needs` (dependants are skipped with the reason), per-check timeouts and
 * retries, and a whole-run deadline. A checklist takes about as long as its
 * slowest chain of checks, not the sum.
 */

import { findKind, loadKinds } from '../checks/index.js';
import { directedLimits } from '../checks/thresholds.js';
import type { CheckContext, CheckKind, PersonAsker } from '../checks/types.js';
import type { Context } from '../cli/context.js';
import { type CodecSession, openCodecSession } from '../drivers/session.js';
import type { CheckOutcome, CheckResult } from '../model/check.js';
import type { UncheckedSite } from '../model/run.js';
import type { SiteInfo } from '../model/site.js';
import type { Verdict } from '../model/verdict.js';
import type { CheckSpec, ResolvedProfile } from '../profile/types.js';
import { sleep } from '../util/sleep.js';
import { NEEDS_NOT_MET, siteVerdict } from './verdict.js';

export interface EngineOptions {
  /** Ids or kinds to keep. */
  only?: readonly string[];
  /** Ids or kinds to leave out. */
  skip?: readonly string[];
  /** Keep only checks that can run off-site. */
  remote?: boolean;
  /** Absolute monotonic time (ctx.clock.monotonic()) after which nothing new starts and running checks are stopped. */
  deadline?: number;
  /** Checks of one site at once (default 8). */
  parallel?: number;
  /** Pause between attempts (default 250 ms). */
  retryDelayMs?: number;
  /** Where kinds come from (default: the registry in src/checks/index.ts, which runSite loads the profile's kinds from). */
  resolveKind?: (kind: string) => CheckKind | undefined;
  /** Who answers `confirm` checks (a terminal at the site); absent, they are skipped. */
  ask?: PersonAsker;
  onStart?: (site: SiteInfo, check: CheckSpec) => void;
  onResult?: (site: SiteInfo, result: CheckResult) => void;
}

/** The profile's site block; only id and name (no unit) when the profile did not load. */
export type SiteOfRun =
  | SiteInfo
  | (UncheckedSite & { [K in Exclude<keyof SiteInfo, keyof UncheckedSite>]?: undefined });

export interface SiteRun {
  /** Only id and name when the site could not be checked (see `error`). */
  site: SiteOfRun;
  file: string;
  verdict: Verdict;
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
  /** Set when the site could not be checked at all (bad profile in a sweep). */
  error?: { code: string; message: string };
  /** The meeting the run was made for (`check --meeting`). */
  meeting?: string;
}

/** A site that was checked (its profile loaded), as opposed to one that could not be. */
export type CheckedSiteRun = SiteRun & { site: SiteInfo };
export const isChecked = (run: SiteRun): run is CheckedSiteRun => run.site.unit !== undefined;

const matches = (spec: CheckSpec, list: readonly string[]) =>
  list.includes(spec.id) || list.includes(spec.kind);

/** Which checks run, after --only, --skip and --remote. */
export function selectChecks(profile: ResolvedProfile, opts: EngineOptions): CheckSpec[] {
  return profile.checks.filter((spec) => {
    if (opts.only?.length && !matches(spec, opts.only)) return false;
    if (opts.skip?.length && matches(spec, opts.skip)) return false;
    if (opts.remote) {
      const canRemote = spec.remote ?? (opts.resolveKind ?? findKind)(spec.kind)?.remote ?? false;
      if (!canRemote) return false;
    }
    return true;
  });
}

type StopReason = 'timeout' | 'deadline' | 'cancelled';

/** The abort reason of an attempt that ended by itself (made once: an Error captures a stack). */
const DONE = new Error('done');

async function attempt(
  spec: CheckSpec,
  timeoutMs: number,
  profile: ResolvedProfile,
  ctx: Context,
  opts: EngineOptions,
  codec: CodecSession | undefined,
): Promise<CheckOutcome> {
  const { t } = ctx;
  const deadline = opts.deadline;
  const kind = (opts.resolveKind ?? findKind)(spec.kind);
  if (!kind)
    return {
      status: 'error',
      summary: t('engine.kind_unknown', { kind: spec.kind }),
      error: { code: 'KIND_UNKNOWN', message: t('engine.kind_unknown', { kind: spec.kind }) },
    };
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason) => {
    reason ??= why;
    controller.abort(new Error(why));
  };
  const remaining = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - ctx.clock.monotonic();
  const budget = Math.min(timeoutMs, remaining);
  const timer = setTimeout(() => stop(budget < timeoutMs ? 'deadline' : 'timeout'), Math.max(0, budget));
  const onCancel = () => stop('cancelled');
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  if (ctx.signal.aborted) stop('cancelled');
  const cctx: CheckContext = {
    t,
    locale: ctx.locale,
    signal: controller.signal,
    clock: ctx.clock,
    env: ctx.env,
    cwd: ctx.cwd,
    profile,
    timeoutMs: budget,
    ...(codec ? { codec } : {}),
    ...(opts.ask ? { ask: opts.ask } : {}),
  };
  let dropDone: (() => void) | undefined;
  const stopped = new Promise<CheckOutcome>((resolve) => {
    const done = () => {
      const why = reason ?? 'timeout';
      const message =
        why === 'timeout'
          ? t('engine.timeout', { s: (timeoutMs / 1000).toFixed(1) })
          : why === 'deadline'
            ? t('engine.deadline')
            : t('engine.cancelled');
      resolve({
        status: 'error',
        summary: message,
        error: {
          code: why.toUpperCase(),
          message,
          ...(why === 'timeout' ? { hint: t('engine.hint.timeout') } : {}),
        },
      });
    };
    if (controller.signal.aborted) done();
    else controller.signal.addEventListener('abort', done, { once: true });
    dropDone = () => controller.signal.removeEventListener('abort', done);
  });
  try {
    const running = kind.run(spec.params as never, cctx).catch((err: unknown): CheckOutcome => {
      const message = err instanceof Error ? err.message : String(err);
      return {
        status: 'error',
        summary: t('engine.crashed', { message }),
        error: { code: 'CHECK_FAILED', message },
      };
    });
    return await Promise.race([running, stopped]);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onCancel);
    // Let a check that ignores its signal know, so it can clean up (hang up a call). The race is
    // decided: no stop message is built for it, and the reason is one error for every attempt.
    dropDone?.();
    if (!controller.signal.aborted) controller.abort(DONE);
  }
}

async function runOne(
  spec: CheckSpec,
  profile: ResolvedProfile,
  ctx: Context,
  opts: EngineOptions,
  codec: CodecSession | undefined,
): Promise<CheckResult> {
  const startedAt = ctx.clock.now().toISOString();
  const t0 = ctx.clock.monotonic();
  const timeoutMs = spec.timeoutMs ?? (opts.resolveKind ?? findKind)(spec.kind)?.defaultTimeoutMs ?? 10_000;
  let outcome: CheckOutcome;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    outcome = await attempt(spec, timeoutMs, profile, ctx, opts, codec);
    const retryable = outcome.status === 'fail' || outcome.status === 'error';
    const stopped = outcome.error?.code === 'CANCELLED' || outcome.error?.code === 'DEADLINE';
    if (!retryable || stopped || attempts > spec.retries) break;
    await sleep(opts.retryDelayMs ?? 250, ctx.signal);
  }
  return {
    id: spec.id,
    kind: spec.kind,
    status: outcome.status,
    required: spec.required,
    summary: outcome.summary,
    metrics: outcome.metrics ?? {},
    ...(outcome.details === undefined ? {} : { details: outcome.details }),
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(outcome.hint ? { hint: outcome.hint } : {}),
    ...limitsOf(spec, outcome, (opts.resolveKind ?? findKind)(spec.kind)),
    startedAt,
    durationMs: Math.round(ctx.clock.monotonic() - t0),
    attempts,
  };
}

/** The outcome's limits (else the profile's warn/fail), each with its kind's direction. */
function limitsOf(
  spec: CheckSpec,
  outcome: CheckOutcome,
  kind: CheckKind | undefined,
): Pick<CheckResult, 'limits'> {
  const plain = outcome.limits ?? {
    warn: spec.params.warn as Record<string, number> | undefined,
    fail: spec.params.fail as Record<string, number> | undefined,
  };
  const limits = directedLimits(plain, kind?.thresholds);
  return limits ? { limits } : {};
}

function notRun(
  spec: CheckSpec,
  ctx: Context,
  status: 'skip' | 'error',
  code: string,
  message: string,
): CheckResult {
  return {
    id: spec.id,
    kind: spec.kind,
    status,
    required: spec.required,
    summary: message,
    metrics: {},
    error: { code, message },
    startedAt: ctx.clock.now().toISOString(),
    durationMs: 0,
    attempts: 0,
  };
}

/** Run one site's checklist. Never throws for a failing check: failures are results. */
export async function runSite(
  profile: ResolvedProfile,
  ctx: Context,
  opts: EngineOptions = {},
): Promise<SiteRun> {
  // A loaded profile's kinds are loaded already; a profile made in code (tests, benchmarks) may not be.
  if (!opts.resolveKind) await loadKinds(profile.checks.map((c) => c.kind));
  const startedAt = ctx.clock.now().toISOString();
  const t0 = ctx.clock.monotonic();
  const selected = selectChecks(profile, opts);
  const selectedIds = new Set(selected.map((s) => s.id));
  const parallel = Math.max(1, opts.parallel ?? 8);
  const results = new Map<string, CheckResult>();
  const pending = [...selected];
  const running = new Map<string, Promise<void>>();

  const finish = (result: CheckResult) => {
    results.set(result.id, result);
    opts.onResult?.(profile.site, result);
  };
  // One codec session for the whole run, opened by the first check that asks, closed below whatever happens.
  const codec =
    profile.codec && profile.codec.driver !== 'none'
      ? openCodecSession(profile.codec, { t: ctx.t, signal: ctx.signal })
      : undefined;
  try {
    await runChecks();
  } finally {
    await codec?.close();
  }

  const checks = selected.map((s) => results.get(s.id) as CheckResult);
  return {
    site: profile.site,
    file: profile.file,
    verdict: siteVerdict(checks),
    startedAt,
    durationMs: Math.round(ctx.clock.monotonic() - t0),
    checks,
  };

  async function runChecks(): Promise<void> {
    while (pending.length > 0 || running.size > 0) {
      let progressed = false;
      for (let i = 0; i < pending.length; ) {
        const spec = pending[i] as CheckSpec;
        const needs = spec.needs.filter((n) => selectedIds.has(n));
        const unmet = needs.filter((n) => {
          const r = results.get(n);
          return r && r.status !== 'pass' && r.status !== 'warn';
        });
        const waiting = needs.some((n) => !results.has(n));
        const pastDeadline = opts.deadline !== undefined && ctx.clock.monotonic() >= opts.deadline;
        if (spec.skip !== undefined) {
          finish(
            notRun(
              spec,
              ctx,
              'skip',
              'SKIPPED_BY_PROFILE',
              ctx.t('engine.skip.profile', { reason: spec.skip }),
            ),
          );
        } else if (unmet.length > 0) {
          finish(
            notRun(spec, ctx, 'skip', NEEDS_NOT_MET, ctx.t('engine.skip.needs', { ids: unmet.join(', ') })),
          );
        } else if (ctx.signal.aborted) {
          finish(notRun(spec, ctx, 'error', 'CANCELLED', ctx.t('engine.cancelled')));
        } else if (pastDeadline && !waiting) {
          finish(notRun(spec, ctx, 'error', 'DEADLINE', ctx.t('engine.deadline_not_run')));
        } else if (!waiting && running.size < parallel) {
          opts.onStart?.(profile.site, spec);
          const p = runOne(spec, profile, ctx, opts, codec).then((r) => {
            running.delete(spec.id);
            finish(r);
          });
          running.set(spec.id, p);
        } else {
          i += 1;
          continue;
        }
        pending.splice(i, 1);
        progressed = true;
      }
      if (running.size > 0) await Promise.race(running.values());
      else if (!progressed && pending.length > 0) {
        // Unreachable with a validated profile (cycles are rejected); never spin.
        for (const spec of pending.splice(0))
          finish(notRun(spec, ctx, 'error', 'NEEDS_CYCLE', ctx.t('engine.needs_cycle')));
      }
    }
  }
}
