/**
 * `diemcau check`: load the profiles, run each site's checklist (sites
 * `--concurrency` at once), render every requested format, exit with the
 * worst verdict. A single bad profile is exit 3; in a sweep a bad profile is
 * one site that could not be checked, and the sweep goes on.
 */
import path from 'node:path';
import { type Context, withLocale } from '../../cli/context.js';
import { location } from '../../cli/exit.js';
import type { CheckFlags } from '../../cli/wiring/check.js';
import { type EngineOptions, runSite, type SiteRun, selectChecks } from '../../engine/run.js';
import { exitCodeFor, worstVerdict } from '../../engine/verdict.js';
import { CancelledError, DiemcauError, ExitCode, ProfileError, UsageError } from '../../errors.js';
import { RUN_SCHEMA } from '../../model/run.js';
import type { Verdict } from '../../model/verdict.js';
import { displayPath, loadProfile } from '../../profile/load.js';
import type { ResolvedProfile } from '../../profile/types.js';
import { loadRenderer } from '../../report/formats.js';
import type { RenderOptions, RunEnd, RunReport, RunStart } from '../../report/types.js';
import { pool, poolInOrder } from '../../util/pool.js';
import { didYouMean } from '../../util/suggest.js';
import { assertWritable, DEFAULT_PROFILE, resolveProfilePath, writeOutput } from '../common.js';
import { terminalAsker } from './ask.js';
import { type OutputSpec, parseOutputs } from './formats.js';
import { appendHistory, prepareHistoryDir, pruneHistory } from './history.js';
import { openLastRun } from './last-run.js';
import { NO_PROGRESS, type Progress, startProgress } from './progress.js';
import { openSweepOutputs, type SweepWriter } from './stream.js';
import { expandTargets, type Target } from './targets.js';

/** The flags of `diemcau check` (--deadline in ms), and the profiles named on the command line. */
export type CheckOptions = Omit<CheckFlags, 'input'> & {
  profiles: string[];
  /** false: --no-input (ask nothing); callers other than the CLI leave it out. */
  input?: boolean;
};

export interface CheckRun {
  report: RunReport;
  exitCode: number;
  /** The profiles that loaded (for --upload). */
  profiles: ResolvedProfile[];
  /** The context the run spoke in (a single profile's `locale:` applies). */
  ctx: Context;
}

function brokenSite(ctx: Context, target: Target, err: ProfileError): SiteRun {
  const file = displayPath(target.file, ctx.cwd);
  const id = path.basename(target.file).replace(/\.ya?ml$/i, '');
  const where = [err.file, err.line, err.col].filter((x) => x !== undefined).join(':');
  return {
    // No unit: the profile that says it did not load (docs/run-format.md).
    site: { id, name: file },
    file,
    verdict: 'unknown',
    startedAt: ctx.clock.now().toISOString(),
    durationMs: 0,
    checks: [],
    error: { code: 'PROFILE_INVALID', message: `${where}${err.path ? `: ${err.path}` : ''}: ${err.message}` },
  };
}

/** A site of the run: its profile, or why it could not be checked. */
type Entry =
  | { target: Target; profile: ResolvedProfile }
  | { target: Target; profile?: undefined; broken: SiteRun };

/**
 * Load every profile of a sweep before any check runs: a defaults file is
 * not a site, a bad profile is a site that could not be checked, and two
 * profiles with the same site id stop the sweep (exit 3) before it starts.
 */
