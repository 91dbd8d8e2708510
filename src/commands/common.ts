/** Helpers shared by commands: which profile, loading it in the right language, output files, --since. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Context, withLocale } from '../cli/context.js';
import { FileError, UsageError } from '../errors.js';
import { parseDuration } from '../profile/duration.js';
import type { ResolvedProfile } from '../profile/types.js';
import { writableProblem, writeFileAtomic } from '../util/atomic.js';

export const DEFAULT_PROFILE = 'diemcau.yaml';

/** -p/--profile, else $DIEMCAU_PROFILE (commander fills the flag from it), else ./diemcau.yaml. */
export async function resolveProfilePath(ctx: Context, flag: string | undefined): Promise<string> {
  if (flag) return path.resolve(ctx.cwd, flag);
  if (ctx.env.DIEMCAU_PROFILE) return path.resolve(ctx.cwd, ctx.env.DIEMCAU_PROFILE);
  const file = path.resolve(ctx.cwd, DEFAULT_PROFILE);
  const exists = await fs.stat(file).then(
    () => true,
    () => false,
  );
  if (!exists)
    throw new UsageError(ctx.t('check.no_profile', { file: DEFAULT_PROFILE }), {
      hint: ctx.t('check.hint.no_profile'),
    });
  return file;
}

/** Load one site profile; the returned context speaks the profile's `locale:` unless --lang was given. */
export async function loadSite(
  ctx: Context,
  file: string,
  need: 'all' | 'registry' = 'all',
): Promise<{ profile: ResolvedProfile; ctx: Context }> {
  // Loaded here, not at the top: a report with no profile (--registry) never loads yaml or TypeBox.
  const { loadProfile } = await import('../profile/load.js');
  // Only the registry part: a ${VAR} elsewhere (CODEC_PASSWORD…) may be unset, as it is under cron.
  const { profile } = await loadProfile(file, {
    t: ctx.t,
    env: ctx.env,
    cwd: ctx.cwd,
    ...(need === 'registry' ? { env_mode: 'lenient' as const } : {}),
  });
  if (!profile) throw new UsageError(ctx.t('check.no_profile', { file }));
  const unset =
    need === 'registry'
      ? /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(JSON.stringify(profile.registry ?? {}))
      : null;
  if (unset) throw new UsageError(ctx.t('profile.err.registry_env', { name: unset[1] as string, file }));
  return { profile, ctx: withLocale(ctx, profile.locale) };
}

/** Fail early (exit 3) when an output file cannot be written, before any work is done. */
export async function assertWritable(ctx: Context, file: string): Promise<void> {
  const abs = path.resolve(ctx.cwd, file);
  const problem = await writableProblem(abs);
  if (!problem) return;
  const dir = path.dirname(file) || '.';
  const key =
    problem === 'is-dir'
      ? 'cli.err.output_is_dir'
      : problem === 'no-dir'
        ? 'cli.err.output_dir'
        : 'cli.err.output_access';
  throw new UsageError(ctx.t(key, { file, dir }));
}

export async function writeOutput(ctx: Context, file: string, data: string): Promise<void> {
  try {
    await writeFileAtomic(path.resolve(ctx.cwd, file), data);
  } catch (err) {
    throw new FileError(
      ctx.t('cli.err.output_write', { file, reason: (err as NodeJS.ErrnoException).code ?? String(err) }),
      { cause: err },
    );
  }
}

/**
 * The profile when there is one: -p/--profile or $DIEMCAU_PROFILE must load;
 * a missing ./diemcau.yaml is fine (everything can come from flags).
 */
export async function optionalProfile(
  ctx: Context,
  flag: string | undefined,
  need: 'all' | 'registry' = 'all',
): Promise<{ profile?: ResolvedProfile; ctx: Context }> {
  let file: string;
  try {
    file = await resolveProfilePath(ctx, flag);
  } catch (err) {
    if (err instanceof UsageError && !flag && !ctx.env.DIEMCAU_PROFILE) return { ctx };
    throw err;
  }
  return loadSite(ctx, file, need);
}

/** "7d" back from now, or a date-time. */
export function sinceOf(ctx: Context, since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const back = parseDuration(since);
  if (back !== undefined && /[a-z]$/i.test(since.trim()))
    return new Date(ctx.clock.now().getTime() - back).toISOString();
  const ms = Date.parse(since);
  if (!/^\d{4}-\d{2}-\d{2}/.test(since) || Number.isNaN(ms))
    throw new UsageError(ctx.t('incident.err.since', { got: since }));
  return new Date(ms).toISOString();
}
