/**
 * One behaviour, two engines: every Store implementation must pass this
 * suite (store.test.ts runs it on SQLite and on a real PostgreSQL).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentCategory } from '../../src/model/incident.js';
import type { Idem, NewIncident, RunRecord, Store } from '../../src/registry/store/types.js';

const T0 = Date.parse('2026-11-25T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
let seq = 0;
const idem = (fingerprint = 'fp'): Idem => ({
  key: `key-${++seq}-${Math.random().toString(36).slice(2)}`,
  fingerprint,
});

export function run(over: Partial<RunRecord> = {}): RunRecord {
  const startedMs = over.startedMs ?? T0;
  return {
    siteId: 'site-a',
    siteName: 'Site A',
    unit: 'ha-noi/ba-dinh',
    verdict: 'not-ready',
    startedMs,
    finishedMs: startedMs + 1000,
    durationMs: 1000,
    receivedMs: T0 + 5000,
    failing: ['sip-port', 'mcu-ping'],
    body: JSON.stringify({
      checks: [
        {
          id: 'sip-port',
          kind: 'tcp',
          status: 'fail',
          required: true,
          summary: 's',
          metrics: {},
          startedAt: new Date(startedMs).toISOString(),
          durationMs: 4,
          attempts: 1,
        },
      ],
    }),
    ...over,
  };
}

export function incident(over: Partial<NewIncident> = {}): NewIncident {
  return {
    siteId: 'site-a',
    siteName: 'Site A',
    unit: 'ha-noi/ba-dinh',
    category: 'khong_tieng',
    severity: 'major',
    occurredMs: T0,
    createdMs: T0 + 1000,
    body: JSON.stringify({ summary: 'Không có tiếng', effect: 'none' }),
    by: 'ktv',
    ...over,
  };
}

export function storeConformance(
  name: string,
  open: () => Promise<Store>,
  teardown?: () => Promise<void> | void,
): void {
  describe(`store conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    if (teardown) afterAll(teardown);

    it('migrates idempotently and answers a ping', async () => {
      await store.migrate();
      await store.migrate();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('creates tokens and finds them by hash only', async () => {
      const rec = await store.createToken({
        hash: 'h1',
        role: 'viewer',
        unit: 'ha-noi',
        label: 'xem',
        createdMs: T0,
      });
      expect(rec).toEqual({
        id: expect.any(Number),
        role: 'viewer',
        unit: 'ha-noi',
        label: 'xem',
        createdAt: new Date(T0).toISOString(),
      });
      expect(await store.findToken('h1')).toEqual(rec);
      expect(await store.findToken('h2')).toBeUndefined();
    });

    it('keeps a token lifecycle: expiry, revoke (first time kept), last used never moving back; lists no hash', async () => {
      const a = await store.createToken({
        hash: 'ha',
        role: 'technician',
        unit: 'ha-noi',
        label: 'a',
        createdMs: T0,
      });
      const b = await store.createToken({
        hash: 'hb',
        role: 'viewer',
        unit: 'hue',
        label: 'b',
        createdMs: T0 + 1,
        expiresMs: T0 + 90 * 86_400_000,
      });
      expect(b.expiresAt).toBe('2027-02-23T00:00:00.000Z');
      expect(await store.revokeToken(a.id, T0 + 10)).toEqual({ ...a, revokedAt: iso(T0 + 10) });
      expect((await store.revokeToken(a.id, T0 + 20))?.revokedAt).toBe(iso(T0 + 10));
      expect(await store.revokeToken(a.id + b.id + 100, T0)).toBeUndefined();
      await store.touchTokens(new Map([[b.id, T0 + 500]]));
      await store.touchTokens(new Map([[b.id, T0 + 400]]));
      await store.touchTokens(new Map());
      expect(await store.findToken('hb')).toEqual({ ...b, lastUsedAt: iso(T0 + 500) });
      const list = await store.listTokens();
      expect(list).toEqual([
        { ...a, revokedAt: iso(T0 + 10) },
        { ...b, lastUsedAt: iso(T0 + 500) },
      ]);
      expect(JSON.stringify(list)).not.toMatch(/"h[ab]"/);
    });

    describe('runs', () => {
      it('ingests, auto-registers the site, replays, refuses a reused key', async () => {
        const k = idem('fp-1');
        const created = await store.ingestRun(run(), k);
        expect(created).toEqual({
          kind: 'created',
          value: {
            id: expect.any(Number),
            site: 'site-a',
            verdict: 'not-ready',
            receivedAt: new Date(T0 + 5000).toISOString(),
          },
        });
        expect(await store.getSite('site-a')).toMatchObject({
          id: 'site-a',
          name: 'Site A',
          unit: 'ha-noi/ba-dinh',
        });
        const replay = await store.ingestRun(run({ receivedMs: T0 + 99_000 }), k);
        expect(replay).toEqual({ kind: 'replay', value: (created as { value: unknown }).value });
        expect(await store.ingestRun(run(), { key: k.key, fingerprint: 'other' })).toEqual({
          kind: 'key-reused',
        });
        expect(await store.listRuns({ siteId: 'site-a', limit: 10 })).toHaveLength(1);
      });

      it('refuses a run whose site is registered under another unit, writing nothing', async () => {
        await store.ingestRun(run(), idem());
        const k = idem();
        const r = await store.ingestRun(run({ unit: 'ha-noi/hoan-kiem' }), k);
        expect(r).toEqual({ kind: 'conflict', code: 'site_unit_mismatch', detail: 'ha-noi/ba-dinh' });
        expect(await store.listRuns({ siteId: 'site-a', limit: 10 })).toHaveLength(1);
        // The key was not consumed: the same key may carry the corrected request.
        expect((await store.ingestRun(run(), { key: k.key, fingerprint: 'fixed' })).kind).toBe('created');
      });

      it('commits concurrent uploads once each, replays included', async () => {
        const keys = Array.from({ length: 80 }, () => idem());
        const results = await Promise.all(
          [...keys, ...keys.slice(0, 30)].map((k, i) =>
            store.ingestRun(run({ siteId: `s-${i % 80}`, unit: 'ha-noi/x' }), k),
          ),
        );
        expect(results.slice(0, 80).every((r) => r.kind === 'created' || r.kind === 'replay')).toBe(true);
        const ids = (i: number) => (results[i] as { value: { id: number } }).value.id;
        for (let i = 0; i < 30; i++) expect(ids(80 + i)).toBe(ids(i));
        expect(new Set(results.map((_, i) => ids(i))).size).toBe(80);
        const ready = await store.readiness('ha-noi/x');
        expect(ready).toHaveLength(80);
      });

      it('in one batch: a refused upload does not disturb the others, and the newest run of a site wins', async () => {
        await store.ingestRun(run({ siteId: 'fixed', unit: 'ha-noi/a' }), idem());
        const results = await Promise.all([
          store.ingestRun(
            run({ siteId: 'multi', unit: 'ha-noi/b', startedMs: T0 - 10_000, verdict: 'not-ready' }),
            idem(),
          ),
          store.ingestRun(run({ siteId: 'fixed', unit: 'ha-noi/elsewhere' }), idem()),
          store.ingestRun(
            run({ siteId: 'multi', unit: 'ha-noi/b', startedMs: T0, verdict: 'ready', failing: [] }),
            idem(),
          ),
          store.ingestRun(
            run({ siteId: 'multi', unit: 'ha-noi/b', startedMs: T0 - 5000, verdict: 'degraded' }),
            idem(),
          ),
        ]);
        expect(results.map((r) => r.kind)).toEqual(['created', 'conflict', 'created', 'created']);
        const rows = await store.readiness('ha-noi/b');
        expect(rows.map((r) => [r.id, r.verdict, r.atMs])).toEqual([['multi', 'ready', T0 + 1000]]);
        expect(await store.listRuns({ siteId: 'fixed', limit: 10 })).toHaveLength(1);
      });

      it('reads a run back and lists a site newest first, by check time', async () => {
        const a = await store.ingestRun(run({ startedMs: T0 - 2 * 3_600_000 }), idem());
        const b = await store.ingestRun(run({ startedMs: T0, verdict: 'ready', failing: [] }), idem());
        const c = await store.ingestRun(run({ startedMs: T0 - 3_600_000 }), idem());
        const id = (r: typeof a) => (r as { value: { id: number } }).value.id;
        const got = await store.getRun(id(b));
        expect(got).toMatchObject({
          id: id(b),
          site: { id: 'site-a', name: 'Site A', unit: 'ha-noi/ba-dinh' },
          verdict: 'ready',
          startedAt: new Date(T0).toISOString(),
          durationMs: 1000,
          failing: [],
          checks: [{ id: 'sip-port', status: 'fail' }],
        });
        expect(await store.getRun(999_999)).toBeUndefined();
        const all = await store.listRuns({ siteId: 'site-a', limit: 10 });
        expect(all.map((r) => r.id)).toEqual([id(b), id(c), id(a)]);
        const page = await store.listRuns({
          siteId: 'site-a',
          limit: 10,
          before: { startedMs: T0 - 3_600_000, id: id(c) },
        });
        expect(page.map((r) => r.id)).toEqual([id(a)]);
      });
    });

    describe('readiness', () => {
      it('keeps the newest run per site even when an older one arrives later', async () => {
        await store.ingestRun(run({ startedMs: T0, verdict: 'ready', failing: [] }), idem());
        await store.ingestRun(run({ startedMs: T0 - 86_400_000, verdict: 'not-ready' }), idem());
        const [row] = await store.readiness('');
        expect(row).toMatchObject({ id: 'site-a', verdict: 'ready', atMs: T0 + 1000, failing: [] });
      });

      it('lists registered sites that never reported, ordered by unit then id, by whole path segments', async () => {
        const units = [
          'ha-noi',
          'ha-noi/ba-dinh',
          'ha-noi-2/x',
          'ha-noi/ba-dinh/ubnd',
          'ha-noi.x',
          'ha-noia',
          'hb',
        ];
        for (const [i, unit] of units.entries()) await store.putSite(`s${i}`, { name: `S${i}`, unit }, T0);
        await store.ingestRun(
          run({ siteId: 's1', unit: 'ha-noi/ba-dinh', verdict: 'degraded', failing: [] }),
          idem(),
        );
        const rows = await store.readiness('ha-noi');
        expect(rows.map((r) => [r.unit, r.id, r.verdict])).toEqual([
          ['ha-noi', 's0', null],
          ['ha-noi/ba-dinh', 's1', 'degraded'],
          ['ha-noi/ba-dinh/ubnd', 's3', null],
        ]);
        expect((await store.readiness('')).map((r) => r.unit)).toEqual([
          'ha-noi',
          'ha-noi-2/x',
          'ha-noi.x',
          'ha-noi/ba-dinh',
          'ha-noi/ba-dinh/ubnd',
          'ha-noia',
          'hb',
        ]);
        expect(await store.readiness('ha-noi/ba-dinh/ubnd/x')).toEqual([]);
      });
    });

    describe('daily', () => {
      const DAY = 86_400_000;
      // Days begin at T0 - 7 h (midnight in +07:00); three days from there.
      const from = T0 - 7 * 3_600_000;
      const at = (day: number, ms: number) => from + day * DAY + ms;

      it('per site and day, the worst verdict of the runs started that day; the window is half-open', async () => {
        const up = (siteId: string, unit: string, verdict: RunRecord['verdict'], startedMs: number) =>
          store.ingestRun(run({ siteId, unit, verdict, startedMs, failing: [] }), idem());
        await up('a', 'ha-noi/a', 'not-ready', from - 1); // the last millisecond before the window
        await up('a', 'ha-noi/a', 'ready', at(0, 0));
        await up('a', 'ha-noi/a', 'degraded', at(0, 5_000));
        await up('a', 'ha-noi/a', 'unknown', at(1, DAY - 1));
        await up('a', 'ha-noi/a', 'degraded', at(1, 0));
        await up('a', 'ha-noi/a', 'not-ready', at(2, 1));
        await up('a', 'ha-noi/a', 'unknown', at(2, 2));
        await up('a', 'ha-noi/a', 'not-ready', at(3, 0)); // the window's end: excluded
        await up('b', 'ha-noi/b', 'ready', at(2, 3_600_000));
        await up('c', 'ha-noi-2/c', 'not-ready', at(1, 0));
        await store.putSite('d', { name: 'D', unit: 'ha-noi/d' }, T0);
        expect(await store.daily({ unitPrefix: 'ha-noi', fromMs: from, days: 3 })).toEqual([
          { id: 'a', verdicts: ['degraded', 'unknown', 'not-ready'] },
          { id: 'b', verdicts: [null, null, 'ready'] },
          { id: 'd', verdicts: [null, null, null] },
        ]);
        // Everything, ordered like readiness (unit, then id); one day.
        expect(await store.daily({ unitPrefix: '', fromMs: at(1, 0), days: 1 })).toEqual([
          { id: 'c', verdicts: ['not-ready'] },
          { id: 'a', verdicts: ['unknown'] },
          { id: 'b', verdicts: [null] },
          { id: 'd', verdicts: [null] },
        ]);
        expect(await store.daily({ unitPrefix: 'ha-noi/a/x', fromMs: from, days: 3 })).toEqual([]);
      });

      it('follows a site moved to another unit, its runs with it', async () => {
        await store.ingestRun(
          run({ siteId: 'm', unit: 'ha-noi/m', verdict: 'ready', startedMs: at(0, 9) }),
          idem(),
        );
        await store.putSite('m', { name: 'M', unit: 'hue/m' }, T0);
        expect(await store.daily({ unitPrefix: 'ha-noi', fromMs: from, days: 1 })).toEqual([]);
        expect(await store.daily({ unitPrefix: 'hue', fromMs: from, days: 1 })).toEqual([
          { id: 'm', verdicts: ['ready'] },
        ]);
      });
    });

    describe('incidents', () => {
      it('creates with a first history entry, replays, refuses a reused key or a wrong unit', async () => {
        const k = idem('f1');
        const r = await store.createIncident(incident(), k);
        expect(r.kind).toBe('created');
        const inc = (r as { value: { id: number } }).value;
        expect(inc).toMatchObject({
          site: { id: 'site-a', name: 'Site A', unit: 'ha-noi/ba-dinh' },
          category: 'khong_tieng',
          severity: 'major',
          summary: 'Không có tiếng',
          effect: 'none',
          status: 'open',
          occurredAt: new Date(T0).toISOString(),
          history: [{ at: new Date(T0 + 1000).toISOString(), status: 'open', by: 'ktv' }],
        });
        expect(await store.createIncident(incident({ createdMs: T0 + 9000 }), k)).toEqual({
          kind: 'replay',
          value: inc,
        });
        expect(await store.createIncident(incident(), { key: k.key, fingerprint: 'f2' })).toEqual({
          kind: 'key-reused',
        });
        const k2 = idem();
        expect(await store.createIncident(incident({ unit: 'ha-noi/other' }), k2)).toEqual({
          kind: 'conflict',
          code: 'site_unit_mismatch',
          detail: 'ha-noi/ba-dinh',
        });
        expect((await store.createIncident(incident(), { key: k2.key, fingerprint: 'fixed' })).kind).toBe(
          'created',
        );
        expect(await store.getIncident(inc.id)).toEqual(inc);
        expect(await store.getIncident(424242)).toBeUndefined();
      });

      it('moves forward only, records history, replays updates, consumes no key on refusal', async () => {
        const { value } = (await store.createIncident(incident(), idem())) as { value: { id: number } };
        const id = value.id;
        const kAck = idem('ack');
        const ack = await store.updateIncident(
          id,
          { status: 'acknowledged', note: 'Đã nhận', by: 'tinh', atMs: T0 + 60_000 },
          kAck,
        );
        expect(ack).toMatchObject({
          kind: 'created',
          value: { status: 'acknowledged', updatedAt: new Date(T0 + 60_000).toISOString() },
        });
        const kBad = idem('bad');
        expect(
          await store.updateIncident(
            id,
            { status: 'acknowledged', note: undefined, by: undefined, atMs: T0 + 61_000 },
            kBad,
          ),
        ).toEqual({
          kind: 'conflict',
          code: 'invalid_transition',
          detail: 'acknowledged',
        });
        const done = await store.updateIncident(
          id,
          { status: 'resolved', note: 'Xong', by: undefined, atMs: T0 + 120_000 },
          { key: kBad.key, fingerprint: 'res' },
        );
        expect(done.kind).toBe('created');
        const final = (done as { value: { history: unknown[]; resolvedAt?: string; status: string } }).value;
        expect(final.status).toBe('resolved');
        expect(final.resolvedAt).toBe(new Date(T0 + 120_000).toISOString());
        expect(final.history).toEqual([
          { at: new Date(T0 + 1000).toISOString(), status: 'open', by: 'ktv' },
          { at: new Date(T0 + 60_000).toISOString(), status: 'acknowledged', note: 'Đã nhận', by: 'tinh' },
          { at: new Date(T0 + 120_000).toISOString(), status: 'resolved', note: 'Xong' },
        ]);
        expect(
          await store.updateIncident(
            id,
            { status: 'acknowledged', note: 'Đã nhận', by: 'tinh', atMs: T0 + 60_000 },
            kAck,
          ),
        ).toEqual({
          kind: 'replay',
          value: (ack as { value: unknown }).value,
        });
        expect(
          await store.updateIncident(
            999_999,
            { status: 'resolved', note: undefined, by: undefined, atMs: T0 },
            undefined,
          ),
        ).toEqual({
          kind: 'not-found',
        });
      });

      it('lists newest first with unit, site, status, category, since and cursor filters', async () => {
        const specs: Array<[string, string, IncidentCategory, number]> = [
          ['a', 'ha-noi/ba-dinh', 'khong_tieng', T0],
          ['b', 'ha-noi/hoan-kiem', 'mat_dien', T0 + 1],
          ['a', 'ha-noi/ba-dinh', 'mat_dien', T0 + 2],
          ['c', 'ha-noi-2/x', 'khong_hinh', T0 + 3],
        ];
        const ids: number[] = [];
        for (const [site, unit, category, occurredMs] of specs) {
          const r = await store.createIncident(
            incident({ siteId: site, unit, category, occurredMs }),
            idem(),
          );
          ids.push((r as { value: { id: number } }).value.id);
        }
        const list = async (f: Partial<Parameters<Store['listIncidents']>[0]>) =>
          (await store.listIncidents({ unitPrefix: '', limit: 50, ...f })).map((i) => ids.indexOf(i.id));
        expect(await list({})).toEqual([3, 2, 1, 0]);
        expect(await list({ unitPrefix: 'ha-noi' })).toEqual([2, 1, 0]);
        expect(await list({ siteId: 'a' })).toEqual([2, 0]);
        expect(await list({ category: 'mat_dien' })).toEqual([2, 1]);
        expect(await list({ sinceMs: T0 + 2 })).toEqual([3, 2]);
        expect(await list({ limit: 2 })).toEqual([3, 2]);
        expect(await list({ beforeId: ids[2] as number })).toEqual([1, 0]);
        await store.updateIncident(
          ids[1] as number,
          { status: 'resolved', note: undefined, by: undefined, atMs: T0 + 9 },
          undefined,
        );
        expect(await list({ status: 'open' })).toEqual([3, 2, 0]);
        expect(await list({ status: 'resolved' })).toEqual([1]);
        const withHistory = await store.listIncidents({ unitPrefix: '', status: 'resolved', limit: 5 });
        expect(withHistory[0]?.history.map((h) => h.status)).toEqual(['open', 'resolved']);
      });
    });

    describe('sites', () => {
      it('creates then updates, keeps createdAt, moves the site for readiness', async () => {
        const a = await store.putSite(
          's1',
          { name: 'One', unit: 'ha-noi/a', technician: { name: 'B', phone: '09' } },
          T0,
        );
        expect(a).toEqual({
          created: true,
          site: {
            id: 's1',
            name: 'One',
            unit: 'ha-noi/a',
            technician: { name: 'B', phone: '09' },
            createdAt: new Date(T0).toISOString(),
            updatedAt: new Date(T0).toISOString(),
          },
        });
        await store.ingestRun(run({ siteId: 's1', unit: 'ha-noi/a' }), idem());
        const b = await store.putSite('s1', { name: 'One!', unit: 'ha-noi/b', level: 'xa' }, T0 + 5);
        expect(b).toEqual({
          created: false,
          site: {
            id: 's1',
            name: 'One!',
            unit: 'ha-noi/b',
            level: 'xa',
            createdAt: new Date(T0).toISOString(),
            updatedAt: new Date(T0 + 5).toISOString(),
          },
        });
        expect(await store.readiness('ha-noi/a')).toEqual([]);
        expect((await store.readiness('ha-noi/b')).map((r) => [r.id, r.verdict])).toEqual([
          ['s1', 'not-ready'],
        ]);
        // Runs for the site now need its new unit.
        expect((await store.ingestRun(run({ siteId: 's1', unit: 'ha-noi/a' }), idem())).kind).toBe(
          'conflict',
        );
      });

      it('a guarded put leaves a site held by a unit the writer may not leave, and records moves', async () => {
        const mayLeave = (own: string) => (unit: string) => unit === own || unit.startsWith(`${own}/`);
        await store.putSite('own', { name: 'Own', unit: 'ha-noi/a' }, T0);
        // A writer of hue claims it: nothing is written, the holder is named.
        const refused = await store.putSite('own', { name: 'Mine', unit: 'hue/x' }, T0 + 1, {
          mayLeave: mayLeave('hue'),
          by: 'ktv-hue',
        });
        expect(refused).toMatchObject({
          created: false,
          heldBy: 'ha-noi/a',
          site: { name: 'Own', unit: 'ha-noi/a' },
        });
        expect(await store.getSite('own')).toMatchObject({ name: 'Own', unit: 'ha-noi/a' });
        expect(await store.siteMoves('own')).toEqual([]);
        // Same unit: an update, not a move; the guard is not asked.
        const same = await store.putSite('own', { name: 'Own 2', unit: 'ha-noi/a' }, T0 + 2, {
          mayLeave: () => false,
        });
        expect(same).toMatchObject({ created: false, site: { name: 'Own 2' } });
        expect(same.heldBy).toBeUndefined();
        // One who covers both moves it, twice; every move is kept, oldest first.
        await store.putSite('own', { name: 'Own', unit: 'hue/x' }, T0 + 3, {
          mayLeave: () => true,
          by: 'tw',
        });
        await store.putSite('own', { name: 'Own', unit: 'ha-noi/b' }, T0 + 4, {
          mayLeave: () => true,
          by: 'tw2',
        });
        expect(await store.siteMoves('own')).toEqual([
          { at: new Date(T0 + 3).toISOString(), from: 'ha-noi/a', to: 'hue/x', by: 'tw' },
          { at: new Date(T0 + 4).toISOString(), from: 'hue/x', to: 'ha-noi/b', by: 'tw2' },
        ]);
        expect(await store.siteMoves('nope')).toEqual([]);
      });

      it('two first registrations of one id at once: one unit gets it, the other is told who holds it', async () => {
        for (let i = 0; i < 5; i++) {
          const id = `race-${i}`;
          const [x, y] = await Promise.all([
            store.putSite(id, { name: 'X', unit: 'ha-noi/x' }, T0, { mayLeave: (u) => u === 'ha-noi/x' }),
            store.putSite(id, { name: 'Y', unit: 'hue/y' }, T0, { mayLeave: (u) => u === 'hue/y' }),
          ]);
          const winner = (await store.getSite(id))?.unit;
          expect([x, y].filter((r) => r.created)).toHaveLength(1);
          expect([x, y].filter((r) => r.heldBy === winner)).toHaveLength(1);
          expect(await store.siteMoves(id)).toEqual([]);
        }
      });

      it('lists by unit prefix with an (unit, id) position', async () => {
        for (const [id, unit] of [
          ['z', 'ha-noi/a'],
          ['y', 'ha-noi/a'],
          ['x', 'ha-noi/b'],
          ['w', 'hue'],
        ] as const) {
          await store.putSite(id, { name: id, unit }, T0);
        }
        const ids = async (f: Partial<Parameters<Store['listSites']>[0]>) =>
          (await store.listSites({ unitPrefix: '', limit: 50, ...f })).map((s) => s.id);
        expect(await ids({})).toEqual(['y', 'z', 'x', 'w']);
        expect(await ids({ unitPrefix: 'ha-noi' })).toEqual(['y', 'z', 'x']);
        expect(await ids({ unitPrefix: 'ha-noi', after: { unit: 'ha-noi/a', id: 'y' } })).toEqual(['z', 'x']);
        expect(await ids({ limit: 1 })).toEqual(['y']);
        expect(await store.getSite('nope')).toBeUndefined();
      });
    });
  });
}
