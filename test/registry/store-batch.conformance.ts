/**
 * Store.ingestRuns (POST /v1/runs:batch), run on both engines by store.test.ts:
 * each upload gets the answer it would get alone, in order, and a batch is
 * one transaction, never split, however large.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Idem, RunRecord, RunWrite, Store } from '../../src/registry/store/types.js';
import { run } from './store.conformance.js';

let seq = 0;
const idem = (fingerprint = 'fp'): Idem => ({
  key: `bk-${++seq}-${Math.random().toString(36).slice(2)}`,
  fingerprint,
});
const w = (over: Partial<RunRecord> = {}, k = idem()): RunWrite => ({ run: run(over), idem: k });

export function batchConformance(name: string, open: () => Promise<Store>): void {
  describe(`ingestRuns: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('answers each upload as one after the other would be: created, replay, reused key, claimed site', async () => {
      await store.ingestRun(run({ siteId: 'held', unit: 'ha-noi/a' }), idem());
      const before = idem('fp-before');
      const first = await store.ingestRun(run({ siteId: 'lost', unit: 'ha-noi/b' }), before);
      const dup = idem('fp-dup');
      const results = await store.ingestRuns([
        w({ siteId: 'one', unit: 'ha-noi/b' }),
        w({ siteId: 'lost', unit: 'ha-noi/b' }, before),
        w({ siteId: 'held', unit: 'ha-noi/elsewhere' }),
        w({ siteId: 'two', unit: 'ha-noi/b' }, dup),
        w({ siteId: 'two', unit: 'ha-noi/b' }, dup),
        w({ siteId: 'other', unit: 'ha-noi/b' }, { key: dup.key, fingerprint: 'another' }),
        w({ siteId: 'new', unit: 'ha-noi/c' }),
        w({ siteId: 'new', unit: 'ha-noi/d' }),
        w({ siteId: 'lost', unit: 'ha-noi/b' }, { key: before.key, fingerprint: 'changed' }),
      ]);
      expect(results.map((r) => r.kind)).toEqual([
        'created',
        'replay',
        'conflict',
        'created',
        'replay',
        'key-reused',
        'created',
        'conflict',
        'key-reused',
      ]);
      expect(results[1]).toEqual({ kind: 'replay', value: (first as { value: unknown }).value });
      expect(results[2]).toEqual({ kind: 'conflict', code: 'site_unit_mismatch', detail: 'ha-noi/a' });
      expect(results[7]).toEqual({ kind: 'conflict', code: 'site_unit_mismatch', detail: 'ha-noi/c' });
      expect(results[4]).toEqual({ kind: 'replay', value: (results[3] as { value: unknown }).value });
      expect((await store.getSite('new'))?.unit).toBe('ha-noi/c');
      expect(await store.listRuns({ siteId: 'two', limit: 10 })).toHaveLength(1);
      expect(await store.listRuns({ siteId: 'other', limit: 10 })).toHaveLength(0);
      expect(await store.listRuns({ siteId: 'held', limit: 10 })).toHaveLength(1);
      expect(await store.ingestRuns([])).toEqual([]);
    });

    it('a batch is one transaction: a write that fails leaves none of its runs, however large', async () => {
      const good = Array.from({ length: 999 }, (_, i) => w({ siteId: `s-${i}`, unit: 'ha-noi/x' }));
      // A body the database refuses (NOT NULL), at the very end of a batch larger than a group commit.
      const broken = w({ siteId: 's-last', unit: 'ha-noi/x', body: null as unknown as string });
      const alongside = store.ingestRun(run({ siteId: 'alone', unit: 'ha-noi/y' }), idem());
      await expect(store.ingestRuns([...good, broken])).rejects.toThrow();
      // A request of its own that happened to share the transaction may fail with it; nothing is half-stored.
      await alongside.catch(() => undefined);
      expect(await store.readiness('ha-noi/x')).toEqual([]);
      // The same uploads sent again (the client's retry) are all stored.
      const again = await store.ingestRuns(good);
      expect(again.every((r) => r.kind === 'created')).toBe(true);
      expect(await store.readiness('ha-noi/x')).toHaveLength(999);
    });

    it('concurrent batches and single uploads are each committed once, results to their own callers', async () => {
      const batches = Array.from({ length: 6 }, (_, b) =>
        Array.from({ length: 150 }, (_, i) => w({ siteId: `b${b}-${i}`, unit: 'ha-noi/z' })),
      );
      const singles = Array.from({ length: 40 }, (_, i) => w({ siteId: `one-${i}`, unit: 'ha-noi/z' }));
      const [many, ones] = await Promise.all([
        Promise.all(batches.map((b) => store.ingestRuns(b))),
        Promise.all(singles.map((s) => store.ingestRun(s.run, s.idem))),
      ]);
      many.forEach((results, b) => {
        expect(results).toHaveLength(150);
        results.forEach((r, i) => {
          expect(r.kind).toBe('created');
          expect((r as { value: { site: string } }).value.site).toBe(`b${b}-${i}`);
        });
      });
      expect(ones.map((r) => (r as { value: { site: string } }).value.site)).toEqual(
        singles.map((s) => s.run.siteId),
      );
      expect(await store.readiness('ha-noi/z')).toHaveLength(6 * 150 + 40);
      // Replayed together: every one a replay of its own first answer.
      const replays = await store.ingestRuns(batches[2] as RunWrite[]);
      expect(replays.map((r) => r.kind)).toEqual(Array(150).fill('replay'));
      expect(replays.map((r) => (r as { value: unknown }).value)).toEqual(
        (many[2] ?? []).map((r) => (r as { value: unknown }).value),
      );
    });
  });
}
