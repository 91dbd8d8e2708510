/**
 * The SQLite store (better-sqlite3): one file, WAL, synchronous=FULL so a
 * commit is on disk before the client hears 201.
 *
 * Group commit: run uploads that arrive together (one event-loop turn) are
 * written in one transaction, and each request is answered only after that
 * transaction commits. One fsync then covers the
 * whole batch, which is how ingest goes past one-transaction-per-request
 * (bench/README.md, docs/references.md §9).
 *
 * The fsync of an ingest commit is off the event loop: the ingest
 * transaction commits with synchronous=NORMAL (its WAL frames written, not yet
 * synced), then the WAL file is fdatasync'ed in libuv's thread pool and the
 * uploads are answered only after that; meanwhile the next uploads are parsed
 * and wait, to be committed together once it is done (GroupCommit, one group
 * at a time), and one fdatasync covers every commit made before it started.
 * A 201 still means the run is on disk (docs/operations.md); every other write
 * keeps synchronous=FULL. WAL checkpoints run in a thread of their own
 * (sqlite-checkpointer.ts).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CallStateRecord } from '../../model/call-state.js';
import type { Incident } from '../../model/incident.js';
import type { Meeting, NoticeRule } from '../../model/meeting.js';
import type { DailySite } from '../../model/report.js';
import type { Run, RunAccepted } from '../../model/run.js';
import type { Site, SiteBatchItem, SiteInput, SiteMove } from '../../model/site.js';
import { canMove } from '../categories.js';
import {
  AlertsSql,
  alertMigration,
  maintenanceNoticeMigration,
  onIncident,
  onRuns,
  type Script,
} from './alerts-sql.js';
import { sqliteRunner } from './alerts-sqlite.js';
import { GroupCommit } from './batch.js';
import type {
  BridgeConnection,
  BridgeQuery,
  BridgesQuery,
  CallStateFilter,
  NewCallState,
} from './call-states.js';
import {
  addCallStateSqlite,
  bridgeConnectionsSqlite,
  CALL_STATES_SQLITE,
  listCallStatesSqlite,
} from './call-states-sqlite.js';
import { incidentsDuringSqlite, type MeetingIncident } from './meeting-incidents.js';
import type {
  DueJob,
  LastRun,
  MeetingChange,
  MeetingFilter,
  MeetingWrite,
  NewMeeting,
  OpenIncident,
} from './meetings.js';
import { MEETINGS_MIGRATION_SQLITE, SqliteMeetings } from './meetings-sqlite.js';
import {
  type BadRowListener,
  convertRows,
  DAY_MS,
  dailyFromArrays,
  dayCodeSql,
  type EventRow,
  eventsById,
  type IncidentRow,
  incidentFromRow,
  infoOf,
  iso,
  mergeSite,
  type RunRow,
  runFromRow,
  type SiteMoveRow,
  type SiteRow,
  siteFromRow,
  siteMoveFromRow,
  TOKEN_COLUMNS,
  type TokenRow,
  tokenFromRow,
  unitRange,
} from './rows.js';
import type { ReadinessChunk, SiteBatchOutcome, SiteRetire } from './sites.js';
import { putSitesSqlite, readinessChunkSqlite, retireSiteSqlite } from './sites-sqlite.js';
import {
  type DailyQuery,
  type Idem,
  type IncidentFilter,
  type IncidentUpdate,
  type NewIncident,
  type NewToken,
  type ReadinessRow,
  type RunFilter,
  type RunRecord,
  type RunWrite,
  type SiteFilter,
  type SiteGuard,
  type SitePut,
  type Store,
  StoreBusyError,
  type TokenRecord,
  type WriteResult,
} from './types.js';

/** Each entry moves the schema one version up (PRAGMA user_version). Never edit a shipped entry. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    unit TEXT NOT NULL,
    label TEXT NOT NULL,
    created_ms INTEGER NOT NULL
  );
  CREATE TABLE sites (
    site_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    info TEXT,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sites_unit ON sites (unit);
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    verdict TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    received_ms INTEGER NOT NULL,
    failing TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX runs_site_time ON runs (site_id, started_ms);
  CREATE TABLE site_latest (
    site_id TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    finished_ms INTEGER NOT NULL,
    failing TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    run_id INTEGER,
    response TEXT,
    created_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    site_name TEXT,
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    occurred_ms INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    resolved_ms INTEGER,
    body TEXT NOT NULL
  );
  CREATE INDEX incidents_unit ON incidents (unit);
  CREATE INDEX incidents_site ON incidents (site_id);
  CREATE TABLE incident_events (
    incident_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    actor TEXT,
    PRIMARY KEY (incident_id, seq)
  ) WITHOUT ROWID;
  `,
  // 2: the daily grid (GET /v1/reports/daily) reads a run's verdict from the index: each
  // site's days are an index-only range (bench/README.md, report-e2e). Same name and
  // leading columns, so the runs list keeps using it.
  `
  DROP INDEX runs_site_time;
  CREATE INDEX runs_site_time ON runs (site_id, started_ms, verdict);
  `,
  // 3: the token lifecycle (registry token list / revoke, --expires; docs/registry-api.md).
  `
  ALTER TABLE tokens ADD COLUMN last_used_ms INTEGER;
  ALTER TABLE tokens ADD COLUMN expires_ms INTEGER;
  ALTER TABLE tokens ADD COLUMN revoked_ms INTEGER;
  `,
  // 4: every move of a site between units, kept (docs/registry-api.md, site ownership).
  `
  CREATE TABLE site_moves (
    site_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    from_unit TEXT NOT NULL,
    to_unit TEXT NOT NULL,
    actor TEXT,
    PRIMARY KEY (site_id, seq)
  ) WITHOUT ROWID;
  `,
  // 5: the meeting a run was made for (check --meeting; docs/registry-api.md, meeting tag).
  // Runs from before have none.
  `
  ALTER TABLE runs ADD COLUMN meeting_id TEXT;
  CREATE INDEX runs_meeting ON runs (meeting_id, started_ms) WHERE meeting_id IS NOT NULL;
  `,
  // 6: call states, for roll call (call --watch --upload; docs/registry-api.md, call states).
  CALL_STATES_SQLITE,
  // 7: the meeting register: meetings, their participants and history, notice rules (docs/meetings.md).
  MEETINGS_MIGRATION_SQLITE,
  // 8: the site register (docs/sites.md): retired sites stay with their history, out of
  // reports; the readiness report counts each site's unresolved incidents from a partial index.
  // The register's new fields live in the existing `info` JSON, so older rows need no change.
  `
  ALTER TABLE sites ADD COLUMN retired_ms INTEGER;
  ALTER TABLE sites ADD COLUMN retired_by TEXT;
  ALTER TABLE sites ADD COLUMN retired_note TEXT;
  CREATE INDEX incidents_open ON incidents (site_id) WHERE status <> 'resolved';
  `,
  // 9: alert rules, channels, state, alerts and their deliveries, maintenance windows (docs/alerts.md).
  alertMigration('sqlite'),
  // 10: maintenance notices: the channels a window tells at its start and end (docs/alerts.md).
  maintenanceNoticeMigration('sqlite'),
];

/** Uploads gathered into one transaction: up to this many, but a batch request is never split. */
const MAX_BATCH = 512;

