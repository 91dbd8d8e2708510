/**
 * How commands talk to the registry: which registry and token (flag, env,
 * profile), and "queue, then flush": every write goes through the outbox, and
 * every command that talks to the registry sends what is already queued first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context, RegistryApi } from '../cli/context.js';
import { FileError, RegistryError, UsageError } from '../errors.js';
import type { ResolvedProfile } from '../profile/types.js';
import { siteTimeZone } from '../util/local-time.js';
import { batchSender } from './batch-client.js';
import { type ClientOptions, type Outcome, RegistryClient } from './client.js';
import { type ApiFault, apiErrorText, netErrorText } from './error-text.js';
import {
  type FlushReport,
  type NewItem,
  Outbox,
  type OutboxItem,
  type Rejection,
  type Stop,
} from './outbox.js';

/** A refusal of the registry in the user's language (src/registry/error-text.ts). */
export const faultText = (ctx: Context, f: ApiFault): string =>
  apiErrorText(ctx.t, f, { debug: ctx.debug, timeZone: siteTimeZone(ctx.env), locale: ctx.locale });

export interface Target {
  url: string;
  token: string | undefined;
}

/** --registry, else DIEMCAU_REGISTRY, else the profile's registry.url; token: DIEMCAU_TOKEN, else the profile's. */
export function resolveTarget(
  ctx: Context,
  opts: { flag?: string; profile?: ResolvedProfile; fallbackUrl?: string },
): Target {
  const url = opts.flag || ctx.env.DIEMCAU_REGISTRY || opts.profile?.registry?.url || opts.fallbackUrl;
  if (!url) throw new UsageError(ctx.t('registry.err.no_url'), { hint: ctx.t('registry.hint.no_url') });
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new UsageError(ctx.t('cli.err.invalid_value', { token: '--registry', reason: url }), {
      hint: ctx.t('registry.hint.no_url'),
    });
  }
  const token = ctx.env.DIEMCAU_TOKEN || opts.profile?.registry?.token || undefined;
  return { url: url.replace(/\/+$/, ''), token };
}

export function outboxOf(ctx: Context): Outbox {
  return new Outbox(ctx.stateDir);
}

