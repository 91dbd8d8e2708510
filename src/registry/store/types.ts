/**
 * The one store interface. Two engines implement it with the same behaviour
 * (test/registry/store.conformance.ts runs against both): SQLite through
 * better-sqlite3 (the default) and PostgreSQL through pg.
 *
 * Every write that a client may repeat carries an idempotency key: the store
 * records the key in the same transaction as the write, so a replay finds
 * the first answer and nothing is stored twice.
 */
import type { Incident, IncidentCategory, IncidentStatus, Role } from '../../model/incident.js';
import type { DailySite, ReadinessSite } from '../../model/report.js';
import type { Run, RunAccepted } from '../../model/run.js';
import type { RUN_REGISTER_FIELDS, Site, SiteInput, SiteMove } from '../../model/site.js';
import type { AlertStore } from './alerts.js';
import type { CallStateStore } from './call-states.js';
import type { MeetingIncidentStore } from './meeting-incidents.js';
import type { MeetingStore } from './meetings.js';
import type { BadRowListener } from './rows.js';
import type { SiteRegisterStore } from './sites.js';

export interface Idem {
  key: string;
  /** Hash of the request (method, path, body): the same key with another request is a 409. */
  fingerprint: string;
}

export type WriteResult<T> =
  | { kind: 'created'; value: T }
  | { kind: 'replay'; value: T }
  | { kind: 'key-reused' }
  | { kind: 'conflict'; code: ConflictCode; detail: string }
  | { kind: 'not-found' };

export type ConflictCode = 'site_unit_mismatch' | 'invalid_transition';

export interface TokenRecord {
  id: number;
  role: Role;
  /** Unit prefix ('' for everything). */
  unit: string;
  label: string;
  createdAt: string;
  /** When a request last carried it (written at most once a minute: docs/registry-api.md). */
  lastUsedAt?: string;
  /** After this the token answers 401 token_expired. */
  expiresAt?: string;
  /** Set by `registry token revoke`: the token answers 401 token_revoked. */
  revokedAt?: string;
}

export interface NewToken {
  hash: string;
  role: Role;
  unit: string;
  label: string;
  createdMs: number;
  expiresMs?: number;
}

/**
 * The database stayed locked by another writer (another process on the same
 * SQLite file) for longer than the store waits: the registry answers 503 with
 * Retry-After, never 500 (docs/registry-api.md).
 */
export class StoreBusyError extends Error {
  constructor(waitedMs: number, options?: { cause?: unknown }) {
    super(`the database stayed locked by another writer for ${waitedMs} ms`, options);
    this.name = 'StoreBusyError';
  }
}

/** A run as the store keeps it: the hot columns plus a lean JSON body. */
export interface RunRecord {
  siteId: string;
  siteName: string;
  unit: string;
  verdict: RunAccepted['verdict'];
  startedMs: number;
  /** When the check finished (startedAt + durationMs): what readiness and staleness go by. */
  finishedMs: number;
  durationMs: number;
  receivedMs: number;
  failing: string[];
  /** JSON of { checks, error?, tool? }. */
  body: string;
  /** The meeting the run was made for (check --meeting), kept in its own indexed column. */
  meetingId?: string;
  /**
   * The register's fields the run's site block carries, already checked
   * (docs/sites.md, check --upload): merged over the entry, each field whole,
   * when this run is newer than the entry's last change.
   */
  register?: Partial<Pick<SiteInput, (typeof RUN_REGISTER_FIELDS)[number]>>;
}

/** One upload of a batch. */
export interface RunWrite {
  run: RunRecord;
  idem: Idem;
}

export interface NewIncident {
  siteId: string;
  siteName: string | undefined;
  unit: string;
  category: IncidentCategory;
  severity: Incident['severity'];
  occurredMs: number;
  createdMs: number;
  /** JSON of the fields without columns: summary, details, meeting, action, effect, reporter, run. */
  body: string;
  by: string | undefined;
}

export interface IncidentUpdate {
  status: Exclude<IncidentStatus, 'open'>;
  note: string | undefined;
  by: string | undefined;
  atMs: number;
}

export interface IncidentFilter {
  unitPrefix: string;
  siteId?: string;
  status?: IncidentStatus;
  category?: IncidentCategory;
  sinceMs?: number;
  limit: number;
  /** Only incidents with a smaller id (cursor pagination, newest first). */
  beforeId?: number;
}

