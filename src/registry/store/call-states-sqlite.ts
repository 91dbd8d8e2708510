/** Call states on SQLite: functions on the store's handle (the class delegates to them). */
import type Database from 'better-sqlite3';
import type { CallStateRecord } from '../../model/call-state.js';
import {
  type BridgeConnection,
  type BridgesQuery,
  type CallStateFilter,
  type CallStateRow,
  callStateFromRow,
  connectionsOf,
  type NewCallState,
} from './call-states.js';
import type { Idem, WriteResult } from './types.js';

/** Appended to the store's MIGRATIONS (docs/registry-api.md, call states). */
export const CALL_STATES_SQLITE = `
  CREATE TABLE call_states (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    state TEXT NOT NULL,
    remote TEXT,
    meeting_id TEXT,
    received_ms INTEGER NOT NULL
  );
  CREATE INDEX call_states_site_time ON call_states (site_id, at_ms);
  `;

/** Runs inside an IMMEDIATE transaction (the caller retries it while the file is locked). */
export function addCallStateSqlite(
  db: Database.Database,
  cs: NewCallState,
  idem: Idem,
): WriteResult<CallStateRecord> {
  const tx = db.transaction((): WriteResult<CallStateRecord> => {
    const prior = db.prepare('SELECT fingerprint, response FROM idempotency WHERE key = ?').get(idem.key) as
      | { fingerprint: string; response: string | null }
      | undefined;
    if (prior) {
      if (prior.fingerprint !== idem.fingerprint || prior.response === null) return { kind: 'key-reused' };
      return { kind: 'replay', value: JSON.parse(prior.response) as CallStateRecord };
    }
    if (db.prepare('SELECT 1 FROM sites WHERE site_id = ?').get(cs.siteId) === undefined)
      return { kind: 'not-found' };
    const { lastInsertRowid } = db
      .prepare(
        'INSERT INTO call_states (site_id, at_ms, state, remote, meeting_id, received_ms) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(cs.siteId, cs.atMs, cs.state, cs.remote ?? null, cs.meetingId ?? null, cs.receivedMs);
    const value = callStateFromRow(
      db.prepare('SELECT * FROM call_states WHERE id = ?').get(Number(lastInsertRowid)) as CallStateRow,
    );
    db.prepare(
      'INSERT INTO idempotency (key, fingerprint, run_id, response, created_ms) VALUES (?, ?, NULL, ?, ?)',
    ).run(idem.key, idem.fingerprint, JSON.stringify(value), cs.receivedMs);
    return { kind: 'created', value };
  });
  return tx.immediate();
}

export function listCallStatesSqlite(db: Database.Database, f: CallStateFilter): CallStateRecord[] {
  const rows = db
    .prepare(
      `SELECT * FROM call_states WHERE site_id = ? AND at_ms >= ? AND at_ms < ?
       ORDER BY at_ms, id LIMIT ?`,
    )
    .all(f.siteId, f.fromMs ?? 0, f.toMs ?? Number.MAX_SAFE_INTEGER, f.limit) as CallStateRow[];
  return rows.map(callStateFromRow);
}

export function bridgeConnectionsSqlite(
  db: Database.Database,
  q: BridgesQuery,
): Map<string, BridgeConnection> {
  const ids = JSON.stringify(q.siteIds);
  const before = db
    .prepare(
      `SELECT c.* FROM json_each(?) j
       JOIN call_states c ON c.id = (SELECT x.id FROM call_states x WHERE x.site_id = j.value AND x.at_ms < ?
                                     ORDER BY x.at_ms DESC, x.id DESC LIMIT 1)`,
    )
    .all(ids, q.fromMs) as CallStateRow[];
  const inside = db
    .prepare(
      `SELECT c.* FROM json_each(?) j JOIN call_states c ON c.site_id = j.value AND c.at_ms >= ? AND c.at_ms < ?
       ORDER BY c.site_id, c.at_ms, c.id`,
    )
    .all(ids, q.fromMs, q.toMs) as CallStateRow[];
  return connectionsOf(before, inside, q);
}
