/**
 * `codec-peripherals`: the cameras and microphones the room needs are
 * plugged in (`expect: {cameras, microphones}`, default one of each),
 * as the codec itself sees them.
 */
import { Type } from '@sinclair/typebox';
import { withCodec } from './codec-common.js';
import { defineKind } from './types.js';

export const codecPeripherals = defineKind({
  kind: 'codec-peripherals',
  remote: true,
  params: Type.Object({
    expect: Type.Optional(
      Type.Object(
        {
          cameras: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 16, description: 'Connected cameras needed (default 1).' }),
          ),
          microphones: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 64,
              description: 'Connected microphones needed (default 1).',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  }),
  defaultTimeoutMs: 15_000,
  async run(params, ctx) {
    const { t } = ctx;
    const wantCams = params.expect?.cameras ?? 1;
    const wantMics = params.expect?.microphones ?? 1;
    return withCodec(ctx, ['peripherals'], 'error', async (driver) => {
      const p = await driver.peripherals!();
      const cams = p.cameras.filter((d) => d.connected).length;
      const mics = p.microphones.filter((d) => d.connected).length;
      const metrics = { cameras: cams, microphones: mics };
      const summary = t('codec.periph.summary', {
        cams,
        camsTotal: p.cameras.length,
        mics,
        micsTotal: p.microphones.length,
      });
      const short: string[] = [];
      if (cams < wantCams) short.push(t('codec.periph.short_cams', { have: cams, want: wantCams }));
      if (mics < wantMics) short.push(t('codec.periph.short_mics', { have: mics, want: wantMics }));
      if (short.length === 0) return { status: 'pass', summary, metrics, details: p };
      const unplugged = [...p.cameras, ...p.microphones]
        .filter((d) => !d.connected)
        .map((d) => d.name ?? d.id);
      return {
        status: 'fail',
        summary: `${summary}: ${short.join(', ')}`,
        metrics,
        details: p,
        hint:
          t(cams < wantCams ? 'codec.periph.hint.camera' : 'codec.periph.hint.mic') +
          (unplugged.length ? ` ${t('codec.periph.unplugged', { list: unplugged.join(', ') })}` : ''),
      };
    });
  },
});
