/** GroupCommit (src/registry/store/batch.ts): bounded commits in flight, requests queued meanwhile go together, whole. */
import { describe, expect, it } from 'vitest';
import { chunks, GroupCommit } from '../../src/registry/store/batch.js';

interface Req {
  items: number[];
}

/** A commit that holds each batch until released, recording what it was given. */
function held() {
  const batches: number[][][] = [];
  const open: Array<() => void> = [];
  let running = 0;
  let most = 0;
  const commit = (batch: Req[]) =>
    new Promise<void>((resolve) => {
      batches.push(batch.map((r) => r.items));
      running++;
      most = Math.max(most, running);
      open.push(() => {
        running--;
        resolve();
      });
    });
  const turn = () => new Promise((r) => setImmediate(r));
  return { batches, open, commit, turn, most: () => most };
}

describe('GroupCommit', () => {
  it('never has more batches in flight than allowed; what queued meanwhile goes as one batch', async () => {
    const h = held();
    const gc = new GroupCommit<Req>(h.commit, 100, 2);
    gc.push({ items: [1] });
    await h.turn();
    gc.push({ items: [2] });
    await h.turn();
    // Two in flight: these wait, however many turns they arrive over.
    for (let i = 3; i <= 8; i++) {
      gc.push({ items: [i] });
      await h.turn();
    }
    expect(h.batches).toEqual([[[1]], [[2]]]);
    h.open.shift()?.();
    await h.turn();
    expect(h.batches[2]).toEqual([[3], [4], [5], [6], [7], [8]]);
    expect(h.most()).toBe(2);
    while (h.open.length) {
      h.open.shift()?.();
      await h.turn();
    }
    await gc.drain();
    expect(gc.busy).toBe(false);
    expect(h.batches.flat(2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('cuts the queue at max uploads but never splits a request; drain waits for all of it', async () => {
    const h = held();
    const gc = new GroupCommit<Req>(h.commit, 5, 1);
    gc.push({ items: [1, 2, 3] });
    gc.push({ items: [4, 5, 6] });
    gc.push({ items: [7, 8, 9, 10, 11, 12, 13] });
    gc.push({ items: [14] });
    const drained = gc.drain();
    let done = false;
    void drained.then(() => {
      done = true;
    });
    // Bounded: four requests make at most four batches.
    for (let i = 0; i < 4; i++) {
      await h.turn();
      expect(done).toBe(false);
      h.open.shift()?.();
    }
    await drained;
    expect(h.batches).toEqual([[[1, 2, 3]], [[4, 5, 6]], [[7, 8, 9, 10, 11, 12, 13]], [[14]]]);
    expect(h.most()).toBe(1);
  });

  it('a commit that fails does not stop the next batches', async () => {
    const seen: number[] = [];
    let first = true;
    const gc = new GroupCommit<Req>(
      async (batch) => {
        seen.push(...batch.flatMap((r) => r.items));
        if (first) {
          first = false;
          throw new Error('disk full');
        }
      },
      1,
      1,
    );
    gc.push({ items: [1] });
    gc.push({ items: [2] });
    await gc.drain();
    expect(seen).toEqual([1, 2]);
  });
});

describe('chunks', () => {
  it('cuts into consecutive slices of at most the size, in order', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([1, 2], 2)).toEqual([[1, 2]]);
    expect(chunks([], 3)).toEqual([[]]);
  });
});
