/**
 * The alert area over either engine. Each operation is a script: a generator
 * that yields statements (written with `?`, portable SQL; a statement may carry
 * a PostgreSQL variant) and receives their rows, so the logic is written once
 * and each engine runs it in one transaction its own way (alerts-sqlite.ts
 * runs it synchronously inside better-sqlite3's transaction, alerts-postgres.ts
 * on one pooled client). docs/alerts.md explains the states.
 */
import {
  type AlertConfig,
  type AlertFacts,
  AT_RISK_LATE_MS,
  AT_RISK_LEAD_MS,
  afterMs,
  alertId,
  atLeast,
  atRisk,
  type Condition,
  EMPTY_CONFIG,
  firstDelivery,
  incidentConditions,
  type OpenIncident,
  type RunFacts,
  repeatMs,
  runConditions,
  watches,
} from '../../alerts/rules.js';
import type {
  AlertChannel,
  AlertLogEntry,
  AlertRule,
  MaintenanceInput,
  MaintenanceWindow,
} from '../../model/alert-rule.js';
import type { Site } from '../../model/site.js';
import type {
  AlertLogFilter,
  AlertsApi,
  ClaimedDelivery,
  DeliveryResult,
  MaintenanceFilter,
} from './alerts.js';
import { iso } from './rows.js';

export type Row = Record<string, unknown>;
export interface Step {
  sql: string;
  params: unknown[];
  /** The same statement in PostgreSQL's dialect, where the portable one will not do. */
  pg?: string;
}
export type Script<T> = Generator<Step, T, Row[]>;

const q = (sql: string, params: unknown[] = [], pg?: string): Step => ({
  sql,
  params,
  ...(pg ? { pg } : {}),
});
/** `x IN (list)` with the list as one JSON parameter. */
const inList = (column: string) => ({
  sql: `${column} IN (SELECT value FROM json_each(?))`,
  pg: `${column} IN (SELECT json_array_elements_text(CAST(? AS json)))`,
});
const num = (v: unknown): number => Number(v);
const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Statements of the alert tables, per engine (types and keys differ). */
export function alertMigration(engine: 'sqlite' | 'postgres'): string {
  const pg = engine === 'postgres';
  const id = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY';
  const big = pg ? 'BIGINT' : 'INTEGER';
  const key = pg ? 'TEXT COLLATE "C"' : 'TEXT';
  return `
  CREATE TABLE alert_rules (id ${key} PRIMARY KEY, body TEXT NOT NULL, updated_ms ${big} NOT NULL);
  CREATE TABLE alert_channels (id ${key} PRIMARY KEY, body TEXT NOT NULL, updated_ms ${big} NOT NULL);
  CREATE TABLE alert_state (
    rule_id ${key} NOT NULL,
    site_id ${key} NOT NULL,
    unit ${key} NOT NULL,
    firing INTEGER NOT NULL,
    alert_id TEXT NOT NULL,
    since_ms ${big} NOT NULL,
    at_ms ${big} NOT NULL,
    reminded_ms ${big} NOT NULL,
    PRIMARY KEY (rule_id, site_id)
  );
  CREATE INDEX alert_state_site ON alert_state (site_id);
  CREATE TABLE alert_events (
    id ${id},
    alert_id TEXT NOT NULL,
    rule_id ${key} NOT NULL,
    site_id ${key} NOT NULL,
    unit ${key} NOT NULL,
    event TEXT NOT NULL,
    state TEXT NOT NULL,
    reminder INTEGER NOT NULL,
    test INTEGER NOT NULL,
    at_ms ${big} NOT NULL,
    facts TEXT NOT NULL
  );
  CREATE INDEX alert_events_alert ON alert_events (alert_id);
  CREATE TABLE alert_deliveries (
    id ${id},
    event_id ${big} NOT NULL,
    channel_id ${key} NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_ms ${big},
    sent_ms ${big},
    error TEXT,
    ref TEXT
  );
  CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_ms);
  CREATE INDEX alert_deliveries_event ON alert_deliveries (event_id);
  CREATE TABLE maintenance (
    id ${id},
    unit ${key},
    site_id ${key},
    from_ms ${big} NOT NULL,
    to_ms ${big} NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT,
    created_ms ${big} NOT NULL,
    ended_ms ${big}
  );
  `;
}

/**
 * Maintenance notices (docs/alerts.md, maintenance windows): the channels a
 * window tells (JSON list, NULL: none, as for every window made before), and
 * when its start and end notices were written (so each is written once).
 */
export function maintenanceNoticeMigration(engine: 'sqlite' | 'postgres'): string {
  const big = engine === 'postgres' ? 'BIGINT' : 'INTEGER';
  return `
  ALTER TABLE maintenance ADD COLUMN notify TEXT;
  ALTER TABLE maintenance ADD COLUMN start_notice_ms ${big};
  ALTER TABLE maintenance ADD COLUMN end_notice_ms ${big};
  CREATE INDEX maintenance_notices ON maintenance (from_ms) WHERE notify IS NOT NULL AND end_notice_ms IS NULL;
  `;
}

