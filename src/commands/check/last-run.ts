/**
 * The last run of each site, for `incident file --attach-run`: one file in
 * the state directory (`last-run.json`, a run report) whose `sites` hold the
 * latest run of every site checked on this machine, keyed by the site id, so
 * checking another site does not replace this one's (docs/architecture.md, "The state directory").
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import { type CheckedSiteRun, isChecked } from '../../engine/run.js';
import type { RunReport } from '../../report/types.js';
import { writeFileAtomic } from '../../util/atomic.js';

export const LAST_RUN_FILE = 'last-run.json';

async function read(ctx: Context): Promise<RunReport | undefined> {
  const text = await fs.readFile(path.join(ctx.stateDir, LAST_RUN_FILE), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const doc = JSON.parse(text) as RunReport;
    return Array.isArray(doc.sites) ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** This site's latest saved run, if any. */
export async function lastRunOf(ctx: Context, siteId: string): Promise<CheckedSiteRun | undefined> {
  return (await read(ctx))?.sites.find((s): s is CheckedSiteRun => s.site?.id === siteId && isChecked(s));
}

/**
 * Keep this run's sites, replacing only their own earlier runs; a site that
 * could not be checked (bad profile) is no run of it. Best effort: a check never fails on it.
 */
export async function saveLastRun(ctx: Context, report: RunReport): Promise<void> {
  const checked = report.sites.filter(isChecked);
  const mine = new Set(checked.map((s) => s.site.id));
  const kept = ((await read(ctx))?.sites ?? []).filter((s) => !mine.has(s.site?.id));
  const doc: RunReport = { ...report, sites: [...kept, ...checked] };
  const file = path.join(ctx.stateDir, LAST_RUN_FILE);
  await fs.mkdir(ctx.stateDir, { recursive: true }).catch(() => {});
  await writeFileAtomic(file, JSON.stringify(doc)).catch(() => {});
}
