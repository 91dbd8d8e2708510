/** `diemcau sync`: send the outbox in order; report what was sent, what is still queued and what was refused. */
import type { Context } from '../cli/context.js';
import type { SyncFlags } from '../cli/wiring/registry.js';
import { ExitWith } from '../errors.js';
import { UNADDRESSED } from '../registry/outbox.js';
import { deliver, faultText, outboxOf, resolveTarget, stopWhy } from '../registry/session.js';
import { optionalProfile } from './common.js';

export type SyncOptions = SyncFlags;

export async function syncCommand(ctx0: Context, opts: SyncOptions): Promise<number> {
  const { profile, ctx } = await optionalProfile(ctx0, opts.profile, 'registry');
  const { t } = ctx;
  // With no registry named anywhere, the queue's own registry (when it has just one) is the one to send to.
  const queued = await outboxOf(ctx).list();
  const registries = [...new Set(queued.map((i) => i.registry).filter((r) => r !== UNADDRESSED))];
  // Nothing queued and no registry named: nothing to do is not an error (cron on a quiet machine).
  if (queued.length === 0 && !opts.registry && !ctx.env.DIEMCAU_REGISTRY && !profile?.registry?.url) {
    const zero = { sent: 0, queued: 0, rejected: 0 };
    if (opts.format === 'json')
      ctx.io.stdout.write(`${JSON.stringify({ registry: null, ...zero }, null, 2)}\n`);
    else ctx.io.stdout.write(`${t('sync.summary', zero)}\n`);
    return 0;
  }
  const target = resolveTarget(ctx, {
    flag: opts.registry,
    profile,
    fallbackUrl: registries.length === 1 ? registries[0] : undefined,
  });
  const { report } = await deliver(ctx, target);
  const summary = {
    sent: report.sent.length,
    queued: report.queued.length + report.elsewhere.length,
    rejected: report.rejected.length,
  };
  if (opts.format === 'json') {
    ctx.io.stdout.write(
      `${JSON.stringify(
        {
          registry: target.url,
          ...summary,
          items: {
            sent: report.sent.map((s) => ({
              id: s.item.id,
              kind: s.item.kind,
              label: s.item.label,
              replayed: s.replayed,
            })),
            queued: [...report.queued, ...report.elsewhere].map((i) => ({
              id: i.id,
              kind: i.kind,
              label: i.label,
              registry: i.registry,
            })),
            rejected: report.rejected.map((r) => ({ id: r.id, kind: r.kind, label: r.label, ...r.rejected })),
          },
          ...(report.stopped ? { stopped: report.stopped } : {}),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const out = ctx.io.stdout;
    for (const s of report.sent)
      out.write(`${t(s.replayed ? 'sync.replayed' : 'sync.sent', { label: s.item.label })}\n`);
    for (const r of report.rejected)
      out.write(`${t('sync.rejected', { label: r.label, reason: faultText(ctx, r.rejected) })}\n`);
    if (report.stopped) out.write(`${t('sync.stopped', { why: stopWhy(ctx, report.stopped) })}\n`);
    if (report.elsewhere.length) {
      const urls = [...new Set(report.elsewhere.map((i) => i.registry))].join(', ');
      out.write(`${t('sync.elsewhere', { n: report.elsewhere.length, urls })}\n`);
    }
    out.write(`${t('sync.summary', summary)}\n`);
  }
  // Something refused needs a person (exit 2); queued for later is not a failure of sync.
  if (summary.rejected > 0) throw new ExitWith(2);
  return 0;
}
