/**
 * Roll call (`diemcau call --watch --upload`): the codec's call state goes to
 * the registry on each change, through the outbox, so a line that is down
 * queues the changes and the next one (or `diemcau sync`) sends them in order
 * (docs/registry-api.md, call states).
 */
import type { Context } from '../cli/context.js';
import type { CallInfo } from '../drivers/types.js';
import type { CallStateInput, CallStateWord } from '../model/call-state.js';
import type { ResolvedProfile } from '../profile/types.js';
import { readerTime } from '../util/local-time.js';
import { terminalText } from '../util/sanitize.js';
import type { OutboxItem } from './outbox.js';
import { deliver, fateOf, faultText, reportBacklog, resolveTarget, stopWhy } from './session.js';

/** The far end as it may be stored: no controls, no password in `user:password@host`, at most 500 characters. */
export function cleanRemote(remote: string): string | undefined {
  const text = terminalText(remote).trim();
  const scheme = /^(sips?|h323|tel):/i.exec(text)?.[0] ?? '';
  const rest = text.slice(scheme.length).replace(/^([^:@\s/]+):[^@\s]*@/, '$1@');
  return `${scheme}${rest}`.slice(0, 500) || undefined;
}

/** One state for the codec: its connected call if it has one, else its first call, else disconnected. */
export function callStateOf(
  calls: readonly Pick<CallInfo, 'state' | 'remote'>[],
  busy?: string,
): { state: CallStateWord; remote?: string } {
  const call = calls.find((c) => c.state === 'connected') ?? calls.find((c) => c.state !== 'idle');
  if (!call) return { state: busy ? 'other' : 'disconnected' };
  const remote = cleanRemote(call.remote);
  return { state: call.state === 'idle' ? 'disconnected' : call.state, ...(remote ? { remote } : {}) };
}

export interface RollCall {
  /** Send the state when it differs from the last one sent (the first is always sent). */
  observe(calls: readonly Pick<CallInfo, 'state' | 'remote'>[], busy?: string): Promise<void>;
}

export function startRollCall(
  ctx: Context,
  profile: ResolvedProfile,
  opts: { registry?: string; meeting?: string },
): RollCall {
  const target = resolveTarget(ctx, { flag: opts.registry, profile });
  const site = profile.site.id;
  let last: string | undefined;
  return {
    async observe(calls, busy) {
      const now = ctx.clock.now().toISOString();
      const { state, remote } = callStateOf(calls, busy);
      const key = `${state} ${remote ?? ''}`;
      if (key === last) return;
      last = key;
      const body: CallStateInput = {
        at: now,
        state,
        ...(remote ? { remote } : {}),
        ...(opts.meeting ? { meeting: opts.meeting } : {}),
      };
      const label = `${site}: ${ctx.t(`roll.state.${state}`)} ${readerTime(ctx.env, now)}`;
      const { report, added } = await deliver(ctx, target, [
        {
          kind: 'call-state',
          method: 'POST',
          path: `/v1/sites/${encodeURIComponent(site)}/call-states`,
          body,
          registry: target.url,
          label,
        },
      ]);
      reportBacklog(ctx, report, added);
      const fate = fateOf(report, added[0] as OutboxItem);
      const line =
        fate.state === 'sent'
          ? ctx.t('sync.sent', { label })
          : fate.state === 'rejected'
            ? ctx.t('sync.rejected', { label, reason: faultText(ctx, fate.rejection) })
            : ctx.t('outbox.queued', { label, why: stopWhy(ctx, report.stopped) });
      ctx.io.stderr.write(`${line}\n`);
    },
  };
}
