/**
 * The offline outbox (docs/design.md §7). Whatever the CLI must send to the
 * registry (run uploads, incidents, incident updates) is first written here,
 * one file per item, atomically (temp file, fsync, rename), with its
 * idempotency key. Items are sent oldest first and deleted only after the
 * registry confirms; a 4xx moves the item to rejected/ with the reason.
 * A crash at any point leaves each item either queued whole or not written
 * at all, and a resend after a lost answer is a replay on the server: nothing
 * is dropped silently, nothing is stored twice.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { MAX_BATCH_RUNS } from '../model/constants.js';
import { writeFileAtomic } from '../util/atomic.js';
import { alive } from '../util/lock.js';
import type { Outcome } from './client.js';

export const OUTBOX_KINDS = ['run', 'incident', 'incident-update', 'call-state'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxItem {
  v: 1;
  /** File stem; sorts in creation order. */
  id: string;
  kind: OutboxKind;
  method: 'POST' | 'PATCH';
  path: string;
  key: string;
  body: unknown;
  /**
   * The registry it is meant for (a token is only ever sent to its own registry);
   * UNADDRESSED when none was configured: the first registry a flush names takes it.
   */
  registry: string;
  createdAt: string;
  /** One line for people: site and what it is. */
  label: string;
  /** Why the last attempt did not deliver it (shown by `diemcau outbox`). */
  lastError?: Rejection;
}

export interface Rejection {
  at: string;
  status: number;
  code: string;
  /** The server's own (English) words: shown only with --debug (src/registry/error-text.ts). */
  message: string;
  field?: string;
  params?: Record<string, string>;
}

export type RejectedItem = OutboxItem & { rejected: Rejection };

export type NewItem = Pick<OutboxItem, 'kind' | 'method' | 'path' | 'body' | 'registry' | 'label'> & {
  key?: string;
};

export type StopReason =
  | 'unreachable'
  | 'unauthorized'
  | 'server'
  | 'unconfirmed'
  | 'cancelled'
  | 'locked'
  | 'no-token';

export interface FlushReport {
  sent: Array<{ item: OutboxItem; response: unknown; replayed: boolean }>;
  rejected: RejectedItem[];
  /** Still queued for this registry (not sent because the flush stopped). */
  queued: OutboxItem[];
  /** Queued for another registry: left alone. */
  elsewhere: OutboxItem[];
  /** code: the registry's error code when it gave one (token_expired, token_revoked: docs/registry-api.md). */
  stopped?: Stop;
}

/**
 * One batch request's answer: an outcome per item (in order), one outcome for
 * the whole request (it failed: nothing is known of any item), or `single`:
 * send these items one by one (a registry without batches, or one that would
 * not take this batch whole).
 */
export type BatchOutcome = { each: Outcome[] } | { whole: Outcome } | { single: true };
export type BatchSend = (items: OutboxItem[]) => Promise<BatchOutcome>;

/** Run uploads go in batches: up to MAX_BATCH_RUNS of them and 4 MiB of JSON, half the registry's default limit. */
const batchLimits = { runs: MAX_BATCH_RUNS, bytes: 4 * 1024 * 1024 };

/** What may go in a batch: run uploads. */
const batchable = (item: OutboxItem): boolean =>
  item.kind === 'run' && item.method === 'POST' && item.path === '/v1/runs';

let counter = 0;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Transient answers keep the item queued and stop the flush (order matters: an update follows its incident). */
const keepStatus = (status: number) => status === 408 || status === 429 || status >= 500;

