/**
 * A small glob for profile paths (`profiles/**\/*.yaml`), since Node 20 has no
 * fs.glob: `**` any folders, `*` and `?` within a name, `{a,b}` alternatives.
 * Bounded: stops after `limit` matches or entries.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const hasGlob = (p: string) => /[*?{]/.test(p);

function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = seg.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${seg
          .slice(i + 1, end)
          .split(',')
          .map((s) =>
            s
              .replace(/[.+^$()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]'),
          )
          .join('|')})`;
        i = end;
      }
    } else re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export async function glob(pattern: string, cwd: string, limit = 100_000): Promise<string[]> {
  const abs = path.resolve(cwd, pattern);
  const parts = abs.split(path.sep);
  const firstGlob = parts.findIndex(hasGlob);
  if (firstGlob < 0) return [abs];
  const base = parts.slice(0, firstGlob).join(path.sep) || path.sep;
  const segs = parts.slice(firstGlob);
  const out: string[] = [];
  let seen = 0;
  const walk = async (dir: string, i: number): Promise<void> => {
    if (out.length >= limit || seen >= limit) return;
    const seg = segs[i];
    if (seg === undefined) return;
    const last = i === segs.length - 1;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    if (seg === '**') {
      await walk(dir, i + 1);
      for (const e of entries) {
        seen += 1;
        if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
          await walk(path.join(dir, e.name), i);
      }
      return;
    }
    const re = segmentRegex(seg);
    for (const e of entries) {
      seen += 1;
      if (!re.test(e.name)) continue;
      const full = path.join(dir, e.name);
      if (last) {
        if (e.isFile() && !out.includes(full)) out.push(full);
      } else if (e.isDirectory()) await walk(full, i + 1);
    }
  };
  await walk(base, 0);
  return out;
}
