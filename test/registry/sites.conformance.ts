/**
 * The site register's store methods (src/registry/store/sites.ts), one
 * behaviour on both engines: batches merged in one transaction, atomic
 * refusal, retirement kept in history and out of readiness, the readiness
 * columns (technician, phone, open incidents) and its chunks.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SiteBatchItem } from '../../src/model/site.js';
import type { RunRecord, SiteGuard, Store } from '../../src/registry/store/types.js';
import { incident, run } from './store.conformance.js';

const T0 = Date.parse('2026-11-25T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
let seq = 0;
const idem = () => ({ key: `sites-${++seq}-${Math.random().toString(36).slice(2)}`, fingerprint: 'fp' });
const under = (own: string): SiteGuard => ({
  mayLeave: (unit) => own === '' || unit === own || unit.startsWith(`${own}/`),
  by: `tok-${own || 'all'}`,
});

const tech = { name: 'Lê Văn C', phone: '0987 654 321', email: 'c@thanhhoa.gov.vn', zalo: '0987654321' };
const item = (id: string, unit: string, over: Partial<SiteBatchItem> = {}): SiteBatchItem => ({
  id,
  name: `Site ${id}`,
  unit,
  ...over,
});

export function siteRegisterConformance(
  name: string,
  open: () => Promise<Store>,
  teardown?: () => void,
): void {
  describe(`site register conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    if (teardown) afterAll(teardown);

    it('a batch creates and merges: fields left out are kept, given ones replace', async () => {
      const first = await store.putSites(
        [
          item('a', 'th/x', {
            address: 'Số 1 Lê Lợi',
            technician: tech,
            codec: { driver: 'cisco', model: 'SX20' },
          }),
          item('b', 'th/y', { meeting_hours: '07:30-11:30' }),
        ],
        T0,
        under('th'),
        false,
      );
      expect(first.map((o) => o.kind)).toEqual(['created', 'created']);
      const again = await store.putSites(
        [item('a', 'th/x', { name: 'Site A!', bridge: 'sip:8001@mcu.th' })],
        T0 + 5,
        under('th'),
        false,
      );
      expect(again).toEqual([
        {
          kind: 'updated',
          site: {
            id: 'a',
            name: 'Site A!',
            unit: 'th/x',
            address: 'Số 1 Lê Lợi',
            technician: tech,
            codec: { driver: 'cisco', model: 'SX20' },
            bridge: 'sip:8001@mcu.th',
            createdAt: iso(T0),
            updatedAt: iso(T0 + 5),
          },
        },
      ]);
      expect(await store.getSite('a')).toEqual((again[0] as { site: unknown }).site);
    });

    it('a batch moves a site only for a writer that may leave its unit, and records the move', async () => {
      await store.putSites([item('a', 'na/x'), item('b', 'th/y')], T0, under(''), false);
      const out = await store.putSites(
        [item('a', 'th/x'), item('b', 'th/z'), item('c', 'th/c')],
        T0 + 1,
        under('th'),
        false,
      );
      expect(out.map((o) => o.kind)).toEqual(['held', 'updated', 'created']);
      expect(out[0]).toEqual({ kind: 'held', heldBy: 'na/x' });
      expect((await store.getSite('a'))?.unit).toBe('na/x');
      expect(await store.siteMoves('b')).toEqual([
        { at: iso(T0 + 1), from: 'th/y', to: 'th/z', by: 'tok-th' },
      ]);
    });

    it('an atomic batch with one held entry writes nothing at all', async () => {
      await store.putSites([item('a', 'na/x')], T0, under(''), false);
      const out = await store.putSites(
        [item('n1', 'th/1'), item('a', 'th/x'), item('n2', 'th/2', { address: 'x' })],
        T0 + 1,
        under('th'),
        true,
      );
      expect(out).toEqual([
        { kind: 'not-written' },
        { kind: 'held', heldBy: 'na/x' },
        { kind: 'not-written' },
      ]);
      expect(await store.getSite('n1')).toBeUndefined();
      expect(await store.getSite('n2')).toBeUndefined();
      const ok = await store.putSites([item('n1', 'th/1'), item('n2', 'th/2')], T0 + 2, under('th'), true);
      expect(ok.map((o) => o.kind)).toEqual(['created', 'created']);
    });

    it("an upload keeps the register current: the run's fields replace, the register's own are kept", async () => {
      const H = 3_600_000;
      await store.putSites(
        [
          item('u', 'th/u', {
            level: 'xa',
            address: 'Số 1 Lê Lợi',
            technician: tech,
            focal_point: { name: 'Trần Thị D', phone: '(0237) 385 0000' },
            codec: { driver: 'cisco', model: 'SX20' },
            bridge: 'sip:8001@mcu.th',
            meeting_hours: '07:30-11:30',
          }),
        ],
        T0,
        under(''),
        false,
      );
      const runOf = (
        name: string,
        finishedMs: number,
        register?: RunRecord['register'],
        receivedMs?: number,
      ) =>
        run({
          siteId: 'u',
          siteName: name,
          unit: 'th/u',
          startedMs: finishedMs - 1000,
          finishedMs,
          receivedMs: receivedMs ?? finishedMs + 1000,
          ...(register ? { register } : {}),
        });
      const upload = (name: string, finishedMs: number, register?: RunRecord['register']) =>
        store.ingestRun(runOf(name, finishedMs, register), idem());
      const newTech = { name: 'Phạm Văn E', phone: '0912 000 111', zalo: '0912000111' };
      await upload('UBND xã U', T0 + H, { technician: newTech, meeting_hours: '08:00-11:00, 14:00-17:00' });
      let site = await store.getSite('u');
      expect(site).toMatchObject({
        name: 'UBND xã U',
        level: 'xa',
        address: 'Số 1 Lê Lợi',
        technician: newTech,
        focal_point: { name: 'Trần Thị D', phone: '(0237) 385 0000' },
        codec: { driver: 'cisco', model: 'SX20' },
        bridge: 'sip:8001@mcu.th',
        meeting_hours: '08:00-11:00, 14:00-17:00',
        updatedAt: iso(T0 + H),
      });
      // A run without register fields wipes nothing.
      await upload('UBND xã U', T0 + 2 * H);
      expect(await store.getSite('u')).toMatchObject({ technician: newTech, address: 'Số 1 Lê Lợi' });
      // An import after the run, then an older run from an outbox: the import stays.
      await store.putSites(
        [item('u', 'th/u', { name: 'UBND xã U', address: 'Số 2' })],
        T0 + 4 * H,
        under(''),
        false,
      );
      await upload('Tên cũ', T0 + 3 * H, { technician: { name: 'Người cũ' }, address: 'Địa chỉ cũ' });
      site = await store.getSite('u');
      expect(site).toMatchObject({ name: 'UBND xã U', address: 'Số 2', technician: newTech });
      // Two runs of the site in one batch: the newer one's fields, whatever the order.
      const batch = (finishedMs: number, address: string) => ({
        run: runOf('UBND xã U', finishedMs, { address }, T0 + 7 * H),
        idem: idem(),
      });
      await store.ingestRuns([batch(T0 + 6 * H, 'mới nhất'), batch(T0 + 5 * H, 'cũ hơn')]);
      expect((await store.getSite('u'))?.address).toBe('mới nhất');
      await store.ingestRuns([batch(T0 + 8 * H, 'cũ hơn'), batch(T0 + 9 * H, 'mới nhất 2')]);
      expect((await store.getSite('u'))?.address).toBe('mới nhất 2');
      // A site first seen in a run is registered with the run's fields.
      await store.ingestRun(
        run({
          siteId: 'new',
          siteName: 'Xã mới',
          unit: 'th/new',
          register: { address: 'Thôn 3', level: 'xa' },
        }),
        idem(),
      );
      expect(await store.getSite('new')).toMatchObject({ name: 'Xã mới', address: 'Thôn 3', level: 'xa' });
      // A retired site stays retired, its entry as it was.
      await store.retireSite('u', { atMs: T0 + 10 * H, by: 'vp', reason: 'sáp nhập' });
      const before = await store.getSite('u');
      await upload('Tên khác', T0 + 11 * H, { address: 'Không được ghi' });
      const after = await store.getSite('u');
      expect(after).toEqual(before);
      expect(after?.retired).toMatchObject({ by: 'vp' });
    });

    it('retires a site: kept with its runs and moves, out of readiness and of the default list', async () => {
      await store.putSite('r', { name: 'R', unit: 'th/r' }, T0);
      await store.putSite('k', { name: 'K', unit: 'th/k' }, T0);
      await store.ingestRun(run({ siteId: 'r', unit: 'th/r' }), idem());
      const retired = await store.retireSite('r', { atMs: T0 + 10, by: 'admin', reason: 'sáp nhập xã' });
      expect(retired?.retired).toEqual({ at: iso(T0 + 10), by: 'admin', reason: 'sáp nhập xã' });
      // A second retire keeps the first.
      const twice = await store.retireSite('r', { atMs: T0 + 20, by: 'other', reason: undefined });
      expect(twice?.retired).toEqual(retired?.retired);
      expect(await store.retireSite('nope', { atMs: T0, by: undefined, reason: undefined })).toBeUndefined();
      expect((await store.readiness('th')).map((r) => r.id)).toEqual(['k']);
      expect((await store.listSites({ unitPrefix: 'th', limit: 10 })).map((s) => s.id)).toEqual(['k']);
      expect(
        (await store.listSites({ unitPrefix: 'th', limit: 10, retired: 'include' })).map((s) => s.id),
      ).toEqual(['k', 'r']);
      expect(
        (await store.listSites({ unitPrefix: 'th', limit: 10, retired: 'only' })).map((s) => s.id),
      ).toEqual(['r']);
      expect(await store.listRuns({ siteId: 'r', limit: 10 })).toHaveLength(1);
      // A later put of the entry keeps it retired.
      await store.putSite('r', { name: 'R2', unit: 'th/r' }, T0 + 30);
      expect((await store.getSite('r'))?.retired?.at).toBe(iso(T0 + 10));
    });

    it('readiness rows carry the technician, the phone and the unresolved incidents', async () => {
      await store.putSite('a', { name: 'A', unit: 'ha-noi/ba-dinh', technician: tech }, T0);
      await store.putSite('b', { name: 'B', unit: 'ha-noi/ba-dinh/x' }, T0);
      const opened = await store.createIncident(incident({ siteId: 'a', unit: 'ha-noi/ba-dinh' }), idem());
      await store.createIncident(incident({ siteId: 'a', unit: 'ha-noi/ba-dinh' }), idem());
      const fixed = await store.createIncident(incident({ siteId: 'a', unit: 'ha-noi/ba-dinh' }), idem());
      if (opened.kind !== 'created' || fixed.kind !== 'created') throw new Error('not created');
      await store.updateIncident(
        opened.value.id,
        { status: 'acknowledged', note: undefined, by: 'x', atMs: T0 + 1 },
        undefined,
      );
      await store.updateIncident(
        fixed.value.id,
        { status: 'resolved', note: undefined, by: 'x', atMs: T0 + 1 },
        undefined,
      );
      const rows = await store.readiness('ha-noi');
      expect(rows.map((r) => [r.id, r.technician, r.phone, r.openIncidents])).toEqual([
        ['a', 'Lê Văn C', '0987 654 321', 2],
        ['b', null, null, 0],
      ]);
    });

    it('reads readiness in chunks after a (unit, id) position, the same rows as in one go', async () => {
      const units = ['p1/a', 'p1/a', 'p1/b', 'p2/a', 'p1', 'p1/a/z'];
      for (const [i, unit] of units.entries()) await store.putSite(`s${i}`, { name: `S${i}`, unit }, T0);
      const whole = await store.readiness('p1');
      const chunks: string[][] = [];
      let after: { unit: string; id: string } | undefined;
      for (;;) {
        const rows = await store.readinessChunk({ unitPrefix: 'p1', limit: 2, ...(after ? { after } : {}) });
        if (rows.length === 0) break;
        chunks.push(rows.map((r) => r.id));
        const last = rows[rows.length - 1] as (typeof rows)[number];
        after = { unit: last.unit, id: last.id };
      }
      expect(chunks.flat()).toEqual(whole.map((r) => r.id));
      expect(chunks).toEqual([['s4', 's0'], ['s1', 's5'], ['s2']]);
    });
  });
}
