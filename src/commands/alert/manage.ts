/**
 * `diemcau alert rule|channel add|list|remove|test` and `alert log`: through
 * the registry API with an admin token (docs/alerts.md). Bad input is caught
 * here when it can be (one line naming the flag, exit 3), else the registry
 * names the field.
 */
import type { Context } from '../../cli/context.js';
import type {
  AlertListFlags,
  AlertLogFlags,
  AlertRemoveFlags,
  AlertTestFlags,
  ChannelAddFlags,
  RuleAddFlags,
} from '../../cli/wiring/alert.js';
import { UsageError } from '../../errors.js';
import type {
  AlertChannel,
  AlertConfigView,
  AlertLog,
  AlertLogEntry,
  AlertRule,
  AlertTestResult,
} from '../../model/alert-rule.js';
import { parseDuration } from '../../profile/duration.js';
import { simpleTable } from '../../util/table.js';
import { call, json, shortTime } from './common.js';

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

function duration(ctx: Context, flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!parseDuration(value)) throw new UsageError(ctx.t('cli.err.duration', { flag, got: value }));
  return value;
}

function clock(ctx: Context, value: string | undefined): string | undefined {
  if (value !== undefined && !CLOCK.test(value))
    throw new UsageError(`--digest: ${ctx.t('alerting.allowed.clock', { got: value })}`);
  return value;
}

/** "22:00-06:00" or "22:00-06:00@Asia/Ho_Chi_Minh". */
export function parseQuiet(ctx: Context, value: string): NonNullable<AlertRule['quiet']> {
  const m = /^(\d\d:\d\d)-(\d\d:\d\d)(?:@(.+))?$/.exec(value.trim());
  if (!m || !CLOCK.test(m[1] as string) || !CLOCK.test(m[2] as string) || m[1] === m[2])
    throw new UsageError(ctx.t('alerting.err.quiet_flag', { got: value }));
  return { from: m[1] as string, to: m[2] as string, ...(m[3] ? { tz: m[3] } : {}) };
}

export async function ruleAdd(ctx: Context, opts: RuleAddFlags & { id: string }): Promise<number> {
  const rule: AlertRule = {
    id: opts.id,
    event: opts.event,
    ...(opts.unit ? { unit: opts.unit } : {}),
    ...(opts.site ? { site: opts.site } : {}),
    channels: opts.channel ?? [],
    ...(opts.severity ? { severity: opts.severity } : {}),
  };
  const after = duration(ctx, '--after', opts.after);
  const repeat = duration(ctx, '--repeat', opts.repeat);
  const digest = clock(ctx, opts.digest);
  if (after) rule.after = after;
  if (repeat) rule.repeat = repeat;
  if (opts.quiet) rule.quiet = parseQuiet(ctx, opts.quiet);
  if (digest) rule.digest = digest;
  if (rule.channels.length === 0) throw new UsageError(`--channel: ${ctx.t('profile.err.required')}`);
  await call(ctx, opts.registry, 'PUT', `/v1/alerts/rules/${encodeURIComponent(rule.id)}`, { body: rule });
  ctx.io.stderr.write(`${ctx.t('alerting.rule.saved', { id: rule.id })}\n`);
  return 0;
}

export async function channelAdd(ctx: Context, opts: ChannelAddFlags & { id: string }): Promise<number> {
  const { CHANNEL_CONFIG_SCHEMAS } = await import('../../alerts/channels/schemas.js');
  const props = (
    CHANNEL_CONFIG_SCHEMAS as Record<string, { properties?: Record<string, { type?: string }> }>
  )[opts.kind]?.properties;
  const fields: Record<string, unknown> = {};
  for (const pair of opts.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(ctx.t('alerting.err.field_flag', { got: pair }));
    const name = pair.slice(0, eq);
    fields[name] = fieldValue(props?.[name]?.type, pair.slice(eq + 1), fields[name]);
  }
  const digest = clock(ctx, opts.digest);
  const channel: AlertChannel = {
    ...fields,
    id: opts.id,
    kind: opts.kind,
    ...(opts.messageLang ? { lang: opts.messageLang } : {}),
    ...(digest ? { digest } : {}),
  };
  await call(ctx, opts.registry, 'PUT', `/v1/alerts/channels/${encodeURIComponent(channel.id)}`, {
    body: channel,
  });
  ctx.io.stderr.write(`${ctx.t('alerting.channel.saved', { id: channel.id })}\n`);
  return 0;
}

const ruleOptions = (r: AlertRule): string =>
  [
    r.severity ? `severity=${r.severity}` : '',
    r.after ? `after=${r.after}` : '',
    r.repeat ? `repeat=${r.repeat}` : '',
    r.quiet ? `quiet=${r.quiet.from}-${r.quiet.to}${r.quiet.tz ? `@${r.quiet.tz}` : ''}` : '',
    r.digest ? `digest=${r.digest}` : '',
  ]
    .filter(Boolean)
    .join(' ') || '-';

