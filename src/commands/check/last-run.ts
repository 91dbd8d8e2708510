/**
 * The last run of each site, for `incident file --attach-run`: one file in
 * the state directory (`last-run.json`, a run report) whose `sites` hold the
 * latest run of every site checked on this machine, keyed by the site id, so
 * checking another site does not replace this one's (docs/architecture.md, "The state directory").
 *
 * The file is one JSON document with one site per line, written as the
 * sites finish (a temp file, renamed when the run ends) and read back a line
 * at a time, so a sweep of 10,000 sites never holds them all.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Context } from '../../cli/context.js';
import { type CheckedSiteRun, isChecked, type SiteRun } from '../../engine/run.js';
import type { RunEnd, RunReport, RunStart } from '../../report/types.js';
import { type AtomicFile, openAtomic } from '../../util/atomic.js';

export const LAST_RUN_FILE = 'last-run.json';
/** How the first line of a file this module wrote ends: the sites follow, one per line. */
const HEAD_END = '"sites":[';

/**
 * Each saved site of the file, one at a time: a line each when this module
 * wrote it, else (an earlier version, a file put there by hand) the whole
 * document parsed at once.
 */
async function* savedSites(ctx: Context): AsyncGenerator<{ run: SiteRun; json?: string }> {
  const file = path.join(ctx.stateDir, LAST_RUN_FILE);
  const input = createReadStream(file, 'utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let whole = false;
  try {
    let first = true;
    for await (const line of lines) {
      if (first) {
        first = false;
        if (line.endsWith(HEAD_END)) continue;
        whole = true;
        break;
      }
      if (!line.startsWith('{')) continue;
      const json = line.endsWith(',') ? line.slice(0, -1) : line;
      yield { run: JSON.parse(json) as SiteRun, json };
    }
  } catch {
    // Missing or unreadable: nothing saved.
  } finally {
    lines.close();
    input.destroy();
  }
  if (!whole) return;
  try {
    const doc = JSON.parse(await fs.readFile(file, 'utf8')) as RunReport;
    if (Array.isArray(doc.sites)) for (const run of doc.sites) yield { run };
  } catch {
    // Not a run report: nothing saved.
  }
}

/** This site's latest saved run, if any. */
export async function lastRunOf(ctx: Context, siteId: string): Promise<CheckedSiteRun | undefined> {
  for await (const { run } of savedSites(ctx)) if (run.site?.id === siteId && isChecked(run)) return run;
  return undefined;
}

export interface LastRunWriter {
  site(run: SiteRun): Promise<void>;
  /** Replaces the file. */
  commit(end: RunEnd): Promise<void>;
  /** A cancelled run is no run of its sites: the file stays as it was. */
  abort(): Promise<void>;
}

/**
 * Keep this run's sites (`ids`, the sites whose profile loaded), replacing
 * only their own earlier runs, which are copied first; a site that could not
 * be checked (bad profile) is no run of it. Best effort: a check never fails
 * on it (every step swallows its error and the file stays as it was).
 */
export async function openLastRun(
  ctx: Context,
  start: Omit<RunStart, 'sites'>,
  ids: Iterable<string>,
): Promise<LastRunWriter> {
  const mine = new Set(ids);
  let out: AtomicFile | undefined;
  let lines = 0;
  const line = async (run: SiteRun, json = JSON.stringify(run)) => {
    await out?.write(`${lines++ === 0 ? '' : ',\n'}${json}`);
  };
  try {
    await fs.mkdir(ctx.stateDir, { recursive: true });
    out = await openAtomic(path.join(ctx.stateDir, LAST_RUN_FILE));
    const { schema, tool, startedAt } = start;
    await out.write(`${JSON.stringify({ schema, tool, startedAt }).slice(0, -1)},${HEAD_END}\n`);
    // A kept line is copied as it was read.
    for await (const { run, json } of savedSites(ctx)) if (!mine.has(run.site?.id)) await line(run, json);
  } catch {
    await out?.abort().catch(() => {});
    out = undefined;
  }
  const fail = async () => {
    await out?.abort().catch(() => {});
    out = undefined;
  };
  return {
    async site(run) {
      if (!out || !isChecked(run)) return;
      await line(run).catch(fail);
    },
    async commit(end) {
      if (!out) return;
      try {
        await out.write(`\n],"durationMs":${end.durationMs},"verdict":${JSON.stringify(end.verdict)}}\n`);
        await out.commit();
      } catch {
        await fail();
      }
    },
    abort: fail,
  };
}