// ---- maintenance ------------------------------------------------------------

/** Does a window in force at `atMs` cover the site (by id, or by unit prefix)? */
function* covered(siteId: string, unit: string, atMs: number): Script<boolean> {
  const rows = yield q(
    `SELECT id FROM maintenance WHERE from_ms <= ? AND to_ms > ? AND (ended_ms IS NULL OR ended_ms > ?)
     AND (site_id = ? OR unit = ? OR (unit IS NOT NULL AND substr(CAST(? AS TEXT), 1, length(unit) + 1) = unit || '/'))
     LIMIT 1`,
    [atMs, atMs, atMs, siteId, unit, unit],
  );
  return rows.length > 0;
}

interface MaintenanceRow {
  id: unknown;
  unit: string | null;
  site_id: string | null;
  from_ms: unknown;
  to_ms: unknown;
  reason: string;
  actor: string | null;
  ended_ms: unknown;
  notify?: string | null;
  start_notice_ms?: unknown;
  end_notice_ms?: unknown;
}

function windowOf(r: MaintenanceRow, nowMs: number): MaintenanceWindow {
  const from = num(r.from_ms);
  const end = Math.min(num(r.to_ms), optNum(r.ended_ms) ?? Number.POSITIVE_INFINITY);
  return {
    id: num(r.id),
    unit: r.unit,
    site: r.site_id,
    from: iso(from),
    to: iso(num(r.to_ms)),
    reason: r.reason,
    by: r.actor,
    endedAt: r.ended_ms === null ? null : iso(num(r.ended_ms)),
    ...(r.notify ? { notify: JSON.parse(r.notify) as string[] } : {}),
    state: nowMs < from ? 'planned' : nowMs < end ? 'active' : 'over',
  };
}

/** The alert id of a window's notices: one per window, its start `firing`, its end `resolved`. */
const noticeId = (windowId: number): string => `maintenance/${windowId}`;

/** Write one notice of a window and a delivery to each channel it names (never held). */
function* notice(
  config: AlertConfig,
  r: MaintenanceRow,
  state: 'firing' | 'resolved',
  atMs: number,
  nowMs: number,
): Script<number> {
  const channels = JSON.parse(String(r.notify)) as string[];
  let unit = r.unit ?? '';
  if (r.site_id !== null) {
    const site = yield q('SELECT unit FROM sites WHERE site_id = ?', [r.site_id]);
    unit = String(site[0]?.unit ?? '');
  }
  const facts: AlertFacts = {
    maintenance: {
      id: num(r.id),
      unit: r.unit,
      site: r.site_id,
      fromMs: num(r.from_ms),
      toMs: num(r.to_ms),
      endedMs: optNum(r.ended_ms),
      reason: r.reason,
    },
  };
  // A unit window's notice has no site: its site_id is '' (no site id is empty).
  const ev = yield q(
    `INSERT INTO alert_events (alert_id, rule_id, site_id, unit, event, state, reminder, test, at_ms, facts)
     VALUES (?, 'maintenance', ?, ?, 'maintenance', ?, 0, 0, ?, ?) RETURNING id`,
    [noticeId(num(r.id)), r.site_id ?? '', unit, state, atMs, JSON.stringify(facts)],
  );
  for (const channelId of channels) {
    const first = firstDelivery(
      undefined,
      config.channels.find((ch) => ch.id === channelId),
      nowMs,
      facts,
    );
    yield q(
      'INSERT INTO alert_deliveries (event_id, channel_id, status, attempts, next_ms) VALUES (?, ?, ?, 0, ?)',
      [num(ev[0]?.id), channelId, first.status, first.nextMs],
    );
  }
  return channels.length;
}

/**
 * The notices now due (docs/alerts.md, maintenance windows): a window that
 * has started tells its channels once, and once more when it ends (at its
 * end, or when ended early); one that was due while the registry was down is
 * told at the next look. A window ended before it began tells nothing. Each
 * window's row is locked before it is read (FOR UPDATE on PostgreSQL; SQLite
 * writes one at a time), so with two registries each notice is written once.
 */
function* notices(config: AlertConfig, nowMs: number, onlyId?: number): Script<number> {
  const due = yield q(
    `SELECT id FROM maintenance WHERE notify IS NOT NULL AND end_notice_ms IS NULL
     AND ((start_notice_ms IS NULL AND from_ms <= ?) OR to_ms <= ? OR ended_ms IS NOT NULL)
     ${onlyId === undefined ? '' : 'AND id = ?'} ORDER BY id`,
    [nowMs, nowMs, ...(onlyId === undefined ? [] : [onlyId])],
  );
  let queued = 0;
  for (const { id } of due) {
    const rows = yield q(
      'SELECT * FROM maintenance WHERE id = ?',
      [num(id)],
      'SELECT * FROM maintenance WHERE id = ? FOR UPDATE',
    );
    const r = rows[0] as unknown as MaintenanceRow | undefined;
    if (!r || optNum(r.end_notice_ms) !== null) continue;
    const fromMs = num(r.from_ms);
    const endMs = Math.min(num(r.to_ms), optNum(r.ended_ms) ?? Number.POSITIVE_INFINITY);
    const began = fromMs < endMs;
    if (optNum(r.start_notice_ms) === null && fromMs <= nowMs) {
      yield q('UPDATE maintenance SET start_notice_ms = ? WHERE id = ?', [nowMs, num(id)]);
      if (began) queued += yield* notice(config, r, 'firing', fromMs, nowMs);
    }
    if (endMs <= nowMs) {
      yield q('UPDATE maintenance SET end_notice_ms = ? WHERE id = ?', [nowMs, num(id)]);
      if (began) queued += yield* notice(config, r, 'resolved', endMs, nowMs);
    }
  }
  return queued;
}

