/**
 * The alert area, one behaviour on both engines (alerts-store.test.ts runs it on
 * SQLite and a real PostgreSQL): alerts written in the upload's or incident's
 * transaction, dedupe while a condition holds, one recovery, reminders,
 * stale sites, maintenance holds, claims and the log; meeting-at-risk at
 * T−60 and T−15 with the meeting register.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderAlert } from '../../src/alerts/message.js';
import type { AlertConfig } from '../../src/alerts/rules.js';
import type { Store } from '../../src/registry/store/types.js';
import { record } from './meetings.conformance.js';
import { incident, run } from './store.conformance.js';

const T0 = Date.parse('2026-11-25T00:00:00.000Z');
const H = 3_600_000;
let seq = 0;
const idem = () => ({ key: `ak-${++seq}-${Math.random().toString(36).slice(2)}`, fingerprint: 'fp' });

const CONFIG: AlertConfig = {
  channels: [
    { id: 'hook', kind: 'webhook' },
    { id: 'mail', kind: 'email' },
  ],
  rules: [
    { id: 'down', event: 'site-not-ready', unit: 'ha-noi', channels: ['hook', 'mail'], repeat: '2h' },
    { id: 'crit', event: 'incident-filed', severity: 'major', channels: ['hook'] },
    { id: 'quiet', event: 'site-stale', after: '26h', channels: ['hook'] },
  ],
};

export function alertConformance(name: string, open: () => Promise<Store>): void {
  describe(`alert store conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      store.alerts.config = CONFIG;
    });
    afterEach(async () => {
      await store.close();
    });

    const upload = (
      verdict: 'ready' | 'not-ready' | 'degraded',
      atMs: number,
      siteId = 'site-a',
      unit = 'ha-noi/ba-dinh',
    ) =>
      store.ingestRun(
        run({ siteId, unit, verdict, startedMs: atMs, finishedMs: atMs + 1000, receivedMs: atMs + 2000 }),
        idem(),
      );
    const log = (rule?: string) =>
      store.alerts.log({ unitPrefix: '', limit: 100, ...(rule ? { rule } : {}) });

    it('fires once per episode while not ready, one recovery, in the upload transaction', async () => {
      let told = 0;
      store.alerts.onQueued = () => told++;
      await upload('not-ready', T0);
      await upload('not-ready', T0 + 60_000);
      await upload('not-ready', T0 + 120_000);
      let items = await log('down');
      expect(items.map((i) => [i.state, i.channel, i.delivery])).toEqual([
        ['firing', 'mail', 'pending'],
        ['firing', 'hook', 'pending'],
      ]);
      expect(items[0]?.alert).toBe(`down/site-a/${T0 + 1000}`);
      expect(told).toBe(1);
      await upload('ready', T0 + 180_000);
      await upload('ready', T0 + 240_000);
      items = await log('down');
      expect(items.map((i) => i.state)).toEqual(['resolved', 'resolved', 'firing', 'firing']);
      // A new episode is a new alert.
      await upload('not-ready', T0 + 300_000);
      items = await log('down');
      expect(new Set(items.map((i) => i.alert)).size).toBe(2);
      // Out of scope (another unit) fires nothing for this rule.
      await upload('not-ready', T0, 'site-z', 'hue/a');
      expect((await log('down')).filter((i) => i.site === 'site-z')).toEqual([]);
    });

    it('a replayed upload writes no second alert', async () => {
      const key = idem();
      const r = run({ verdict: 'not-ready', startedMs: T0, finishedMs: T0 + 1000, receivedMs: T0 + 2000 });
      await store.ingestRun(r, key);
      await store.ingestRun(r, key);
      expect(await log('down')).toHaveLength(2);
    });

    it('claims due deliveries once, with a lease; finish records sent and failures', async () => {
      await upload('not-ready', T0);
      const now = T0 + 10_000;
      const a = await store.alerts.claim('pending', now, 30_000, 10);
      expect(a).toHaveLength(2);
      expect(a[0]).toMatchObject({ ruleId: 'down', event: 'site-not-ready', state: 'firing', attempts: 1 });
      expect(a[0]?.site).toMatchObject({ id: 'site-a', unit: 'ha-noi/ba-dinh' });
      expect(a[0]?.facts.failing).toEqual(['sip-port', 'mcu-ping']);
      expect(await store.alerts.claim('pending', now, 30_000, 10)).toEqual([]);
      await store.alerts.finish([
        { id: a[0]?.id as number, result: { status: 'sent', atMs: now + 5, ref: 'r1' } },
        { id: a[1]?.id as number, result: { status: 'pending', nextMs: now + 2000, error: 'HTTP 500' } },
      ]);
      // The lease of a worker that died ends: due again.
      const again = await store.alerts.claim('pending', now + 2000, 30_000, 10);
      expect(again.map((d) => [d.id, d.attempts])).toEqual([[a[1]?.id, 2]]);
      const items = await log('down');
      expect(items.find((i) => i.id === a[0]?.id)).toMatchObject({
        delivery: 'sent',
        sentAt: new Date(now + 5).toISOString(),
      });
      expect(items.find((i) => i.id === a[1]?.id)).toMatchObject({
        delivery: 'pending',
        error: 'HTTP 500',
        attempts: 2,
      });
    });

    it('incident-filed: severity floor, dedupe per site, recovery when resolved', async () => {
      await store.createIncident(incident({ severity: 'minor' }), idem());
      expect(await log('crit')).toEqual([]);
      const filed = await store.createIncident(incident({ severity: 'major' }), idem());
      await store.createIncident(incident({ severity: 'critical' }), idem());
      expect((await log('crit')).map((i) => i.state)).toEqual(['firing']);
      const claimed = await store.alerts.claim('pending', T0 + 2000, 1000, 10);
      expect(claimed.find((d) => d.ruleId === 'crit')?.facts.incident?.severity).toBe('major');
      if (filed.kind !== 'created') throw new Error('not created');
      await store.updateIncident(
        filed.value.id,
        { status: 'resolved', note: undefined, by: 'x', atMs: T0 + 5000 },
        undefined,
      );
      expect((await log('crit')).map((i) => i.state)).toEqual(['firing']);
      const list = await store.listIncidents({ unitPrefix: '', limit: 10, status: 'open' });
      for (const i of list)
        await store.updateIncident(
          i.id,
          { status: 'resolved', note: undefined, by: 'x', atMs: T0 + 6000 },
          undefined,
        );
      expect((await log('crit')).map((i) => i.state)).toEqual(['resolved', 'firing']);
    });

    it('site-stale and reminders come from the tick', async () => {
      await upload('ready', T0, 'site-s', 'hue/a');
      expect(await store.alerts.tick(T0 + 25 * H)).toBe(0);
      expect(await store.alerts.tick(T0 + 27 * H)).toBe(1);
      expect(await store.alerts.tick(T0 + 28 * H)).toBe(0);
      await upload('ready', T0 + 29 * H, 'site-s', 'hue/a');
      expect((await log('quiet')).map((i) => i.state)).toEqual(['resolved', 'firing']);
      // Reminders: every 2 h while it holds, the same alert id.
      await upload('not-ready', T0);
      expect(await store.alerts.tick(T0 + 30 * 60_000)).toBe(0);
      expect(await store.alerts.tick(T0 + 2 * H + 5000)).toBe(2);
      const items = await log('down');
      expect(items.map((i) => i.reminder)).toEqual([true, true, false, false]);
      expect(new Set(items.map((i) => i.alert)).size).toBe(1);
    });

    it('maintenance holds alerts (recorded, not due); a site still down after the window is not new', async () => {
      const w = await store.alerts.addMaintenance(
        {
          unit: 'ha-noi',
          from: new Date(T0).toISOString(),
          to: new Date(T0 + H).toISOString(),
          reason: 'đổi MCU',
        },
        'admin',
        T0,
      );
      expect(w).toMatchObject({ unit: 'ha-noi', site: null, state: 'active', by: 'admin' });
      expect((await store.alerts.activeMaintenance('ha-noi/ba-dinh', T0 + 1000)).map((x) => x.id)).toEqual([
        w.id,
      ]);
      expect(await store.alerts.activeMaintenance('hue', T0 + 1000)).toEqual([]);
      await upload('not-ready', T0 + 1000);
      expect((await log('down')).map((i) => i.delivery)).toEqual(['held', 'held']);
      expect(await store.alerts.claim('pending', T0 + 2 * H, 1000, 10)).toEqual([]);
      // After the window: still down, no new alert; its recovery is held too (nothing was sent).
      await upload('not-ready', T0 + 2 * H);
      expect(await log('down')).toHaveLength(2);
      await upload('ready', T0 + 3 * H);
      expect((await log('down')).map((i) => [i.state, i.delivery])).toEqual([
        ['resolved', 'held'],
        ['resolved', 'held'],
        ['firing', 'held'],
        ['firing', 'held'],
      ]);
      const ended = await store.alerts.endMaintenance(w.id, T0 + 30 * 60_000);
      expect(ended?.state).toBe('over');
      expect(await store.alerts.endMaintenance(999_999, T0)).toBeUndefined();
      expect(
        await store.alerts.listMaintenance({ unitPrefix: 'ha-noi', currentAt: T0 + 4 * H }, T0 + 4 * H),
      ).toEqual([]);
    });

    it('maintenance notices: one at the start, one at the end, to the channels named, in vi and en', async () => {
      // No rule at all: a window's notices need only its channels.
      store.alerts.config = { channels: CONFIG.channels, rules: [] };
      await store.putSite(
        'site-m',
        { name: 'UBND xã M', unit: 'ha-noi/m', technician: { name: 'Lê Văn Tâm', phone: '0912345678' } },
        T0,
      );
      const w = await store.alerts.addMaintenance(
        {
          site: 'site-m',
          from: new Date(T0 + H).toISOString(),
          to: new Date(T0 + 3 * H).toISOString(),
          reason: 'thay MCU',
          notify: ['hook', 'mail'],
        },
        'admin',
        T0,
      );
      expect(w).toMatchObject({ state: 'planned', notify: ['hook', 'mail'] });
      expect(await store.alerts.tick(T0 + H - 1000)).toBe(0);
      // Due at its start: one notice, a delivery per channel; the next ticks write nothing.
      expect(await store.alerts.tick(T0 + H + 5000)).toBe(2);
      expect(await store.alerts.tick(T0 + H + 65_000)).toBe(0);
      const start = await store.alerts.claim('pending', T0 + H + 70_000, 60_000, 10);
      expect(start.map((d) => [d.event, d.state, d.channelId, d.alertId])).toEqual([
        ['maintenance', 'firing', 'hook', `maintenance/${w.id}`],
        ['maintenance', 'firing', 'mail', `maintenance/${w.id}`],
      ]);
      const vi = renderAlert(start[0] as (typeof start)[number], 'vi');
      expect(vi).toMatchObject({
        event: 'maintenance',
        state: 'firing',
        at: new Date(T0 + H).toISOString(),
        site: { id: 'site-m', name: 'UBND xã M', unit: 'ha-noi/m' },
        summary: 'Bảo trì điểm cầu UBND xã M (site-m) từ 08:00 25/11/2026 đến 10:00 25/11/2026: thay MCU',
        maintenance: {
          id: String(w.id),
          site: 'site-m',
          unit: null,
          from: new Date(T0 + H).toISOString(),
          to: new Date(T0 + 3 * H).toISOString(),
          endedAt: null,
          reason: 'thay MCU',
        },
      });
      expect(vi.details).toContain('Kỹ thuật viên: Lê Văn Tâm (0912345678)');
      expect(renderAlert(start[0] as (typeof start)[number], 'en').summary).toBe(
        'Maintenance of site UBND xã M (site-m) from 08:00 25/11/2026 to 10:00 25/11/2026: thay MCU',
      );
      await store.alerts.finish(
        start.map((d) => ({ id: d.id, result: { status: 'sent', atMs: T0 + H + 71_000 } })),
      );
      // At its planned end: the end notice, the same alert id, resolved.
      expect(await store.alerts.tick(T0 + 3 * H + 1000)).toBe(2);
      expect(await store.alerts.tick(T0 + 3 * H + 61_000)).toBe(0);
      const end = await store.alerts.claim('pending', T0 + 3 * H + 62_000, 60_000, 10);
      expect(end.map((d) => [d.state, d.alertId, d.atMs])).toEqual([
        ['resolved', `maintenance/${w.id}`, T0 + 3 * H],
        ['resolved', `maintenance/${w.id}`, T0 + 3 * H],
      ]);
      expect(renderAlert(end[0] as (typeof end)[number], 'vi').summary).toBe(
        'Đã xong bảo trì điểm cầu UBND xã M (site-m) (10:00 25/11/2026): thay MCU',
      );
      // Ending it afterwards tells nothing more.
      await store.alerts.endMaintenance(w.id, T0 + 4 * H);
      expect((await log('maintenance')).length).toBe(4);
    });

    it('maintenance notices: a unit window from now tells at once; ended early, at once; one ended before it began tells nothing', async () => {
      const w = await store.alerts.addMaintenance(
        {
          unit: 'ha-noi',
          from: new Date(T0).toISOString(),
          to: new Date(T0 + 8 * H).toISOString(),
          reason: 'đổi cáp',
          notify: ['hook'],
        },
        'admin',
        T0,
      );
      // Written with the window, due now.
      let items = await log('maintenance');
      expect(items.map((i) => [i.state, i.delivery, i.site, i.unit])).toEqual([
        ['firing', 'pending', '', 'ha-noi'],
      ]);
      await store.alerts.endMaintenance(w.id, T0 + 2 * H);
      items = await log('maintenance');
      expect(items.map((i) => i.state)).toEqual(['resolved', 'firing']);
      expect(await store.alerts.tick(T0 + 9 * H)).toBe(0);
      const due = await store.alerts.claim('pending', T0 + 2 * H + 1000, 60_000, 10);
      const en = due.map((d) => renderAlert(d, 'en'));
      expect(en.map((m) => m.summary)).toEqual([
        'Maintenance of unit ha-noi and every site under it from 07:00 25/11/2026 to 15:00 25/11/2026: đổi cáp',
        'Maintenance of unit ha-noi and every site under it ended early at 09:00 25/11/2026 (planned until 15:00 25/11/2026): đổi cáp',
      ]);
      // A unit window has no site: the contract's site stands for the unit, nobody to call.
      expect(en[0]?.site).toEqual({
        id: 'ha-noi',
        name: 'ha-noi',
        unit: 'ha-noi',
        technician: null,
        focalPoint: null,
      });
      expect(en[1]?.maintenance).toMatchObject({
        unit: 'ha-noi',
        site: null,
        endedAt: new Date(T0 + 2 * H).toISOString(),
      });
      // Planned, then ended before its start: nothing to tell, then or later.
      const cancelled = await store.alerts.addMaintenance(
        {
          unit: 'hue',
          from: new Date(T0 + 10 * H).toISOString(),
          to: new Date(T0 + 11 * H).toISOString(),
          reason: 'x',
          notify: ['hook'],
        },
        'admin',
        T0,
      );
      await store.alerts.endMaintenance(cancelled.id, T0 + H);
      expect(await store.alerts.tick(T0 + 12 * H)).toBe(0);
      // A window without --notify tells nothing.
      await store.alerts.addMaintenance(
        {
          unit: 'hue',
          from: new Date(T0 + 12 * H).toISOString(),
          to: new Date(T0 + 13 * H).toISOString(),
          reason: 'y',
        },
        'admin',
        T0,
      );
      expect(await store.alerts.tick(T0 + 14 * H)).toBe(0);
      expect(await log('maintenance')).toHaveLength(2);
    });

    it('site-stale leaves retired sites out', async () => {
      await upload('ready', T0, 'site-old', 'hue/a');
      await store.retireSite('site-old', { atMs: T0 + H, by: 'vp', reason: 'merged' });
      expect(await store.alerts.tick(T0 + 27 * H)).toBe(0);
      expect(await log('quiet')).toEqual([]);
    });

    it('meeting-at-risk: at T−60 and T−15, once each, a recovery before the start, the meeting named', async () => {
      store.alerts.config = {
        channels: [{ id: 'hook', kind: 'webhook' }],
        rules: [{ id: 'risk', event: 'meeting-at-risk', channels: ['hook'] }],
      };
      const start = T0 + 2 * H;
      await upload('not-ready', T0, 'site-n', 'hue/a');
      await upload('ready', T0, 'site-r', 'hue/a');
      await upload('ready', start - 65 * 60_000, 'site-u', 'hue/b/x');
      await upload('not-ready', T0, 'site-gone', 'hue/b/y');
      await store.retireSite('site-gone', { atMs: T0, by: 'vp', reason: 'merged' });
      await upload('not-ready', T0, 'site-other', 'hue/c');
      const booked = await store.createMeeting(
        {
          record: record({
            title: 'Họp giao ban',
            startMs: start,
            endMs: start + H,
            participants: { sites: ['site-n', 'site-r'], units: ['hue/b'] },
          }),
          allowClash: false,
          by: 'vp',
          atMs: T0,
        },
        idem(),
      );
      expect(booked.kind).toBe('created');
      expect(await store.alerts.tick(start - 61 * 60_000)).toBe(0);
      // T−60: not ready (site-n), not checked since T−60 (site-r at T0, site-u at T−65).
      expect(await store.alerts.tick(start - 60 * 60_000 + 1000)).toBe(3);
      expect(await store.alerts.tick(start - 59 * 60_000)).toBe(0);
      await upload('ready', start - 40 * 60_000, 'site-r', 'hue/a');
      expect(await store.alerts.tick(start - 39 * 60_000)).toBe(1);
      expect(await store.alerts.tick(start - 38 * 60_000)).toBe(0);
      // T−15: the two still at risk again, the same alerts.
      expect(await store.alerts.tick(start - 15 * 60_000 + 5000)).toBe(2);
      expect(await store.alerts.tick(start - 14 * 60_000)).toBe(0);
      expect(await store.alerts.tick(start + 60_000)).toBe(0);
      const items = (await log('risk')).reverse();
      expect(items.map((i) => [i.site, i.state, i.reminder])).toEqual([
        ['site-n', 'firing', false],
        ['site-r', 'firing', false],
        ['site-u', 'firing', false],
        ['site-r', 'resolved', false],
        ['site-n', 'firing', true],
        ['site-u', 'firing', true],
      ]);
      expect(items[4]?.alert).toBe(items[0]?.alert);
      const due = await store.alerts.claim('pending', start, 60_000, 100);
      const first = due.find((d) => d.site.id === 'site-n' && !d.reminder);
      const m = renderAlert(first as NonNullable<typeof first>, 'en');
      expect(m.meeting).toEqual({
        id: String(booked.kind === 'created' ? booked.value.id : ''),
        title: 'Họp giao ban',
        start: new Date(start).toISOString(),
      });
      expect(m.summary).toContain('"Họp giao ban" at 09:00 25/11/2026');
      expect(renderAlert(first as NonNullable<typeof first>, 'vi').summary).toContain(
        'cuộc họp "Họp giao ban" lúc 09:00 25/11/2026',
      );
    });

    it("messages carry the register's contacts (phone, e-mail, Zalo) and the site's next meeting", async () => {
      await store.putSite(
        'site-c',
        {
          name: 'UBND xã C',
          unit: 'ha-noi/c',
          technician: {
            name: 'Nguyễn Văn Kỹ',
            phone: '0912345678',
            email: 'ky@xac.gov.vn',
            zalo: '0912345679',
          },
          focal_point: { name: 'Trần Thị Mối', phone: '0987654321' },
        },
        T0,
      );
      await store.createMeeting(
        {
          record: record({
            title: 'Họp trực tuyến tỉnh',
            startMs: T0 + 5 * H,
            endMs: T0 + 6 * H,
            participants: { units: ['ha-noi'] },
          }),
          allowClash: false,
          by: 'vp',
          atMs: T0,
        },
        idem(),
      );
      await upload('not-ready', T0, 'site-c', 'ha-noi/c');
      const due = await store.alerts.claim('pending', T0 + 60_000, 60_000, 10);
      const d = due.find((x) => x.channelId === 'hook') as (typeof due)[number];
      const en = renderAlert(d, 'en');
      expect(en.details).toContain('Technician: Nguyễn Văn Kỹ (0912345678, ky@xac.gov.vn, Zalo 0912345679)');
      expect(en.details).toContain('Focal point: Trần Thị Mối (0987654321)');
      expect(en.details).toContain('Next meeting: "Họp trực tuyến tỉnh" at 12:00 25/11/2026');
      expect(en.meeting).toMatchObject({
        title: 'Họp trực tuyến tỉnh',
        start: new Date(T0 + 5 * H).toISOString(),
      });
      expect(renderAlert(d, 'vi').details).toContain(
        'Cuộc họp sắp tới: "Họp trực tuyến tỉnh" lúc 12:00 25/11/2026',
      );
      // After the meeting's start there is no next meeting.
      await upload('ready', T0 + 2 * H, 'site-c', 'ha-noi/c');
      const later = await store.alerts.claim('pending', T0 + 7 * H, 60_000, 10);
      const r = later.find((x) => x.state === 'resolved' && x.channelId === 'hook') as (typeof later)[number];
      expect(renderAlert(r, 'en').meeting).toBeNull();
    });

    it('keeps rules and channels; a test alert goes to the channels given', async () => {
      await store.alerts.putRule({ id: 'r1', event: 'site-degraded', channels: ['hook'] }, T0);
      await store.alerts.putRule({ id: 'r1', event: 'site-degraded', channels: ['mail'] }, T0 + 1);
      await store.alerts.putChannel(
        { id: 'hook', kind: 'webhook', url: 'http://127.0.0.1:9/x', secret: '${HOOK_SECRET}' },
        T0,
      );
      expect(await store.alerts.loadConfig()).toEqual({
        rules: [{ id: 'r1', event: 'site-degraded', channels: ['mail'] }],
        channels: [{ id: 'hook', kind: 'webhook', url: 'http://127.0.0.1:9/x', secret: '${HOOK_SECRET}' }],
      });
      expect(await store.alerts.removeRule('r1')).toBe(true);
      expect(await store.alerts.removeRule('r1')).toBe(false);
      const ids = await store.alerts.queueTest('r1', ['hook'], { id: 'site-t', unit: 'hue' }, T0);
      const [d] = await store.alerts.deliveries(ids);
      expect(d).toMatchObject({ test: true, channel: 'hook', delivery: 'pending', site: 'site-t' });
    });
  });
}
