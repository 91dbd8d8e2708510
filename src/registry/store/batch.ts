/**
 * Group commit, shared by both engines: uploads queued in one event-loop turn
 * go to the database together. A request's uploads (one, or a whole
 * POST /v1/runs:batch) are never split across transactions.
 */

/** Requests from the front of the queue, whole, while they hold at most `max` uploads (at least one request). */
export function takeBatch<T extends { items: readonly unknown[] }>(queue: T[], max: number): T[] {
  let n = 0;
  let count = 0;
  for (const p of queue) {
    if (count > 0 && n + p.items.length > max) break;
    n += p.items.length;
    count++;
  }
  return queue.splice(0, count);
}

/**
 * Cut uploads, in order, into runs of consecutive ones in which no site is
 * claimed by two units: one SQL statement sees the sites as they were before
 * it, so a second unit's claim on a site registered earlier in the same
 * statement must come in the next one (then it is refused, as it would be
 * one upload after the other).
 */
export function unitConsistentParts<T extends { run: { siteId: string; unit: string } }>(rows: T[]): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let units = new Map<string, string>();
  for (const row of rows) {
    const seen = units.get(row.run.siteId);
    if (seen !== undefined && seen !== row.run.unit) {
      parts.push(part);
      part = [];
      units = new Map();
    }
    units.set(row.run.siteId, row.run.unit);
    part.push(row);
  }
  if (part.length) parts.push(part);
  return parts;
}

/**
 * Group commit with a bounded number of commits in flight (docs/operations.md:
 * two on PostgreSQL; one on SQLite, whose commit includes the WAL's sync).
 * Uploads queue up; while fewer than `inflight` batches
 * are being committed, the queue is cut (takeBatch) into batches of at most
 * `max` uploads and handed to `commit`. When every slot is busy, new uploads
 * wait for the next free one and go together: the longer the database takes,
 * the more each commit (one fsync) carries, instead of many small statements
 * racing for the same disk and cores. The first upload of a quiet moment waits
 * one event-loop turn (setImmediate) for the others of that turn.
 */
export class GroupCommit<T extends { items: readonly unknown[] }> {
  private readonly queue: T[] = [];
  private scheduled = false;
  private running = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly commit: (batch: T[]) => Promise<void>,
    private readonly max: number,
    private readonly inflight: number,
  ) {}

  push(request: T): void {
    this.queue.push(request);
    if (this.scheduled || this.running >= this.inflight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Batches being committed, and whether uploads still wait. */
  get busy(): boolean {
    return this.scheduled || this.queue.length > 0 || this.pending.size > 0;
  }

  /** Until every upload queued so far is committed (or failed). */
  async drain(): Promise<void> {
    // Bounded: each pass waits for the commits in flight; the queue only empties into them.
    while (this.busy) {
      if (this.pending.size === 0) await new Promise((resolve) => setImmediate(resolve));
      await Promise.allSettled([...this.pending]);
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running < this.inflight) {
      this.running++;
      // commit answers its own requests (resolve or reject): its promise never rejects here.
      const done: Promise<void> = this.commit(takeBatch(this.queue, this.max))
        .catch(() => {})
        .finally(() => {
          this.running--;
          this.pending.delete(done);
          // Whatever queued while this batch committed goes now, as one batch.
          this.pump();
        });
      this.pending.add(done);
    }
  }
}

/** Consecutive slices of at most `size` items (one when it is short enough). */
export function chunks<T>(items: T[], size: number): T[][] {
  if (items.length <= size) return [items];
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}
