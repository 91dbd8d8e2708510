/**
 * A small glob for profile paths (`profiles/**\/*.yaml`), since Node 20 has no
 * fs.glob: `**` any folders, `*` and `?` within a name, `[a-z]` / `[!0-9]`
 * character classes, `{a,b}` alternatives.
 * Bounded: stops after `limit` matches or entries.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const hasGlob = (p: string) => /[*?{[]/.test(p);

const literal = (ch: string) => ch.replace(/[.+^$()|[\]\\{}]/g, '\\$&');

/** `[abc]`, `[a-z]`, `[!a-z]` or `[^a-z]` starting at `seg[i]`: its regex and where it ends, or undefined. */
function charClass(seg: string, i: number): { re: string; end: number } | undefined {
  let j = i + 1;
  const negate = seg[j] === '!' || seg[j] === '^';
  if (negate) j += 1;
  // A `]` right after the opening bracket is a member, as in the shell.
  const start = j;
  if (seg[j] === ']') j += 1;
  while (j < seg.length && seg[j] !== ']') j += 1;
  if (j >= seg.length || j === start) return undefined;
  const body = seg.slice(start, j).replace(/[\\\]^]/g, '\\$&');
  return { re: `[${negate ? '^' : ''}${body}]`, end: j };
}

/** One path segment (no `/`) as a regex source: `*`, `?`, `[...]` and `{a,b}` (not nested). */
function translate(seg: string, braces = true): string {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const cls = charClass(seg, i);
      if (cls) {
        re += cls.re;
        i = cls.end;
      } else re += '\\[';
    } else if (ch === '{' && braces) {
      const end = seg.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${seg
          .slice(i + 1, end)
          .split(',')
          .map((alt) => translate(alt, false))
          .join('|')})`;
        i = end;
      }
    } else re += literal(ch);
  }
  return re;
}

function segmentRegex(seg: string): RegExp {
  return new RegExp(`^${translate(seg)}$`);
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
