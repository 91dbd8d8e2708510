/**
 * `codec-registration`: the codec is registered with its SIP registrar
 * and/or H.323 gatekeeper. `require` says which: `any` (default: at least
 * one registration up), `sip`, `h323`, or `all` configured ones. A product
 * without H.323 (no H323 node) is "not applicable", not a failure.
 */
import { Type } from '@sinclair/typebox';
import { saidNothing } from '../drivers/errors.js';
import type { RegistrationEntry } from '../drivers/types.js';
import { withCodec } from './codec-common.js';
import { oneOf } from './params.js';
import { defineKind } from './types.js';

const REQUIRE = ['any', 'sip', 'h323', 'all'] as const;

const PROTOCOL_NAMES: Record<RegistrationEntry['protocol'], string> = {
  sip: 'SIP',
  h323: 'H.323',
  webex: 'Webex',
  teams: 'Microsoft Teams',
};

/** Configured = the codec has a registration line that is not an empty, inactive slot. */
const configured = (e: RegistrationEntry) => e.state !== 'inactive' || Boolean(e.target);

export const codecRegistration = defineKind({
  kind: 'codec-registration',
  remote: true,
  params: Type.Object({
    require: Type.Optional(
      oneOf(REQUIRE, 'Which registrations must be up: any (default), sip, h323, or all configured ones.'),
    ),
  }),
  defaultTimeoutMs: 15_000,
  async run(params, ctx) {
    const { t } = ctx;
    const require = params.require ?? 'any';
    return withCodec(ctx, ['registration'], 'error', async (driver) => {
      const reg = await driver.registration!();
      if (reg.unreported) throw saidNothing(t, 'registration', 'SIP');
      const sip = reg.sip.filter(configured);
      const h323 = (reg.h323 ?? []).filter(configured);
      // Webex cloud and Teams mode: each a way to be registered (a cloud unit has SIP Inactive, no URI).
      const cloud = (reg.cloud ?? []).filter(configured);
      const all = [...sip, ...h323, ...cloud];
      const up = all.filter((e) => e.state === 'registered');
      const describe = (e: RegistrationEntry) =>
        t('codec.reg.entry', {
          protocol: PROTOCOL_NAMES[e.protocol],
          state: e.raw || e.state,
          target: e.target ?? '-',
        });
      const lines = all.map(describe);
      const via = [...new Set(up.map((e) => PROTOCOL_NAMES[e.protocol]))];
      if (via.length) lines.unshift(t('codec.reg.via', { which: via.join(', ') }));
      if (reg.h323 === undefined) lines.push(t('codec.reg.no_h323'));
      const summaryOf = () => (lines.length ? lines.join('; ') : t('codec.reg.none_configured'));
      const metrics = { registered: up.length, configured: all.length };
      const details = { ...reg, via };

      const missing: string[] = [];
      if ((require === 'sip' || require === 'all') && !sip.some((e) => e.state === 'registered'))
        missing.push('SIP');
      if ((require === 'h323' || require === 'all') && !h323.some((e) => e.state === 'registered'))
        missing.push('H.323');
      if (require === 'all' && all.some((e) => e.state !== 'registered') && missing.length === 0)
        missing.push(t('codec.reg.some'));
      if (require === 'any' && up.length === 0) missing.push(t('codec.reg.any'));
      if (missing.length === 0) return { status: 'pass', summary: summaryOf(), metrics, details };

      const reasons = all
        .map((e) => e.reason)
        .filter(Boolean)
        .join('; ');
      const registering = all.some((e) => e.state === 'registering');
      const hint = `${t(registering ? 'codec.reg.hint.registering' : 'codec.reg.hint.failed')}${reasons ? ` ${t('codec.reg.reason', { reason: reasons })}` : ''}`;
      return {
        status: registering && up.length === 0 && require === 'any' ? 'warn' : 'fail',
        summary: t('codec.reg.missing', { which: missing.join(', '), state: summaryOf() }),
        metrics,
        details,
        hint,
      };
    });
  },
});
