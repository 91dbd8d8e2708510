/**
 * Load a site profile: read YAML (duplicate keys are errors), follow
 * `extends:`, merge (the site file wins; checks and bridges merge by id),
 * apply `check_defaults`, validate against the composed schema, check ids and
 * `needs`, then resolve ${ENV} references. Every error names file:line:col,
 * the path and what is allowed.
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
// Errors alone, not the Value namespace: that would load every value operation (cast, convert, diff...).
import { Errors, ValueErrorType } from '@sinclair/typebox/errors';
import { LineCounter, parseDocument } from 'yaml';
import { findKind } from '../checks/index.js';
import { ProfileError } from '../errors.js';
import type { MessageKey, Translator } from '../i18n/index.js';
import { didYouMean } from '../util/suggest.js';
import type { ProfileCache } from './cache.js';
import { toMs } from './duration.js';
import { describe, pickError, pointerToPath, show } from './errors.js';
import { formatPath, type Layer, locate, type PathSegment } from './position.js';
import {
  type CheckFields,
  type CheckSchema,
  KIND_NAMES,
  loadCheckSchema,
  type ProfileDocument,
  ProfileTop,
} from './schema.js';
import type { CheckSpec, ResolvedProfile } from './types.js';

export interface LoadOptions {
  t: Translator;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** 'require': a missing ${VAR} is an error; 'lenient': it is left as written and listed. */
  env_mode?: 'require' | 'lenient';
  /** Accept a defaults file (no `site:`), for `profile validate`. */
  allowDefaults?: boolean;
  /** A sweep's cache of validated profiles (src/profile/cache.ts). */
  cache?: ProfileCache;
}

export interface LoadResult {
  profile: ResolvedProfile | undefined;
  /** Set for a defaults file (no site). */
  isDefaults: boolean;
  /** ${VAR}s that were not set (lenient mode only). */
  missingEnv: string[];
}

const SECRET_KEYS = /^(password|token|secret|passphrase|api_key)$/i;

type Data = Record<string, unknown>;
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Largest profile (or `extends:` target) read: real ones are a few KiB (docs/operations.md). */
const MAX_PROFILE_BYTES = 1024 * 1024;

/**
 * The file as UTF-8, read no further than `max` bytes; undefined when it is
 * larger. Synchronous: a profile is a few KiB in the page cache, and a sweep
 * of 10,000 profiles spent more CPU handing each stat, open, read and close
 * to the thread pool than reading (docs/run-format.md, "Sweeps").
 */
function readAtMost(file: string, max: number, size: number): string | undefined {
  const fd = openSync(file, 'r');
  try {
    // One byte more than allowed tells a file at the limit from one over it (it may have grown since stat).
    const buf = Buffer.alloc(Math.min(max + 1, size + 1));
    let got = 0;
    for (;;) {
      const bytesRead = readSync(fd, buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > max) return undefined;
      if (got === buf.length) break;
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export async function readLayer(
  file: string,
  opts: LoadOptions,
  from?: { layer: Layer; path: PathSegment[] },
): Promise<Layer> {
  const { t } = opts;
  const shown = displayPath(file, opts.cwd);
  const where = () =>
    from
      ? { ...locate([from.layer], from.layer.data, from.path), path: formatPath(from.path) }
      : { file: shown };
  let text: string;
  try {
    // Checked before opening: opening a FIFO would wait for a writer for ever.
    const stat = statSync(file);
    if (stat.isDirectory()) throw new ProfileError(t('profile.err.is_dir', { file: shown }), where());
    if (!stat.isFile()) throw new ProfileError(t('profile.err.not_file', { file: shown }), where());
    const read = readAtMost(file, MAX_PROFILE_BYTES, stat.size);
    if (read === undefined)
      throw new ProfileError(
        t('profile.err.too_large', { file: shown, limit: `${MAX_PROFILE_BYTES / 1024 / 1024} MiB` }),
        where(),
      );
    text = read;
  } catch (err) {
    if (err instanceof ProfileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const key =
      code === 'ENOENT'
        ? 'profile.err.not_found'
        : code === 'EACCES'
          ? 'profile.err.no_access'
          : 'profile.err.read';
    throw new ProfileError(t(key, { file: shown, reason: String(code ?? err) }), where(), { cause: err });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    merge: false,
  });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    const isDup = first.code === 'DUPLICATE_KEY';
    const message = isDup
      ? t('profile.err.duplicate_key')
      : t(yamlErrorKey(first.code, first.message), {
          reason: first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '',
        });
    throw new ProfileError(message, { file: shown, line: pos?.line, col: pos?.col });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Found only when the document is turned into values: an alias to no anchor (`*x`), or one
    // that expands past the alias limit (a "billion laughs" file).
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    throw new ProfileError(t('profile.err.yaml_alias', { reason }), { file: shown }, { cause: err });
  }
  if (data === null || data === undefined)
    throw new ProfileError(t('profile.err.empty_file'), { file: shown });
  if (!isObject(data)) throw new ProfileError(t('profile.err.not_mapping'), { file: shown, line: 1, col: 1 });
  return { file: shown, doc, lines, data };
}

/**
 * The catalogue message for a YAML syntax error, by the parser's error code:
 * what is wrong and how to fix it in the user's words (the parser's own
 * English reason is kept for English readers).
 */
function yamlErrorKey(code: string, message: string): MessageKey {
  // An unclosed { or [ is reported as bad indentation of what follows it.
  if (/end with an? [}\]]/.test(message)) return 'profile.err.yaml_unclosed';
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'profile.err.yaml_tab';
    case 'BAD_INDENT':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_IN_FLOW':
      return 'profile.err.yaml_indent';
    case 'MISSING_CHAR':
      return 'profile.err.yaml_unclosed';
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
      return 'profile.err.yaml_alias';
    case 'MULTIPLE_DOCS':
      return 'profile.err.yaml_docs';
    default:
      return 'profile.err.yaml';
  }
}