/** A channel's own fields as name=value; a value that is not an ${ENV} reference in a secret-looking field is masked. */
const channelFields = (c: AlertChannel): string =>
  Object.entries(c)
    .filter(([k]) => k !== 'id' && k !== 'kind')
    .map(([k, v]) => {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      const secret = /(secret|password|pass|token|key)$/i.test(k) && !/^\$\{\w+\}$/.test(text);
      return `${k}=${secret ? '***' : text}`;
    })
    .join(' ') || '-';

export async function configList(
  ctx: Context,
  opts: AlertListFlags,
  what: 'rules' | 'channels',
): Promise<number> {
  const { t } = ctx;
  const view = await call<AlertConfigView>(ctx, opts.registry, 'GET', '/v1/alerts/config');
  if (opts.format === 'json') return json(ctx, { source: view.source, [what]: view[what] });
  const out = ctx.io.stdout;
  if (view[what].length === 0) out.write(`${t('alerting.none')}\n`);
  else if (what === 'rules')
    out.write(
      simpleTable(
        [
          'alerting.col.id',
          'alerting.col.event',
          'alerting.col.scope',
          'alerting.col.channels',
          'alerting.col.options',
        ].map((k) => t(k as 'alerting.col.id')),
        view.rules.map((r) => [r.id, r.event, r.site ?? r.unit ?? '*', r.channels.join(','), ruleOptions(r)]),
        ctx.io.stdoutTTY,
      ),
    );
  else
    out.write(
      simpleTable(
        [t('alerting.col.id'), t('alerting.col.kind'), t('alerting.col.fields')],
        view.channels.map((c) => [c.id, c.kind, channelFields(c)]),
        ctx.io.stdoutTTY,
      ),
    );
  if (view.source === 'file') ctx.io.stderr.write(`${t('alerting.source.file')}\n`);
  return 0;
}

export async function remove(
  ctx: Context,
  opts: AlertRemoveFlags & { id: string },
  what: 'rules' | 'channels',
): Promise<number> {
  await call(ctx, opts.registry, 'DELETE', `/v1/alerts/${what}/${encodeURIComponent(opts.id)}`);
  ctx.io.stderr.write(`${ctx.t('alerting.removed', { id: opts.id })}\n`);
  return 0;
}

const deliveryWord = (ctx: Context, e: AlertLogEntry) => ctx.t(`alerting.delivery.${e.delivery}`);

export async function sendTest(
  ctx: Context,
  opts: AlertTestFlags & { id: string },
  what: 'rules' | 'channels',
): Promise<number> {
  const result = await call<AlertTestResult>(
    ctx,
    opts.registry,
    'POST',
    `/v1/alerts/${what}/${encodeURIComponent(opts.id)}/test`,
    {
      body: opts.site ? { site: opts.site } : {},
    },
  );
  if (opts.format === 'json') return json(ctx, result);
  for (const e of result.items)
    ctx.io.stdout.write(
      `${ctx.t('alerting.test.result', { channel: e.channel, delivery: deliveryWord(ctx, e), error: e.error ? ` (${e.error})` : '' })}\n`,
    );
  return result.items.every((e) => e.delivery === 'sent') ? 0 : 2;
}

export async function alertLog(ctx: Context, opts: AlertLogFlags): Promise<number> {
  const { t } = ctx;
  const log = await call<AlertLog>(ctx, opts.registry, 'GET', '/v1/alerts/log', {
    query: { unit: opts.unit, site: opts.site, rule: opts.rule, delivery: opts.delivery, limit: opts.limit },
  });
  if (opts.format === 'json') return json(ctx, log);
  if (log.items.length === 0) {
    ctx.io.stdout.write(`${t('alerting.none')}\n`);
    return 0;
  }
  ctx.io.stdout.write(
    simpleTable(
      [
        'alerting.col.at',
        'alerting.col.rule',
        'alerting.col.site',
        'alerting.col.state',
        'alerting.col.channel',
        'alerting.col.delivery',
        'alerting.col.error',
      ].map((k) => t(k as 'alerting.col.at')),
      log.items.map((e) => [
        shortTime(ctx, e.sentAt ?? e.at),
        e.rule,
        e.site || e.unit,
        `${t(`alerting.state.${e.state}`)}${e.reminder ? ' ↻' : ''}`,
        e.channel,
        `${deliveryWord(ctx, e)}${e.nextAt && e.delivery !== 'pending' ? ` ${shortTime(ctx, e.nextAt)}` : e.attempts > 1 ? ` ×${e.attempts}` : ''}`,
        e.error ?? '-',
      ]),
      ctx.io.stdoutTTY,
    ),
  );
  return 0;
}

/**
 * A --set value as the kind's schema wants it: a list field takes each --set
 * (and commas) as items, numbers and true/false are read as such; anything
 * else stays text, and the registry's validation says what is wrong.
 */
function fieldValue(type: string | undefined, raw: string, before: unknown): unknown {
  if (type === 'array') {
    const items = raw
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    return [...(Array.isArray(before) ? before : []), ...items];
  }
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}
