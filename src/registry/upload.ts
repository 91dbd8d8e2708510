/**
 * `diemcau check --upload`: each site's results go to the registry through
 * the outbox (queued first, sent in order, kept when the line is down).
 */
import type { Context } from '../cli/context.js';
import { type CheckedSiteRun, isChecked, type SiteRun } from '../engine/run.js';
import type { RunInput } from '../model/run.js';
import type { ResolvedProfile } from '../profile/types.js';
import { readerTime } from '../util/local-time.js';
import type { OutboxItem } from './outbox.js';
import { deliver, fateOf, faultText, reportBacklog, resolveTarget, stopWhy } from './session.js';

export interface UploadResult {
  sent: number;
  queued: number;
  rejected: number;
  /** Per site, what happened, in the user's language (the caller prints them to stderr). */
  lines: string[];
}

/** One site's entry of the run document, as POST /v1/runs takes it (the local file path stays local). */
export function runInputOf(run: CheckedSiteRun, tool: { name: string; version: string }): RunInput {
  const site = run.site;
  return {
    site: {
      id: site.id,
      name: site.name,
      unit: site.unit,
      ...(site.level !== undefined ? { level: site.level } : {}),
      ...(site.technician ? { technician: site.technician } : {}),
      ...(site.focal_point ? { focal_point: site.focal_point } : {}),
      // Kept current in the register by the upload (docs/sites.md, check --upload); never a secret.
      ...(site.address !== undefined ? { address: site.address } : {}),
      ...(site.meeting_hours !== undefined ? { meeting_hours: site.meeting_hours } : {}),
    },
    verdict: run.verdict,
    startedAt: run.startedAt,
    durationMs: Math.max(0, Math.round(run.durationMs)),
    checks: run.checks.map((c) => ({
      ...c,
      // JSON has no NaN or Infinity: a metric that is not a number is left out rather than sent as null.
      metrics: Object.fromEntries(Object.entries(c.metrics).filter(([, v]) => Number.isFinite(v))),
      durationMs: Math.max(0, Math.round(c.durationMs)),
    })),
    ...(run.error ? { error: run.error } : {}),
    tool: { name: tool.name, version: tool.version },
    ...(run.meeting !== undefined ? { meeting: run.meeting } : {}),
  };
}

export async function uploadSiteRuns(
  ctx: Context,
  profile: ResolvedProfile,
  runs: CheckedSiteRun[],
  tool: { name: string; version: string },
  opts: { registry?: string } = {},
): Promise<UploadResult> {
  const target = resolveTarget(ctx, { flag: opts.registry, profile });
  const { report, added } = await deliver(
    ctx,
    target,
    runs.map((run) => ({
      kind: 'run' as const,
      method: 'POST' as const,
      path: '/v1/runs',
      body: runInputOf(run, tool),
      registry: target.url,
      // Shown in sync and outbox lines: the verdict in words and the site's local time, not codes and ISO UTC.
      label: `${run.site.id}: ${ctx.t(`report.state.${run.verdict}`)} ${readerTime(ctx.env, run.startedAt)}`,
    })),
  );
  reportBacklog(ctx, report, added);
  const result: UploadResult = { sent: 0, queued: 0, rejected: 0, lines: [] };
  for (const item of added as OutboxItem[]) {
    const fate = fateOf(report, item);
    if (fate.state === 'sent') {
      result.sent += 1;
      result.lines.push(ctx.t('sync.sent', { label: item.label }));
    } else if (fate.state === 'rejected') {
      result.rejected += 1;
      result.lines.push(
        ctx.t('sync.rejected', { label: item.label, reason: faultText(ctx, fate.rejection) }),
      );
    } else {
      result.queued += 1;
      result.lines.push(ctx.t('outbox.queued', { label: item.label, why: stopWhy(ctx, report.stopped) }));
    }
  }
  return result;
}

/**
 * `check --upload` for a whole run (one site or a sweep): each site goes to
 * its own profile's registry (or --registry); lines go to stderr. Sites that
 * could not be checked at all (no profile) have nothing to upload.
 */
export async function uploadReport(
  ctx: Context,
  profiles: readonly ResolvedProfile[],
  runs: readonly SiteRun[],
  tool: { name: string; version: string },
  opts: { registry?: string; quiet?: boolean } = {},
): Promise<Omit<UploadResult, 'lines'>> {
  const bySite = new Map(profiles.map((p) => [p.site.id, p] as const));
  const groups = new Map<string, { profile: ResolvedProfile; runs: CheckedSiteRun[] }>();
  // A site that could not be checked has no unit to file it under (and its id is a file name).
  for (const run of runs.filter(isChecked)) {
    const profile = bySite.get(run.site.id);
    if (!profile) continue;
    const url = resolveTarget(ctx, { flag: opts.registry, profile }).url;
    const group = groups.get(url) ?? { profile, runs: [] };
    group.runs.push(run);
    groups.set(url, group);
  }
  const total = { sent: 0, queued: 0, rejected: 0 };
  for (const { profile, runs: group } of groups.values()) {
    const r = await uploadSiteRuns(ctx, profile, group, tool, opts);
    // --quiet: the counts still reach every format; the per-site lines are left out.
    if (!opts.quiet) for (const line of r.lines) ctx.io.stderr.write(`${line}\n`);
    total.sent += r.sent;
    total.queued += r.queued;
    total.rejected += r.rejected;
  }
  return total;
}
