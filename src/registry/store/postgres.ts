/**
 * The PostgreSQL store (pg). Same tables and behaviour as the SQLite store;
 * several stateless registry instances may share one database.
 *
 * Run uploads are group-committed like on SQLite: those that arrive together
 * go as one statement (one round trip) whose data-modifying CTEs claim the
 * idempotency keys and insert the runs and site_latest rows together; a
 * replayed key claims nothing, so nothing else is written for it.
 *
 * Text keys use COLLATE "C": unit prefixes are matched as byte ranges
 * ([p/, p0)), which a linguistic collation would break.
 */
import pg from 'pg';
import type { Incident } from '../../model/incident.js';
import type { DailySite } from '../../model/report.js';
import type { Run, RunAccepted } from '../../model/run.js';
import type { Site, SiteInput, SiteMove } from '../../model/site.js';
import { canMove } from '../categories.js';
import { inPgTransaction, pgRunner, runPgScript } from './alerts-postgres.js';
import { AlertsSql, alertMigration, onIncident, onRuns } from './alerts-sql.js';
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
  readinessFromArray,
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
  // 5: alert rules, channels, state, alerts and their deliveries, maintenance windows (docs/alerts.md).
  alertMigration('postgres'),
];

// int8 (ids, epoch ms) as JS numbers: every value here is far below 2^53.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

// One statement for a whole batch of uploads (group commit: one round trip, one WAL flush).
// The key is claimed first (ON CONFLICT DO NOTHING): a replay inserts nothing and costs no
// rolled-back rows; each run's id is drawn from its sequence so its key row can point at it.
// Within a batch, site_latest takes each site's newest run (DISTINCT ON), since one statement
// may not update a row twice.
const INGEST = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::bigint[],
                       $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[])
    AS t(site_id, name, unit, verdict, started_ms, duration_ms, finished_ms, received_ms, failing, body, key, fp)),
ok AS (SELECT i.*, nextval('runs_id_seq') AS id FROM input i
       WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE s.site_id = i.site_id AND s.unit <> i.unit)),
k AS (INSERT INTO idempotency (key, fingerprint, run_id, created_ms) SELECT key, fp, id, received_ms FROM ok
      ON CONFLICT (key) DO NOTHING RETURNING key, run_id),
kk AS (SELECT ok.* FROM ok JOIN k ON k.run_id = ok.id),
s AS (INSERT INTO sites (site_id, name, unit, created_ms, updated_ms)
      SELECT DISTINCT ON (site_id) site_id, name, unit, received_ms, received_ms FROM kk ORDER BY site_id
      ON CONFLICT (site_id) DO NOTHING),
r AS (INSERT INTO runs (id, site_id, verdict, started_ms, duration_ms, received_ms, failing, body)
      SELECT id, site_id, verdict, started_ms, duration_ms, received_ms, failing, body FROM kk RETURNING id),
l AS (INSERT INTO site_latest (site_id, run_id, verdict, finished_ms, failing)
      SELECT DISTINCT ON (site_id) site_id, id, verdict, finished_ms, failing FROM kk ORDER BY site_id, finished_ms DESC, id DESC
      ON CONFLICT (site_id) DO UPDATE SET run_id = excluded.run_id, verdict = excluded.verdict,
        finished_ms = excluded.finished_ms, failing = excluded.failing
      WHERE excluded.finished_ms >= site_latest.finished_ms)
