/**
 * The delivery worker inside `registry serve` (docs/alerts.md, delivery):
 * takes due deliveries from the store with a lease, renders each alert,
 * resolves the channel's ${ENV} secrets, sends through the channel kind, and
 * records the outcome: sent, retried later with exponential backoff, or
 * failed. A registry killed mid-send leaves its deliveries leased; they are
 * due again when the lease ends (at-least-once; the idempotency key
 * `<alert id>:<state>` lets a receiver drop the repeat). Also runs the
 * time-driven rules (tick) and, for rules kept in the database, reloads them.
 */
import { setMaxListeners } from 'node:events';
import { Value } from '@sinclair/typebox/value';
import type { Locale } from '../i18n/index.js';
import type { AlertMessage } from '../model/alert.js';
import type { AlertChannel } from '../model/alert-rule.js';
import type { ClaimedDelivery, DeliveryResult } from '../registry/store/alerts.js';
import type { Store } from '../registry/store/types.js';
import type { DeliveryOutcome } from './channel.js';
import { COMMON_CHANNEL_FIELDS } from './config.js';
import type { ChannelLookup } from './lookup.js';
import { renderAlert, renderDigest } from './message.js';
import { backoffMs, MAX_ATTEMPTS } from './rules.js';

export interface WorkerOptions {
  store: Store;
  lookup: ChannelLookup;
  /** The registry's environment: where ${ENV} secrets are read, at send time only. */
  env: Readonly<Record<string, string | undefined>>;
  /** 'database': reload rules and channels every reloadMs (another registry or the CLI may change them). */
  source: 'database' | 'file';
  now?: () => number;
  /** One attempt's time limit (default 10 s); the lease is twice that plus 5 s. */
  timeoutMs?: number;
  /** How often due deliveries are looked for when nothing wakes the worker (default 1 s). */
  pollMs?: number;
  /**
   * After a wake-up, wait this long for more to gather before taking a batch
   * (default 250 ms): each batch costs two commits (an fsync each on SQLite),
   * which would otherwise slow a busy ingest (bench/README.md, alerts).
   */
  gatherMs?: number;
  /** How often the time-driven rules run (default 60 s). */
  tickMs?: number;
  reloadMs?: number;
  /** The first retry's wait (default 2 s); each next one doubles, up to 10 min. */
  retryFirstMs?: number;
  /** Deliveries sent at once. */
  batch?: number;
  /** Told about failures of the worker itself (the database gone); never about secrets. */
  onError?: (err: unknown) => void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

type Recorded = { id: number; result: DeliveryResult } | undefined;

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The kind's fields with ${ENV} references resolved; the missing variable's name if one is not set. */
export function resolveFields(
  channel: AlertChannel,
  env: Readonly<Record<string, string | undefined>>,
): { fields: Record<string, unknown> } | { missing: string } {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(channel)) {
    if (COMMON_CHANNEL_FIELDS.includes(k)) continue;
    if (typeof v !== 'string') {
      fields[k] = v;
      continue;
    }
    let missing: string | undefined;
    fields[k] = v.replace(ENV_REF, (_m, name: string) => {
      const value = env[name];
      if (value === undefined) missing ??= name;
      return value ?? '';
    });
    if (missing) return { missing };
  }
  return { fields };
}

