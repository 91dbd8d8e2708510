/**
 * The meeting register, one behaviour on both engines (meetings-store.test.ts
 * runs it on SQLite and a real PostgreSQL): clash detection with half-open
 * intervals, idempotency, history, lists with filters and cursors, notice
 * rules, the readiness inputs, the scheduler's jobs — and two bookings of one
 * bridge at once, through two stores on the same database: exactly one wins.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uriKey } from '../../src/registry/meeting-rules.js';
import type { MeetingRecord } from '../../src/registry/store/meetings.js';
import type { Idem, Store } from '../../src/registry/store/types.js';

const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const H = 3_600_000;
let seq = 0;
const idem = (fingerprint = 'fp'): Idem => ({
  key: `mk-${++seq}-${Math.random().toString(36).slice(2)}`,
  fingerprint,
});

export function record(over: Partial<MeetingRecord> = {}): MeetingRecord {
  return {
    title: 'Họp UBND tỉnh',
    hostUnit: 'thanh-hoa/ubnd',
    kind: 'regular',
    startMs: T0 + 10 * H,
    endMs: T0 + 12 * H,
    bridge: 'tinh',
    bridgeKey: uriKey('sip:8001@mcu.thanhhoa.gov.vn'),
    roomKey: null,
    flags: [],
    bridgeUri: 'sip:8001@mcu.thanhhoa.gov.vn',
    participants: { units: ['thanh-hoa/bim-son'], sites: ['th-quangphu'] },
    ...over,
  };
}

export function meetingConformance(
  name: string,
  /** Two stores on one fresh database (two registries); the second may be the first on SQLite. */
  open: () => Promise<[Store, Store]>,
): void {
  describe(`meeting store conformance: ${name}`, () => {
    let a: Store;
    let b: Store;
    beforeEach(async () => {
      [a, b] = await open();
      for (const [id, unit] of [
        ['th-bimson-ubnd', 'thanh-hoa/bim-son/ubnd'],
        ['th-bimson-xa', 'thanh-hoa/bim-son/xa'],
        ['th-quangphu', 'thanh-hoa/quang-phu'],
        ['na-vinh', 'nghe-an/vinh'],
      ] as const)
        await a.putSite(id, { name: id, unit, technician: { name: `KTV ${id}`, phone: '0912' } }, T0);
    });
    afterEach(async () => {
      if (b !== a) await b.close();
      await a.close();
    });

    const create = (s: Store, r: MeetingRecord, allowClash = false, key = idem()) =>
      s.createMeeting({ record: r, allowClash, by: 'vp', atMs: T0 }, key);

    it('books, reads back, and keeps who booked it', async () => {
      const r = await create(a, record());
      expect(r.kind).toBe('created');
      const m = r.kind === 'created' ? r.value : undefined;
      expect(m).toMatchObject({
        id: expect.any(Number),
        title: 'Họp UBND tỉnh',
        start: new Date(T0 + 10 * H).toISOString(),
        status: 'scheduled',
        flags: [],
        bridgeUri: 'sip:8001@mcu.thanhhoa.gov.vn',
        participants: { units: ['thanh-hoa/bim-son'], sites: ['th-quangphu'] },
        history: [{ action: 'created', by: 'vp', at: new Date(T0).toISOString() }],
      });
      expect(await b.getMeeting(m?.id as number)).toEqual(m);
    });

    it('refuses an overlap on the same bridge, naming the other; touching intervals do not clash', async () => {
      const first = await create(a, record());
      const id = first.kind === 'created' ? first.value.id : 0;
      const overlap = await create(a, record({ title: 'B', startMs: T0 + 11 * H, endMs: T0 + 13 * H }));
      expect(overlap).toMatchObject({ kind: 'clash', other: { id, on: 'bridge', title: 'Họp UBND tỉnh' } });
      // 12:00 end and 12:00 start: half-open, no clash.
      expect((await create(a, record({ title: 'C', startMs: T0 + 12 * H, endMs: T0 + 13 * H }))).kind).toBe(
        'created',
      );
      expect((await create(a, record({ title: 'D', startMs: T0 + 8 * H, endMs: T0 + 10 * H }))).kind).toBe(
        'created',
      );
      // Another bridge at the same time is fine; the same room of the host is not.
      const other = { bridge: 'x', bridgeKey: 'x@y' };
      expect((await create(a, record({ ...other, title: 'E', roomKey: 'thanh-hoa/ubnd|p1' }))).kind).toBe(
        'created',
      );
      expect(
        await create(a, record({ bridge: 'z', bridgeKey: 'z@y', roomKey: 'thanh-hoa/ubnd|p1' })),
      ).toMatchObject({
        kind: 'clash',
        other: { on: 'room' },
      });
      // Nothing half-written: the refused ones are not listed.
      const all = await a.listMeetings({ unitPrefix: '', nowMs: T0, limit: 100 });
      expect(all.map((m) => m.title).sort()).toEqual(['C', 'D', 'E', 'Họp UBND tỉnh']);
    });

    it('a meeting whose end has passed holds nothing, even while still stored as scheduled', async () => {
      // 10:00–12:00, booked at T0; no scheduler runs here, so it stays stored as scheduled.
      const first = await create(a, record());
      const id = first.kind === 'created' ? first.value.id : 0;
      const recorded = (title: string, atMs: number) =>
        a.createMeeting(
          {
            record: record({ title, startMs: T0 + 11 * H, endMs: T0 + 12.5 * H, flags: ['recorded'] }),
            allowClash: false,
            by: 'vp',
            atMs,
          },
          idem(),
        );
      // While it runs (11:30) an overlapping one clashes with it.
      expect(await recorded('during', T0 + 11.5 * H)).toMatchObject({ kind: 'clash', other: { id } });
      // At 13:00 it is done (as statusAt says), so one recorded over it afterwards does not clash.
      const after = await recorded('after', T0 + 13 * H);
      expect(after).toMatchObject({ kind: 'created', value: { flags: ['recorded'] } });
      expect(after.kind === 'created' && after.value.clashesWith).toBeUndefined();
      expect((await a.getMeeting(id))?.status).toBe('scheduled');
    });

    it('books over a clash when allowed: flagged, with the meeting it clashes with', async () => {
      const first = await create(a, record());
      const id = first.kind === 'created' ? first.value.id : 0;
      const r = await create(a, record({ title: 'B' }), true);
      expect(r).toMatchObject({ kind: 'created', value: { flags: ['clash_allowed'], clashesWith: [id] } });
    });

    it('a cancelled meeting frees its bridge; changes are kept in the history', async () => {
      const first = await create(a, record());
      const m = first.kind === 'created' ? first.value : undefined;
      const id = m?.id as number;
      const cancel = await a.updateMeeting(
        id,
        {
          record: record(),
          status: 'cancelled',
          event: {
            action: 'cancelled',
            note: 'bão',
            changes: { status: { from: 'scheduled', to: 'cancelled' } },
          },
          allowClash: false,
          by: 'vp2',
          atMs: T0 + 1000,
          basedOn: 1,
        },
        undefined,
      );
      expect(cancel).toMatchObject({
        kind: 'created',
        value: {
          status: 'cancelled',
          history: [{ action: 'created' }, { action: 'cancelled', by: 'vp2', note: 'bão' }],
        },
      });
      expect((await create(a, record({ title: 'B' }))).kind).toBe('created');
    });

    it('a change computed from an old read is stale; a change into a clash is refused and writes nothing', async () => {
      const one = await create(a, record());
      const two = await create(a, record({ title: 'B', startMs: T0 + 20 * H, endMs: T0 + 21 * H }));
      const id2 = two.kind === 'created' ? two.value.id : 0;
      const change = (over: Partial<MeetingRecord>, basedOn: number) =>
        a.updateMeeting(
          id2,
          {
            record: record({ title: 'B', ...over }),
            status: 'scheduled',
            event: { action: 'rescheduled', changes: {} },
            allowClash: false,
            by: 'vp',
            atMs: T0 + 5,
            basedOn,
          },
          undefined,
        );
      expect(await change({}, 1)).toMatchObject({
        kind: 'clash',
        other: { id: one.kind === 'created' ? one.value.id : 0 },
      });
      expect((await a.getMeeting(id2))?.start).toBe(new Date(T0 + 20 * H).toISOString());
      expect(await change({ startMs: T0 + 22 * H, endMs: T0 + 23 * H }, 0)).toEqual({ kind: 'stale' });
      expect((await change({ startMs: T0 + 22 * H, endMs: T0 + 23 * H }, 1)).kind).toBe('created');
    });

    it('replays a booking by its key, and refuses the key with another request', async () => {
      const key = idem('same');
      const first = await create(a, record(), false, key);
      const again = await create(b, record(), false, key);
      expect(again).toEqual({ kind: 'replay', value: first.kind === 'created' ? first.value : undefined });
      expect(
        await create(a, record({ title: 'other' }), false, { key: key.key, fingerprint: 'other' }),
      ).toEqual({
        kind: 'key-reused',
      });
      // A refused booking keeps no key: the same key may book once the clash is gone.
      const k2 = idem();
      expect((await create(a, record({ title: 'B' }), false, k2)).kind).toBe('clash');
      expect((await create(a, record({ title: 'B' }), true, k2)).kind).toBe('created');
    });

    it('lists by unit concern, by site, by time, by status at a time; emergency first; cursor pages', async () => {
      const ids: Record<string, number> = {};
      const put = async (title: string, over: Partial<MeetingRecord>) => {
        const r = await create(a, record({ title, bridge: title, bridgeKey: title, ...over }));
        ids[title] = r.kind === 'created' ? r.value.id : 0;
      };
      await put('province', {
        participants: { units: ['thanh-hoa'] },
        startMs: T0 + 5 * H,
        endMs: T0 + 6 * H,
      });
      await put('bimson', { participants: { units: ['thanh-hoa/bim-son'] } });
      await put('quangphu', {
        participants: { sites: ['th-quangphu'] },
        startMs: T0 + 30 * H,
        endMs: T0 + 31 * H,
      });
      await put('nghean', { hostUnit: 'nghe-an/ubnd', participants: { sites: ['na-vinh'] } });
      await put('urgent', {
        kind: 'emergency',
        flags: ['emergency'],
        participants: { sites: ['th-bimson-xa'] },
        startMs: T0 + 40 * H,
        endMs: T0 + 41 * H,
      });
      const titles = async (f: Partial<Parameters<Store['listMeetings']>[0]>) =>
        (await b.listMeetings({ unitPrefix: '', nowMs: T0, limit: 100, ...f })).map((m) => m.title);
      expect(await titles({})).toEqual(['urgent', 'province', 'bimson', 'nghean', 'quangphu']);
      // Bỉm Sơn: the province-wide meeting covers it, its own, and a site of its own.
      expect(await titles({ unitPrefix: 'thanh-hoa/bim-son' })).toEqual(['urgent', 'province', 'bimson']);
      expect(await titles({ unitPrefix: 'nghe-an' })).toEqual(['nghean']);
      expect(await titles({ site: { id: 'th-quangphu', unit: 'thanh-hoa/quang-phu' } })).toEqual([
        'province',
        'quangphu',
      ]);
      expect(await titles({ fromMs: T0 + 7 * H, toMs: T0 + 35 * H })).toEqual([
        'bimson',
        'nghean',
        'quangphu',
      ]);
      expect(await titles({ statuses: ['done'], nowMs: T0 + 7 * H })).toEqual(['province']);
      expect(await titles({ statuses: ['in-progress'], nowMs: T0 + 11 * H })).toEqual(['bimson', 'nghean']);
      const page1 = await a.listMeetings({ unitPrefix: '', nowMs: T0, limit: 2 });
      const last = page1[1];
      const page2 = await a.listMeetings({
        unitPrefix: '',
        nowMs: T0,
        limit: 10,
        after: {
          emergency: last?.kind === 'emergency' ? 1 : 0,
          startMs: Date.parse(last?.start ?? ''),
          id: last?.id ?? 0,
        },
      });
      expect([...page1, ...page2].map((m) => m.title)).toEqual([
        'urgent',
        'province',
        'bimson',
        'nghean',
        'quangphu',
      ]);
    });

    it('keeps notice rules per unit', async () => {
      await a.putNoticeRule('bac-kan', 72, 'admin', T0);
      await a.putNoticeRule('thanh-hoa', 48, 'admin', T0);
      await b.putNoticeRule('thanh-hoa', 24, 'admin2', T0 + 1);
      expect(await b.listNoticeRules()).toEqual([
        { unit: 'bac-kan', hours: 72, updatedAt: new Date(T0).toISOString(), by: 'admin' },
        { unit: 'thanh-hoa', hours: 24, updatedAt: new Date(T0 + 1).toISOString(), by: 'admin2' },
      ]);
    });

    it('reads sites, last runs before a time and open incidents for the readiness', async () => {
      const sites = await a.sitesOf(['th-quangphu'], ['thanh-hoa/bim-son']);
      expect(sites.map((s) => s.id)).toEqual(['th-bimson-ubnd', 'th-bimson-xa', 'th-quangphu']);
      expect(sites[0]?.technician).toEqual({ name: 'KTV th-bimson-ubnd', phone: '0912' });
      const run = (startedMs: number, verdict: 'ready' | 'not-ready') =>
        a.ingestRun(
          {
            siteId: 'th-bimson-ubnd',
            siteName: 'x',
            unit: 'thanh-hoa/bim-son/ubnd',
            verdict,
            startedMs,
            finishedMs: startedMs + 1000,
            durationMs: 1000,
            receivedMs: startedMs + 2000,
            failing: verdict === 'ready' ? [] : ['sip-port'],
            body: JSON.stringify({ checks: [] }),
          },
          idem(),
        );
      await run(T0 + 8 * H, 'not-ready');
      await run(T0 + 9 * H, 'ready');
      await run(T0 + 11 * H, 'not-ready');
      const last = await b.lastRunsBefore(['th-bimson-ubnd', 'th-bimson-xa'], T0 + 10 * H);
      expect(last).toEqual([
        expect.objectContaining({
          siteId: 'th-bimson-ubnd',
          verdict: 'ready',
          startedMs: T0 + 9 * H,
          finishedMs: T0 + 9 * H + 1000,
          failing: [],
        }),
      ]);
      await a.createIncident(
        {
          siteId: 'th-bimson-xa',
          siteName: 'x',
          unit: 'thanh-hoa/bim-son/xa',
          category: 'mat_dien',
          severity: 'critical',
          occurredMs: T0,
          createdMs: T0,
          body: JSON.stringify({ summary: 'Mất điện', effect: 'none' }),
          by: 'ktv',
        },
        idem(),
      );
      expect(await b.openIncidentsOf(['th-bimson-xa', 'th-quangphu'])).toEqual([
        expect.objectContaining({
          siteId: 'th-bimson-xa',
          category: 'mat_dien',
          summary: 'Mất điện',
          status: 'open',
        }),
      ]);
    });

    it('scheduler jobs: each due meeting once, from either store; snapshot kept; sites frozen at start', async () => {
      const r = await create(a, record());
      const id = r.kind === 'created' ? r.value.id : 0;
      const work = (tag: string) => async () => JSON.stringify({ by: tag });
      expect(await a.takeDue('snapshot', T0 + 9 * H, 15 * 60_000, work('a'))).toEqual([]);
      const [x, y] = await Promise.all([
        a.takeDue('snapshot', T0 + 9.8 * H, 15 * 60_000, work('a')),
        b.takeDue('snapshot', T0 + 9.8 * H, 15 * 60_000, work('b')),
      ]);
      expect([...x, ...y]).toEqual([id]);
      expect(JSON.parse((await a.meetingSnapshot(id)) ?? 'null')).toEqual({ by: x.length ? 'a' : 'b' });
      expect(await b.takeDue('snapshot', T0 + 9.9 * H, 15 * 60_000, work('b'))).toEqual([]);
      const started = await Promise.all([
        a.takeDue('start', T0 + 10 * H, 0, async () => JSON.stringify(['th-bimson-ubnd'])),
        b.takeDue('start', T0 + 10 * H, 0, async () => JSON.stringify(['th-bimson-ubnd'])),
      ]);
      expect(started.flat()).toEqual([id]);
      const m = await a.getMeeting(id);
      expect(m).toMatchObject({
        status: 'in-progress',
        frozenSites: ['th-bimson-ubnd'],
        snapshotAt: new Date(T0 + 9.8 * H).toISOString(),
      });
      expect(m?.history.map((e) => e.action)).toEqual(['created', 'started']);
      expect(await a.takeDue('end', T0 + 12 * H, 0, async () => '[]')).toEqual([id]);
      expect((await b.getMeeting(id))?.status).toBe('done');
    });

    it('two bookings of one bridge at once, through two stores: exactly one wins', async () => {
      // Connections open before the race, so the bookings really overlap in the database.
      await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? b : a).ping()));
      for (let round = 0; round < 5; round++) {
        const startMs = T0 + (100 + round * 3) * H;
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            create(i % 2 ? b : a, record({ title: `r${round}-${i}`, startMs, endMs: startMs + H })),
          ),
        );
        expect(results.filter((r) => r.kind === 'created')).toHaveLength(1);
        expect(results.filter((r) => r.kind === 'clash')).toHaveLength(5);
      }
      const listed = await a.listMeetings({ unitPrefix: '', nowMs: T0, limit: 100, fromMs: T0 + 99 * H });
      expect(listed).toHaveLength(5);
    });
  });
}
