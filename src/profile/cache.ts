/**
 * The parsed and validated profiles of a sweep, kept between runs in the
 * state folder (`cache/profiles-<hash>.jsonl`, one file per set of profiles,
 * as the sweep's lock): a nightly sweep over profiles nobody edited skips
 * YAML parsing and schema validation, which were a fifth of the CPU of a
 * 1,000-site loopback sweep (docs/run-format.md, "Sweeps").
 *
 * An entry is used only when every file of the profile (the site file and
 * each `extends:` parent) still has the size, modification and change times,
 * device and inode it had when it was cached; anything else is read and
 * validated again. What is cached is the document before `${ENV}` references
 * are resolved, so the environment of each run still applies. A file changed
 * (its change time: mtime can be set back, ctime cannot) less than RACY_MS
 * before it was read is not cached: a write within the same clock tick could
 * leave every time as it was. The file is a cache: one that cannot be read or
 * written is a cache miss, never an error.
 */
import { type Stats, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Bumped when the cached shape changes; entries of another format or tool version are dropped. */
const FORMAT = 1;
/** A file changed this close to the moment it was read is not cached (see above). */
const RACY_MS = 2000;

interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

const stampOf = (file: string, st: Stats): FileStamp => ({
  path: file,
  size: st.size,
  mtimeMs: st.mtimeMs,
  ctimeMs: st.ctimeMs,
  ino: st.ino,
  dev: st.dev,
});

const sameStamp = (a: FileStamp, st: Stats) =>
  a.size === st.size &&
  a.mtimeMs === st.mtimeMs &&
  a.ctimeMs === st.ctimeMs &&
  a.ino === st.ino &&
  a.dev === st.dev;

/** A cached profile: its files (site file first, as loaded) and the validated document. */
export interface CachedProfile {
  files: string[];
  document: Record<string, unknown>;
}

export interface ProfileCache {
  /** The cached document of the profile at absolute path `file`, if its files are unchanged. */
  get(file: string): CachedProfile | undefined;
  /** Remember a profile just loaded from `files` (absolute, site file first). */
  put(file: string, files: readonly string[], document: unknown, readAt: number): void;
  /** Writes the entries used by this run (and only those), when anything changed. */
  save(): Promise<void>;
}

/** JSON that gives the same values back: no NaN, no infinities, nothing but plain data. */
function jsonExact(value: unknown): string | undefined {
  let exact = true;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) exact = false;
    else if (typeof v === 'number' && Object.is(v, -0)) exact = false;
    else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) exact = false;
    } else if (typeof v === 'undefined' || typeof v === 'bigint' || typeof v === 'function') exact = false;
    return v;
  });
  return exact ? text : undefined;
}

/** The cache file of a sweep (`key`: the hash that also names its lock). */
export async function openProfileCache(
  stateDir: string,
  key: string,
  version: string,
  { racyMs = RACY_MS }: { racyMs?: number } = {},
): Promise<ProfileCache> {
  const file = path.join(stateDir, 'cache', `profiles-${key}.jsonl`);
  const header = JSON.stringify({ format: FORMAT, version });
  /** The entries on disk, as their JSON lines (parsed only when asked for). */
  const old = new Map<string, string>();
  try {
    const text = await fs.readFile(file, 'utf8');
    const lines = text.split('\n');
    if (lines[0] === header)
      for (const line of lines.slice(1)) {
        if (!line) continue;
        // `{"file":"…",` starts every line: the key is read without parsing the document.
        const end = line.indexOf('",', 9);
        if (!line.startsWith('{"file":"') || end < 0) continue;
        try {
          old.set(JSON.parse(line.slice(8, end + 1)) as string, line);
        } catch {}
      }
  } catch {}
  const used = new Map<string, string>();
  let changed = false;
  return {
    get(abs) {
      const line = old.get(abs);
      if (line === undefined) return undefined;
      let entry: { file: string; stamps: FileStamp[]; document: Record<string, unknown> };
      try {
        entry = JSON.parse(line);
        if (entry.file !== abs) return undefined;
        for (const stamp of entry.stamps) if (!sameStamp(stamp, statSync(stamp.path))) return undefined;
      } catch {
        return undefined;
      }
      used.set(abs, line);
      return { files: entry.stamps.map((s) => s.path), document: entry.document };
    },
    put(abs, files, document, readAt) {
      changed = true;
      const stamps: FileStamp[] = [];
      try {
        for (const f of files) {
          const st = statSync(f);
          if (readAt - st.ctimeMs < racyMs) return;
          stamps.push(stampOf(f, st));
        }
      } catch {
        return;
      }
      const doc = jsonExact(document);
      if (doc === undefined) return;
      used.set(abs, `{"file":${JSON.stringify(abs)},"stamps":${JSON.stringify(stamps)},"document":${doc}}`);
    },
    async save() {
      if (!changed && used.size === old.size) return;
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(tmp, `${header}\n${[...used.values()].join('\n')}\n`);
        await fs.rename(tmp, file);
      } catch {
        await fs.rm(tmp, { force: true }).catch(() => {});
      }
    },
  };
}