async function loadSweep(
  ctx: Context,
  targets: readonly Target[],
  concurrency: number,
  args: readonly string[],
): Promise<Entry[]> {
  // Profiles nobody edited since the last sweep are not parsed again (src/profile/cache.ts).
  const { openProfileCache } = await import('../../profile/cache.js');
  const cache = await openProfileCache(ctx.stateDir, await sweepHash(ctx, args), ctx.version);
  const loaded = await pool(targets, concurrency, async (target): Promise<Entry | undefined> => {
    try {
      const r = await loadProfile(target.file, {
        t: ctx.t,
        env: ctx.env,
        cwd: ctx.cwd,
        allowDefaults: target.expanded,
        cache,
      });
      if (r.isDefaults) return undefined;
      return { target, profile: r.profile as ResolvedProfile };
    } catch (err) {
      if (!(err instanceof ProfileError)) throw err;
      return { target, broken: brokenSite(ctx, target, err) };
    }
  });
  await cache.save();
  const entries = loaded.filter((e): e is Entry => e !== undefined);
  const seen = new Map<string, string>();
  for (const e of entries) {
    // A profile that did not load has no site id of its own (its file name stands in).
    if (!e.profile) continue;
    const id = e.profile.site.id;
    const first = seen.get(id);
    const file = displayPath(e.target.file, ctx.cwd);
    if (first !== undefined)
      throw new UsageError(ctx.t('check.err.duplicate_site', { id, first, second: file }), {
        hint: ctx.t('check.hint.duplicate_site'),
      });
    seen.set(id, file);
  }
  return entries;
}

/** Which sites the returned report keeps: every one as it is, each without its `details`, or none. */
export type Keep = 'all' | 'slim' | 'none';

/** Where each site's run goes as soon as it and every earlier site are done (in the sites' order). */
export interface RunSink {
  site(run: SiteRun): Promise<void>;
  end(end: RunEnd): Promise<void>;
  /** The run stopped on an error: nothing it began is left behind. */
  abort(): Promise<void>;
}

export interface RunHooks {
  progress?: (sites: number) => Promise<Progress>;
  /** Opened once the profiles are loaded (the number of sites is known). */
  open?: (start: RunStart, sweep: boolean, runCtx: Context) => Promise<{ sink?: RunSink; keep: Keep }>;
}

