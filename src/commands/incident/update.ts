/** `diemcau incident update <id> --status acknowledged|resolved --note ...`, through the outbox. */
import type { Context } from '../../cli/context.js';
import type { IncidentUpdateFlags } from '../../cli/wiring/incident.js';
import { RegistryError } from '../../errors.js';
import type { Incident, IncidentPatch } from '../../model/incident.js';
import { deliver, fateOf, faultText, reportBacklog, resolveTarget, stopWhy } from '../../registry/session.js';
import { optionalProfile } from '../common.js';

export type UpdateOptions = IncidentUpdateFlags & { id: number };

export async function updateCommand(ctx0: Context, opts: UpdateOptions): Promise<number> {
  const { profile, ctx } = await optionalProfile(ctx0, opts.profile);
  const { t } = ctx;
  const target = resolveTarget(ctx, { flag: opts.registry, profile });
  const by = opts.by ?? profile?.site.technician?.name;
  const body: IncidentPatch = {
    status: opts.status,
    ...(opts.note ? { note: opts.note } : {}),
    ...(by ? { by } : {}),
  };
  const label = `#${opts.id} → ${opts.status}${opts.note ? `: ${opts.note}` : ''}`;
  const { report, added } = await deliver(ctx, target, [
    {
      kind: 'incident-update',
      method: 'PATCH',
      path: `/v1/incidents/${opts.id}`,
      body,
      registry: target.url,
      label,
    },
  ]);
  reportBacklog(ctx, report, added);
  const fate = fateOf(report, added[0] as (typeof added)[number]);
  if (fate.state === 'sent') {
    const inc = fate.response as Incident;
    ctx.io.stdout.write(
      `${t('incident.updated', { id: inc.id, status: t(`incident.status.${inc.status}`) })}\n`,
    );
    return 0;
  }
  if (fate.state === 'queued') {
    ctx.io.stdout.write(`${t('outbox.queued', { label, why: stopWhy(ctx, report.stopped) })}\n`);
    return 0;
  }
  throw new RegistryError(t('registry.err.rejected', { message: faultText(ctx, fate.rejection) }), {
    status: fate.status,
    code: fate.code,
  });
}
