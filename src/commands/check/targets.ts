/** Which profile files a `diemcau check` covers: files, folders (recursively) and globs. */
import fs from 'node:fs/promises';
import path from 'node:path';
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

export async function expandTargets(args: readonly string[], cwd: string): Promise<Target[]> {
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
      for (const f of files) push(f, true);
    } else if (!stat && hasGlob(arg)) {
      for (const f of await glob(arg, cwd)) if (isProfileName(f)) push(f, true);
    } else push(abs, false);
  }
  return out;
}
