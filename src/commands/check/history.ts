/**
 * `--history DIR`: one JSON line per site and run, appended to
 * DIR/<site-id>.jsonl, so trends can be read without a registry (jq, a
 * spreadsheet, `diemcau report` later). One write per line, with O_APPEND,
 * so concurrent sweeps never interleave within a line. `--history-keep 90d`
 * then drops the lines of the sites just checked whose run started before
 * that (each file rewritten atomically; the sweep lock keeps two sweeps of
 * the same profiles from doing it at once).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import type { SiteRun } from '../../engine/run.js';
import { FileError } from '../../errors.js';
import { writeFileAtomic } from '../../util/atomic.js';

export const HISTORY_SCHEMA = 'diemcau/history@1';

const safeName = (id: string) => id.replace(/[^a-zA-Z0-9._-]/g, '_');
const historyFile = (dir: string, siteId: string) => path.join(dir, `${safeName(siteId)}.jsonl`);

export async function prepareHistoryDir(ctx: Context, dir: string): Promise<string> {
  const abs = path.resolve(ctx.cwd, dir);
  try {
    await fs.mkdir(abs, { recursive: true });
    await fs.access(abs, fs.constants.W_OK);
  } catch (err) {
    throw new FileError(
      ctx.t('check.err.history_dir', { dir, reason: (err as NodeJS.ErrnoException).code ?? String(err) }),
    );
  }
  return abs;
}

export async function appendHistory(
  dir: string,
  run: SiteRun,
  tool: { name: string; version: string },
): Promise<void> {
  const line = `${JSON.stringify({ schema: HISTORY_SCHEMA, tool, ...run })}\n`;
  const handle = await fs.open(historyFile(dir, run.site.id), 'a');
  try {
    await handle.write(line);
  } finally {
    await handle.close();
  }
}

/** Drop history lines whose run started before `cutoff` (lines that do not parse are kept). */
export async function pruneHistory(dir: string, siteIds: Iterable<string>, cutoff: Date): Promise<number> {
  let dropped = 0;
  for (const id of new Set(siteIds)) {
    const file = historyFile(dir, id);
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const lines = text.split('\n').filter(Boolean);
    const kept = lines.filter((line) => {
      try {
        const started = Date.parse((JSON.parse(line) as { startedAt?: string }).startedAt ?? '');
        return !(started < cutoff.getTime());
      } catch {
        return true;
      }
    });
    if (kept.length === lines.length) continue;
    dropped += lines.length - kept.length;
    await writeFileAtomic(file, kept.length ? `${kept.join('\n')}\n` : '');
  }
  return dropped;
}