/** One request's uploads (one for POST /v1/runs, many for a batch): committed together. */
interface Pending {
  items: readonly RunWrite[];
  resolve: (r: WriteResult<RunAccepted>[]) => void;
  reject: (err: unknown) => void;
}

export interface SqliteOptions {
  /** synchronous=FULL (default) makes every answered write survive a power cut; NORMAL only a crash. */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * How long a write waits for a lock another process holds on the file before
   * it fails with StoreBusyError (default 1 s: the registry's brief retry, then
   * 503; the admin commands wait 5 s). Waiting is asynchronous: the event loop
   * is blocked for at most BUSY_SLICE_MS at a time.
   */
  busyWaitMs?: number;
  /**
   * Where WAL checkpoints run: by default the checkpointer thread built beside
   * this module (sqlite-checkpointer.ts), started at the first write;
   * false: SQLite's own, in the committing write; a file: that built
   * checkpointer (tests).
   */
  checkpointer?: false | string;
}

/** How often at most the checkpointer is asked to copy the WAL back while writes go on. */
const CHECKPOINT_EVERY_MS = 200;
/**
 * WAL file size at which the writer checkpoints itself, on the event loop: the
 * bound if the thread falls behind or writes never pause long enough for the
 * WAL to start over. The file is cut to half of it when it starts over.
 */
export const CHECKPOINT_HARD_BYTES = 16 * 1024 * 1024;

/** Default of SqliteOptions.busyWaitMs. */
export const DEFAULT_BUSY_WAIT_MS = 1000;
/** SQLite's own busy timeout per attempt: short, since it blocks the event loop. */
const BUSY_SLICE_MS = 20;