/** Merge `over` onto `base`: objects deeply, checks and bridges by id, anything else replaced. */
export function mergeData(base: Data, over: Data, top = true): Data {
  const out: Data = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (top && key === 'extends') continue;
    const prev = out[key];
    if (top && (key === 'checks' || key === 'bridges') && Array.isArray(prev) && Array.isArray(value)) {
      const merged = prev.map((x) => (isObject(x) ? { ...x } : x));
      for (const item of value) {
        const i = isObject(item) ? merged.findIndex((x) => isObject(x) && x.id === item.id) : -1;
        if (i >= 0 && isObject(item)) merged[i] = mergeData(merged[i] as Data, item, false);
        else merged.push(item);
      }
      out[key] = merged;
    } else if (isObject(prev) && isObject(value)) {
      out[key] = mergeData(prev, value, false);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The layers, site file first; `files` gets each one's absolute path. */
async function loadLayers(file: string, opts: LoadOptions, files: string[] = []): Promise<Layer[]> {
  const layers: Layer[] = [];
  const seen = new Set<string>();
  const visit = async (abs: string, from?: { layer: Layer; path: PathSegment[] }): Promise<void> => {
    let real = abs;
    try {
      real = realpathSync.native(abs);
    } catch {}
    if (seen.has(real)) {
      const pos = from ? locate([from.layer], from.layer.data, from.path) : { file: abs };
      throw new ProfileError(opts.t('profile.err.extends_cycle', { file: displayPath(abs, opts.cwd) }), {
        ...pos,
        path: from ? formatPath(from.path) : undefined,
      });
    }
    seen.add(real);
    const layer = await readLayer(abs, opts, from);
    layers.push(layer);
    files.push(abs);
    const ext = layer.data.extends;
    const parents = ext === undefined ? [] : Array.isArray(ext) ? ext : [ext];
    for (const [i, parent] of parents.entries()) {
      const p: PathSegment[] = Array.isArray(ext) ? ['extends', i] : ['extends'];
      if (typeof parent !== 'string') {
        throw new ProfileError(
          opts.t('profile.err.type', { expected: opts.t('profile.type.string'), got: show(parent) }),
          {
            ...locate([layer], layer.data, p),
            path: formatPath(p),
          },
        );
      }
      await visit(path.resolve(path.dirname(abs), parent), { layer, path: p });
    }
  };
  await visit(path.resolve(opts.cwd, file));
  return layers;
}

function fail(layers: Layer[], merged: Data, at: PathSegment[], message: string, atKey = false): never {
  throw new ProfileError(message, { ...locate(layers, merged, at, atKey), path: formatPath(at) });
}

const isUnknownField = (e: { type: number }) => e.type === ValueErrorType.ObjectAdditionalProperties;

/** A check as validated: its kind's schema, so at least the fields every check has. */
type ValidCheck = Data & CheckFields;
/** The profile as validated, checks included. */
type ValidDocument = Omit<ProfileDocument, 'checks'> & { checks?: ValidCheck[] };

/** Stops at the most useful error of `value` against `schema`, `at` being where the value is. */
function assertValid<T extends TSchema>(
  schema: T,
  value: unknown,
  at: PathSegment[],
  layers: Layer[],
  merged: Data,
  t: Translator,
): asserts value is Static<T> {
  const err = pickError([...Errors(schema, value)]);
  if (err) fail(layers, merged, [...at, ...pointerToPath(err.path)], describe(err, t), isUnknownField(err));
}

type CheckSchemas = ReadonlyMap<string, CheckSchema>;

/** The schemas of the kinds the checks name, and only those: a kind's module loads when a profile uses it. */
async function usedSchemas(merged: Data): Promise<CheckSchemas> {
  const names = new Set<string>();
  for (const check of Array.isArray(merged.checks) ? merged.checks : [])
    if (isObject(check) && typeof check.kind === 'string') names.add(check.kind);
  const found = await Promise.all(
    [...names].map(async (name) => [name, await loadCheckSchema(name)] as const),
  );
  return new Map(found.filter((e): e is [string, CheckSchema] => e[1] !== undefined));
}

/** The validated document; undefined for a defaults file (validated as if it had a site). */
function validate(
  layers: Layer[],
  merged: Data,
  opts: LoadOptions,
  isDefaults: boolean,
  schemas: CheckSchemas,
): ValidDocument | undefined {
  const { t } = opts;
  const top: Data = isDefaults ? { site: { id: 'x', name: 'x', unit: 'x' }, ...merged } : merged;
  assertValid(ProfileTop, top, [], layers, merged, t);

  const checks: ValidCheck[] = [];
  const ids = new Map<string, number>();
  for (const [i, check] of (top.checks ?? []).entries()) {
    const kind = check.kind;
    if (kind === undefined)
      fail(layers, merged, ['checks', i], t('profile.err.kind_missing', { kinds: KIND_NAMES.join(', ') }));
    const schema = typeof kind === 'string' ? schemas.get(kind) : undefined;
    if (!schema)
      fail(
        layers,
        merged,
        ['checks', i, 'kind'],
        t('profile.err.kind_unknown', { got: show(kind), kinds: KIND_NAMES.join(', ') }) +
          (typeof kind === 'string' ? didYouMean(t, kind, KIND_NAMES) : ''),
      );
    assertValid(schema, check, ['checks', i], layers, merged, t);
    const id = check.id;
    if (ids.has(id)) fail(layers, merged, ['checks', i, 'id'], t('profile.err.duplicate_id', { id }));
    ids.set(id, i);
    checks.push(check);
  }
  for (const [i, check] of checks.entries()) {
    for (const [j, need] of (check.needs ?? []).entries()) {
      if (!ids.has(need))
        fail(
          layers,
          merged,
          ['checks', i, 'needs', j],
          t('profile.err.needs_unknown', { id: need, ids: [...ids.keys()].join(', ') }),
        );
      if (need === check.id)
        fail(
          layers,
          merged,
          ['checks', i, 'needs', j],
          t('profile.err.needs_cycle', { cycle: `${need} → ${need}` }),
        );
    }
  }
  const cycle = findCycle(checks);
  if (cycle) {
    const i = ids.get(cycle[0] as string) ?? 0;
    fail(layers, merged, ['checks', i, 'needs'], t('profile.err.needs_cycle', { cycle: cycle.join(' → ') }));
  }
  const bridgeIds = new Set<string>();
  for (const [i, bridge] of (top.bridges ?? []).entries()) {
    if (bridgeIds.has(bridge.id))
      fail(layers, merged, ['bridges', i, 'id'], t('profile.err.duplicate_id', { id: bridge.id }));
    bridgeIds.add(bridge.id);
  }
  for (const [i, check] of checks.entries()) {
    if (typeof check.bridge === 'string' && !bridgeIds.has(check.bridge)) {
      fail(
        layers,
        merged,
        ['checks', i, 'bridge'],
        t('profile.err.bridge_unknown', { id: check.bridge, ids: [...bridgeIds].join(', ') || '—' }),
      );
    }
  }
  if (isDefaults) return undefined;
  const { checks: _, ...rest } = top;
  return top.checks ? { ...rest, checks } : rest;
}

/** A cycle in `needs` as the list of ids around it, or undefined. */
export function findCycle(checks: Array<Pick<CheckFields, 'id' | 'needs'>>): string[] | undefined {
  const needs = new Map(checks.map((c) => [c.id, c.needs ?? []]));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'active') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'active');
    stack.push(id);
    for (const n of needs.get(id) ?? []) {
      const c = visit(n);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of needs.keys()) {
    const c = visit(id);
    if (c) return c;
  }
  return undefined;
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `value` with its ${ENV} references replaced: the same shape, strings for strings. */
function resolveEnv<T>(
  layers: Layer[],
  merged: Data,
  value: T,
  opts: LoadOptions,
  missing: string[],
  secrets: string[],
): T {
  const walk = (value: unknown, at: PathSegment[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return value;
      const key = at[at.length - 1];
      let touched = false;
      const out = value.replace(ENV_REF, (whole, name: string) => {
        const v = opts.env[name];
        if (v === undefined) {
          if (opts.env_mode === 'lenient') {
            if (!missing.includes(name)) missing.push(name);
            return whole;
          }
          throw new ProfileError(
            opts.t('profile.err.env_missing', { name }),
            {
              ...locate(layers, merged, at),
              path: formatPath(at),
            },
            { hint: opts.t('profile.hint.env_missing', { name }) },
          );
        }
        touched = true;
        return v;
      });
      if (touched || (typeof key === 'string' && SECRET_KEYS.test(key))) secrets.push(formatPath(at));
      return out;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, i]));
    if (isObject(value)) {
      const out: Data = {};
      for (const [k, v] of Object.entries(value)) {
        if (typeof v === 'string' && SECRET_KEYS.test(k) && !v.includes('${'))
          secrets.push(formatPath([...at, k]));
        out[k] = walk(v, [...at, k]);
      }
      return out;
    }
    return value;
  };
  return walk(value, []) as T;
}

