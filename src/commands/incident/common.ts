/** What the incident, sync and outbox commands share: an optional profile and labels in the user's language. */
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import type { IncidentCategory } from '../../model/incident.js';
import type { ResolvedProfile } from '../../profile/types.js';
import { CATEGORY_LABELS } from '../../registry/categories.js';
import { loadSite, resolveProfilePath } from '../common.js';

/**
 * The profile when there is one: -p/--profile or $DIEMCAU_PROFILE must load;
 * a missing ./diemcau.yaml is fine (everything can come from flags).
 */
export async function optionalProfile(
  ctx: Context,
  flag: string | undefined,
): Promise<{ profile?: ResolvedProfile; ctx: Context }> {
  let file: string;
  try {
    file = await resolveProfilePath(ctx, flag);
  } catch (err) {
    if (err instanceof UsageError && !flag && !ctx.env.DIEMCAU_PROFILE) return { ctx };
    throw err;
  }
  return loadSite(ctx, file);
}

export function categoryLabel(ctx: Context, code: string): string {
  const labels = CATEGORY_LABELS[code as IncidentCategory];
  return labels ? labels[ctx.locale] : code;
}
