/** What the incident commands share: labels in the user's language. */
import type { Context } from '../../cli/context.js';
import type { IncidentCategory } from '../../model/incident.js';
import { CATEGORY_LABELS } from '../../registry/categories.js';

export function categoryLabel(ctx: Context, code: string): string {
  const labels = CATEGORY_LABELS[code as IncidentCategory];
  return labels ? labels[ctx.locale] : code;
}
