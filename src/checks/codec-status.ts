/**
 * `codec-status`: the codec answers its API (with the profile's
 * credentials), says what it is (model, software) and whether it is awake.
 * A sleeping codec wakes on a call, but a dark room an hour before the
 * meeting is worth a warning (or a failure with `require_awake: true`).
 */
import { Type } from '@sinclair/typebox';
import { withCodec } from './codec-common.js';
import { defineKind } from './types.js';

export const codecStatus = defineKind({
  kind: 'codec-status',
  remote: true,
  params: Type.Object({
    require_awake: Type.Optional(
      Type.Boolean({ description: 'Fail (not just warn) when the codec is asleep (standby).' }),
    ),
  }),
  defaultTimeoutMs: 15_000,
  async run(params, ctx) {
    const { t } = ctx;
    return withCodec(ctx, [], 'fail', async (driver) => {
      const id = await driver.identify();
      const metrics: Record<string, number> = {};
      if (id.uptimeS !== undefined) metrics.uptime_s = id.uptimeS;
      if (id.activeCalls !== undefined) metrics.active_calls = id.activeCalls;
      // "Cisco Room Kit", "Poly StudioX50": the vendor once, even when the model already says it.
      const model = id.model.toLowerCase().startsWith(id.vendor.toLowerCase())
        ? id.model
        : `${id.vendor} ${id.model}`;
      const what = t('codec.status.what', { model, software: id.software || '?' });
      if (id.powerUnknown) {
        // The codec answered but said nothing about standby: unknown, never a pass.
        return {
          status: 'warn',
          summary: t('codec.status.power_unknown', { what }),
          metrics,
          details: id,
          hint: t('codec.hint.silent'),
        };
      }
      if (id.awake) {
        return { status: 'pass', summary: t('codec.status.awake', { what }), metrics, details: id };
      }
      return {
        status: params.require_awake ? 'fail' : 'warn',
        summary: t('codec.status.asleep', { what, state: id.powerState }),
        metrics,
        details: id,
        hint: t('codec.status.hint.asleep'),
      };
    });
  },
});