/** The CA file of DIEMCAU_CA (or --ca, which sets it): PEM text, read once per client. */
function caOf(ctx: Context): string | undefined {
  const file = ctx.env.DIEMCAU_CA;
  if (!file) return undefined;
  const full = path.resolve(ctx.cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (err) {
    throw new FileError(ctx.t('registry.err.ca', { file, reason: (err as Error).message }), { cause: err });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new FileError(ctx.t('registry.err.ca', { file, reason: ctx.t('registry.err.ca_not_pem') }));
  return text;
}

/** A client for the target: the context's factory when it has one (tests), else the real RegistryClient. */
export function clientFor(ctx: Context, target: Target): RegistryApi {
  const timeoutMs = Number(ctx.env.DIEMCAU_REGISTRY_TIMEOUT_MS) || 8000;
  const deadlineMs = Number(ctx.env.DIEMCAU_REGISTRY_DEADLINE_MS) || undefined;
  const maxReplyBytes = Number(ctx.env.DIEMCAU_REGISTRY_MAX_REPLY) || undefined;
  const ca = caOf(ctx);
  const opts: ClientOptions = {
    url: target.url,
    token: target.token,
    timeoutMs,
    ...(deadlineMs ? { deadlineMs } : {}),
    ...(maxReplyBytes ? { maxReplyBytes } : {}),
    ...(ca ? { ca } : {}),
    retries: 2,
    signal: ctx.signal,
    userAgent: `diemcau/${ctx.version}`,
  };
  return ctx.registryClient?.(opts) ?? new RegistryClient(opts);
}

const sendItem = (client: RegistryApi, item: OutboxItem): Promise<Outcome> =>
  client.send(item.method, item.path, { body: item.body, idempotencyKey: item.key });

/** Queue the items durably, then send everything queued for this registry, oldest first. */
export async function deliver(
  ctx: Context,
  target: Target,
  items: NewItem[] = [],
): Promise<{ report: FlushReport; added: OutboxItem[] }> {
  const outbox = outboxOf(ctx);
  const added: OutboxItem[] = [];
  for (const item of items) added.push(await outbox.add({ ...item, registry: target.url }, ctx.clock.now()));
  const client = clientFor(ctx, target);
  try {
    const report = await outbox.flush(target.url, (item) => sendItem(client, item), {
      hasToken: Boolean(target.token),
      now: () => ctx.clock.now(),
      // Queued runs go in batches (POST /v1/runs:batch), single uploads to an older registry.
      sendBatch: batchSender(client),
    });
    return { report, added };
  } finally {
    await client.close();
  }
}

/** What happened to one queued item in a flush. */
export function fateOf(
  report: FlushReport,
  item: OutboxItem,
):
  | { state: 'sent'; response: unknown; replayed: boolean }
  | { state: 'rejected'; rejection: Rejection; status: number; code: string }
  | { state: 'queued' } {
  const sent = report.sent.find((s) => s.item.id === item.id);
  if (sent) return { state: 'sent', response: sent.response, replayed: sent.replayed };
  const rej = report.rejected.find((r) => r.id === item.id);
  if (rej)
    return {
      state: 'rejected',
      rejection: rej.rejected,
      status: rej.rejected.status,
      code: rej.rejected.code,
    };
  return { state: 'queued' };
}

export function stopWhy(ctx: Context, stopped: Stop | undefined): string {
  const reason = stopped?.fault ? faultText(ctx, stopped.fault) : (stopped?.message ?? '');
  if (stopped?.code === 'token_expired') return ctx.t('outbox.why.token_expired');
  if (stopped?.code === 'token_revoked') return ctx.t('outbox.why.token_revoked');
  switch (stopped?.reason) {
    case 'unreachable':
      return ctx.t('outbox.why.unreachable', { reason: netErrorText(ctx.t, stopped.netCode, reason) });
    case 'server':
      return ctx.t('outbox.why.server', { reason });
    case 'unauthorized':
      return ctx.t('outbox.why.unauthorized', { reason });
    case 'unconfirmed':
      return ctx.t('outbox.why.unconfirmed', { reason });
    case 'no-token':
      return ctx.t('outbox.why.no_token');
    case 'locked':
      return ctx.t('outbox.why.locked');
    case 'cancelled':
      return ctx.t('outbox.why.cancelled');
    default:
      return '';
  }
}

/**
 * Lines about earlier queued items a command sent on its way (stderr), so
 * nothing leaves or is refused unseen. `skip` holds the command's own items,
 * which it reports itself.
 */
export function reportBacklog(ctx: Context, report: FlushReport, skip: readonly OutboxItem[] = []): void {
  const own = new Set(skip.map((i) => i.id));
  const err = ctx.io.stderr;
  for (const s of report.sent) {
    if (!own.has(s.item.id))
      err.write(`${ctx.t(s.replayed ? 'sync.replayed' : 'sync.sent', { label: s.item.label })}\n`);
  }
  for (const r of report.rejected) {
    if (!own.has(r.id))
      err.write(`${ctx.t('sync.rejected', { label: r.label, reason: faultText(ctx, r.rejected) })}\n`);
  }
}

/** A read: outcomes other than 200 become a RegistryError that says what to do. */
export function readOrThrow<T>(ctx: Context, target: Target, outcome: Outcome<T>): T {
  const { t } = ctx;
  if (outcome.kind === 'ok') return outcome.body;
  if (outcome.kind === 'unreachable' && outcome.certificate) {
    throw new RegistryError(t('registry.err.certificate', { url: target.url, reason: outcome.message }), {
      hint: t('registry.hint.certificate'),
    });
  }
  if (outcome.kind === 'unreachable') {
    throw new RegistryError(
      t('registry.err.unreachable', {
        url: target.url,
        reason: netErrorText(t, outcome.code, outcome.message),
      }),
      {
        hint: t('registry.hint.unreachable'),
      },
    );
  }
  if (outcome.foreign) {
    throw new RegistryError(t('registry.err.unconfirmed', { url: target.url, reason: outcome.message }), {
      status: outcome.status,
      code: outcome.code,
      hint: t('registry.hint.unconfirmed'),
    });
  }
  if (outcome.status === 401) {
    throw new RegistryError(t('registry.err.unauthorized', { message: faultText(ctx, outcome) }), {
      status: 401,
      code: outcome.code,
      hint: t(
        outcome.code === 'token_expired'
          ? 'registry.hint.token_expired'
          : outcome.code === 'token_revoked'
            ? 'registry.hint.token_revoked'
            : 'registry.hint.no_token',
      ),
    });
  }
  if (outcome.status >= 500)
    throw new RegistryError(t('registry.err.server', { message: faultText(ctx, outcome) }), {
      status: outcome.status,
    });
  throw new RegistryError(t('registry.err.rejected', { message: faultText(ctx, outcome) }), {
    status: outcome.status,
    code: outcome.code,
    exitCode: 3,
  });
}
