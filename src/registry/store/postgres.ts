/**
 * The PostgreSQL store (pg). Same tables and behaviour as the SQLite store;
 * several stateless registry instances may share one database.
 *
 * Run uploads are group-committed like on SQLite: those that arrive together
 * (or while two earlier batches are being committed: GroupCommit) go as one
 * transaction, one statement per 250 runs, whose data-modifying CTEs claim the
 * idempotency keys and insert the runs and site_latest rows together; a
 * replayed key claims nothing, so nothing else is written for it.
 *
 * Text keys use COLLATE "C": unit prefixes are matched as byte ranges
 * ([p/, p0)), which a linguistic collation would break.
 */
import pg from 'pg';
import type { CallStateRecord } from '../../model/call-state.js';
import type { Incident } from '../../model/incident.js';
import type { Meeting, NoticeRule } from '../../model/meeting.js';
import type { DailySite } from '../../model/report.js';
import type { Run, RunAccepted } from '../../model/run.js';
import type { Site, SiteBatchItem, SiteInput, SiteMove } from '../../model/site.js';
import { canMove } from '../categories.js';
import { pgRunner, runPgScript } from './alerts-postgres.js';
import { AlertsSql, alertMigration, maintenanceNoticeMigration, onIncident, onRuns } from './alerts-sql.js';
import { chunks, GroupCommit, unitConsistentParts } from './batch.js';
import type {
  BridgeConnection,
  BridgeQuery,
  BridgesQuery,
  CallStateFilter,
  NewCallState,
} from './call-states.js';
import {
  addCallStatePostgres,
  bridgeConnectionsPostgres,
  CALL_STATES_POSTGRES,
  listCallStatesPostgres,
} from './call-states-postgres.js';
import { incidentsDuringPostgres, type MeetingIncident } from './meeting-incidents.js';
import type {
  DueJob,
  LastRun,
  MeetingChange,
  MeetingFilter,
  MeetingWrite,
  NewMeeting,
  OpenIncident,
} from './meetings.js';
import { MEETINGS_MIGRATION_POSTGRES, PostgresMeetings } from './meetings-postgres.js';
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
import { putSitesPostgres, readinessChunkPostgres, retireSitePostgres } from './sites-postgres.js';
import type {
  DailyQuery,
  Idem,
  IncidentFilter,
  IncidentUpdate,
  NewIncident,
  NewToken,
  ReadinessRow,
  RunFilter,
  RunRecord,
  RunWrite,
  SiteFilter,
  SiteGuard,
  SitePut,
  Store,
  TokenRecord,
  WriteResult,
} from './types.js';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tokens (
    id BIGSERIAL PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    unit TEXT COLLATE "C" NOT NULL,
    label TEXT NOT NULL,
    created_ms BIGINT NOT NULL
  );
  CREATE TABLE sites (
    site_id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT COLLATE "C" NOT NULL,
    info TEXT,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
  );
  CREATE INDEX sites_unit ON sites (unit, site_id);
  CREATE TABLE runs (
    id BIGSERIAL PRIMARY KEY,
    site_id TEXT COLLATE "C" NOT NULL,
    verdict TEXT NOT NULL,
    started_ms BIGINT NOT NULL,
    duration_ms INTEGER NOT NULL,
    received_ms BIGINT NOT NULL,
    failing TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX runs_site_time ON runs (site_id, started_ms);
  CREATE TABLE site_latest (
    site_id TEXT COLLATE "C" PRIMARY KEY,
    run_id BIGINT NOT NULL,
    verdict TEXT NOT NULL,
    finished_ms BIGINT NOT NULL,
    failing TEXT NOT NULL
  );
  CREATE TABLE idempotency (
    key TEXT COLLATE "C" PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    run_id BIGINT,
    response TEXT,
    created_ms BIGINT NOT NULL
  );
  CREATE TABLE incidents (
    id BIGSERIAL PRIMARY KEY,
    site_id TEXT COLLATE "C" NOT NULL,
    site_name TEXT,
    unit TEXT COLLATE "C" NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    occurred_ms BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    resolved_ms BIGINT,
    body TEXT NOT NULL
  );
  CREATE INDEX incidents_unit ON incidents (unit);
  CREATE INDEX incidents_site ON incidents (site_id);
  CREATE TABLE incident_events (
    incident_id BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    at_ms BIGINT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    actor TEXT,
    PRIMARY KEY (incident_id, seq)
  );
  `,
  // 2: the daily grid (GET /v1/reports/daily) reads a run's verdict from the index: each
  // site's days are an index-only range (bench/README.md, report-e2e). Same name and
  // leading columns, so the runs list keeps using it.
  `
  -- Locks the runs table while it builds (about 5 s per 3.65 M runs on the bench machine).
  DROP INDEX runs_site_time;
  CREATE INDEX runs_site_time ON runs (site_id, started_ms, verdict);
  `,
  // 3: the token lifecycle (registry token list / revoke, --expires; docs/registry-api.md).
  `
  ALTER TABLE tokens ADD COLUMN last_used_ms BIGINT;
  ALTER TABLE tokens ADD COLUMN expires_ms BIGINT;
  ALTER TABLE tokens ADD COLUMN revoked_ms BIGINT;
  `,
  // 4: every move of a site between units, kept (docs/registry-api.md, site ownership).
  `
  CREATE TABLE site_moves (
    site_id TEXT COLLATE "C" NOT NULL,
    seq INTEGER NOT NULL,
    at_ms BIGINT NOT NULL,
    from_unit TEXT COLLATE "C" NOT NULL,
    to_unit TEXT COLLATE "C" NOT NULL,
    actor TEXT,
    PRIMARY KEY (site_id, seq)
  );
  `,
  // 5: the meeting a run was made for (check --meeting; docs/registry-api.md, meeting tag).
  // Runs from before have none; adding a nullable column rewrites nothing.
  `
  ALTER TABLE runs ADD COLUMN meeting_id TEXT COLLATE "C";
  CREATE INDEX runs_meeting ON runs (meeting_id, started_ms) WHERE meeting_id IS NOT NULL;
  `,
  // 6: call states, for roll call (call --watch --upload; docs/registry-api.md, call states).
  CALL_STATES_POSTGRES,
  // 7: the meeting register: meetings, their participants and history, notice rules (docs/meetings.md).
  MEETINGS_MIGRATION_POSTGRES,
  // 8: the site register (docs/sites.md): retired sites stay with their history, out of
  // reports; the readiness report counts each site's unresolved incidents from a partial index.
  // The register's new fields live in the existing `info` JSON, so older rows need no change.
  `
  ALTER TABLE sites ADD COLUMN retired_ms BIGINT;
  ALTER TABLE sites ADD COLUMN retired_by TEXT;
  ALTER TABLE sites ADD COLUMN retired_note TEXT;
  CREATE INDEX incidents_open ON incidents (site_id) WHERE status <> 'resolved';
  `,
  // 9: alert rules, channels, state, alerts and their deliveries, maintenance windows (docs/alerts.md).
  alertMigration('postgres'),
  // 10: maintenance notices: the channels a window tells at its start and end (docs/alerts.md).
  maintenanceNoticeMigration('postgres'),
];

// int8 (ids, epoch ms) as JS numbers: every value here is far below 2^53.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

// One statement for a batch of uploads (group commit: one round trip, one WAL flush; a transaction
// of more than STATEMENT_RUNS runs several, one after the other).
// The key is claimed first (ON CONFLICT DO NOTHING): a replay inserts nothing and costs no
// rolled-back rows; each run's id is drawn from its sequence so its key row can point at it.
// Within a batch, site_latest takes each site's newest run (DISTINCT ON), since one statement
// may not update a row twice. The register is kept current from the same rows (docs/sites.md,
// check --upload): a new site is inserted with its newest run's fields (`reg`, the JSON of
// RunRecord.register); an existing one, not retired and not changed since that run finished, gets
// its name and those fields merged over its own (jsonb ||: each field whole), in `u`, which sees
// only the rows that were there before the statement (so no row is written twice).
const INGEST = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::bigint[],
                       $8::bigint[], $9::text[], string_to_array($10::text, chr(31)), $11::text[], $12::text[],
                       $13::text[], $14::text[])
    AS t(site_id, name, unit, verdict, started_ms, duration_ms, finished_ms, received_ms, failing, body, key, fp,
         meeting_id, reg)),
ok AS (SELECT i.*, nextval('runs_id_seq') AS id FROM input i
       WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE s.site_id = i.site_id AND s.unit <> i.unit)),
k AS (INSERT INTO idempotency (key, fingerprint, run_id, created_ms) SELECT key, fp, id, received_ms FROM ok
      ON CONFLICT (key) DO NOTHING RETURNING key, run_id),
kk AS (SELECT ok.* FROM ok JOIN k ON k.run_id = ok.id),
s AS (INSERT INTO sites (site_id, name, unit, info, created_ms, updated_ms)
      SELECT DISTINCT ON (site_id) site_id, name, unit, reg, received_ms, received_ms FROM kk
      ORDER BY site_id, finished_ms DESC, id DESC
      ON CONFLICT (site_id) DO NOTHING),
n AS (SELECT DISTINCT ON (site_id) site_id, name, reg, finished_ms FROM kk ORDER BY site_id, finished_ms DESC, id DESC),
u AS (UPDATE sites SET name = n.name, updated_ms = greatest(sites.updated_ms, n.finished_ms),
        info = CASE WHEN n.reg IS NULL THEN sites.info ELSE (coalesce(sites.info::jsonb, '{}') || n.reg::jsonb)::text END
      FROM n WHERE sites.site_id = n.site_id AND sites.retired_ms IS NULL AND n.finished_ms >= sites.updated_ms
        AND (sites.name <> n.name OR (n.reg IS NOT NULL
          AND coalesce(sites.info::jsonb, '{}') || n.reg::jsonb IS DISTINCT FROM coalesce(sites.info::jsonb, '{}')))),
r AS (INSERT INTO runs (id, site_id, verdict, started_ms, duration_ms, received_ms, failing, body, meeting_id)
      SELECT id, site_id, verdict, started_ms, duration_ms, received_ms, failing, body, meeting_id FROM kk RETURNING id),
l AS (INSERT INTO site_latest (site_id, run_id, verdict, finished_ms, failing)
      SELECT DISTINCT ON (site_id) site_id, id, verdict, finished_ms, failing FROM kk ORDER BY site_id, finished_ms DESC, id DESC
      ON CONFLICT (site_id) DO UPDATE SET run_id = excluded.run_id, verdict = excluded.verdict,
        finished_ms = excluded.finished_ms, failing = excluded.failing
      WHERE excluded.finished_ms >= site_latest.finished_ms)
SELECT kk.key, kk.id FROM kk JOIN r ON r.id = kk.id`;

/**
 * Uploads gathered into one transaction (one commit, one WAL fsync): up to
 * this many, but a batch request is never split across transactions.
 */
const MAX_BATCH = 1000;

/**
 * Runs per ingest statement; a transaction of more is cut into statements of
 * this many, run one after the other on its connection. PostgreSQL's and the
 * driver's cost per run grows with the statement beyond a few hundred runs
 * (measured, store level, 2 cores: 87 µs per run in PostgreSQL at 50 runs a
 * statement, 92 at 200, 133 at 1,000, 208 at 2,000; the registry's own 84,
 * 81, 197, 233 µs, mostly garbage collection of the parameters' large strings).
 */
const STATEMENT_RUNS = 250;

/**
 * Ingest statements in flight at once (each on its own pooled connection):
 * two, so one is executed while the other's commit waits for its fsync; the
 * uploads arriving meanwhile wait and go together in the next one.
 */
const INGEST_INFLIGHT = 2;

const UNIT_SEPARATOR = '\u001f';

/**
 * The runs' bodies as one parameter, joined by U+001F, which the statement
 * splits again (string_to_array): a JSON text never holds that character raw
 * (JSON.stringify writes it \u001f), so no body needs escaping. As a text
 * array, every quote of every body was escaped by the driver and unescaped by
 * the server (pg's arrayString, PostgreSQL's array_in): the larger part of the
 * parameters' cost (bench/ingest.bench.mjs, BENCH_CPU_PROF).
 */
function joinedJson(texts: readonly string[]): string {
  for (const t of texts)
    if (t.includes(UNIT_SEPARATOR)) throw new Error('a run body holds U+001F raw: not JSON');
  return texts.join(UNIT_SEPARATOR);
}

/** One request's uploads (one for POST /v1/runs, many for a batch): committed together. */
interface Pending {
  items: readonly RunWrite[];
  resolve: (r: WriteResult<RunAccepted>[]) => void;
  reject: (err: unknown) => void;
}

const RUN_COLUMNS = `r.id, r.site_id, s.name, s.unit, r.verdict, r.started_ms, r.duration_ms, r.received_ms, r.failing, r.body, r.meeting_id`;

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

export class PostgresStore implements Store {
  onBadRow?: BadRowListener;
  readonly engine = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly ingest = new GroupCommit<Pending>(
    (batch) => this.flush(batch),
    MAX_BATCH,
    INGEST_INFLIGHT,
  );
  private readonly meetings: PostgresMeetings;
  readonly alerts: AlertsSql;

  constructor(connectionString: string, opts: PostgresOptions = {}) {
    this.pool = new pg.Pool({ connectionString, max: opts.max ?? 10, types });
    // An idle client losing its server must not crash the registry; the next query reconnects.
    this.pool.on('error', () => {});
    this.meetings = new PostgresMeetings(this.pool, () => this.onBadRow);
    this.alerts = new AlertsSql(pgRunner(this.pool));
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      // Several instances starting at once take turns.
      await client.query(`SELECT pg_advisory_lock(hashtext('diemcau.migrate'))`);
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const row = (await client.query('SELECT max(version) AS v FROM schema_version')).rows[0] as {
        v: number | null;
      };
      for (let v = row.v ?? 0; v < MIGRATIONS.length; v++) {
        await client.query('BEGIN');
        try {
          await client.query(MIGRATIONS[v] as string);
          await client.query('INSERT INTO schema_version (version) VALUES ($1)', [v + 1]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('diemcau.migrate'))`).catch(() => {});
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    // Uploads already accepted are committed (or failed) before the pool goes.
    await this.ingest.drain();
    await this.pool.end();
  }

  /**
   * Run fn in one transaction on one client. It commits only when fn created
   * something: a refusal (conflict, not found, replay) rolls back, so a claimed
   * idempotency key never outlives a request that wrote nothing.
   */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<WriteResult<T>>): Promise<WriteResult<T>> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query(out.kind === 'created' ? 'COMMIT' : 'ROLLBACK');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async createToken(t: NewToken): Promise<TokenRecord> {
    const { rows } = await this.pool.query(
      `INSERT INTO tokens (hash, role, unit, label, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${TOKEN_COLUMNS}`,
      [t.hash, t.role, t.unit, t.label, t.createdMs, t.expiresMs ?? null],
    );
    return tokenFromRow(rows[0] as TokenRow);
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    const { rows } = await this.pool.query(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = $1`, [hash]);
    return rows[0] ? tokenFromRow(rows[0] as TokenRow) : undefined;
  }

  async listTokens(): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY id`);
    return (rows as TokenRow[]).map(tokenFromRow);
  }

  async revokeToken(id: number, atMs: number): Promise<TokenRecord | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE tokens SET revoked_ms = coalesce(revoked_ms, $1) WHERE id = $2 RETURNING ${TOKEN_COLUMNS}`,
      [atMs, id],
    );
    return rows[0] ? tokenFromRow(rows[0] as TokenRow) : undefined;
  }

  async touchTokens(used: ReadonlyMap<number, number>): Promise<void> {
    if (used.size === 0) return;
    // One statement for all of them; GREATEST: two registries flushing out of order never move a time back.
    await this.pool.query(
      `UPDATE tokens SET last_used_ms = GREATEST(coalesce(tokens.last_used_ms, 0), u.ms)
       FROM unnest($1::bigint[], $2::bigint[]) AS u(id, ms) WHERE tokens.id = u.id`,
      [[...used.keys()], [...used.values()]],
    );
  }

  async ingestRun(run: RunRecord, idem: Idem): Promise<WriteResult<RunAccepted>> {
    const [result] = await this.ingestRuns([{ run, idem }]);
    return result as WriteResult<RunAccepted>;
  }

  /**
   * Uploads that arrive together (one event-loop turn) go to the database as
   * one statement; each caller is answered after that statement commits.
   */
  ingestRuns(items: readonly RunWrite[]): Promise<WriteResult<RunAccepted>[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => this.ingest.push({ items, resolve, reject }));
  }

  private async flush(batch: Pending[]): Promise<void> {
    const rows = batch.flatMap((p) => p.items);
    let results: WriteResult<RunAccepted>[];
    const config = this.alerts.config;
    let queued = 0;
    try {
      // The alerts these runs cause are written in the same transaction (docs/alerts.md).
      const alertsOf =
        config.rules.length === 0
          ? undefined
          : async (c: pg.PoolClient, keys: Map<string, number>) => {
              const seen = new Set<string>();
              const runs = rows
                .filter((w) => keys.has(w.idem.key) && !seen.has(w.idem.key) && seen.add(w.idem.key))
                .map((w) => w.run);
              queued = await runPgScript(c, onRuns(config, runs, runs[0]?.receivedMs ?? 0));
            };
      const created = await this.insertRuns(
        unitConsistentParts(rows).flatMap((part) => chunks(part, STATEMENT_RUNS)),
        alertsOf,
      );
      results = await this.answers(rows, created);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    this.alerts.queued(queued);
    let at = 0;
    for (const p of batch) {
      p.resolve(results.slice(at, at + p.items.length));
      at += p.items.length;
    }
  }

  /**
   * The INGEST statement per part, all in one transaction (one statement alone
   * needs none); returns the key → run id of every upload it stored.
   */
  private async insertRuns(
    parts: RunWrite[][],
    after?: (c: pg.PoolClient, created: Map<string, number>) => Promise<void>,
  ): Promise<Map<string, number>> {
    const created = new Map<string, number>();
    const one = async (c: pg.Pool | pg.PoolClient, part: RunWrite[]) => {
      const col = <T>(f: (w: RunWrite) => T) => part.map(f);
      // A named statement: each connection parses and plans the CTE once, not per batch.
      const { rows } = await c.query({
        name: 'diemcau-ingest-runs',
        text: INGEST,
        values: [
          col((w) => w.run.siteId),
          col((w) => w.run.siteName),
          col((w) => w.run.unit),
          col((w) => w.run.verdict),
          col((w) => w.run.startedMs),
          col((w) => w.run.durationMs),
          col((w) => w.run.finishedMs),
          col((w) => w.run.receivedMs),
          col((w) => w.run.failing.join(',')),
          joinedJson(part.map((w) => w.run.body)),
          col((w) => w.idem.key),
          col((w) => w.idem.fingerprint),
          col((w) => w.run.meetingId ?? null),
          col((w) => (w.run.register ? infoOf(w.run.register) : null)),
        ],
      });
      for (const r of rows as Array<{ key: string; id: number }>) created.set(r.key, r.id);
    };
    if (parts.length === 1 && !after) {
      await one(this.pool, parts[0] as RunWrite[]);
      return created;
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const part of parts) await one(client, part);
      if (after) await after(client, created);
      await client.query('COMMIT');
      return created;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Each upload's answer: created, or why nothing was written for it (its key
   * was already used, or its site belongs to another unit), looked up for all
   * of them at once after the commit.
   */
  private async answers(rows: RunWrite[], created: Map<string, number>): Promise<WriteResult<RunAccepted>[]> {
    const claimed = new Set<string>();
    const isCreated = rows.map((w) => {
      const id = created.get(w.idem.key);
      // The same key twice in one batch: the first is the upload, the rest are replays.
      if (id === undefined || claimed.has(w.idem.key)) return false;
      claimed.add(w.idem.key);
      return true;
    });
    const refused = rows.filter((_, i) => !isCreated[i]);
    const prior = new Map<string, { fingerprint: string; run: RunAccepted | undefined }>();
    const units = new Map<string, string>();
    if (refused.length > 0) {
      const keys = await this.pool.query(
        `SELECT i.key, i.fingerprint, r.id, r.site_id, r.verdict, r.received_ms
         FROM idempotency i LEFT JOIN runs r ON r.id = i.run_id WHERE i.key = ANY($1::text[])`,
        [refused.map((w) => w.idem.key)],
      );
      for (const k of keys.rows as Array<{
        key: string;
        fingerprint: string;
        id: number | null;
        site_id: string;
        verdict: RunAccepted['verdict'];
        received_ms: number;
      }>)
        prior.set(k.key, {
          fingerprint: k.fingerprint,
          run:
            k.id === null
              ? undefined
              : { id: k.id, site: k.site_id, verdict: k.verdict, receivedAt: iso(k.received_ms) },
        });
      const sites = await this.pool.query('SELECT site_id, unit FROM sites WHERE site_id = ANY($1::text[])', [
        refused.map((w) => w.run.siteId),
      ]);
      for (const r of sites.rows as Array<{ site_id: string; unit: string }>) units.set(r.site_id, r.unit);
    }
    return rows.map((w, i): WriteResult<RunAccepted> => {
      if (isCreated[i]) {
        const { run } = w;
        const value = { id: created.get(w.idem.key) as number, site: run.siteId, verdict: run.verdict };
        return { kind: 'created', value: { ...value, receivedAt: iso(run.receivedMs) } };
      }
      const p = prior.get(w.idem.key);
      if (p) {
        if (p.fingerprint !== w.idem.fingerprint || !p.run) return { kind: 'key-reused' };
        return { kind: 'replay', value: p.run };
      }
      return { kind: 'conflict', code: 'site_unit_mismatch', detail: units.get(w.run.siteId) ?? '' };
    });
  }

  addCallState(cs: NewCallState, idem: Idem): Promise<WriteResult<CallStateRecord>> {
    return addCallStatePostgres(this.pool, cs, idem);
  }

  listCallStates(f: CallStateFilter): Promise<CallStateRecord[]> {
    return listCallStatesPostgres(this.pool, f);
  }

  async bridgeConnection(q: BridgeQuery): Promise<BridgeConnection> {
    const one = await bridgeConnectionsPostgres(this.pool, { ...q, siteIds: [q.siteId] });
    return one.get(q.siteId) as BridgeConnection;
  }

  bridgeConnections(q: BridgesQuery): Promise<Map<string, BridgeConnection>> {
    return bridgeConnectionsPostgres(this.pool, q);
  }

  async getRun(id: number): Promise<Run | undefined> {
    const { rows } = await this.pool.query(
      `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN sites s ON s.site_id = r.site_id WHERE r.id = $1`,
      [id],
    );
    return convertRows(rows as RunRow[], runFromRow, 'run', this.onBadRow)[0];
  }

  async listRuns(f: RunFilter): Promise<Run[]> {
    const params: unknown[] = [f.limit];
    const clauses: string[] = [];
    const bind = (v: unknown) => `$${params.push(v)}`;
    if (f.siteId !== undefined) clauses.push(`r.site_id = ${bind(f.siteId)}`);
    else {
      const range = unitRange(f.unitPrefix ?? '');
      if (range)
        clauses.push(
          `(s.unit = ${bind(range.exact)} OR (s.unit >= ${bind(range.lo)} AND s.unit < ${bind(range.hi)}))`,
        );
    }
    if (f.meetingId !== undefined) clauses.push(`r.meeting_id = ${bind(f.meetingId)}`);
    if (f.before) {
      const ms = bind(f.before.startedMs);
      clauses.push(`(r.started_ms < ${ms} OR (r.started_ms = ${ms} AND r.id < ${bind(f.before.id)}))`);
    }
    const where = clauses.join(' AND ') || 'TRUE';
    const { rows } = await this.pool.query(
      `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN sites s ON s.site_id = r.site_id WHERE ${where}
       ORDER BY r.started_ms DESC, r.id DESC LIMIT $1`,
      params,
    );
    return convertRows(rows as RunRow[], runFromRow, 'run', this.onBadRow);
  }

  /** Claim an idempotency key inside a transaction; a prior answer means replay (or 409). */
  private async claimKey(
    c: pg.PoolClient,
    idem: Idem,
    nowMs: number,
  ): Promise<WriteResult<Incident> | undefined> {
    const claimed = await c.query(
      'INSERT INTO idempotency (key, fingerprint, created_ms) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key',
      [idem.key, idem.fingerprint, nowMs],
    );
    if (claimed.rowCount === 1) return undefined;
    const prior = (await c.query('SELECT fingerprint, response FROM idempotency WHERE key = $1', [idem.key]))
      .rows[0] as { fingerprint: string; response: string | null } | undefined;
    if (!prior || prior.fingerprint !== idem.fingerprint || prior.response === null)
      return { kind: 'key-reused' };
    return { kind: 'replay', value: JSON.parse(prior.response) as Incident };
  }

  private async incidentWith(c: pg.PoolClient | pg.Pool, id: number): Promise<Incident | undefined> {
    const row = (await c.query('SELECT * FROM incidents WHERE id = $1', [id])).rows[0] as
      | IncidentRow
      | undefined;
    if (!row) return undefined;
    const events = (await c.query('SELECT * FROM incident_events WHERE incident_id = $1 ORDER BY seq', [id]))
      .rows as EventRow[];
    return incidentFromRow(row, events);
  }

  async createIncident(inc: NewIncident, idem: Idem): Promise<WriteResult<Incident>> {
    let queued = 0;
    return this.tx(async (c): Promise<WriteResult<Incident>> => {
      const early = await this.claimKey(c, idem, inc.createdMs);
      if (early) return early;
      const site = (await c.query('SELECT unit FROM sites WHERE site_id = $1', [inc.siteId])).rows[0] as
        | { unit: string }
        | undefined;
      if (site && site.unit !== inc.unit)
        return { kind: 'conflict', code: 'site_unit_mismatch', detail: site.unit };
      if (!site) {
        await c.query(
          'INSERT INTO sites (site_id, name, unit, created_ms, updated_ms) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (site_id) DO NOTHING',
          [inc.siteId, inc.siteName ?? inc.siteId, inc.unit, inc.createdMs],
        );
      }
      const { rows } = await c.query(
        `INSERT INTO incidents (site_id, site_name, unit, category, severity, status, occurred_ms, created_ms, updated_ms, resolved_ms, body)
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $7, NULL, $8) RETURNING id`,
        [
          inc.siteId,
          inc.siteName ?? null,
          inc.unit,
          inc.category,
          inc.severity,
          inc.occurredMs,
          inc.createdMs,
          inc.body,
        ],
      );
      const id = (rows[0] as { id: number }).id;
      await c.query(
        'INSERT INTO incident_events (incident_id, seq, at_ms, status, note, actor) VALUES ($1, 1, $2, $3, NULL, $4)',
        [id, inc.createdMs, 'open', inc.by ?? null],
      );
      const value = (await this.incidentWith(c, id)) as Incident;
      await c.query('UPDATE idempotency SET response = $2 WHERE key = $1', [idem.key, JSON.stringify(value)]);
      queued = await runPgScript(
        c,
        onIncident(this.alerts.config, { siteId: inc.siteId, unit: inc.unit }, inc.createdMs, id),
      );
      return { kind: 'created', value };
    }).then((r) => {
      this.alerts.queued(queued);
      return r;
    });
  }

  async getIncident(id: number): Promise<Incident | undefined> {
    return this.incidentWith(this.pool, id);
  }

  async listIncidents(f: IncidentFilter): Promise<Incident[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const range = unitRange(f.unitPrefix);
    if (range) where.push(`(unit = ${p(range.exact)} OR (unit >= ${p(range.lo)} AND unit < ${p(range.hi)}))`);
    if (f.siteId !== undefined) where.push(`site_id = ${p(f.siteId)}`);
    if (f.status !== undefined) where.push(`status = ${p(f.status)}`);
    if (f.category !== undefined) where.push(`category = ${p(f.category)}`);
    if (f.sinceMs !== undefined) where.push(`occurred_ms >= ${p(f.sinceMs)}`);
    if (f.beforeId !== undefined) where.push(`id < ${p(f.beforeId)}`);
    const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${p(f.limit)}`;
    const rows = (await this.pool.query(sql, params)).rows as IncidentRow[];
    if (rows.length === 0) return [];
    const events = (
      await this.pool.query(
        'SELECT * FROM incident_events WHERE incident_id = ANY($1::bigint[]) ORDER BY incident_id, seq',
        [rows.map((r) => r.id)],
      )
    ).rows as EventRow[];
    const byId = eventsById(events);
    return convertRows(rows, (r) => incidentFromRow(r, byId.get(r.id) ?? []), 'incident', this.onBadRow);
  }

  async updateIncident(
    id: number,
    u: IncidentUpdate,
    idem: Idem | undefined,
  ): Promise<WriteResult<Incident>> {
    let queued = 0;
    return this.tx(async (c): Promise<WriteResult<Incident>> => {
      if (idem) {
        const early = await this.claimKey(c, idem, u.atMs);
        if (early) return early;
      }
      const row = (await c.query('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [id])).rows[0] as
        | IncidentRow
        | undefined;
      if (!row) return { kind: 'not-found' };
      if (!canMove(row.status as Incident['status'], u.status)) {
        return { kind: 'conflict', code: 'invalid_transition', detail: row.status };
      }
      await c.query('UPDATE incidents SET status = $2, updated_ms = $3, resolved_ms = $4 WHERE id = $1', [
        id,
        u.status,
        u.atMs,
        u.status === 'resolved' ? u.atMs : row.resolved_ms,
      ]);
      await c.query(
        `INSERT INTO incident_events (incident_id, seq, at_ms, status, note, actor)
         VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM incident_events WHERE incident_id = $1), $2, $3, $4, $5)`,
        [id, u.atMs, u.status, u.note ?? null, u.by ?? null],
      );
      const value = (await this.incidentWith(c, id)) as Incident;
      if (idem)
        await c.query('UPDATE idempotency SET response = $2 WHERE key = $1', [
          idem.key,
          JSON.stringify(value),
        ]);
      queued = await runPgScript(
        c,
        onIncident(this.alerts.config, { siteId: row.site_id, unit: row.unit }, u.atMs),
      );
      return { kind: 'created', value };
    }).then((r) => {
      this.alerts.queued(queued);
      return r;
    });
  }

  async getSite(id: string): Promise<Site | undefined> {
    const { rows } = await this.pool.query('SELECT * FROM sites WHERE site_id = $1', [id]);
    return rows[0] ? siteFromRow(rows[0] as SiteRow) : undefined;
  }

  async putSite(id: string, site: SiteInput, nowMs: number, guard?: SiteGuard): Promise<SitePut> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const info = infoOf(site);
      // The row is locked while the guard looks at it, so two registries cannot both take one site;
      // a first registration racing another one finds it on the second pass.
      for (let pass = 0; ; pass++) {
        const before = (await client.query('SELECT * FROM sites WHERE site_id = $1 FOR UPDATE', [id]))
          .rows[0] as SiteRow | undefined;
        if (!before) {
          const { rows } = await client.query(
            `INSERT INTO sites (site_id, name, unit, info, created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (site_id) DO NOTHING RETURNING *`,
            [id, site.name, site.unit, info, nowMs],
          );
          if (rows[0]) {
            await client.query('COMMIT');
            return { site: siteFromRow(rows[0] as SiteRow), created: true };
          }
          if (pass > 0) throw new Error(`site ${id}: neither inserted nor found`);
          continue;
        }
        if (before.unit !== site.unit && guard && !guard.mayLeave(before.unit)) {
          await client.query('ROLLBACK');
          return { site: siteFromRow(before), created: false, heldBy: before.unit };
        }
        const { rows } = await client.query(
          'UPDATE sites SET name = $2, unit = $3, info = $4, updated_ms = $5 WHERE site_id = $1 RETURNING *',
          [id, site.name, site.unit, info, nowMs],
        );
        if (before.unit !== site.unit)
          await client.query(
            `INSERT INTO site_moves (site_id, seq, at_ms, from_unit, to_unit, actor)
             VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM site_moves WHERE site_id = $1), $2, $3, $4, $5)`,
            [id, nowMs, before.unit, site.unit, guard?.by ?? null],
          );
        await client.query('COMMIT');
        return { site: siteFromRow(rows[0] as SiteRow), created: false };
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async siteMoves(id: string): Promise<SiteMove[]> {
    const { rows } = await this.pool.query('SELECT * FROM site_moves WHERE site_id = $1 ORDER BY seq', [id]);
    return (rows as SiteMoveRow[]).map(siteMoveFromRow);
  }

  async listSites(f: SiteFilter): Promise<Site[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const range = unitRange(f.unitPrefix);
    if (range) where.push(`(unit = ${p(range.exact)} OR (unit >= ${p(range.lo)} AND unit < ${p(range.hi)}))`);
    if (f.after) where.push(`(unit, site_id) > (${p(f.after.unit)}, ${p(f.after.id)})`);
    if (f.retired === 'only') where.push('retired_ms IS NOT NULL');
    else if (f.retired !== 'include') where.push('retired_ms IS NULL');
    const sql = `SELECT * FROM sites ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY unit, site_id LIMIT ${p(f.limit)}`;
    return ((await this.pool.query(sql, params)).rows as SiteRow[]).map(siteFromRow);
  }

  async readiness(unitPrefix: string): Promise<ReadinessRow[]> {
    return readinessChunkPostgres(this.pool, { unitPrefix, limit: -1 });
  }

  async readinessChunk(q: ReadinessChunk): Promise<ReadinessRow[]> {
    return readinessChunkPostgres(this.pool, q);
  }

  async putSites(
    items: readonly SiteBatchItem[],
    nowMs: number,
    guard: SiteGuard,
    atomic: boolean,
  ): Promise<SiteBatchOutcome[]> {
    return putSitesPostgres(this.pool, items, nowMs, guard, atomic);
  }

  async retireSite(id: string, retire: SiteRetire): Promise<Site | undefined> {
    const row = await retireSitePostgres(this.pool, id, retire);
    return row ? siteFromRow(row) : undefined;
  }

  async daily(q: DailyQuery): Promise<DailySite[]> {
    const range = unitRange(q.unitPrefix);
    // As on SQLite: per site, an index-only range of (site_id, started_ms, verdict); without
    // that index the planner scans the whole runs table (bench/README.md).
    const sql = `SELECT s.site_id, string_agg(${dayCodeSql('$1::bigint')}::text, ',')
      FROM sites s LEFT JOIN runs r ON r.site_id = s.site_id AND r.started_ms >= $1 AND r.started_ms < $2
      ${range ? 'WHERE s.unit = $3 OR (s.unit >= $4 AND s.unit < $5)' : ''}
      GROUP BY s.unit, s.site_id ORDER BY s.unit, s.site_id`;
    const to = q.fromMs + q.days * DAY_MS;
    const { rows } = await this.pool.query({
      text: sql,
      values: range ? [q.fromMs, to, range.exact, range.lo, range.hi] : [q.fromMs, to],
      rowMode: 'array',
    });
    return dailyFromArrays(rows as unknown[][], q.days);
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
  incidentsDuring(siteIds: readonly string[], startMs: number, endMs: number): Promise<MeetingIncident[]> {
    return incidentsDuringPostgres(this.pool, siteIds, startMs, endMs, this.onBadRow);
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

  /** For benchmarks and operations: bytes on disk of the registry's tables and indexes. */
  async sizeBytes(): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
    );
    return (rows[0] as { bytes: number }).bytes;
  }
}

export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
  const store = new PostgresStore(url, opts);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
