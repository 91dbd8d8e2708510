/**
 * The last run of each site, for `incident file --attach-run`: one file per
 * site in the state directory, `last-run/<site id>.json`, holding that site's
 * latest run (a site run as in a run report's `sites`, docs/run-format.md),
 * so checking a site reads and writes nothing of the others
 * (docs/architecture.md, "The state directory").
 *
 * Each file is written whole or not at all: a temp file beside it as the site
 * finishes, renamed over it when the run ends (a cancelled run renames
 * nothing). Earlier versions kept every site in one `last-run.json`, which a
 * one-site `check` read, parsed and rewrote whole (a 10,000-site sweep's made
 * every one-check `check` cost 2.5× its instructions, bench/README.md
 * "startup"), and two checks at once could lose each other's run: that file
 * is still read, and the first run that ends moves its sites into the folder
 * and removes it.
 */

import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import { type CheckedSiteRun, isChecked, type SiteRun } from '../../engine/run.js';
import { ID_PATTERN } from '../../model/constants.js';
import type { RunReport } from '../../report/types.js';

export const LAST_RUN_DIR = 'last-run';
/** The single file of earlier versions: read, then moved into LAST_RUN_DIR by the next run. */
export const OLD_LAST_RUN_FILE = 'last-run.json';
/** How the first line of a file the earlier versions wrote ends: the sites follow, one per line. */
const HEAD_END = '"sites":[';
const ID = new RegExp(ID_PATTERN);

/** Where this site's last run is kept; undefined for an id no file may be named after. */
export function lastRunFile(stateDir: string, siteId: string): string | undefined {
  return ID.test(siteId) ? path.join(stateDir, LAST_RUN_DIR, `${siteId}.json`) : undefined;
}

/**
 * Each site of the earlier versions' file, one at a time: a line each when
 * they wrote it, else (older still, or put there by hand) the whole document
 * parsed at once.
 */
async function* oldSavedSites(stateDir: string): AsyncGenerator<SiteRun> {
  const file = path.join(stateDir, OLD_LAST_RUN_FILE);
  if (!existsSync(file)) return;
  // Loaded only for this old file: a `check` otherwise needs no readline (1.4 M instructions).
  const { createInterface } = await import('node:readline');
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
      yield JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as SiteRun;
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
    if (Array.isArray(doc.sites)) yield* doc.sites;
  } catch {
    // Not a run report: nothing saved.
  }
}

/** This site's latest saved run, if any: its own file, else (not moved yet) the earlier versions' file. */
export async function lastRunOf(ctx: Context, siteId: string): Promise<CheckedSiteRun | undefined> {
  const file = lastRunFile(ctx.stateDir, siteId);
  if (!file) return undefined;
  try {
    const run = JSON.parse(readFileSync(file, 'utf8')) as SiteRun;
    if (run.site?.id === siteId && isChecked(run)) return run;
  } catch {
    // None yet, or unreadable: look in the old file.
  }
  for await (const run of oldSavedSites(ctx.stateDir))
    if (run.site?.id === siteId && isChecked(run)) return run;
  return undefined;
}

export interface LastRunWriter {
  site(run: SiteRun): Promise<void>;
  /** Puts this run's sites in place. */
  commit(): Promise<void>;
  /** A cancelled run is no run of its sites: their files stay as they were. */
  abort(): Promise<void>;
}

/**
 * Move the earlier versions' file into the folder: each site not already
 * there gets its file (a link of a temp file, which fails rather than
 * replace a newer run written meanwhile by another check), then the old file
 * is removed. Stopped halfway, the next run goes on where this one was.
 */
async function moveOldFile(stateDir: string, dir: string, suffix: string): Promise<void> {
  const old = path.join(stateDir, OLD_LAST_RUN_FILE);
  if (!existsSync(old)) return;
  for await (const run of oldSavedSites(stateDir)) {
    const file = isChecked(run) ? lastRunFile(stateDir, run.site.id) : undefined;
    if (!file) continue;
    const tmp = path.join(dir, `.${run.site.id}.json.${suffix}.old.tmp`);
    writeFileSync(tmp, `${JSON.stringify(run)}\n`);
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  await fs.rm(old, { force: true });
}

/**
 * Keep the runs of this run's sites, each in its own file; a site that could
 * not be checked (bad profile) is no run of it. Best effort: a check never
 * fails on it (every step swallows its error and the files stay as they
 * were). Written synchronously: a few KiB per site, where a sweep of 10,000
 * sites would otherwise hand 40,000 calls to the thread pool.
 */
export async function openLastRun(ctx: Context): Promise<LastRunWriter> {
  const dir = path.join(ctx.stateDir, LAST_RUN_DIR);
  const suffix = randomBytes(6).toString('hex');
  let pending: Array<[tmp: string, file: string]> = [];
  let usable = true;
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    usable = false;
  }
  const drop = () => {
    for (const [tmp] of pending) rmSync(tmp, { force: true });
    pending = [];
  };
  return {
    async site(run) {
      const file = usable && isChecked(run) ? lastRunFile(ctx.stateDir, run.site.id) : undefined;
      if (!file) return;
      const tmp = path.join(dir, `.${run.site.id}.json.${suffix}.tmp`);
      try {
        writeFileSync(tmp, `${JSON.stringify(run)}\n`);
        pending.push([tmp, file]);
      } catch {
        rmSync(tmp, { force: true });
      }
    },
    async commit() {
      for (const [tmp, file] of pending) {
        try {
          renameSync(tmp, file);
        } catch {
          rmSync(tmp, { force: true });
        }
      }
      pending = [];
      if (usable) await moveOldFile(ctx.stateDir, dir, suffix).catch(() => {});
    },
    async abort() {
      drop();
    },
  };
}