export interface RunFilter {
  /** One site's runs; without it, the runs of `meetingId` under `unitPrefix`. */
  siteId?: string;
  /** Only runs tagged with this meeting (check --meeting). */
  meetingId?: string;
  /** Without siteId: only sites under this prefix ('' for all). */
  unitPrefix?: string;
  limit: number;
  /** Only runs before this (startedMs, id) position (newest first). */
  before?: { startedMs: number; id: number };
}

export interface SiteFilter {
  unitPrefix: string;
  limit: number;
  /** Retired sites: left out (the default), listed with the others, or listed alone. */
  retired?: 'exclude' | 'include' | 'only';
  /** Only sites after this (unit, id) position. */
  after?: { unit: string; id: string };
}

export interface SiteGuard {
  /** May the writer take the site away from `unit`, where it is registered now? */
  mayLeave(unit: string): boolean;
  /** Who moves it (the token's label), kept with the move. */
  by?: string;
}

/** What putSite did: `heldBy` set means nothing was written (`site` is as it was). */
export interface SitePut {
  site: Site;
  created: boolean;
  heldBy?: string;
}

/** One row of the readiness report before the stale flag is worked out. */
export type ReadinessRow = Omit<ReadinessSite, 'stale' | 'at'> & { atMs: number | null };

export interface Store
  extends CallStateStore,
    MeetingStore,
    MeetingIncidentStore,
    SiteRegisterStore,
    AlertStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Told about stored rows left out of an answer because they cannot be read (the registry logs them). */
  onBadRow?: BadRowListener;
  /** Create or upgrade the schema (idempotent; safe with several instances starting at once). */
  migrate(): Promise<void>;
  /** Throws when the store cannot answer (health check). */
  ping(): Promise<void>;
  /** Finish pending writes and close. */
  close(): Promise<void>;

  createToken(token: NewToken): Promise<TokenRecord>;
  findToken(hash: string): Promise<TokenRecord | undefined>;
  /** Every token, oldest first (never the hash). */
  listTokens(): Promise<TokenRecord[]>;
  /** Mark a token revoked (a second revoke keeps the first time); undefined when there is no such id. */
  revokeToken(id: number, atMs: number): Promise<TokenRecord | undefined>;
  /** Record last-used times (token id → epoch ms); a time never moves back. */
  touchTokens(used: ReadonlyMap<number, number>): Promise<void>;

  ingestRun(run: RunRecord, idem: Idem): Promise<WriteResult<RunAccepted>>;
  /**
   * Many uploads in one transaction (POST /v1/runs:batch): each gets the answer
   * ingestRun would give it, in order, as if they were uploaded one after the
   * other; a refused one writes nothing and does not disturb the others.
   */
  ingestRuns(items: readonly RunWrite[]): Promise<WriteResult<RunAccepted>[]>;
  getRun(id: number): Promise<Run | undefined>;
  listRuns(filter: RunFilter): Promise<Run[]>;

  createIncident(incident: NewIncident, idem: Idem): Promise<WriteResult<Incident>>;
  getIncident(id: number): Promise<Incident | undefined>;
  listIncidents(filter: IncidentFilter): Promise<Incident[]>;
  updateIncident(id: number, update: IncidentUpdate, idem: Idem | undefined): Promise<WriteResult<Incident>>;

  getSite(id: string): Promise<Site | undefined>;
  /**
   * Create or replace a site's register entry; a unit change follows into the
   * readiness table and is kept in the site's moves. With a guard, the site is
   * moved away from its unit only if `mayLeave(unit)`; otherwise nothing is
   * written and `heldBy` names the unit that holds it (docs/registry-api.md, site ownership).
   */
  putSite(id: string, site: SiteInput, nowMs: number, guard?: SiteGuard): Promise<SitePut>;
  /** A site's moves between units, oldest first. */
  siteMoves(id: string): Promise<SiteMove[]>;
  listSites(filter: SiteFilter): Promise<Site[]>;

  /** Every registered site under the prefix, not retired, with its latest run (if any), ordered by unit then id. */
  readiness(unitPrefix: string): Promise<ReadinessRow[]>;

  /**
   * Every registered site under the prefix (ordered like readiness) with, per
   * day of the window, the worst verdict of its runs started that day (null
   * when none). One query: each site's runs of the window, bucketed into
   * days and ranked in SQL, grouped by site (rows.ts dayCodeSql).
   */
  daily(q: DailyQuery): Promise<DailySite[]>;
}

export interface DailyQuery {
  unitPrefix: string;
  /** Start of the first day, epoch ms; each day is DAY_MS long (a fixed UTC offset has no DST). */
  fromMs: number;
  days: number;
}