function toSpec(check: ValidCheck): CheckSpec {
  // Loaded by usedSchemas when the profile was validated.
  const kind = findKind(check.kind);
  return {
    id: check.id,
    kind: check.kind,
    title: check.title,
    required: check.required !== false,
    timeoutMs: check.timeout === undefined ? kind?.defaultTimeoutMs : toMs(check.timeout, 10_000),
    retries: check.retries ?? 0,
    needs: check.needs ?? [],
    remote: check.remote,
    skip: check.skip,
    params: check,
  };
}

export async function loadProfile(file: string, opts: LoadOptions): Promise<LoadResult> {
  const abs = path.resolve(opts.cwd, file);
  const hit = opts.cache?.get(abs);
  if (hit) {
    const doc = hit.document as ValidDocument;
    await usedSchemas(doc);
    try {
      return build(abs, hit.files, doc, opts);
    } catch (err) {
      // An ${ENV} that is not set: loaded again from the files, for the error's file:line:col.
      if (!(err instanceof ProfileError)) throw err;
    }
  }
  const readAt = Date.now();
  const files: string[] = [];
  const layers = await loadLayers(file, opts, files);
  // Parents first, the site file last, so the site file wins.
  let merged: Data = {};
  for (const layer of [...layers].reverse()) merged = mergeData(merged, layer.data);
  const siteLayer = layers[0] as Layer;
  const isDefaults = opts.allowDefaults === true && !('site' in siteLayer.data);
  const defaults = isObject(merged.check_defaults) ? merged.check_defaults : {};
  if (Array.isArray(merged.checks)) {
    merged.checks = merged.checks.map((c) =>
      isObject(c) && typeof c.kind === 'string' && isObject(defaults[c.kind])
        ? mergeData(defaults[c.kind] as Data, c, false)
        : c,
    );
  }
  const valid = validate(layers, merged, opts, isDefaults, await usedSchemas(merged));
  if (!valid) {
    const missing: string[] = [];
    resolveEnv(layers, merged, merged, opts, missing, []);
    return { profile: undefined, isDefaults, missingEnv: missing };
  }
  const result = build(abs, files, valid, opts, layers, merged);
  opts.cache?.put(abs, files, valid, readAt);
  return result;
}

/**
 * The profile from its validated document, ${ENV} references resolved.
 * `layers` and `merged` locate an error in the files; from the cache there
 * are none, and the caller reads the files again to say where.
 */
function build(
  abs: string,
  files: readonly string[],
  valid: ValidDocument,
  opts: LoadOptions,
  layers: Layer[] = [],
  merged: Data = valid,
): LoadResult {
  const missing: string[] = [];
  const secrets: string[] = [];
  const resolved = resolveEnv(layers, merged, valid, opts, missing, secrets);
  const profile: ResolvedProfile = {
    file: abs,
    files: files.map((f) => displayPath(f, opts.cwd)),
    site: resolved.site,
    locale: resolved.locale,
    registry: resolved.registry,
    codec: resolved.codec,
    bridges: resolved.bridges ?? [],
    ffmpeg: resolved.ffmpeg,
    meeting: resolved.meeting,
    checks: (resolved.checks ?? []).map(toSpec),
    secretPaths: secrets,
    document: resolved,
  };
  return { profile, isDefaults: false, missingEnv: missing };
}