/** better-sqlite3 errors carry SQLite's extended code (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT…). */
const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SqliteStore implements Store {
  onBadRow?: BadRowListener;
  readonly engine = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly ingest = new GroupCommit<Pending>((batch) => this.commitGroup(batch), MAX_BATCH, 1);
  private closed = false;
  private readonly busyWaitMs: number;
  private s!: ReturnType<typeof statements>;
  private readonly meetings: SqliteMeetings;
  private ingestBatch!: Database.Transaction<(batch: Pending[]) => WriteResult<RunAccepted>[][]>;
  readonly alerts: AlertsSql;
  /** Runs an alert script inside the transaction already open (the write that caused the alert). */
  private readonly alertTxn: <T>(script: Script<T>) => T;
  /** Deliveries the last committed transaction queued (the worker is told after commit). */
  private alertsQueued = 0;
  /** The WAL file whose fdatasync acknowledges ingest commits, or undefined (no WAL, or synchronous=NORMAL). */
  private walFile: string | undefined;
  /** Committed ingest batches waiting for the next fdatasync of the WAL to start. */
  private unsynced: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  /** The fdatasync in flight (and those it chains to), if any. */
  private syncing: Promise<void> | undefined;
  /**
   * The WAL, opened at the first sync and kept until close: SQLite removes
   * and recreates it only when its last connection closes, and this one is
   * open until then.
   */
  private walFd: number | undefined;
  private readonly syncNormal: Database.Statement;
  private readonly syncFull: Database.Statement;
  /** The checkpointer's built file, when checkpoints run off the event loop. */
  private checkpointerFile: string | undefined;
  private checkpointer: Worker | undefined;
  private checkpointing = false;
  private checkpointAskedMs = 0;

  constructor(file: string, opts: SqliteOptions = {}) {
    this.db = new Database(file);
    this.busyWaitMs = opts.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS;
    this.db.pragma(`busy_timeout = ${BUSY_SLICE_MS}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    const wal = this.db.pragma('journal_mode', { simple: true }) === 'wal';
    if (wal && (opts.synchronous ?? 'FULL') === 'FULL' && !this.db.memory)
      this.walFile = `${this.db.name}-wal`;
    this.db.pragma('foreign_keys = OFF');
    if (this.walFile && opts.checkpointer !== false) {
      const built = opts.checkpointer ?? fileURLToPath(new URL('./sqlite-checkpointer.js', import.meta.url));
      if (fs.existsSync(built)) {
        this.checkpointerFile = built;
        this.db.pragma('wal_autocheckpoint = 0');
        this.db.pragma(`journal_size_limit = ${CHECKPOINT_HARD_BYTES / 2}`);
      }
    }
    this.meetings = new SqliteMeetings(
      this.db,
      (fn) => this.write(fn),
      () => this.onBadRow,
    );
    this.syncNormal = this.db.prepare('PRAGMA synchronous = NORMAL');
    this.syncFull = this.db.prepare('PRAGMA synchronous = FULL');
    // The alert worker's claims and outcomes commit often: their fsync is off the event loop too.
    const { runner, inTxn } = sqliteRunner(this.db, (fn) => this.writeSynced(fn));
    this.alerts = new AlertsSql(runner);
    this.alertTxn = inTxn;
  }

  /** After a commit: tell the alert worker what that transaction queued. */
  private alertsCommitted(): void {
    const n = this.alertsQueued;
    this.alertsQueued = 0;
    this.alerts.queued(n);
  }

  async migrate(): Promise<void> {
    const version = () => this.db.pragma('user_version', { simple: true }) as number;
    const upgrade = this.db.transaction(() => {
      for (let v = version(); v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v] as string);
        this.db.pragma(`user_version = ${v + 1}`);
      }
    });
    // IMMEDIATE, version read inside: two processes migrating at once take turns instead of failing.
    if (version() < MIGRATIONS.length) await this.write(() => upgrade.immediate());
    this.prepare();
  }

  /**
   * Run a write, retrying while another process holds the file's write lock,
   * for up to busyWaitMs; then StoreBusyError. Each attempt is synchronous and
   * whole (a transaction commits or rolls back), so a retry never repeats half.
   */
  private async write<T>(fn: () => T): Promise<T> {
    const start = Date.now();
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      try {
        const out = fn();
        if (this.checkpointerFile) this.walGrew();
        return out;
      } catch (err) {
        if (!isBusy(err)) throw err;
        const waited = Date.now() - start;
        if (waited >= this.busyWaitMs) throw new StoreBusyError(waited, { cause: err });
        await sleep(Math.min(pause, this.busyWaitMs - waited));
      }
    }
  }

  /**
   * After a write, with checkpoints off the event loop: the checkpointer is
   * asked to copy the WAL back, one request at a time and at most every
   * CHECKPOINT_EVERY_MS; past CHECKPOINT_HARD_BYTES of WAL file the writer
   * checkpoints itself, as SQLite would.
   */
  private walGrew(): void {
    if (this.closed) return;
    this.walFd ??= fs.openSync(this.walFile as string, 'r');
    if (fs.fstatSync(this.walFd).size >= CHECKPOINT_HARD_BYTES) {
      this.db.pragma('wal_checkpoint(PASSIVE)');
      return;
    }
    const now = Date.now();
    if (this.checkpointing || now - this.checkpointAskedMs < CHECKPOINT_EVERY_MS) return;
    this.checkpointing = true;
    this.checkpointAskedMs = now;
    this.checkpointerThread().postMessage('checkpoint');
  }

  private checkpointerThread(): Worker {
    if (this.checkpointer) return this.checkpointer;
    const worker = new Worker(this.checkpointerFile as string, { workerData: { file: this.db.name } });
    worker.unref();
    worker.on('message', () => {
      this.checkpointing = false;
    });
    const gone = () => {
      if (this.checkpointer !== worker) return;
      this.checkpointer = undefined;
      this.checkpointing = false;
      // Without its thread the store checkpoints as SQLite does by itself.
      if (!this.closed) {
        this.checkpointerFile = undefined;
        this.db.pragma('wal_autocheckpoint = 1000');
      }
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    this.checkpointer = worker;
    return worker;
  }

  /** The checkpointer's thread, for tests. */
  get checkpointerThreadForTests(): Worker | undefined {
    return this.checkpointer;
  }

  /** A write whose transaction may queue alerts: the worker hears of them after the commit. */
  private async writeWithAlerts<T>(fn: () => T): Promise<T> {
    try {
      const out = await this.write(fn);
      this.alertsCommitted();
      return out;
    } catch (err) {
      this.alertsQueued = 0;
      throw err;
    }
  }

  private prepare(): void {
    const db = this.db;
    this.s = statements(db);

    // Each upload is checked (key, site unit) before it writes, so a refusal writes nothing and
    // needs no savepoint; a failure while writing (disk full, I/O) rolls the whole batch back
    // and every request in it gets a 500, which the client retries with the same key.
    this.ingestBatch = db.transaction((batch: Pending[]) => {
      const results = batch.map((p) => p.items.map((w) => this.ingestInTxn(w)));
      const created = batch.flatMap((p, i) =>
        p.items.filter((_, j) => results[i]?.[j]?.kind === 'created').map((w) => w.run),
      );
      // The alerts these runs cause are written in this same transaction (docs/alerts.md).
      if (created.length)
        this.alertsQueued += this.alertTxn(onRuns(this.alerts.config, created, created[0]?.receivedMs ?? 0));
      return results;
    });
  }

  /** The ingest transaction, its commit not synced when the WAL is synced after it (walSynced). */
  private ingestCommit(batch: Pending[]): WriteResult<RunAccepted>[][] {
    return this.unsyncedCommit(() => this.ingestBatch.immediate(batch));
  }

  /** Run a transaction whose commit leaves the WAL unsynced (when walSynced follows it). */
  private unsyncedCommit<T>(txn: () => T): T {
    if (!this.walFile) return txn();
    this.syncNormal.run();
    try {
      return txn();
    } finally {
      this.syncFull.run();
    }
  }

  /** A write (a whole transaction) answered once it is on disk, its fsync off the event loop. */
  private async writeSynced<T>(fn: () => T): Promise<T> {
    const out = await this.write(() => this.unsyncedCommit(fn));
    if (this.walFile) await this.walSynced();
    return out;
  }

  /**
   * Resolves once an fdatasync of the WAL that started after this call has
   * finished: every commit made before the call is then on disk.
   */
  private walSynced(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.unsynced.push({ resolve, reject });
      if (!this.syncing) this.syncing = this.syncWal();
    });
  }

  private async syncWal(): Promise<void> {
    while (this.unsynced.length > 0) {
      const group = this.unsynced;
      this.unsynced = [];
      try {
        this.walFd ??= fs.openSync(this.walFile as string, 'r');
        await fdatasync(this.walFd);
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    this.syncing = undefined;
  }

  /**
   * The register kept current by an upload (docs/sites.md, check --upload): the
   * run's name and register fields merged over the entry (a field it carries
   * replaces, one it lacks is kept), unless the site is retired or the entry
   * changed after this run finished (a `site push` or import is not undone by
   * an older run from the outbox). The entry's time becomes the run's finish.
   */
  private refreshSite(run: RunRecord, row: SiteRow): void {
    if ((row.retired_ms !== null && row.retired_ms !== undefined) || run.finishedMs < row.updated_ms) return;
    // Nothing to merge: the entry would come out as it is.
    if (run.register === undefined && run.siteName === row.name) return;
    const merged = mergeSite(siteFromRow(row), { name: run.siteName, unit: row.unit, ...run.register });
    const info = infoOf(merged);
    if (info !== row.info || merged.name !== row.name)
      this.s.siteRefresh.run(merged.name, info, run.finishedMs, run.siteId);
  }

  private ingestInTxn({ run, idem }: RunWrite): WriteResult<RunAccepted> {
    const s = this.s;
    const prior = s.keyGet.get(idem.key) as { fingerprint: string; run_id: number | null } | undefined;
    if (prior) {
      if (prior.fingerprint !== idem.fingerprint || prior.run_id === null) return { kind: 'key-reused' };
      return { kind: 'replay', value: this.accepted(prior.run_id) };
    }
    // One read of the site's row: its unit is checked, and the register refreshed from it.
    const site = s.siteGet.get(run.siteId) as SiteRow | undefined;
    if (site !== undefined && site.unit !== run.unit) {
      return { kind: 'conflict', code: 'site_unit_mismatch', detail: site.unit };
    }
    if (site === undefined)
      s.siteAutoInfo.run(
        run.siteId,
        run.siteName,
        run.unit,
        run.register ? infoOf(run.register) : null,
        run.receivedMs,
        run.receivedMs,
      );
    else this.refreshSite(run, site);
    const failing = run.failing.join(',');
    const id = Number(
      s.runInsert.run(
        run.siteId,
        run.verdict,
        run.startedMs,
        run.durationMs,
        run.receivedMs,
        failing,
        run.body,
        run.meetingId ?? null,
      ).lastInsertRowid,
    );
    s.keyInsert.run(idem.key, idem.fingerprint, id, null, run.receivedMs);
    s.latestUpsert.run(run.siteId, id, run.verdict, run.finishedMs, failing);
    return {
      kind: 'created',
      value: { id, site: run.siteId, verdict: run.verdict, receivedAt: iso(run.receivedMs) },
    };
  }

  private accepted(runId: number): RunAccepted {
    const r = this.s.runAccepted.get(runId) as {
      id: number;
      site_id: string;
      verdict: string;
      received_ms: number;
    };
    return {
      id: r.id,
      site: r.site_id,
      verdict: r.verdict as RunAccepted['verdict'],
      receivedAt: iso(r.received_ms),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Uploads already accepted are committed (or failed) first, and their commits synced.
    await this.ingest.drain();
    while (this.syncing) await this.syncing;
    const checkpointer = this.checkpointer;
    if (checkpointer) {
      // Its connection closes first; then this one, the last, checkpoints what is left.
      const exited = new Promise((resolve) => checkpointer.once('exit', resolve));
      checkpointer.postMessage('close');
      const timer = setTimeout(() => void checkpointer.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (this.walFd !== undefined) fs.closeSync(this.walFd);
    this.db.close();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async createToken(t: NewToken): Promise<TokenRecord> {
    const { lastInsertRowid } = await this.write(() =>
      this.s.tokenInsert.run(t.hash, t.role, t.unit, t.label, t.createdMs, t.expiresMs ?? null),
    );
    return this.tokenById(Number(lastInsertRowid)) as TokenRecord;
  }

  private tokenById(id: number): TokenRecord | undefined {
    const row = this.s.tokenById.get(id) as TokenRow | undefined;
    return row ? tokenFromRow(row) : undefined;
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    const row = this.s.tokenByHash.get(hash) as TokenRow | undefined;
    return row ? tokenFromRow(row) : undefined;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (this.s.tokenList.all() as TokenRow[]).map(tokenFromRow);
  }

  async revokeToken(id: number, atMs: number): Promise<TokenRecord | undefined> {
    await this.write(() => this.s.tokenRevoke.run(atMs, id));
    return this.tokenById(id);
  }

  async touchTokens(used: ReadonlyMap<number, number>): Promise<void> {
    if (used.size === 0) return;
    const touch = this.db.transaction(() => {
      for (const [id, ms] of used) this.s.tokenTouch.run(ms, id);
    });
    await this.write(() => touch.immediate());
  }

  async ingestRun(run: RunRecord, idem: Idem): Promise<WriteResult<RunAccepted>> {
    const [result] = await this.ingestRuns([{ run, idem }]);
    return result as WriteResult<RunAccepted>;
  }

  ingestRuns(items: readonly RunWrite[]): Promise<WriteResult<RunAccepted>[]> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => this.ingest.push({ items, resolve, reject }));
  }

  /**
   * One group of uploads: committed, then answered (and the alert worker told)
   * once the commit is on disk. One group at a time (GroupCommit): uploads that
   * arrive while the WAL is synced wait and go together in the next
   * transaction; they would wait for the next sync anyway, and one commit per
   * sync costs less than one per event-loop turn.
   */
  private async commitGroup(batch: Pending[]): Promise<void> {
    let results: WriteResult<RunAccepted>[][];
    try {
      // IMMEDIATE: a deferred transaction that read first could not wait for the lock (SQLITE_BUSY at once).
      results = await this.write(() => this.ingestCommit(batch));
    } catch (err) {
      this.alertsQueued = 0;
      for (const p of batch) p.reject(err);
      return;
    }
    const alerts = this.alertsQueued;
    this.alertsQueued = 0;
    try {
      if (this.walFile) await this.walSynced();
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    this.alerts.queued(alerts);
    for (const [i, p] of batch.entries()) p.resolve(results[i] as WriteResult<RunAccepted>[]);
  }

  async getRun(id: number): Promise<Run | undefined> {
    const row = this.s.runGet.get(id) as RunRow | undefined;
    return row ? convertRows([row], runFromRow, 'run', this.onBadRow)[0] : undefined;
  }

  async listRuns(f: RunFilter): Promise<Run[]> {
    const params: unknown[] = [];
    const clauses: string[] = [];
    if (f.siteId !== undefined) {
      clauses.push('r.site_id = ?');
      params.push(f.siteId);
    } else {
      const range = unitRange(f.unitPrefix ?? '');
      if (range) {
        clauses.push('(s.unit = ? OR (s.unit >= ? AND s.unit < ?))');
        params.push(range.exact, range.lo, range.hi);
      }
    }
    if (f.meetingId !== undefined) {
      clauses.push('r.meeting_id = ?');
      params.push(f.meetingId);
    }
    let where = clauses.join(' AND ') || '1 = 1';
    if (f.before) {
      where += ' AND (r.started_ms < ? OR (r.started_ms = ? AND r.id < ?))';
      params.push(f.before.startedMs, f.before.startedMs, f.before.id);
    }
    params.push(f.limit);
    const rows = this.db
      .prepare(
        `SELECT r.id, r.site_id, s.name, s.unit, r.verdict, r.started_ms, r.duration_ms, r.received_ms, r.failing, r.body, r.meeting_id
         FROM runs r LEFT JOIN sites s ON s.site_id = r.site_id WHERE ${where} ORDER BY r.started_ms DESC, r.id DESC LIMIT ?`,
      )
      .all(...params) as RunRow[];
    return convertRows(rows, runFromRow, 'run', this.onBadRow);
  }

  async createIncident(inc: NewIncident, idem: Idem): Promise<WriteResult<Incident>> {
    const s = this.s;
    const tx = this.db.transaction((): WriteResult<Incident> => {
      const prior = s.keyGet.get(idem.key) as { fingerprint: string; response: string | null } | undefined;
      if (prior) {
        if (prior.fingerprint !== idem.fingerprint || prior.response === null) return { kind: 'key-reused' };
        return { kind: 'replay', value: JSON.parse(prior.response) as Incident };
      }
      const unit = s.siteUnit.get(inc.siteId) as string | undefined;
      if (unit !== undefined && unit !== inc.unit)
        return { kind: 'conflict', code: 'site_unit_mismatch', detail: unit };
      if (unit === undefined)
        s.siteAuto.run(inc.siteId, inc.siteName ?? inc.siteId, inc.unit, inc.createdMs, inc.createdMs);
      const id = Number(
        s.incidentInsert.run(
          inc.siteId,
          inc.siteName ?? null,
          inc.unit,
          inc.category,
          inc.severity,
          inc.occurredMs,
          inc.createdMs,
          inc.createdMs,
          inc.body,
        ).lastInsertRowid,
      );
      s.eventInsert.run(id, id, inc.createdMs, 'open', null, inc.by ?? null);
      const value = this.incidentIn(id) as Incident;
      s.keyInsert.run(idem.key, idem.fingerprint, null, JSON.stringify(value), inc.createdMs);
      this.alertsQueued += this.alertTxn(
        onIncident(this.alerts.config, { siteId: inc.siteId, unit: inc.unit }, inc.createdMs, id),
      );
      return { kind: 'created', value };
    });
    return this.writeWithAlerts(() => tx.immediate());
  }

  private incidentIn(id: number): Incident | undefined {
    const row = this.s.incidentGet.get(id) as IncidentRow | undefined;
    if (!row) return undefined;
    return incidentFromRow(row, this.s.eventsOf.all(id) as EventRow[]);
  }

  async getIncident(id: number): Promise<Incident | undefined> {
    return this.incidentIn(id);
  }

  async listIncidents(f: IncidentFilter): Promise<Incident[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const range = unitRange(f.unitPrefix);
    if (range) {
      where.push('(unit = ? OR (unit >= ? AND unit < ?))');
      params.push(range.exact, range.lo, range.hi);
    }
    if (f.siteId !== undefined) {
      where.push('site_id = ?');
      params.push(f.siteId);
    }
    if (f.status !== undefined) {
      where.push('status = ?');
      params.push(f.status);
    }
    if (f.category !== undefined) {
      where.push('category = ?');
      params.push(f.category);
    }
    if (f.sinceMs !== undefined) {
      where.push('occurred_ms >= ?');
      params.push(f.sinceMs);
    }
    if (f.beforeId !== undefined) {
      where.push('id < ?');
      params.push(f.beforeId);
    }
    params.push(f.limit);
    const rows = this.db
      .prepare(
        `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params) as IncidentRow[];
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const events = this.db
      .prepare(
        `SELECT * FROM incident_events WHERE incident_id IN (${ids.map(() => '?').join(',')}) ORDER BY incident_id, seq`,
      )
      .all(...ids) as EventRow[];
    const byId = eventsById(events);
    return convertRows(rows, (r) => incidentFromRow(r, byId.get(r.id) ?? []), 'incident', this.onBadRow);
  }

  async updateIncident(
    id: number,
    u: IncidentUpdate,
    idem: Idem | undefined,
  ): Promise<WriteResult<Incident>> {
    const s = this.s;
    const tx = this.db.transaction((): WriteResult<Incident> => {
      if (idem) {
        const prior = s.keyGet.get(idem.key) as { fingerprint: string; response: string | null } | undefined;
        if (prior) {
          if (prior.fingerprint !== idem.fingerprint || prior.response === null)
            return { kind: 'key-reused' };
          return { kind: 'replay', value: JSON.parse(prior.response) as Incident };
        }
      }
      const row = s.incidentGet.get(id) as IncidentRow | undefined;
      if (!row) return { kind: 'not-found' };
      if (!canMove(row.status as Incident['status'], u.status)) {
        return { kind: 'conflict', code: 'invalid_transition', detail: row.status };
      }
      s.incidentSet.run(u.status, u.atMs, u.status === 'resolved' ? u.atMs : row.resolved_ms, id);
      s.eventInsert.run(id, id, u.atMs, u.status, u.note ?? null, u.by ?? null);
      const value = this.incidentIn(id) as Incident;
      if (idem) s.keyInsert.run(idem.key, idem.fingerprint, null, JSON.stringify(value), u.atMs);
      this.alertsQueued += this.alertTxn(
        onIncident(this.alerts.config, { siteId: row.site_id, unit: row.unit }, u.atMs),
      );
      return { kind: 'created', value };
    });
    return this.writeWithAlerts(() => tx.immediate());
  }

  async getSite(id: string): Promise<Site | undefined> {
    const row = this.s.siteGet.get(id) as SiteRow | undefined;
    return row ? siteFromRow(row) : undefined;
  }

  async putSite(id: string, site: SiteInput, nowMs: number, guard?: SiteGuard): Promise<SitePut> {
    const s = this.s;
    const tx = this.db.transaction((): SitePut => {
      const before = s.siteGet.get(id) as SiteRow | undefined;
      if (before && before.unit !== site.unit && guard && !guard.mayLeave(before.unit))
        return { site: siteFromRow(before), created: false, heldBy: before.unit };
      s.siteUpsert.run(id, site.name, site.unit, infoOf(site), before?.created_ms ?? nowMs, nowMs);
      if (before && before.unit !== site.unit)
        this.db
          .prepare(
            `INSERT INTO site_moves (site_id, seq, at_ms, from_unit, to_unit, actor)
             VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM site_moves WHERE site_id = ?), ?, ?, ?, ?)`,
          )
          .run(id, id, nowMs, before.unit, site.unit, guard?.by ?? null);
      return { site: siteFromRow(s.siteGet.get(id) as SiteRow), created: before === undefined };
    });
    return this.write(() => tx.immediate());
  }

  async siteMoves(id: string): Promise<SiteMove[]> {
    const rows = this.db
      .prepare('SELECT * FROM site_moves WHERE site_id = ? ORDER BY seq')
      .all(id) as SiteMoveRow[];
    return rows.map(siteMoveFromRow);
  }

  async listSites(f: SiteFilter): Promise<Site[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const range = unitRange(f.unitPrefix);
    if (range) {
      where.push('(unit = ? OR (unit >= ? AND unit < ?))');
      params.push(range.exact, range.lo, range.hi);
    }
    if (f.after) {
      where.push('(unit > ? OR (unit = ? AND site_id > ?))');
      params.push(f.after.unit, f.after.unit, f.after.id);
    }
    if (f.retired === 'only') where.push('retired_ms IS NOT NULL');
    else if (f.retired !== 'include') where.push('retired_ms IS NULL');
    params.push(f.limit);
    const rows = this.db
      .prepare(
        `SELECT * FROM sites ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY unit, site_id LIMIT ?`,
      )
      .all(...params) as SiteRow[];
    return rows.map(siteFromRow);
  }

  async readiness(unitPrefix: string): Promise<ReadinessRow[]> {
    return readinessChunkSqlite(this.db, { unitPrefix, limit: -1 });
  }

  async readinessChunk(q: ReadinessChunk): Promise<ReadinessRow[]> {
    return readinessChunkSqlite(this.db, q);
  }

  async putSites(
    items: readonly SiteBatchItem[],
    nowMs: number,
    guard: SiteGuard,
    atomic: boolean,
  ): Promise<SiteBatchOutcome[]> {
    return this.write(putSitesSqlite(this.db, items, nowMs, guard, atomic));
  }

  async retireSite(id: string, retire: SiteRetire): Promise<Site | undefined> {
    const row = await this.write(retireSiteSqlite(this.db, id, retire));
    return row ? siteFromRow(row) : undefined;
  }

  async daily(q: DailyQuery): Promise<DailySite[]> {
    const range = unitRange(q.unitPrefix);
    // Sites drive the join in (unit, id) order; each site's window is a range of the
    // (site_id, started_ms, verdict) index, read without touching the table. @from is cast:
    // better-sqlite3 binds numbers as REAL, which would make the day a fraction.
    const sql = `SELECT s.site_id, group_concat(${dayCodeSql('CAST(@from AS INTEGER)')})
      FROM sites s LEFT JOIN runs r ON r.site_id = s.site_id AND r.started_ms >= @from AND r.started_ms < @to
      ${range ? 'WHERE s.unit = @exact OR (s.unit >= @lo AND s.unit < @hi)' : ''}
      GROUP BY s.unit, s.site_id ORDER BY s.unit, s.site_id`;
    const window = { from: q.fromMs, to: q.fromMs + q.days * DAY_MS };
    const rows = this.db
      .prepare(sql)
      .raw(true)
      .all(range ? { ...window, ...range } : window) as unknown[][];
    return dailyFromArrays(rows, q.days);
  }

  addCallState(cs: NewCallState, idem: Idem): Promise<WriteResult<CallStateRecord>> {
    return this.write(() => addCallStateSqlite(this.db, cs, idem));
  }

  async listCallStates(f: CallStateFilter): Promise<CallStateRecord[]> {
    return listCallStatesSqlite(this.db, f);
  }

  async bridgeConnection(q: BridgeQuery): Promise<BridgeConnection> {
    return bridgeConnectionsSqlite(this.db, { ...q, siteIds: [q.siteId] }).get(q.siteId) as BridgeConnection;
  }

  async bridgeConnections(q: BridgesQuery): Promise<Map<string, BridgeConnection>> {
    return bridgeConnectionsSqlite(this.db, q);
  }

  // ---- the meeting register (meetings-{engine}.ts, docs/meetings.md) ----
  createMeeting(m: NewMeeting, idem: Idem): Promise<MeetingWrite> {
    return this.meetings.createMeeting(m, idem);
  }
  getMeeting(id: number): Promise<Meeting | undefined> {
    return this.meetings.getMeeting(id);
  }
  listMeetings(f: MeetingFilter): Promise<Meeting[]> {
    return this.meetings.listMeetings(f);
  }
  updateMeeting(id: number, c: MeetingChange, idem: Idem | undefined): Promise<MeetingWrite> {
    return this.meetings.updateMeeting(id, c, idem);
  }
  overlappingMeetings(startMs: number, endMs: number, exceptId: number): Promise<Meeting[]> {
    return this.meetings.overlappingMeetings(startMs, endMs, exceptId);
  }
  putNoticeRule(unit: string, hours: number, by: string | null, atMs: number): Promise<NoticeRule> {
    return this.meetings.putNoticeRule(unit, hours, by, atMs);
  }
  listNoticeRules(): Promise<NoticeRule[]> {
    return this.meetings.listNoticeRules();
  }
  sitesOf(siteIds: readonly string[], units: readonly string[]): Promise<Site[]> {
    return this.meetings.sitesOf(siteIds, units);
  }
  lastRunsBefore(siteIds: readonly string[], beforeMs: number): Promise<LastRun[]> {
    return this.meetings.lastRunsBefore(siteIds, beforeMs);
  }
  openIncidentsOf(siteIds: readonly string[]): Promise<OpenIncident[]> {
    return this.meetings.openIncidentsOf(siteIds);
  }
  async incidentsDuring(
    siteIds: readonly string[],
    startMs: number,
    endMs: number,
  ): Promise<MeetingIncident[]> {
    return incidentsDuringSqlite(this.db, siteIds, startMs, endMs, this.onBadRow);
  }
  takeDue(
    job: DueJob,
    nowMs: number,
    leadMs: number,
    work: (m: Meeting) => Promise<string>,
  ): Promise<number[]> {
    return this.meetings.takeDue(job, nowMs, leadMs, work);
  }
  meetingSnapshot(id: number): Promise<string | undefined> {
    return this.meetings.meetingSnapshot(id);
  }

  /** For benchmarks and operations: the database file's pages in use. */
  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  /** The raw handle, for seeding benchmarks. */
  get handle(): Database.Database {
    return this.db;
  }
}

