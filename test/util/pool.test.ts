/** poolInOrder: results leave in the items' order as soon as they can, and are not kept. */
import { describe, expect, it } from 'vitest';
import { poolInOrder } from '../../src/util/pool.js';

/** A promise and the function that settles it. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('poolInOrder', () => {
  it('emits in order, the first result before a slow later item is done', async () => {
    const slow = gate();
    const log: string[] = [];
    const run = poolInOrder(
      [0, 1, 2, 3],
      4,
      async (i) => {
        if (i === 2) await slow.opened;
        // Item 1 finishes after item 3, but leaves after item 0.
        if (i === 1) await new Promise((r) => setTimeout(r, 30));
        log.push(`done ${i}`);
        return i * 10;
      },
      async (r, i) => {
        log.push(`emit ${i}=${r}`);
      },
    );
    for (let k = 0; k < 100 && !log.includes('emit 1=10'); k++) await new Promise((r) => setTimeout(r, 5));
    // Item 0 left before item 1 (30 ms) was done; item 3 waits behind item 2, which is still held.
    expect(log.indexOf('emit 0=0')).toBeLessThan(log.indexOf('done 1'));
    expect(log.filter((l) => l.startsWith('emit'))).toEqual(['emit 0=0', 'emit 1=10']);
    expect(log).toContain('done 3');
    slow.open();
    await run;
    expect(log.slice(5)).toEqual(['done 2', 'emit 2=20', 'emit 3=30']);
  });

  it('never overlaps two emits, and keeps at most a few results waiting for a slow output', async () => {
    let inEmit = 0;
    let overlapped = false;
    let waitingMax = 0;
    let finished = 0;
    let emitted = 0;
    await poolInOrder(
      Array.from({ length: 200 }, (_, i) => i),
      4,
      async (i) => {
        finished += 1;
        return i;
      },
      async () => {
        inEmit += 1;
        if (inEmit > 1) overlapped = true;
        waitingMax = Math.max(waitingMax, finished - emitted);
        await new Promise((r) => setTimeout(r, 1));
        emitted += 1;
        inEmit -= 1;
      },
    );
    expect(overlapped).toBe(false);
    expect(emitted).toBe(200);
    // limit × 4 waiting, plus what the workers had in hand when the bound was reached.
    expect(waitingMax).toBeLessThanOrEqual(4 * 4 + 4 + 1);
  });

  it('an emit that throws stops new work and rejects', async () => {
    const started: number[] = [];
    await expect(
      poolInOrder(
        Array.from({ length: 50 }, (_, i) => i),
        2,
        async (i) => {
          started.push(i);
          await new Promise((r) => setTimeout(r, 1));
          return i;
        },
        async (_r, i) => {
          if (i === 3) throw new Error('disk full');
        },
      ),
    ).rejects.toThrow('disk full');
    expect(started.length).toBeLessThan(50);
  });
});
