/**
 * `--history DIR`: one JSON line per site and run, appended to
 * DIR/<site-id>.jsonl, so trends can be read without a registry (jq, a
 * spreadsheet, `diemcau report` later). One write per line, with O_APPEND,
 * so concurrent sweeps never interleave within a line.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import type { SiteRun } from '../../engine/run.js';
import { FileError } from '../../errors.js';

export const HISTORY_SCHEMA = 'diemcau/history@1';

const safeName = (id: string) => id.replace(/[^a-zA-Z0-9._-]/g, '_');

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
  const handle = await fs.open(path.join(dir, `${safeName(run.site.id)}.jsonl`), 'a');
  try {
    await handle.write(line);
  } finally {
    await handle.close();
  }
}
