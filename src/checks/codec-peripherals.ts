/**
 * `codec-peripherals`: the cameras, microphones and touch panels the room
 * needs are plugged in (`expect: {cameras, microphones, touch_panels}`,
 * default one camera and one microphone), as the codec itself sees them. A
 * kind the codec says nothing about is unknown (a warning), never a pass.
 */
import { Type } from '@sinclair/typebox';
import type { PeripheralKind } from '../drivers/types.js';
import { withCodec } from './codec-common.js';
import { defineKind } from './types.js';

type Wants = { wantCams: number; wantMics: number; wantPanels: number };
/** A kind the codec did not report matters only when the room needs some of it. */
const UNREPORTED: [PeripheralKind, (w: Wants) => boolean][] = [
  ['cameras', (w) => w.wantCams > 0],
  ['microphones', (w) => w.wantMics > 0],
  ['touchPanels', (w) => w.wantPanels > 0],
];

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
          touch_panels: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 8,
              description: 'Connected touch panels / Room Navigators needed (default 0).',
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
    const wantPanels = params.expect?.touch_panels ?? 0;
    return withCodec(ctx, ['peripherals'], 'error', async (driver) => {
      const p = await driver.peripherals!();
      const cams = p.cameras.filter((d) => d.connected).length;
      const mics = p.microphones.filter((d) => d.connected).length;
      const panelList = p.touchPanels ?? [];
      const panels = panelList.filter((d) => d.connected).length;
      const metrics: Record<string, number> = { cameras: cams, microphones: mics };
      if (p.touchPanels) metrics.touch_panels = panels;
      let summary = t('codec.periph.summary', {
        cams,
        camsTotal: p.cameras.length,
        mics,
        micsTotal: p.microphones.length,
      });
      if (p.touchPanels && (wantPanels > 0 || panels < panelList.length))
        summary += `, ${t('codec.periph.panels', { panels, panelsTotal: panelList.length })}`;
      // A kind the codec did not report is unknown (below), not short.
      const said = (kind: PeripheralKind) => !p.unreported?.includes(kind);
      const camsShort = said('cameras') && cams < wantCams;
      const micsShort = said('microphones') && mics < wantMics;
      const short: string[] = [];
      if (camsShort) short.push(t('codec.periph.short_cams', { have: cams, want: wantCams }));
      if (micsShort) short.push(t('codec.periph.short_mics', { have: mics, want: wantMics }));
      const unknown = UNREPORTED.filter(
        ([kind, want]) => p.unreported?.includes(kind) && want({ wantCams, wantMics, wantPanels }),
      ).map(([kind]) => kind);
      if (p.touchPanels && panels < wantPanels)
        short.push(t('codec.periph.short_panels', { have: panels, want: wantPanels }));
      if (short.length === 0 && unknown.length === 0) return { status: 'pass', summary, metrics, details: p };
      if (short.length === 0) {
        const list = unknown
          .map((k) => t(`codec.what.${k === 'touchPanels' ? 'touch_panels' : k}`))
          .join(', ');
        return {
          status: 'warn',
          summary: `${summary}: ${t('codec.periph.unreported', { list })}`,
          metrics,
          details: p,
          hint: t('codec.hint.silent'),
        };
      }
      const unplugged = [...p.cameras, ...p.microphones, ...panelList]
        .filter((d) => !d.connected)
        .map((d) => d.name ?? d.id);
      const hintKey = camsShort
        ? 'codec.periph.hint.camera'
        : micsShort
          ? 'codec.periph.hint.mic'
          : 'codec.periph.hint.panel';
      return {
        status: 'fail',
        summary: `${summary}: ${short.join(', ')}`,
        metrics,
        details: p,
        hint:
          t(hintKey) +
          (unplugged.length ? ` ${t('codec.periph.unplugged', { list: unplugged.join(', ') })}` : ''),
      };
    });
  },
});
