import { stringify } from 'yaml';
import type { Context } from '../../cli/context.js';
import type { ProfileShowFlags } from '../../cli/wiring/profile.js';
import { loadProfile } from '../../profile/load.js';
import { formatPath, type PathSegment } from '../../profile/position.js';
import { resolveProfilePath } from '../common.js';

export type ShowOptions = ProfileShowFlags & { file?: string };

/** The merged document with every secret replaced by a mask. */
export function maskSecrets(doc: unknown, secretPaths: readonly string[], mask: string): unknown {
  const secret = new Set(secretPaths);
  const walk = (value: unknown, at: PathSegment[]): unknown => {
    if (secret.has(formatPath(at))) return mask;
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, i]));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...at, k])]));
    }
    return value;
  };
  return walk(doc, []);
}

export async function showCommand(ctx: Context, opts: ShowOptions): Promise<number> {
  const file = await resolveProfilePath(ctx, opts.file);
  const { profile } = await loadProfile(file, { t: ctx.t, env: ctx.env, cwd: ctx.cwd, env_mode: 'lenient' });
  if (!profile) return 3;
  const masked = maskSecrets(profile.document, profile.secretPaths, ctx.t('profile.show.masked'));
  const text =
    opts.format === 'json' ? `${JSON.stringify(masked, null, 2)}\n` : stringify(masked, { lineWidth: 0 });
  ctx.io.stdout.write(text);
  return 0;
}