function statements(db: Database.Database) {
  return {
    tokenInsert: db.prepare(
      'INSERT INTO tokens (hash, role, unit, label, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    tokenByHash: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = ?`),
    tokenById: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`),
    tokenList: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY id`),
    tokenRevoke: db.prepare('UPDATE tokens SET revoked_ms = coalesce(revoked_ms, ?) WHERE id = ?'),
    tokenTouch: db.prepare('UPDATE tokens SET last_used_ms = max(coalesce(last_used_ms, 0), ?) WHERE id = ?'),
    keyGet: db.prepare('SELECT fingerprint, run_id, response FROM idempotency WHERE key = ?'),
    keyInsert: db.prepare(
      'INSERT INTO idempotency (key, fingerprint, run_id, response, created_ms) VALUES (?, ?, ?, ?, ?)',
    ),
    siteUnit: db.prepare('SELECT unit FROM sites WHERE site_id = ?').pluck(),
    siteAuto: db.prepare(
      'INSERT INTO sites (site_id, name, unit, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (site_id) DO NOTHING',
    ),
    siteAutoInfo: db.prepare(
      'INSERT INTO sites (site_id, name, unit, info, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site_id) DO NOTHING',
    ),
    siteRefresh: db.prepare(
      'UPDATE sites SET name = ?, info = ?, updated_ms = max(updated_ms, ?) WHERE site_id = ?',
    ),
    runInsert: db.prepare(
      'INSERT INTO runs (site_id, verdict, started_ms, duration_ms, received_ms, failing, body, meeting_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    latestUpsert: db.prepare(
      `INSERT INTO site_latest (site_id, run_id, verdict, finished_ms, failing) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (site_id) DO UPDATE SET run_id = excluded.run_id, verdict = excluded.verdict,
         finished_ms = excluded.finished_ms, failing = excluded.failing
       WHERE excluded.finished_ms >= site_latest.finished_ms`,
    ),
    runAccepted: db.prepare('SELECT id, site_id, verdict, received_ms FROM runs WHERE id = ?'),
    runGet: db.prepare(
      `SELECT r.id, r.site_id, s.name, s.unit, r.verdict, r.started_ms, r.duration_ms, r.received_ms, r.failing, r.body, r.meeting_id
       FROM runs r LEFT JOIN sites s ON s.site_id = r.site_id WHERE r.id = ?`,
    ),
    incidentInsert: db.prepare(
      `INSERT INTO incidents (site_id, site_name, unit, category, severity, status, occurred_ms, created_ms, updated_ms, resolved_ms, body)
       VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, NULL, ?)`,
    ),
    incidentGet: db.prepare('SELECT * FROM incidents WHERE id = ?'),
    incidentSet: db.prepare('UPDATE incidents SET status = ?, updated_ms = ?, resolved_ms = ? WHERE id = ?'),
    eventInsert: db.prepare(
      'INSERT INTO incident_events (incident_id, seq, at_ms, status, note, actor) VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM incident_events WHERE incident_id = ?), ?, ?, ?, ?)',
    ),
    eventsOf: db.prepare('SELECT * FROM incident_events WHERE incident_id = ? ORDER BY seq'),
    keyResponse: db.prepare('UPDATE idempotency SET response = ? WHERE key = ?'),
    siteGet: db.prepare('SELECT * FROM sites WHERE site_id = ?'),
    siteUpsert: db.prepare(
      `INSERT INTO sites (site_id, name, unit, info, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (site_id) DO UPDATE SET name = excluded.name, unit = excluded.unit, info = excluded.info, updated_ms = excluded.updated_ms`,
    ),
  };
}

const fdatasync = (fd: number) =>
  new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

export async function openSqlite(file: string, opts: SqliteOptions = {}): Promise<SqliteStore> {
  const store = new SqliteStore(file, opts);
  await store.migrate();
  return store;
}