/**
 * Windows that touch sites under the prefix: a window's unit (or its site's
 * unit) under the prefix, or above it (a window on the province covers the commune).
 */
function windowScope(prefix: string): { sql: string; params: unknown[] } {
  if (prefix === '') return { sql: '1 = 1', params: [] };
  const w = 'coalesce(m.unit, s.unit)';
  return {
    sql: `(${w} = ? OR substr(${w}, 1, length(CAST(? AS TEXT)) + 1) = CAST(? AS TEXT) || '/'
      OR substr(CAST(? AS TEXT), 1, length(${w}) + 1) = ${w} || '/')`,
    params: [prefix, prefix, prefix, prefix],
  };
}

// ---- transitions ------------------------------------------------------------

/** Write one alert (an event) and its deliveries, one per channel of the rule. */
function* emit(
  config: AlertConfig,
  rule: AlertRule,
  c: { siteId: string; unit: string; facts: AlertFacts },
  alert: string,
  state: 'firing' | 'resolved',
  reminder: boolean,
  nowMs: number,
): Script<number> {
  let held = yield* covered(c.siteId, c.unit, nowMs);
  if (state === 'resolved' && !held) {
    // A recovery follows its alert: when every firing message was held, so is the recovery.
    const sent = yield q(
      `SELECT count(*) AS n FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id
       WHERE e.alert_id = ? AND e.state = 'firing' AND d.status <> 'held'`,
      [alert],
    );
    held = num(sent[0]?.n) === 0;
  }
  const ev = yield q(
    `INSERT INTO alert_events (alert_id, rule_id, site_id, unit, event, state, reminder, test, at_ms, facts)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id`,
    [alert, rule.id, c.siteId, c.unit, rule.event, state, reminder ? 1 : 0, nowMs, JSON.stringify(c.facts)],
  );
  const eventId = num(ev[0]?.id);
  for (const channelId of rule.channels) {
    const channel = config.channels.find((ch) => ch.id === channelId);
    const first = firstDelivery(rule, channel, nowMs, c.facts);
    yield q(
      'INSERT INTO alert_deliveries (event_id, channel_id, status, attempts, next_ms) VALUES (?, ?, ?, 0, ?)',
      [eventId, channelId, held ? 'held' : first.status, held ? null : first.nextMs],
    );
  }
  return held ? 0 : rule.channels.length;
}

/**
 * Apply conditions: a rule that starts to hold for a site fires once (dedupe
 * while it holds), one that stops holding sends one recovery. The state row is
 * the arbiter: a conditional upsert that only one writer wins.
 */
function* apply(config: AlertConfig, conditions: Condition[], nowMs: number): Script<number> {
  if (conditions.length === 0) return 0;
  const sites = [...new Set(conditions.map((c) => c.siteId))];
  const list = inList('site_id');
  const rows = yield q(
    `SELECT rule_id, site_id, firing FROM alert_state WHERE ${list.sql}`,
    [JSON.stringify(sites)],
    `SELECT rule_id, site_id, firing FROM alert_state WHERE ${list.pg}`,
  );
  const firing = new Set(
    rows.filter((r) => num(r.firing) === 1).map((r) => `${r.rule_id}\u0000${r.site_id}`),
  );
  // One lock order for every writer (no deadlock between two registries on PostgreSQL).
  const sorted = [...conditions].sort((a, b) =>
    a.rule.id === b.rule.id ? (a.siteId < b.siteId ? -1 : 1) : a.rule.id < b.rule.id ? -1 : 1,
  );
  let queued = 0;
  for (const c of sorted) {
    const was = firing.has(`${c.rule.id}\u0000${c.siteId}`);
    if (c.holds === was) continue;
    if (c.holds) {
      const id = alertId(c.rule.id, c.siteId, c.atMs);
      const won = yield q(
        `INSERT INTO alert_state (rule_id, site_id, unit, firing, alert_id, since_ms, at_ms, reminded_ms)
         VALUES (?, ?, ?, 1, ?, ?, ?, ?)
         ON CONFLICT (rule_id, site_id) DO UPDATE SET firing = 1, unit = excluded.unit, alert_id = excluded.alert_id,
           since_ms = excluded.since_ms, at_ms = excluded.at_ms, reminded_ms = excluded.reminded_ms
         WHERE alert_state.firing = 0 AND excluded.at_ms >= alert_state.at_ms
         RETURNING alert_id`,
        [c.rule.id, c.siteId, c.unit, id, c.atMs, c.atMs, nowMs],
      );
      if (won.length) queued += yield* emit(config, c.rule, c, id, 'firing', false, nowMs);
    } else {
      const won = yield q(
        `UPDATE alert_state SET firing = 0, at_ms = ? WHERE rule_id = ? AND site_id = ? AND firing = 1 AND at_ms <= ?
         RETURNING alert_id`,
        [c.atMs, c.rule.id, c.siteId, c.atMs],
      );
      const alert = won[0]?.alert_id;
      if (typeof alert === 'string')
        queued += yield* emit(config, c.rule, c, alert, 'resolved', false, nowMs);
    }
  }
  return queued;
}