export class Outbox {
  readonly dir: string;
  readonly rejectedDir: string;
  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'outbox');
    this.rejectedDir = path.join(this.dir, 'rejected');
  }

  private async ensure(): Promise<void> {
    await fs.mkdir(this.rejectedDir, { recursive: true, mode: 0o700 });
  }

  /** Queue an item durably; resolves once it is on disk. */
  async add(input: NewItem, now: Date): Promise<OutboxItem> {
    await this.ensure();
    counter = (counter + 1) % 10_000;
    const id = `${pad(now.getTime(), 15)}-${pad(counter, 4)}-${randomBytes(3).toString('hex')}`;
    const item: OutboxItem = {
      v: 1,
      id,
      kind: input.kind,
      method: input.method,
      path: input.path,
      key: input.key ?? randomUUID(),
      body: input.body,
      registry: withoutCredentials(input.registry),
      createdAt: now.toISOString(),
      label: input.label,
    };
    await writeFileAtomic(path.join(this.dir, `${id}.json`), `${JSON.stringify(item)}\n`);
    return item;
  }

  /** Queued items, oldest first. A file that cannot be read as an item is moved aside, never skipped in silence. */
  async list(): Promise<OutboxItem[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const items: OutboxItem[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const file = path.join(this.dir, name);
      const text = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // sent and removed by another process meanwhile
      const item = parseItem(text);
      if (item) items.push(item);
      else await this.quarantine(name, text);
    }
    return items;
  }

  async listRejected(): Promise<RejectedItem[]> {
    const names = await fs.readdir(this.rejectedDir).catch(() => [] as string[]);
    const out: RejectedItem[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const text = await fs.readFile(path.join(this.rejectedDir, name), 'utf8').catch(() => undefined);
      if (!text) continue;
      try {
        out.push(JSON.parse(text) as RejectedItem);
      } catch {
        // A rejected file is only ever written atomically; an unreadable one is left for a person to look at.
      }
    }
    return out;
  }

  private async quarantine(name: string, text: string): Promise<void> {
    await this.ensure();
    const rejected = {
      v: 1,
      id: name.replace(/\.json$/, ''),
      raw: text,
      rejected: {
        at: new Date().toISOString(),
        status: 0,
        code: 'unreadable',
        message: 'not a readable outbox item',
      },
    };
    await writeFileAtomic(path.join(this.rejectedDir, name), `${JSON.stringify(rejected)}\n`);
    await fs.rm(path.join(this.dir, name), { force: true });
  }

  async remove(item: OutboxItem): Promise<void> {
    await fs.rm(path.join(this.dir, `${item.id}.json`), { force: true });
    await syncDir(this.dir);
  }

  /** Remove delivered items, the directory synced once for all of them. */
  private async removeAll(items: OutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    for (const item of items) await fs.rm(path.join(this.dir, `${item.id}.json`), { force: true });
    await syncDir(this.dir);
  }

  /** Move an item aside with the registry's reason (written first, then the queued copy removed). */
  async reject(item: OutboxItem, rejection: Rejection): Promise<RejectedItem> {
    await this.ensure();
    const out: RejectedItem = { ...item, rejected: rejection };
    await writeFileAtomic(path.join(this.rejectedDir, `${item.id}.json`), `${JSON.stringify(out)}\n`);
    await this.remove(item);
    return out;
  }

  /** Put a rejected item back in the queue (after fixing what the registry complained about). */
  async retry(id: string): Promise<OutboxItem | undefined> {
    const file = path.join(this.rejectedDir, `${id}.json`);
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (!text) return undefined;
    const { rejected: _, ...item } = JSON.parse(text) as RejectedItem;
    if (!parseItem(JSON.stringify(item))) return undefined;
    await writeFileAtomic(path.join(this.dir, `${id}.json`), `${JSON.stringify(item)}\n`);
    await fs.rm(file, { force: true });
    return item;
  }

  /**
   * Send what is queued for `registry`, oldest first, through `send`. Stops at
   * the first transient failure (so order is kept); a 4xx other than 401
   * moves the item aside and goes on. One process flushes at a time.
   *
   * With `sendBatch`, consecutive run uploads go in batches (POST
   * /v1/runs:batch): each run keeps its key and gets its own answer, handled
   * as if it had been sent alone; a batch whose request failed as a whole
   * stops the flush with all its runs still queued.
   */
  async flush(
    registry: string,
    send: (item: OutboxItem) => Promise<Outcome>,
    opts: { hasToken: boolean; now: () => Date; sendBatch?: BatchSend },
  ): Promise<FlushReport> {
    const report: FlushReport = { sent: [], rejected: [], queued: [], elsewhere: [] };
    const all = await this.list();
    const mine: OutboxItem[] = [];
    for (const item of all)
      (sameRegistry(item.registry, withoutCredentials(registry)) ? mine : report.elsewhere).push(item);
    if (mine.length === 0) return report;
    if (!opts.hasToken) {
      report.queued = mine;
      report.stopped = { reason: 'no-token', message: 'no token' };
      return report;
    }
    const release = await this.lock();
    if (!release) {
      report.queued = mine;
      report.stopped = { reason: 'locked', message: 'another diemcau process is sending the outbox' };
      return report;
    }
    const stop = async (kept: OutboxItem[], rest: OutboxItem[], outcome: Outcome) => {
      report.queued = [...kept, ...rest];
      report.stopped = stopOf(outcome);
      // What the registry (or whatever answered in its place) said; a dead network line says nothing new.
      if (outcome.kind !== 'unreachable' && kept[0]) {
        await this.note(kept[0], {
          at: opts.now().toISOString(),
          status: outcome.status,
          code: outcome.kind === 'http-error' ? outcome.code : 'no_id',
          message: report.stopped.message,
          ...(outcome.kind === 'http-error' && outcome.field ? { field: outcome.field } : {}),
          ...(outcome.kind === 'http-error' && outcome.params ? { params: outcome.params } : {}),
        });
      }
    };
    try {
      await this.sweepTemp();
      let i = 0;
      while (i < mine.length) {
        const { items, next } = await this.present(mine, i, opts.sendBatch ? batchLimits : undefined);
        i = next;
        if (items.length === 0) continue;
        const answer: BatchOutcome =
          items.length > 1 && opts.sendBatch ? await opts.sendBatch(items) : { single: true };
        if ('whole' in answer) {
          await stop(items, mine.slice(i), answer.whole);
          break;
        }
        if ('each' in answer) {
          // Every run of the batch was answered: settle each, then stop if any must wait.
          const kept: Array<[OutboxItem, Outcome]> = [];
          const sent: FlushReport['sent'] = [];
          for (const [j, item] of items.entries()) {
            const outcome = answer.each[j] as Outcome;
            const fate = await this.settle(item, outcome, report, opts.now);
            if (fate === 'keep') kept.push([item, outcome]);
            else if (fate !== 'rejected') sent.push(fate);
          }
          await this.removeAll(sent.map((s) => s.item));
          report.sent.push(...sent);
          const first = kept[0];
          if (!first) continue;
          await stop(
            kept.map(([item]) => item),
            mine.slice(i),
            first[1],
          );
          break;
        }
        let stopped = false;
        for (const [j, item] of items.entries()) {
          const outcome = await send(item);
          const fate = await this.settle(item, outcome, report, opts.now);
          if (fate === 'rejected') continue;
          if (fate === 'keep') {
            await stop(items.slice(j), mine.slice(i), outcome);
            stopped = true;
            break;
          }
          await this.remove(item);
          report.sent.push(fate);
        }
        if (stopped) break;
      }
    } finally {
      await release();
    }
    return report;
  }

  /**
   * From mine[i]: the next item still queued, or with limits a run of
   * consecutive batchable ones (within the limits); items another process
   * sent between list() and the lock are left out.
   */
  private async present(
    mine: OutboxItem[],
    i: number,
    limits: typeof batchLimits | undefined,
  ): Promise<{ items: OutboxItem[]; next: number }> {
    const items: OutboxItem[] = [];
    let bytes = 0;
    let at = i;
    for (; at < mine.length; at++) {
      const item = mine[at] as OutboxItem;
      const inBatch = limits !== undefined && batchable(item);
      if (items.length > 0 && !inBatch) break;
      if (!(await exists(path.join(this.dir, `${item.id}.json`)))) continue;
      if (inBatch && limits) {
        const size = JSON.stringify(item.body).length;
        if (items.length > 0 && (items.length >= limits.runs || bytes + size > limits.bytes)) break;
        bytes += size;
      }
      items.push(item);
      if (!inBatch) return { items, next: at + 1 };
    }
    return { items, next: at };
  }

  /**
   * One item's answer: confirmed (the caller removes it), refused (moved
   * aside here), or to keep (transient: the flush stops).
   */
  private async settle(
    item: OutboxItem,
    outcome: Outcome,
    report: FlushReport,
    now: () => Date,
  ): Promise<FlushReport['sent'][number] | 'rejected' | 'keep'> {
    // Delivered means confirmed: a 2xx JSON answer naming what was stored.
    if (outcome.kind === 'ok' && confirms(outcome.body))
      return { item, response: outcome.body, replayed: outcome.replayed };
    if (
      outcome.kind === 'http-error' &&
      !outcome.foreign &&
      outcome.status >= 400 &&
      outcome.status !== 401 &&
      !keepStatus(outcome.status)
    ) {
      const { status, code, message, field, params } = outcome;
      report.rejected.push(
        await this.reject(item, {
          at: now().toISOString(),
          status,
          code,
          message,
          ...(field ? { field } : {}),
          ...(params ? { params } : {}),
        }),
      );
      return 'rejected';
    }
    return 'keep';
  }

  /** Record on a queued item why it is still queued (rewritten atomically, same id and key). */
  private async note(item: OutboxItem, lastError: Rejection): Promise<void> {
    const file = path.join(this.dir, `${item.id}.json`);
    if (!(await exists(file))) return;
    await writeFileAtomic(file, `${JSON.stringify({ ...item, lastError })}\n`);
  }

  /** Temp files of writers killed before their rename: never items, safe to remove once old. */
  private async sweepTemp(): Promise<void> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const cutoff = Date.now() - 60_000;
    for (const name of names.filter((n) => n.startsWith('.') && n.endsWith('.tmp'))) {
      const file = path.join(this.dir, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && stat.mtimeMs < cutoff) await fs.rm(file, { force: true });
    }
  }

  /**
   * An exclusive lock file; a lock left by a dead process is taken over. Two
   * processes taking over the same stale lock at once could both send an
   * item: the idempotency key makes that a replay, not a duplicate.
   */
  private async lock(): Promise<(() => Promise<void>) | undefined> {
    await this.ensure();
    const file = path.join(this.dir, '.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await fs.open(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return () => fs.rm(file, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(await fs.readFile(file, 'utf8').catch(() => ''));
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return undefined;
        await fs.rm(file, { force: true });
      }
    }
    return undefined;
  }
}