export class AlertWorker {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly o: WorkerOptions) {
    this.now = o.now ?? Date.now;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Every send in flight listens for the shutdown.
    setMaxListeners(0, this.abort.signal);
  }

  get leaseMs(): number {
    return this.timeoutMs * 2 + 5000;
  }

  start(): void {
    this.o.store.alerts.onQueued = () => this.wake();
    this.loop = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stop taking work; sends in flight are cut (their lease brings them back). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { store } = this.o;
    let nextTick = 0;
    let nextReload = 0;
    const batch = this.o.batch ?? 32;
    while (!this.stopped) {
      let busy = false;
      try {
        const now = this.now();
        if (this.o.source === 'database' && now >= nextReload) {
          store.alerts.config = await store.alerts.loadConfig();
          nextReload = now + (this.o.reloadMs ?? 5000);
        }
        if (now >= nextTick) {
          nextTick = now + (this.o.tickMs ?? 60_000);
          await store.alerts.tick(now);
        }
        // One commit to take a batch, one to record how it went (each is an fsync on SQLite).
        const due = await store.alerts.claim('pending', this.now(), this.leaseMs, batch);
        await this.finish((await Promise.all(due.map((d) => this.deliver(d)))).flat());
        if (this.hasDigests()) {
          const digests = await store.alerts.claim('digest', this.now(), this.leaseMs, 1000);
          const byChannel = new Map<string, ClaimedDelivery[]>();
          for (const d of digests) byChannel.set(d.channelId, [...(byChannel.get(d.channelId) ?? []), d]);
          await this.finish(
            (await Promise.all([...byChannel.values()].map((items) => this.deliverDigest(items)))).flat(),
          );
        }
        busy = due.length === batch;
      } catch (err) {
        if (!this.stopped) this.o.onError?.(err);
      }
      if (!busy && !this.stopped) await this.idle();
    }
  }

  private finish(recorded: Recorded[]): Promise<void> {
    return this.o.store.alerts.finish(recorded.filter((r): r is NonNullable<Recorded> => r !== undefined));
  }

  /** Digests are looked for only when a rule or channel asks for them. */
  private hasDigests(): boolean {
    const { rules, channels } = this.o.store.alerts.config;
    return rules.some((r) => r.digest) || channels.some((c) => c.digest);
  }

  private idle(): Promise<void> {
    const gather = this.o.gatherMs ?? 250;
    if (this.woken) {
      this.woken = false;
      return new Promise((resolve) => setTimeout(resolve, gather));
    }
    return new Promise((resolve) => {
      let timer = setTimeout(resolve, this.o.pollMs ?? 1000);
      this.wakeUp = () => {
        this.wakeUp = undefined;
        this.woken = false;
        clearTimeout(timer);
        timer = setTimeout(resolve, this.stopped ? 0 : gather);
      };
    });
  }

  /** Send one message to one channel: the outcome, never throwing. */
  private async send(channelId: string, make: (lang: Locale) => AlertMessage): Promise<DeliveryOutcome> {
    const channel = this.o.store.alerts.config.channels.find((c) => c.id === channelId);
    if (!channel) return { ok: false, retry: false, reason: `channel ${channelId} no longer exists` };
    const kind = await this.o.lookup(channel.kind);
    if (!kind) return { ok: false, retry: true, reason: `this registry has no channel kind ${channel.kind}` };
    const resolved = resolveFields(channel, this.o.env);
    if ('missing' in resolved)
      return { ok: false, retry: true, reason: `environment variable ${resolved.missing} is not set` };
    // The file or API checked the fields with secrets as ${ENV}; the resolved values are checked here (never shown).
    const bad = [...Value.Errors(kind.schema, resolved.fields)][0];
    if (bad) return { ok: false, retry: true, reason: `channel ${channelId}: ${bad.path}: ${bad.message}` };
    const attempt = new AbortController();
    const cut = () => attempt.abort();
    this.abort.signal.addEventListener('abort', cut, { once: true });
    const timer = setTimeout(cut, this.timeoutMs);
    try {
      const sent = kind.send(make(channel.lang ?? 'vi'), resolved.fields, {
        signal: attempt.signal,
        timeoutMs: this.timeoutMs,
      });
      // A channel that ignores its signal is still given up on at the time limit.
      const late = new Promise<DeliveryOutcome>((resolve) =>
        attempt.signal.addEventListener('abort', () =>
          resolve({ ok: false, retry: true, reason: `no answer within ${this.timeoutMs} ms` }),
        ),
      );
      return await Promise.race([sent, late]);
    } catch (err) {
      return { ok: false, retry: true, reason: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', cut);
    }
  }

  /** What to record for an attempt; undefined: nothing (cut by the shutdown, the lease brings it back). */
  private outcomeOf(
    d: ClaimedDelivery,
    outcome: DeliveryOutcome,
    status: 'pending' | 'digest',
  ): { id: number; result: DeliveryResult } | undefined {
    if (this.stopped && !outcome.ok) return undefined;
    const now = this.now();
    if (outcome.ok)
      return {
        id: d.id,
        result: { status: 'sent', atMs: now, ...(outcome.ref ? { ref: outcome.ref } : {}) },
      };
    if (outcome.retry && d.attempts < MAX_ATTEMPTS)
      return {
        id: d.id,
        result: {
          status,
          nextMs: now + backoffMs(d.attempts, outcome.retryAfterMs, this.o.retryFirstMs),
          error: outcome.reason,
        },
      };
    return { id: d.id, result: { status: 'failed', error: outcome.reason } };
  }

  private async deliver(d: ClaimedDelivery): Promise<Recorded[]> {
    const outcome = await this.send(d.channelId, (lang) => renderAlert(d, lang));
    return [this.outcomeOf(d, outcome, 'pending')];
  }

  private async deliverDigest(items: ClaimedDelivery[]): Promise<Recorded[]> {
    const first = items[0] as ClaimedDelivery;
    const outcome = await this.send(first.channelId, (lang) => renderDigest(items, first.channelId, lang));
    return items.map((d) => this.outcomeOf(d, outcome, 'digest'));
  }
}
