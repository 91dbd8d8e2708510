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
