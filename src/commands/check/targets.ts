/** Which profile files a `diemcau check` covers: files, folders (recursively) and globs. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import { glob, hasGlob } from '../../util/glob.js';

export interface Target {
  file: string;
  /** Found by expanding a folder or a glob: a defaults file there is skipped, not an error. */
  expanded: boolean;
}

const isProfileName = (name: string) => /\.ya?ml$/i.test(name);

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(full, out);
    else if (e.isFile() && isProfileName(e.name)) out.push(full);
  }
}

/** Every argument must name at least one profile: a folder or glob with none is exit 3, not an empty sweep. */
export async function expandTargets(
  ctx: Pick<Context, 't' | 'cwd'>,
  args: readonly string[],
): Promise<Target[]> {
  const { cwd } = ctx;
  const out: Target[] = [];
  const seen = new Set<string>();
  const push = (file: string, expanded: boolean) => {
    if (seen.has(file)) return;
    seen.add(file);
    out.push({ file, expanded });
  };
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    const stat = await fs.stat(abs).catch(() => undefined);
    if (stat?.isDirectory()) {
      const files: string[] = [];
      await walk(abs, files);
      if (files.length === 0)
        throw new UsageError(ctx.t('check.err.empty_folder', { dir: arg }), {
          hint: ctx.t('check.hint.empty_match'),
        });
      for (const f of files) push(f, true);
    } else if (!stat && hasGlob(arg)) {
      const files = (await glob(arg, cwd)).filter(isProfileName);
      if (files.length === 0)
        throw new UsageError(ctx.t('check.err.empty_glob', { pattern: arg }), {
          hint: ctx.t('check.hint.empty_match'),
        });
      for (const f of files) push(f, true);
    } else push(abs, false);
  }
  return out;
}