/** Everything but printing: returns the run report and the exit code. */
export async function runCheck(
  ctx: Context,
  opts: CheckOptions,
  progress?: (sites: number) => Promise<Progress>,
  hooks: RunHooks = {},
): Promise<CheckRun> {
  const args = opts.profiles.length ? opts.profiles : [await resolveProfilePath(ctx, opts.profile)];
  const targets = await expandTargets(ctx, args);
  const sweep = targets.length > 1 || targets.some((x) => x.expanded);
  const held = await takeLock(ctx, opts, sweep ? args : undefined);
  try {
    return await runTargets(ctx, opts, targets, sweep, args, { progress, ...hooks });
  } finally {
    await held?.release();
  }
}
/** What names a set of profiles in the state folder (its lock, its profile cache). */
async function sweepHash(ctx: Context, args: readonly string[]): Promise<string> {
  const { createHash } = await import('node:crypto');
  const key = args.map((a) => path.resolve(ctx.cwd, a)).join('\0');
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * Two overlapping sweeps (a slow night, cron firing again) would check every
 * site twice and write the same files: a sweep holds a lock, by default one
 * per set of profiles (`<state dir>/locks/sweep-<hash>.lock`, so two
 * provinces' sweeps still run side by side), or `--lock FILE` for any run.
 * The second one exits 3 at once, or waits up to `--lock-wait`.
 */
async function takeLock(ctx: Context, opts: CheckOptions, sweepArgs: readonly string[] | undefined) {
  let file: string | undefined;
  if (opts.lock) file = path.resolve(ctx.cwd, opts.lock);
  else if (sweepArgs)
    file = path.join(ctx.stateDir, 'locks', `sweep-${await sweepHash(ctx, sweepArgs)}.lock`);
  if (!file) return undefined;
  const { lock } = await import('../../util/lock.js');
  const r = await lock(file, opts.lockWait ?? 0, () => ctx.clock.monotonic(), ctx.signal);
  if ('release' in r) return r;
  if (ctx.signal.aborted) throw new CancelledError(ctx.t('engine.cancelled'));
  throw new UsageError(ctx.t('check.err.locked', { file: displayPath(file, ctx.cwd), pid: r.heldBy }), {
    hint: ctx.t('check.hint.locked'),
  });
}

/** A site's run without the checks' evidence (`details`): what the summary formats read. */
const slim = (run: SiteRun): SiteRun => ({
  ...run,
  checks: run.checks.map(({ details: _, ...check }) => check),
});

async function runTargets(
  ctx: Context,
  opts: CheckOptions,
  targets: Target[],
  sweep: boolean,
  args: readonly string[],
  hooks: RunHooks,
): Promise<CheckRun> {
  let entries: Array<Entry | undefined>;
  const startedAt = ctx.clock.now().toISOString();
  const t0 = ctx.clock.monotonic();
  const engine: EngineOptions = {
    only: opts.only,
    skip: opts.skip,
    remote: opts.remote,
    parallel: opts.parallel,
    deadline: opts.deadline === undefined ? undefined : t0 + opts.deadline,
  };

  // One site: load first so a bad profile is exit 3 and the run speaks the profile's language.
  let runCtx = ctx;
  let upcoming: import('./next-meeting.js').NextMeetingAsk | undefined;
  if (!sweep) {
    const { profile } = await loadProfile((targets[0] as Target).file, {
      t: ctx.t,
      env: ctx.env,
      cwd: ctx.cwd,
    });
    const single = profile as ResolvedProfile;
    runCtx = withLocale(ctx, single.locale);
    assertKnownChecks(runCtx, single, engine);
    if (selectChecks(single, engine).length === 0) throw new UsageError(runCtx.t('check.no_checks'));
    entries = [{ target: targets[0] as Target, profile: single }];
    // On a terminal: the site's next meeting, asked while the checks run (never waited for).
    if (ctx.io.stdoutTTY) {
      const { askNextMeeting } = await import('./next-meeting.js');
      upcoming = askNextMeeting(runCtx, single);
    }
  } else entries = await loadSweep(ctx, targets, opts.concurrency ?? 8, args);
  if (opts.meeting !== undefined) {
    const { verifyMeetingTag, withMeetingConfirm } = await import('./meeting-tag.js');
    const meeting = await verifyMeetingTag(runCtx, entries.find((e) => e?.profile)?.profile, opts.meeting);
    // The meeting's own confirm items join the checks of the sites taking part (docs/meetings.md).
    if (meeting)
      entries = entries.map((e) =>
        e?.profile ? { ...e, profile: withMeetingConfirm(runCtx.t, e.profile, meeting) } : e,
      );
  }
  if (opts.historyKeep !== undefined && !opts.history) throw new UsageError(ctx.t('check.err.history_keep'));
  const historyDir = opts.history ? await prepareHistoryDir(ctx, opts.history) : undefined;
  const tool = { name: 'diemcau' as const, version: ctx.version };
  const start: RunStart = { schema: RUN_SCHEMA, tool, startedAt, sites: entries.length };
  const { sink, keep } = hooks.open ? await hooks.open(start, sweep, runCtx) : { keep: 'all' as Keep };
  // The profiles outlive their site's run only when the caller asks for every site (--upload).
  const loaded = keep === 'all' ? entries.flatMap((e) => (e?.profile ? [e.profile] : [])) : [];
  // The bar counts what the summary will count: defaults files are not sites.
  let bar: Progress = NO_PROGRESS;
  const kept: SiteRun[] = [];
  const verdicts = new Set<Verdict>();
  const checkedIds: string[] = [];
  let lanes: import('./lanes.js').Lanes | undefined;
  try {
    bar = await (
      hooks.progress ?? ((n) => (opts.quiet ? Promise.resolve(NO_PROGRESS) : startProgress(runCtx, n)))
    )(entries.length);
    // A person answers `confirm` checks only at one site's own terminal, and never in a script.
    const ask = !sweep && opts.input !== false && ctx.io.interactive ? terminalAsker(runCtx, bar) : undefined;
    const engineHooks: EngineOptions = {
      ...engine,
      ...(ask ? { ask } : {}),
      onStart: (_site, spec) => bar.checkStarted(spec.id),
      onResult: (_site, result) => bar.checkDone(result),
    };
    // --workers: the sites run on this thread and N − 1 worker threads (./lanes.ts); fakes stay in-process.
    if (sweep && (opts.workers ?? 1) > 1 && !ctx.createDriver) {
      const { openLanes } = await import('./lanes.js');
      lanes = openLanes(
        opts.workers ?? 1,
        runCtx,
        engine,
        (profile) => runSite(profile, runCtx, engineHooks),
        bar === NO_PROGRESS ? undefined : bar,
      );
    }
    await poolInOrder(
      entries,
      opts.concurrency ?? 8,
      async (entry, i) => {
        entries[i] = undefined;
        if (!entry) throw new Error(`site ${i} ran twice`);
        if (!entry.profile) {
          bar.siteDone(entry.broken.verdict);
          return entry.broken;
        }
        const run = lanes
          ? await lanes.run(entry.profile)
          : await runSite(entry.profile, runCtx, engineHooks);
        run.file = displayPath(run.file, ctx.cwd);
        if (opts.meeting !== undefined) run.meeting = opts.meeting;
        if (historyDir) await appendHistory(historyDir, run, tool);
        bar.siteDone(run.verdict);
        return run;
      },
      async (run) => {
        verdicts.add(run.verdict);
        if (run.checks.length > 0) checkedIds.push(run.site.id);
        if (keep === 'all') kept.push(run);
        else if (keep === 'slim') kept.push(slim(run));
        await sink?.site(run);
      },
    );
  } catch (err) {
    await sink?.abort();
    throw err;
  } finally {
    await lanes?.close();
    bar.stop();
  }
  if (historyDir && opts.historyKeep !== undefined) {
    const cutoff = new Date(ctx.clock.now().getTime() - opts.historyKeep);
    await pruneHistory(historyDir, checkedIds, cutoff);
  }
  const meetingLine = await upcoming?.line();
  if (meetingLine) ctx.io.stderr.write(`${meetingLine}\n`);
  const verdict = worstVerdict(verdicts);
  const end: RunEnd = { durationMs: Math.round(ctx.clock.monotonic() - t0), verdict };
  await sink?.end(end);
  const report: RunReport = { schema: RUN_SCHEMA, tool, startedAt, ...end, sites: kept };
  return { report, exitCode: exitCodeFor(verdict), profiles: loaded, ctx: runCtx };
}

/** `--format nagios` to stdout: Nagios must read a status line even when the check could not run. */
function nagiosOnStdout(opts: CheckOptions): boolean {
  const stdout = (opts.format ?? []).filter((f) => !f.includes('='));
  return stdout.includes('nagios') && !opts.output;
}

/** One line saying why the command could not run (the full message still goes to stderr). */
function whyNot(ctx: Context, err: unknown): string {
  if (err instanceof ProfileError) return [location(err), err.message].filter(Boolean).join(': ');
  if (err instanceof DiemcauError) return err.message;
  return ctx.t('cli.err.internal', { message: err instanceof Error ? err.message : String(err) });
}

export async function checkCommand(ctx: Context, opts: CheckOptions): Promise<number> {
  const stdout = { written: false };
  try {
    return await checkAndRender(ctx, opts, stdout);
  } catch (err) {
    if (nagiosOnStdout(opts) && !stdout.written && !(err instanceof CancelledError)) {
      const { nagiosUnknown } = await import('../../report/nagios.js');
      ctx.io.stdout.write(nagiosUnknown(whyNot(ctx, err)));
    }
    throw err;
  }
}

/** The `sweep` label of Prometheus series: --sweep, else the profiles and globs as given. */
export function sweepName(ctx: Context, opts: CheckOptions): string {
  if (opts.sweep) return opts.sweep;
  const args = opts.profiles.length
    ? opts.profiles
    : [opts.profile ?? ctx.env.DIEMCAU_PROFILE ?? DEFAULT_PROFILE];
  return args.join(' ');
}

async function checkAndRender(
  ctx: Context,
  opts: CheckOptions,
  stdout: { written: boolean },
): Promise<number> {
  const outputs = parseOutputs(ctx, opts.format, opts.output);
  for (const o of outputs) if (o.file) await assertWritable(ctx, o.file);
  const renderOptions = (renderCtx: Context, o: OutputSpec): RenderOptions => ({
    t: renderCtx.t,
    locale: renderCtx.locale,
    color: !o.file && ctx.io.color,
    tty: o.file ? true : ctx.io.stdoutTTY,
    columns: ctx.io.columns,
    sweep: sweepName(ctx, opts),
    ...(opts.nagiosMaxBytes ? { nagiosMaxBytes: opts.nagiosMaxBytes } : {}),
  });
  // In a sweep, json/junit/tap are written as the sites finish; the rest are rendered at the end.
  let atEnd: OutputSpec[] = outputs;
  const open: RunHooks['open'] = async (start, sweep, runCtx) => {
    const last = await openLastRun(ctx);
    let writer: SweepWriter | undefined;
    if (sweep) {
      try {
        const opened = await openSweepOutputs(ctx, outputs, start, (o) => renderOptions(runCtx, o));
        writer = opened.writer;
        atEnd = opened.rest;
        if (opened.stdout) stdout.written = true;
      } catch (err) {
        await last.abort();
        throw err;
      }
    }
    // --upload reads every site and profile; the summary formats only what they print.
    const keep: Keep = opts.upload || !sweep ? 'all' : atEnd.length ? 'slim' : 'none';
    const sink: RunSink = {
      async site(run) {
        await last.site(run);
        await writer?.site(run);
      },
      async end(end) {
        // Ctrl-C: the run is not a verdict on the site; it is neither kept for `incident file` nor uploaded.
        if (ctx.signal.aborted) await last.abort();
        else await last.commit();
        await writer?.end(end);
      },
      async abort() {
        await last.abort();
        await writer?.abort();
      },
    };
    return { sink, keep };
  };
  const run = await runCheck(ctx, opts, undefined, { open });
  const { report, ctx: renderCtx, profiles } = run;
  let exitCode = run.exitCode;
  const cancelled = ctx.signal.aborted;
  let upload: { sent: number; queued: number } | undefined;
  if (opts.upload && !cancelled) {
    // Through the outbox: a line that is down queues the runs. Before rendering, so that every
    // format can say how many results did not reach the registry.
    const { uploadReport } = await import('../../registry/upload.js');
    const r = await uploadReport(renderCtx, profiles, report.sites, report.tool, {
      registry: opts.registry,
      quiet: opts.quiet === true,
    });
    upload = { sent: r.sent, queued: r.queued };
    // Quiet, the per-site lines are left out; results left behind are a real problem and get one line.
    if (opts.quiet && r.queued > 0) ctx.io.stderr.write(`${renderCtx.t('check.upload_line', upload)}\n`);
    // Results that did not reach the registry: monitoring must learn it (at least "degraded").
    if (r.queued > 0 && exitCode === ExitCode.ready) exitCode = ExitCode.degraded;
  }
  for (const o of atEnd) {
    const render = await loadRenderer(o.format);
    const text = render(report, { ...renderOptions(renderCtx, o), ...(upload ? { upload } : {}) });
    if (o.file) {
      await writeOutput(ctx, o.file, text);
    } else {
      stdout.written = true;
      ctx.io.stdout.write(text);
    }
  }
  return exitCode;
}

/** A word in --only or --skip that names no check of the profile is a typo: say which ones exist. */
function assertKnownChecks(ctx: Context, profile: ResolvedProfile, engine: EngineOptions) {
  const ids = profile.checks.map((c) => c.id);
  const kinds = [...new Set(profile.checks.map((c) => c.kind))];
  for (const [flag, words] of [
    ['--only', engine.only],
    ['--skip', engine.skip],
  ] as const)
    for (const got of words ?? [])
      if (!ids.includes(got) && !kinds.includes(got))
        throw new UsageError(
          ctx.t('check.err.unknown_check', {
            flag,
            got,
            suggestion: didYouMean(ctx.t, got, [...ids, ...kinds]),
            ids: ids.join(', ') || '—',
            kinds: kinds.join(', ') || '—',
          }),
        );
}