SELECT kk.key, kk.id FROM kk JOIN r ON r.id = kk.id`;

/** Most uploads in one statement. */
const MAX_BATCH = 256;

interface Pending {
  run: RunRecord;
  idem: Idem;
  resolve: (r: WriteResult<RunAccepted>) => void;
  reject: (err: unknown) => void;
}

const RUN_COLUMNS = `r.id, r.site_id, s.name, s.unit, r.verdict, r.started_ms, r.duration_ms, r.received_ms, r.failing, r.body`;

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

export class PostgresStore implements Store {
  onBadRow?: BadRowListener;
  readonly engine = 'postgres' as const;
  readonly pool: pg.Pool;
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly inflight = new Set<Promise<void>>();
  readonly alerts: AlertsSql;

  constructor(connectionString: string, opts: PostgresOptions = {}) {
    this.pool = new pg.Pool({ connectionString, max: opts.max ?? 10, types });
    // An idle client losing its server must not crash the registry; the next query reconnects.
    this.pool.on('error', () => {});
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
    while (this.scheduled || this.inflight.size > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.allSettled([...this.inflight]);
    }
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

  /**
   * Uploads that arrive together (one event-loop turn) go to the database as
   * one statement; each caller is answered after that statement commits.
   */
  ingestRun(run: RunRecord, idem: Idem): Promise<WriteResult<RunAccepted>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ run, idem, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          while (this.queue.length > 0) {
            const done = this.flush(this.queue.splice(0, MAX_BATCH));
            this.inflight.add(done);
            void done.finally(() => this.inflight.delete(done));
          }
        });
      }
    });
  }

  private async flush(batch: Pending[]): Promise<void> {
    const col = <T>(f: (p: Pending) => T) => batch.map(f);
    let created: Map<string, number>;
    const config = this.alerts.config;
    let queued = 0;
    try {
      const params = [
        col((p) => p.run.siteId),
        col((p) => p.run.siteName),
        col((p) => p.run.unit),
        col((p) => p.run.verdict),
        col((p) => p.run.startedMs),
        col((p) => p.run.durationMs),
        col((p) => p.run.finishedMs),
        col((p) => p.run.receivedMs),
        col((p) => p.run.failing.join(',')),
        col((p) => p.run.body),
        col((p) => p.idem.key),
        col((p) => p.idem.fingerprint),
      ];
      const keysOf = (rows: unknown[]) =>
        new Map((rows as Array<{ key: string; id: number }>).map((r) => [r.key, r.id]));
      if (config.rules.length === 0) created = keysOf((await this.pool.query(INGEST, params)).rows);
      else
        created = await inPgTransaction(this.pool, async (c) => {
          // The alerts these runs cause are written in this same transaction (docs/alerts.md).
          const keys = keysOf((await c.query(INGEST, params)).rows);
          const runs = batch.filter((p) => keys.has(p.idem.key)).map((p) => p.run);
          queued = await runPgScript(c, onRuns(config, runs, runs[0]?.receivedMs ?? 0));
          return keys;
        });
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    this.alerts.queued(queued);
    const claimed = new Set<string>();
    for (const p of batch) {
      const id = created.get(p.idem.key);
      // The same key twice in one batch: the first is the upload, the rest are replays.
      if (id !== undefined && !claimed.has(p.idem.key)) {
        claimed.add(p.idem.key);
        p.resolve({
          kind: 'created',
          value: { id, site: p.run.siteId, verdict: p.run.verdict, receivedAt: iso(p.run.receivedMs) },
        });
      } else {
        this.explain(p.run, p.idem).then(p.resolve, p.reject);
      }
    }
  }

  /** Nothing was written for this upload: its key was already used, or its site belongs to another unit. */
  private async explain(run: RunRecord, idem: Idem): Promise<WriteResult<RunAccepted>> {
    const prior = (
      await this.pool.query('SELECT fingerprint, run_id FROM idempotency WHERE key = $1', [idem.key])
    ).rows[0] as { fingerprint: string; run_id: number | null } | undefined;
    if (prior) {
      if (prior.fingerprint !== idem.fingerprint || prior.run_id === null) return { kind: 'key-reused' };
      const r = (
        await this.pool.query('SELECT id, site_id, verdict, received_ms FROM runs WHERE id = $1', [
          prior.run_id,
        ])
      ).rows[0] as { id: number; site_id: string; verdict: RunAccepted['verdict']; received_ms: number };
      return {
        kind: 'replay',
        value: { id: r.id, site: r.site_id, verdict: r.verdict, receivedAt: iso(r.received_ms) },
      };
    }
    const unit = (await this.pool.query('SELECT unit FROM sites WHERE site_id = $1', [run.siteId])).rows[0] as
      | { unit: string }
      | undefined;
    return { kind: 'conflict', code: 'site_unit_mismatch', detail: unit?.unit ?? '' };
  }

  async getRun(id: number): Promise<Run | undefined> {
    const { rows } = await this.pool.query(
      `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN sites s ON s.site_id = r.site_id WHERE r.id = $1`,
      [id],
    );
    return convertRows(rows as RunRow[], runFromRow, 'run', this.onBadRow)[0];
  }

  async listRuns(f: RunFilter): Promise<Run[]> {
    const params: unknown[] = [f.siteId, f.limit];
    let where = 'r.site_id = $1';
    if (f.before) {
      params.push(f.before.startedMs, f.before.id);
      where += ' AND (r.started_ms < $3 OR (r.started_ms = $3 AND r.id < $4))';
    }
    const { rows } = await this.pool.query(
      `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN sites s ON s.site_id = r.site_id WHERE ${where}
       ORDER BY r.started_ms DESC, r.id DESC LIMIT $2`,
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
    const sql = `SELECT * FROM sites ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY unit, site_id LIMIT ${p(f.limit)}`;
    return ((await this.pool.query(sql, params)).rows as SiteRow[]).map(siteFromRow);
  }

  async readiness(unitPrefix: string): Promise<ReadinessRow[]> {
    const range = unitRange(unitPrefix);
    const sql = `SELECT s.site_id, s.name, s.unit, l.run_id, l.verdict, l.finished_ms, l.failing
      FROM sites s LEFT JOIN site_latest l ON l.site_id = s.site_id
      ${range ? 'WHERE s.unit = $1 OR (s.unit >= $2 AND s.unit < $3)' : ''} ORDER BY s.unit, s.site_id`;
    const { rows } = await this.pool.query({
      text: sql,
      values: range ? [range.exact, range.lo, range.hi] : [],
      rowMode: 'array',
    });
    return (rows as unknown[][]).map(readinessFromArray);
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
