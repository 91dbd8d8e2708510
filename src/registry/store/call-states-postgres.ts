/** Call states on PostgreSQL: functions on the store's pool (the class delegates to them). */
import type pg from 'pg';
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
export const CALL_STATES_POSTGRES = `
  CREATE TABLE call_states (
    id BIGSERIAL PRIMARY KEY,
    site_id TEXT COLLATE "C" NOT NULL,
    at_ms BIGINT NOT NULL,
    state TEXT NOT NULL,
    remote TEXT,
    meeting_id TEXT COLLATE "C",
    received_ms BIGINT NOT NULL
  );
  CREATE INDEX call_states_site_time ON call_states (site_id, at_ms);
  `;

/**
 * One transaction: the key is claimed first (ON CONFLICT DO NOTHING), so two
 * requests with one key write one row; a refusal rolls the claim back.
 */
export async function addCallStatePostgres(
  pool: pg.Pool,
  cs: NewCallState,
  idem: Idem,
): Promise<WriteResult<CallStateRecord>> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const claimed = await c.query(
      'INSERT INTO idempotency (key, fingerprint, created_ms) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key',
      [idem.key, idem.fingerprint, cs.receivedMs],
    );
    let out: WriteResult<CallStateRecord>;
    if (claimed.rowCount !== 1) {
      const prior = (
        await c.query('SELECT fingerprint, response FROM idempotency WHERE key = $1', [idem.key])
      ).rows[0] as { fingerprint: string; response: string | null } | undefined;
      out =
        !prior || prior.fingerprint !== idem.fingerprint || prior.response === null
          ? { kind: 'key-reused' }
          : { kind: 'replay', value: JSON.parse(prior.response) as CallStateRecord };
    } else if ((await c.query('SELECT 1 FROM sites WHERE site_id = $1', [cs.siteId])).rowCount === 0) {
      out = { kind: 'not-found' };
    } else {
      const row = (
        await c.query(
          `INSERT INTO call_states (site_id, at_ms, state, remote, meeting_id, received_ms)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [cs.siteId, cs.atMs, cs.state, cs.remote ?? null, cs.meetingId ?? null, cs.receivedMs],
        )
      ).rows[0] as CallStateRow;
      const value = callStateFromRow(row);
      await c.query('UPDATE idempotency SET response = $1 WHERE key = $2', [JSON.stringify(value), idem.key]);
      out = { kind: 'created', value };
    }
    await c.query(out.kind === 'created' ? 'COMMIT' : 'ROLLBACK');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

export async function listCallStatesPostgres(pool: pg.Pool, f: CallStateFilter): Promise<CallStateRecord[]> {
  const { rows } = await pool.query(
    `SELECT * FROM call_states WHERE site_id = $1 AND at_ms >= $2 AND at_ms < $3
     ORDER BY at_ms, id LIMIT $4`,
    [f.siteId, f.fromMs ?? 0, f.toMs ?? Number.MAX_SAFE_INTEGER, f.limit],
  );
  return (rows as CallStateRow[]).map(callStateFromRow);
}

export async function bridgeConnectionsPostgres(
  pool: pg.Pool,
  q: BridgesQuery,
): Promise<Map<string, BridgeConnection>> {
  const [before, inside] = await Promise.all([
    pool.query(
      `SELECT c.* FROM unnest($1::text[]) AS j(site_id)
       CROSS JOIN LATERAL (SELECT * FROM call_states x WHERE x.site_id = j.site_id AND x.at_ms < $2
                           ORDER BY x.at_ms DESC, x.id DESC LIMIT 1) c`,
      [q.siteIds, q.fromMs],
    ),
    pool.query(
      `SELECT * FROM call_states WHERE site_id = ANY($1::text[]) AND at_ms >= $2 AND at_ms < $3
       ORDER BY site_id, at_ms, id`,
      [q.siteIds, q.fromMs, q.toMs],
    ),
  ]);
  return connectionsOf(before.rows as CallStateRow[], inside.rows as CallStateRow[], q);
}