/** The ingest hook: the runs a write just stored (one upload, or a batch), in its transaction. */
export function* onRuns(config: AlertConfig, runs: readonly RunFacts[], nowMs: number): Script<number> {
  if (config.rules.length === 0 || runs.length === 0) return 0;
  // A batch may hold several runs of one site: the newest decides.
  const newest = new Map<string, RunFacts>();
  for (const r of runs) {
    const seen = newest.get(r.siteId);
    if (!seen || r.finishedMs >= seen.finishedMs) newest.set(r.siteId, r);
  }
  return yield* apply(
    config,
    [...newest.values()].flatMap((r) => runConditions(config.rules, r)),
    nowMs,
  );
}

interface IncidentRowLite {
  id: unknown;
  site_id: string;
  unit: string;
  severity: string;
  category: string;
  created_ms: unknown;
  body: string;
}
const openIncident = (r: IncidentRowLite): OpenIncident => {
  let summary = '';
  try {
    summary = String((JSON.parse(r.body) as { summary?: unknown }).summary ?? '');
  } catch {
    // a body that does not parse still counts as an open incident
  }
  return {
    id: num(r.id),
    siteId: r.site_id,
    unit: r.unit,
    severity: r.severity,
    category: r.category,
    summary,
    createdMs: num(r.created_ms),
  };
};
const INCIDENT_COLUMNS = 'id, site_id, unit, severity, category, created_ms, body';

