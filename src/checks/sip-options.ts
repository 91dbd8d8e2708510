/**
 * `sip-options`: the bridge's SIP stack answers an OPTIONS request (RFC 3261
 * §11) over UDP or TCP, and how fast. Any final answer (200, or 403/404/405...)
 * means the stack is alive; 5xx or no answer within the check's timeout is a
 * failure. Target: a bridge of the profile (`bridge: id`, probed as a server,
 * without the user part) or any SIP URI / host[:port] (`target`).
 */
import { Type } from '@sinclair/typebox';
import { Limits, oneOf } from './params.js';
import { judge, round } from './thresholds.js';
import { defineKind } from './types.js';

const SIP_URI = '^(sips?:)?[^\\s]+$';

export const sipOptions = defineKind({
  kind: 'sip-options',
  remote: true,
  params: Type.Object({
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
  }),
  defaultTimeoutMs: 5_000,
  thresholds: { rtt_ms: 'max' },
  async run(params, ctx) {
    const { t } = ctx;
    const { parseSipUri, formatSipUri, defaultPort } = await import('../sip/uri.js');
    const error = (code: string, message: string, hint?: string) => ({
      status: 'error' as const,
      summary: message,
      error: { code, message, ...(hint ? { hint } : {}) },
    });

    let text: string;
    let asServer: boolean;
    let bridgeTransport: string | undefined;
    if (params.target) {
      text = params.target;
      asServer = false;
    } else {
      const bridges = ctx.profile.bridges;
      const bridge = params.bridge ? bridges.find((b) => b.id === params.bridge) : bridges[0];
      if (!bridge) {
        return params.bridge
          ? error(
              'BRIDGE_UNKNOWN',
              t('codec.sip.no_bridge', { id: params.bridge }),
              t('codec.sip.hint.no_bridge'),
            )
          : error('NO_TARGET', t('codec.sip.no_target'), t('codec.sip.hint.no_bridge'));
      }
      if (bridge.protocol === 'h323' || /^h323:/i.test(bridge.uri)) {
        const message = t('codec.sip.h323', { id: bridge.id });
        return { status: 'skip', summary: message, error: { code: 'NOT_SIP', message } };
      }
      text = bridge.uri;
      asServer = true;
      bridgeTransport = bridge.transport;
    }
    const uri = parseSipUri(text);
    if (!uri) return error('BAD_URI', t('codec.sip.bad_uri', { uri: text }));
    const transport = params.transport ?? uri.params.transport?.toLowerCase() ?? bridgeTransport ?? 'udp';
    if (transport !== 'udp' && transport !== 'tcp') {
      return error(
        'UNSUPPORTED_TRANSPORT',
        t('codec.sip.transport', { transport }),
        t('codec.sip.hint.transport'),
      );
    }
    const requestUri = formatSipUri(uri, { withUser: !asServer });
    const port = defaultPort(uri);
    const { probeOptions } = await import('../sip/options.js');
    // Finish a little before the engine's timeout, so "no answer" is this check's own failure.
    const timeoutMs = Math.max(100, ctx.timeoutMs - 150);
    const r = await probeOptions({
      uri: requestUri,
      host: uri.host,
      port,
      transport,
      timeoutMs,
      signal: ctx.signal,
      userAgent: 'diemcau',
    });
    const where = `${requestUri} (${transport.toUpperCase()} ${r.address ?? uri.host}:${port})`;
    const details = { uri: requestUri, host: uri.host, address: r.address, port, transport, ...r };
    const metrics: Record<string, number> = {};
    if (r.rttMs !== undefined) metrics.rtt_ms = round(r.rttMs);
    if (r.status !== undefined) metrics.sip_status = r.status;
    if (r.retransmits) metrics.retransmits = r.retransmits;
    switch (r.outcome) {
      case 'answered': {
        const answer = `${r.status} ${r.reason}`;
        if ((r.status as number) >= 500 && (r.status as number) < 600) {
          return {
            status: 'fail',
            summary: t('codec.sip.server_error', { where, answer }),
            metrics,
            details,
            hint: t('codec.sip.hint.server_error'),
          };
        }
        const verdict = judge(metrics, { rtt_ms: 'max' }, params.warn, params.fail);
        const summary = t('codec.sip.answered', { where, answer, ms: round(r.rttMs as number, 1) });
        return {
          status: verdict.status,
          summary,
          metrics,
          details,
          ...(verdict.status === 'pass' ? {} : { hint: t('codec.sip.hint.slow') }),
        };
      }
      case 'timeout':
        return {
          status: 'fail',
          summary: t('codec.sip.timeout', { where, s: round(timeoutMs / 1000, 1) }),
          metrics,
          details,
          hint: t(transport === 'udp' ? 'codec.sip.hint.timeout_udp' : 'codec.sip.hint.timeout'),
        };
      case 'refused':
        return {
          status: 'fail',
          summary: t('codec.sip.refused', { where }),
          metrics,
          details,
          hint: t('codec.sip.hint.refused'),
        };
      case 'unresolved':
        return {
          status: 'fail',
          summary: t('codec.sip.unresolved', { host: uri.host }),
          metrics,
          details,
          hint: t('codec.sip.hint.unresolved'),
        };
      case 'unreachable':
        return {
          status: 'fail',
          summary: t('codec.sip.unreachable', { where, reason: r.error ?? '?' }),
          metrics,
          details,
          hint: t('codec.sip.hint.refused'),
        };
      default:
        return error('CANCELLED', t('engine.cancelled'));
    }
  },
});
