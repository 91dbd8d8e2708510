/**
 * `sip-options`: the bridge's SIP stack answers an OPTIONS request (RFC 3261
 * §11) over UDP or TCP, and how fast. Any final answer (200, or 403/404/405...)
 * means the stack is alive; 5xx or no answer within the check's timeout is a
 * failure. Target: a bridge of the profile (`bridge: id`, probed as a server,
 * without the user part) or any SIP URI / host[:port] (`target`).
 */
import { type Static, Type } from '@sinclair/typebox';
import type { MessageKey, Translator } from '../i18n/index.js';
import type { BridgeConfig } from '../model/bridge.js';
import type { OptionsResult } from '../sip/options.js';
import type { SipUri } from '../sip/uri.js';
import { cancelled, errored, skipped } from './outcome.js';
import { Limits, oneOf } from './params.js';
import { judgeMetrics, round } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

const SIP_URI = '^(sips?:)?[^\\s]+$';

export const sipOptionsParams = Type.Object({
  bridge: Type.Optional(
    Type.String({ minLength: 1, description: 'Id of a bridge in `bridges` (default: the first one).' }),
  ),
  target: Type.Optional(
    Type.String({
      pattern: SIP_URI,
      description: 'A SIP URI or host[:port] to probe instead of a bridge.',
    }),
  ),
  transport: Type.Optional(oneOf(['udp', 'tcp'] as const, 'udp (default) or tcp.')),
  warn: Limits({ rtt_ms: 'Round-trip time of the OPTIONS transaction (ms).' }),
  fail: Limits({ rtt_ms: 'Round-trip time of the OPTIONS transaction (ms).' }),
});

type SipOptionsParams = Static<typeof sipOptionsParams>;
type UriModule = typeof import('../sip/uri.js');

/** What to probe: the Request-URI, where it goes, over what. */
interface Target {
  uri: SipUri;
  requestUri: string;
  port: number;
  transport: 'udp' | 'tcp';
}

const error = (code: string, message: string, hint?: string) =>
  errored(code, message, hint === undefined ? {} : { errorHint: hint });

/** The target (a URI, else a bridge of the profile), or why there is nothing to probe. */
function findTarget(
  t: Translator,
  params: SipOptionsParams,
  bridges: readonly BridgeConfig[],
  sip: UriModule,
): { ok: true; target: Target } | { ok: false; outcome: CheckOutcome } {
  let text: string;
  let asServer = false;
  let bridgeTransport: string | undefined;
  if (params.target) text = params.target;
  else {
    const bridge = params.bridge ? bridges.find((b) => b.id === params.bridge) : bridges[0];
    if (!bridge) {
      const outcome = params.bridge
        ? error(
            'BRIDGE_UNKNOWN',
            t('codec.sip.no_bridge', { id: params.bridge }),
            t('codec.sip.hint.no_bridge'),
          )
        : error('NO_TARGET', t('codec.sip.no_target'), t('codec.sip.hint.no_bridge'));
      return { ok: false, outcome };
    }
    if (bridge.protocol === 'h323' || /^h323:/i.test(bridge.uri))
      return { ok: false, outcome: skipped('NOT_SIP', t('codec.sip.h323', { id: bridge.id })) };
    text = bridge.uri;
    asServer = true;
    bridgeTransport = bridge.transport;
  }
  const uri = sip.parseSipUri(text);
  if (!uri) return { ok: false, outcome: error('BAD_URI', t('codec.sip.bad_uri', { uri: text })) };
  const transport = params.transport ?? uri.params.transport?.toLowerCase() ?? bridgeTransport ?? 'udp';
  if (transport !== 'udp' && transport !== 'tcp') {
    const outcome = error(
      'UNSUPPORTED_TRANSPORT',
      t('codec.sip.transport', { transport }),
      t('codec.sip.hint.transport'),
    );
    return { ok: false, outcome };
  }
  const requestUri = sip.formatSipUri(uri, { withUser: !asServer });
  return { ok: true, target: { uri, requestUri, port: sip.defaultPort(uri), transport } };
}

/** The probe's answer (or its absence) in words, the round trip against the limits. */
export function judgeProbe(
  t: Translator,
  params: SipOptionsParams,
  target: Target,
  r: OptionsResult,
  timeoutMs: number,
): CheckOutcome {
  const { uri, requestUri, port, transport } = target;
  const where = `${requestUri} (${transport.toUpperCase()} ${r.address ?? uri.host}:${port})`;
  const details = { uri: requestUri, host: uri.host, address: r.address, port, transport, ...r };
  const metrics: Record<string, number> = {};
  if (r.rttMs !== undefined) metrics.rtt_ms = round(r.rttMs);
  if (r.status !== undefined) metrics.sip_status = r.status;
  if (r.retransmits) metrics.retransmits = r.retransmits;
  const fail = (summary: string, hint: MessageKey): CheckOutcome => ({
    status: 'fail',
    summary,
    metrics,
    details,
    hint: t(hint),
  });
  switch (r.outcome) {
    case 'answered': {
      const answer = `${r.status} ${r.reason}`;
      if ((r.status as number) >= 500 && (r.status as number) < 600)
        return fail(t('codec.sip.server_error', { where, answer }), 'codec.sip.hint.server_error');
      const judged = judgeMetrics(t, metrics, sipOptions.thresholds ?? {}, {
        warn: params.warn,
        fail: params.fail,
      });
      return {
        status: judged.status,
        summary: t('codec.sip.answered', { where, answer, ms: round(r.rttMs as number, 1) }),
        metrics,
        details,
        ...(judged.status === 'pass' ? {} : { hint: t('codec.sip.hint.slow') }),
      };
    }
    case 'timeout':
      return fail(
        t('codec.sip.timeout', { where, s: round(timeoutMs / 1000, 1) }),
        transport === 'udp' ? 'codec.sip.hint.timeout_udp' : 'codec.sip.hint.timeout',
      );
    case 'refused':
      return fail(t('codec.sip.refused', { where }), 'codec.sip.hint.refused');
    case 'unresolved':
      return fail(t('codec.sip.unresolved', { host: uri.host }), 'codec.sip.hint.unresolved');
    case 'unreachable':
      return fail(t('codec.sip.unreachable', { where, reason: r.error ?? '?' }), 'codec.sip.hint.refused');
    default:
      return cancelled(t('engine.cancelled'));
  }
}

export const sipOptions = defineKind({
  kind: 'sip-options',
  remote: true,
  params: sipOptionsParams,
  defaultTimeoutMs: 5_000,
  thresholds: { rtt_ms: 'max' },
  async run(params, ctx) {
    const found = findTarget(ctx.t, params, ctx.profile.bridges, await import('../sip/uri.js'));
    if (!found.ok) return found.outcome;
    const { target } = found;
    const { probeOptions } = await import('../sip/options.js');
    // Finish a little before the engine's timeout, so "no answer" is this check's own failure.
    const timeoutMs = Math.max(100, ctx.timeoutMs - 150);
    const r = await probeOptions({
      uri: target.requestUri,
      host: target.uri.host,
      port: target.port,
      transport: target.transport,
      timeoutMs,
      signal: ctx.signal,
      userAgent: 'diemcau',
    });
    return judgeProbe(ctx.t, params, target, r, timeoutMs);
  },
});