/** The incident hook: a site's incident was filed (`filedId`) or changed, in that write's transaction. */
export function* onIncident(
  config: AlertConfig,
  site: { siteId: string; unit: string },
  nowMs: number,
  filedId?: number,
): Script<number> {
  if (!config.rules.some((r) => r.event === 'incident-filed')) return 0;
  const rows = yield q(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE site_id = ? AND status <> 'resolved' ORDER BY id DESC`,
    [site.siteId],
  );
  const open = (rows as unknown as IncidentRowLite[]).map(openIncident);
  const filed = open.find((i) => i.id === filedId);
  return yield* apply(config, incidentConditions(config.rules, site, open, nowMs, filed), nowMs);
}

/**
 * meeting-at-risk (docs/alerts.md, meetings): for each scheduled meeting that
 * starts within the hour, each participating site (by id or unit, retired
 * ones left out) is checked at the checkpoint due (T−60, then T−15; the first
 * tick after it, so a registry that was down catches up). At a checkpoint a
 * site at risk fires (at T−15 a site still at risk fires again, the same
 * alert); from then until the start a site that turns ready sends one
 * recovery. The state row is per rule, meeting and site (rule_id
 * `<rule>@<meeting>`), locked before it is read (FOR UPDATE on PostgreSQL),
 * so with two registries each checkpoint is acted on once.
 */
function* meetingAtRisk(config: AlertConfig, rule: AlertRule, nowMs: number): Script<number> {
  const meetings = yield q(
    `SELECT id, title, start_ms FROM meetings WHERE status = 'scheduled' AND start_ms > ? AND start_ms <= ? ORDER BY id`,
    [nowMs, nowMs + AT_RISK_LEAD_MS],
  );
  let queued = 0;
  for (const m of meetings) {
    const meetingId = num(m.id);
    const startMs = num(m.start_ms);
    const checkpointMs =
      nowMs >= startMs - AT_RISK_LATE_MS ? startMs - AT_RISK_LATE_MS : startMs - AT_RISK_LEAD_MS;
    const sites = yield q(
      `SELECT s.site_id, s.unit, l.verdict, l.finished_ms, l.failing FROM sites s
       LEFT JOIN site_latest l ON l.site_id = s.site_id
       WHERE s.retired_ms IS NULL AND (s.site_id IN (SELECT site_id FROM meeting_sites WHERE meeting_id = ?)
         OR EXISTS (SELECT 1 FROM meeting_units u WHERE u.meeting_id = ? AND (u.unit = '' OR s.unit = u.unit
           OR substr(s.unit, 1, length(u.unit) + 1) = u.unit || '/')))
       ORDER BY s.site_id`,
      [meetingId, meetingId],
    );
    const key = `${rule.id}@${meetingId}`;
    const meeting = {
      id: meetingId,
      title: String(m.title),
      startMs,
      checkpoint: checkpointMs === startMs - AT_RISK_LATE_MS ? 15 : 60,
    } as const;
    for (const s of sites) {
      const siteId = String(s.site_id);
      const unit = String(s.unit);
      if (!watches(rule, siteId, unit)) continue;
      const verdict = s.verdict === null || s.verdict === undefined ? null : String(s.verdict);
      const risk = atRisk(verdict, optNum(s.finished_ms), startMs);
      const state = yield q(
        'SELECT firing, alert_id, since_ms, reminded_ms FROM alert_state WHERE rule_id = ? AND site_id = ?',
        [key, siteId],
        'SELECT firing, alert_id, since_ms, reminded_ms FROM alert_state WHERE rule_id = ? AND site_id = ? FOR UPDATE',
      );
      const row = state[0];
      const firing = row !== undefined && num(row.firing) === 1;
      const done = row !== undefined && num(row.reminded_ms) >= checkpointMs;
      const facts: AlertFacts = {
        ...(verdict ? { verdict } : {}),
        // site_latest keeps the failing checks comma-separated.
        ...(s.failing ? { failing: String(s.failing).split(',') } : {}),
        lastMs: optNum(s.finished_ms),
        meeting,
      };
      const c = { siteId, unit, facts };
      if (risk && !done) {
        const id = firing ? String(row?.alert_id) : alertId(key, siteId, checkpointMs);
        const sinceMs = firing ? num(row?.since_ms) : checkpointMs;
        const won = yield q(
          `INSERT INTO alert_state (rule_id, site_id, unit, firing, alert_id, since_ms, at_ms, reminded_ms)
           VALUES (?, ?, ?, 1, ?, ?, ?, ?)
           ON CONFLICT (rule_id, site_id) DO UPDATE SET firing = 1, unit = excluded.unit, alert_id = excluded.alert_id,
             since_ms = excluded.since_ms, at_ms = excluded.at_ms, reminded_ms = excluded.reminded_ms
           WHERE alert_state.reminded_ms < excluded.reminded_ms
           RETURNING alert_id`,
          [key, siteId, unit, id, sinceMs, nowMs, checkpointMs],
        );
        if (won.length)
          queued += yield* emit(
            config,
            rule,
            firing ? { ...c, facts: { ...facts, sinceMs } } : c,
            id,
            'firing',
            firing,
            nowMs,
          );
      } else if (!risk && firing) {
        const won = yield q(
          `UPDATE alert_state SET firing = 0, at_ms = ? WHERE rule_id = ? AND site_id = ? AND firing = 1 RETURNING alert_id`,
          [nowMs, key, siteId],
        );
        const alert = won[0]?.alert_id;
        if (typeof alert === 'string')
          queued += yield* emit(config, rule, c, alert, 'resolved', false, nowMs);
      }
    }
  }
  return queued;
}

/** The time-driven part: stale sites, incidents left open, meetings at risk, reminders. */
export function* tick(config: AlertConfig, nowMs: number): Script<number> {
  let queued = 0;
  for (const rule of config.rules) {
    if (rule.event === 'site-stale') {
      const limit = nowMs - afterMs(rule);
      const rows = yield q(
        `SELECT s.site_id, s.unit, l.finished_ms FROM sites s LEFT JOIN site_latest l ON l.site_id = s.site_id
         WHERE s.retired_ms IS NULL AND coalesce(l.finished_ms, s.created_ms) < ?`,
        [limit],
      );
      const conditions = rows
        .filter((r) => watches(rule, String(r.site_id), String(r.unit)))
        .map((r) => ({
          rule,
          siteId: String(r.site_id),
          unit: String(r.unit),
          holds: true,
          atMs: nowMs,
          facts: { lastMs: optNum(r.finished_ms) },
        }));
      queued += yield* apply(config, conditions, nowMs);
    } else if (rule.event === 'incident-unresolved') {
      const rows = yield q(
        `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE status <> 'resolved' AND created_ms < ? ORDER BY id`,
        [nowMs - afterMs(rule)],
      );
      const bySite = new Map<string, OpenIncident[]>();
      for (const i of (rows as unknown as IncidentRowLite[]).map(openIncident)) {
        if (!watches(rule, i.siteId, i.unit) || !atLeast(i.severity, rule.severity)) continue;
        bySite.set(i.siteId, [...(bySite.get(i.siteId) ?? []), i]);
      }
      const firingRows = yield q('SELECT site_id, unit FROM alert_state WHERE rule_id = ? AND firing = 1', [
        rule.id,
      ]);
      const conditions: Condition[] = [...bySite.entries()].map(([siteId, list]) => {
        const first = list[0] as OpenIncident;
        return {
          rule,
          siteId,
          unit: first.unit,
          holds: true,
          atMs: nowMs,
          facts: {
            open: list.length,
            incident: {
              id: first.id,
              severity: first.severity,
              category: first.category,
              summary: first.summary,
            },
          },
        };
      });
      for (const r of firingRows)
        if (!bySite.has(String(r.site_id)))
          conditions.push({
            rule,
            siteId: String(r.site_id),
            unit: String(r.unit),
            holds: false,
            atMs: nowMs,
            facts: { open: 0 },
          });
      queued += yield* apply(config, conditions, nowMs);
    } else if (rule.event === 'meeting-at-risk') {
      queued += yield* meetingAtRisk(config, rule, nowMs);
    }
    const every = repeatMs(rule);
    if (every !== undefined) {
      const due = yield q(
        `UPDATE alert_state SET reminded_ms = ? WHERE rule_id = ? AND firing = 1 AND reminded_ms <= ?
         RETURNING site_id, unit, alert_id, since_ms`,
        [nowMs, rule.id, nowMs - every],
      );
      for (const d of due) {
        const first = yield q(
          `SELECT facts FROM alert_events WHERE alert_id = ? AND state = 'firing' ORDER BY id LIMIT 1`,
          [d.alert_id],
        );
        const facts = {
          ...(JSON.parse(String(first[0]?.facts ?? '{}')) as AlertFacts),
          sinceMs: num(d.since_ms),
        };
        const c = { siteId: String(d.site_id), unit: String(d.unit), facts };
        queued += yield* emit(config, rule, c, String(d.alert_id), 'firing', true, nowMs);
      }
    }
  }
  return queued;
}

// ---- deliveries and the log -------------------------------------------------

const LOG_COLUMNS = `d.id, d.channel_id, d.status, d.attempts, d.next_ms, d.sent_ms, d.error,
  e.alert_id, e.rule_id, e.event, e.state, e.reminder, e.test, e.at_ms, e.site_id, e.unit`;

function logEntry(r: Row): AlertLogEntry {
  const next = optNum(r.next_ms);
  const sent = optNum(r.sent_ms);
  return {
    id: num(r.id),
    alert: String(r.alert_id),
    rule: String(r.rule_id),
    event: String(r.event),
    state: r.state === 'resolved' ? 'resolved' : 'firing',
    reminder: num(r.reminder) === 1,
    test: num(r.test) === 1,
    site: String(r.site_id),
    unit: String(r.unit),
    channel: String(r.channel_id),
    delivery: String(r.status) as AlertLogEntry['delivery'],
    attempts: num(r.attempts),
    at: iso(num(r.at_ms)),
    nextAt:
      next === null || r.status === 'sent' || r.status === 'failed' || r.status === 'held' ? null : iso(next),
    sentAt: sent === null ? null : iso(sent),
    error: r.error === null || r.error === undefined ? null : String(r.error),
  };
}

function* claim(
  status: 'pending' | 'digest',
  nowMs: number,
  leaseMs: number,
  limit: number,
): Script<ClaimedDelivery[]> {
  const pick = `SELECT id FROM alert_deliveries WHERE status = ? AND next_ms <= ? ORDER BY next_ms, id LIMIT ?`;
  const taken = yield q(
    `UPDATE alert_deliveries SET next_ms = ?, attempts = attempts + 1 WHERE id IN (${pick}) RETURNING id`,
    [nowMs + leaseMs, status, nowMs, limit],
    // Rows another registry is taking right now are skipped, not waited for (docs/alerts.md, two registries).
    `UPDATE alert_deliveries SET next_ms = ?, attempts = attempts + 1 WHERE id IN (${pick} FOR UPDATE SKIP LOCKED) RETURNING id`,
  );
  if (taken.length === 0) return [];
  const list = inList('d.id');
  const cols = `d.id, d.channel_id, d.attempts, e.alert_id, e.rule_id, e.event, e.state, e.reminder, e.test, e.at_ms,
    e.facts, e.site_id, e.unit, s.name, s.unit AS site_unit, s.info`;
  const from =
    'FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id LEFT JOIN sites s ON s.site_id = e.site_id';
  const rows = yield q(
    `SELECT ${cols} ${from} WHERE ${list.sql} ORDER BY d.id`,
    [JSON.stringify(taken.map((r) => num(r.id)))],
    `SELECT ${cols} ${from} WHERE d.id IN (SELECT CAST(json_array_elements_text(CAST(? AS json)) AS bigint)) ORDER BY d.id`,
  );
  // The next meeting each site takes part in (docs/alerts.md, messages).
  const next = new Map<string, ClaimedDelivery['nextMeeting']>();
  for (const r of rows) {
    const siteId = String(r.site_id);
    if (next.has(siteId)) continue;
    const unit = String(r.site_unit ?? r.unit);
    const m = yield q(
      `SELECT m.id, m.title, m.start_ms FROM meetings m WHERE m.status = 'scheduled' AND m.start_ms > ?
       AND (m.id IN (SELECT meeting_id FROM meeting_sites WHERE site_id = ?)
         OR EXISTS (SELECT 1 FROM meeting_units u WHERE u.meeting_id = m.id AND (u.unit = '' OR u.unit = ?
           OR substr(CAST(? AS TEXT), 1, length(u.unit) + 1) = u.unit || '/')))
       ORDER BY m.start_ms, m.id LIMIT 1`,
      [nowMs, siteId, unit, unit],
    );
    const first = m[0];
    next.set(
      siteId,
      first ? { id: num(first.id), title: String(first.title), startMs: num(first.start_ms) } : undefined,
    );
  }
  return rows.map((r) => {
    const info = r.info ? (JSON.parse(String(r.info)) as Pick<Site, 'technician' | 'focal_point'>) : {};
    const nextMeeting = next.get(String(r.site_id));
    return {
      id: num(r.id),
      channelId: String(r.channel_id),
      attempts: num(r.attempts),
      alertId: String(r.alert_id),
      ruleId: String(r.rule_id),
      event: String(r.event),
      state: r.state === 'resolved' ? 'resolved' : 'firing',
      reminder: num(r.reminder) === 1,
      test: num(r.test) === 1,
      atMs: num(r.at_ms),
      facts: JSON.parse(String(r.facts)) as AlertFacts,
      site: {
        id: String(r.site_id),
        name: r.name === null || r.name === undefined ? String(r.site_id) : String(r.name),
        unit: String(r.site_unit ?? r.unit),
        ...(info.technician ? { technician: info.technician } : {}),
        ...(info.focal_point ? { focal_point: info.focal_point } : {}),
      },
      ...(nextMeeting ? { nextMeeting } : {}),
    };
  });
}

/** The engine's way to run a script in one transaction (write) or as plain reads. */
export interface ScriptRunner {
  write<T>(script: () => Script<T>): Promise<T>;
  read<T>(script: () => Script<T>): Promise<T>;
}

/** The alert area of one store: everything is a script the engine runs. */
export class AlertsSql implements AlertsApi {
  config: AlertConfig = EMPTY_CONFIG;
  onQueued?: () => void;
  constructor(private readonly run: ScriptRunner) {}

  /** After a commit that queued deliveries. */
  queued(n: number): void {
    if (n > 0) this.onQueued?.();
  }

  async loadConfig(): Promise<AlertConfig> {
    return this.run.read(function* () {
      const rules = yield q('SELECT body FROM alert_rules ORDER BY id');
      const channels = yield q('SELECT body FROM alert_channels ORDER BY id');
      return {
        rules: rules.map((r) => JSON.parse(String(r.body)) as AlertRule),
        channels: channels.map((r) => JSON.parse(String(r.body)) as AlertChannel),
      };
    });
  }

  private put(
    table: 'alert_rules' | 'alert_channels',
    id: string,
    body: unknown,
    nowMs: number,
  ): Promise<void> {
    return this.run.write(function* () {
      yield q(
        `INSERT INTO ${table} (id, body, updated_ms) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_ms = excluded.updated_ms`,
        [id, JSON.stringify(body), nowMs],
      );
    });
  }
  private remove(table: 'alert_rules' | 'alert_channels', id: string): Promise<boolean> {
    return this.run.write(function* () {
      return (yield q(`DELETE FROM ${table} WHERE id = ? RETURNING id`, [id])).length > 0;
    });
  }
  putRule(rule: AlertRule, nowMs: number): Promise<void> {
    return this.put('alert_rules', rule.id, rule, nowMs);
  }
  removeRule(id: string): Promise<boolean> {
    return this.remove('alert_rules', id);
  }
  putChannel(channel: AlertChannel, nowMs: number): Promise<void> {
    return this.put('alert_channels', channel.id, channel, nowMs);
  }
  removeChannel(id: string): Promise<boolean> {
    return this.remove('alert_channels', id);
  }

  async tick(nowMs: number): Promise<number> {
    const config = this.config;
    // Maintenance notices need no rule, only the channels the window names.
    const n = await this.run.write(function* () {
      const told = yield* notices(config, nowMs);
      return told + (config.rules.length === 0 ? 0 : yield* tick(config, nowMs));
    });
    this.queued(n);
    return n;
  }

  claim(
    status: 'pending' | 'digest',
    nowMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<ClaimedDelivery[]> {
    return this.run.write(() => claim(status, nowMs, leaseMs, limit));
  }

  finish(results: ReadonlyArray<{ id: number; result: DeliveryResult }>): Promise<void> {
    if (results.length === 0) return Promise.resolve();
    return this.run.write(function* () {
      for (const { id, result: r } of results) {
        if (r.status === 'sent')
          yield q(
            `UPDATE alert_deliveries SET status = 'sent', sent_ms = ?, next_ms = NULL, error = NULL, ref = ? WHERE id = ?`,
            [r.atMs, r.ref ?? null, id],
          );
        else if (r.status === 'failed')
          yield q(`UPDATE alert_deliveries SET status = 'failed', next_ms = NULL, error = ? WHERE id = ?`, [
            r.error,
            id,
          ]);
        else
          yield q('UPDATE alert_deliveries SET status = ?, next_ms = ?, error = ? WHERE id = ?', [
            r.status,
            r.nextMs,
            r.error,
            id,
          ]);
      }
    });
  }

  async queueTest(
    ruleId: string,
    channelIds: string[],
    site: { id: string; unit: string },
    nowMs: number,
  ): Promise<number[]> {
    const ids = await this.run.write(function* () {
      const ev = yield q(
        `INSERT INTO alert_events (alert_id, rule_id, site_id, unit, event, state, reminder, test, at_ms, facts)
         VALUES (?, ?, ?, ?, 'site-not-ready', 'firing', 0, 1, ?, '{}') RETURNING id`,
        [`test/${ruleId}/${nowMs}`, ruleId, site.id, site.unit, nowMs],
      );
      const out: number[] = [];
      for (const ch of channelIds) {
        const d = yield q(
          `INSERT INTO alert_deliveries (event_id, channel_id, status, attempts, next_ms) VALUES (?, ?, 'pending', 0, ?) RETURNING id`,
          [num(ev[0]?.id), ch, nowMs],
        );
        out.push(num(d[0]?.id));
      }
      return out;
    });
    this.queued(ids.length);
    return ids;
  }

  log(f: AlertLogFilter): Promise<AlertLogEntry[]> {
    return this.run.read(function* () {
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.unitPrefix !== '') {
        where.push(`(e.unit = ? OR substr(e.unit, 1, length(CAST(? AS TEXT)) + 1) = CAST(? AS TEXT) || '/')`);
        params.push(f.unitPrefix, f.unitPrefix, f.unitPrefix);
      }
      if (f.site !== undefined) {
        where.push('e.site_id = ?');
        params.push(f.site);
      }
      if (f.rule !== undefined) {
        where.push('e.rule_id = ?');
        params.push(f.rule);
      }
      if (f.delivery !== undefined) {
        where.push('d.status = ?');
        params.push(f.delivery);
      }
      params.push(f.limit);
      const rows = yield q(
        `SELECT ${LOG_COLUMNS} FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT ?`,
        params,
      );
      return rows.map(logEntry);
    });
  }

  deliveries(ids: number[]): Promise<AlertLogEntry[]> {
    return this.run.read(function* () {
      const rows = yield q(
        `SELECT ${LOG_COLUMNS} FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id
         WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id`,
        [JSON.stringify(ids)],
        `SELECT ${LOG_COLUMNS} FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id
         WHERE d.id IN (SELECT CAST(json_array_elements_text(CAST(? AS json)) AS bigint)) ORDER BY d.id`,
      );
      return rows.map(logEntry);
    });
  }

  async addMaintenance(
    w: MaintenanceInput,
    by: string | undefined,
    nowMs: number,
  ): Promise<MaintenanceWindow> {
    const config = this.config;
    const out = await this.run.write(function* () {
      const rows = yield q(
        `INSERT INTO maintenance (unit, site_id, from_ms, to_ms, reason, actor, created_ms, ended_ms, notify)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?) RETURNING *`,
        [
          w.unit ?? null,
          w.site ?? null,
          Date.parse(w.from),
          Date.parse(w.to),
          w.reason,
          by ?? null,
          nowMs,
          w.notify?.length ? JSON.stringify(w.notify) : null,
        ],
      );
      const row = rows[0] as unknown as MaintenanceRow;
      // A window that starts now tells its channels in the same transaction.
      const told = row.notify ? yield* notices(config, nowMs, num(row.id)) : 0;
      return { window: windowOf(row, nowMs), told };
    });
    this.queued(out.told);
    return out.window;
  }

  listMaintenance(f: MaintenanceFilter, nowMs: number): Promise<MaintenanceWindow[]> {
    return this.run.read(function* () {
      const scope = windowScope(f.unitPrefix);
      const current =
        f.currentAt !== undefined ? ' AND m.to_ms > ? AND (m.ended_ms IS NULL OR m.ended_ms > ?)' : '';
      const rows = yield q(
        `SELECT m.* FROM maintenance m LEFT JOIN sites s ON s.site_id = m.site_id WHERE ${scope.sql}${current} ORDER BY m.from_ms, m.id`,
        [...scope.params, ...(f.currentAt !== undefined ? [f.currentAt, f.currentAt] : [])],
      );
      return rows.map((r) => windowOf(r as unknown as MaintenanceRow, nowMs));
    });
  }

  async activeMaintenance(unitPrefix: string, nowMs: number): Promise<MaintenanceWindow[]> {
    return (await this.listMaintenance({ unitPrefix, currentAt: nowMs }, nowMs)).filter(
      (w) => w.state === 'active',
    );
  }

  async endMaintenance(id: number, nowMs: number): Promise<MaintenanceWindow | undefined> {
    const config = this.config;
    const out = await this.run.write(function* () {
      yield q('UPDATE maintenance SET ended_ms = ? WHERE id = ? AND ended_ms IS NULL', [nowMs, id]);
      // Its end notice goes with the change (and its start notice first, if that was never told).
      const told = yield* notices(config, nowMs, id);
      const rows = yield q('SELECT * FROM maintenance WHERE id = ?', [id]);
      return { window: rows[0] ? windowOf(rows[0] as unknown as MaintenanceRow, nowMs) : undefined, told };
    });
    this.queued(out.told);
    return out.window;
  }
}