/** Runs, incidents and incident updates are all answered with the stored object and its id. */
const confirms = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && Number.isInteger((body as { id?: unknown }).id);

/** Why a flush stopped; `fault` is the registry's (or its stand-in's) answer, for the user's words. */
export interface Stop {
  reason: StopReason;
  message: string;
  code?: string;
  fault?: Rejection;
  /** For `unreachable`: the network error's code, for the user's words (src/registry/error-text.ts). */
  netCode?: string;
}

function stopOf(outcome: Outcome): Stop {
  if (outcome.kind === 'unreachable')
    return {
      reason: outcome.cancelled ? 'cancelled' : 'unreachable',
      message: outcome.message,
      ...(outcome.code ? { netCode: outcome.code } : {}),
    };
  if (outcome.kind === 'ok')
    return {
      reason: 'unconfirmed',
      message: `HTTP ${outcome.status}: the answer does not name what was stored`,
      fault: { at: '', status: outcome.status, code: 'no_id', message: '' },
    };
  const { status, code, message, field, params } = outcome;
  const fault: Rejection = {
    at: '',
    status,
    code,
    message,
    ...(field ? { field } : {}),
    ...(params ? { params } : {}),
  };
  if (status === 401) return { reason: 'unauthorized', message: `${status} ${message}`, code, fault };
  if (outcome.foreign || status < 400) return { reason: 'unconfirmed', message, fault };
  return { reason: 'server', message: `${status} ${message}`, fault };
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, constants.O_RDONLY).catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => {});
  await handle.close();
}

/** A registry URL without `user:pass@`: never written to an outbox file nor printed. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1');
}

/** An item kept while no registry was configured (`incident file` with none): `diemcau sync --registry URL` sends it. */
export const UNADDRESSED = '';

/** Whether an item queued for `a` goes to registry `b`. */
export function sameRegistry(a: string, b: string): boolean {
  if (a === UNADDRESSED) return true;
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function parseItem(text: string): OutboxItem | undefined {
  try {
    const v = JSON.parse(text) as Partial<OutboxItem>;
    const ok =
      v.v === 1 &&
      typeof v.id === 'string' &&
      OUTBOX_KINDS.includes(v.kind as OutboxKind) &&
      (v.method === 'POST' || v.method === 'PATCH') &&
      typeof v.path === 'string' &&
      typeof v.key === 'string' &&
      typeof v.registry === 'string' &&
      typeof v.label === 'string' &&
      typeof v.createdAt === 'string';
    return ok ? (v as OutboxItem) : undefined;
  } catch {
    return undefined;
  }
}
