/**
 * What each shipped migration added, undone: scripts that take a database of
 * the latest version back to an older one, to test that each migration keeps
 * the data it finds (src/registry/store/{sqlite,postgres}.ts MIGRATIONS).
 * Add a line here with each new migration.
 */
const ALERT_TABLES = [
  'alert_rules',
  'alert_channels',
  'alert_state',
  'alert_events',
  'alert_deliveries',
  'maintenance',
];

/** Version → the SQLite statements that undo it. */
const SQLITE_DOWN: Record<number, string> = {
  10: 'DROP INDEX maintenance_notices; ALTER TABLE maintenance DROP COLUMN notify; ALTER TABLE maintenance DROP COLUMN start_notice_ms; ALTER TABLE maintenance DROP COLUMN end_notice_ms;',
  9: ALERT_TABLES.map((t) => `DROP TABLE ${t};`).join(' '),
  8: 'DROP INDEX incidents_open; ALTER TABLE sites DROP COLUMN retired_ms; ALTER TABLE sites DROP COLUMN retired_by; ALTER TABLE sites DROP COLUMN retired_note;',
  7: 'DROP TABLE meetings; DROP TABLE meeting_sites; DROP TABLE meeting_units; DROP TABLE meeting_events; DROP TABLE notice_rules;',
  6: 'DROP TABLE call_states;',
  5: 'DROP INDEX runs_meeting; ALTER TABLE runs DROP COLUMN meeting_id;',
  4: 'DROP TABLE site_moves;',
  3: 'ALTER TABLE tokens DROP COLUMN last_used_ms; ALTER TABLE tokens DROP COLUMN expires_ms; ALTER TABLE tokens DROP COLUMN revoked_ms;',
};

/** Version → the PostgreSQL statements that undo it (the version row is removed by pgDownTo). */
const PG_DOWN: Record<number, string> = {
  10: 'DROP INDEX maintenance_notices; ALTER TABLE maintenance DROP COLUMN notify, DROP COLUMN start_notice_ms, DROP COLUMN end_notice_ms;',
  9: ALERT_TABLES.map((t) => `DROP TABLE ${t};`).join(' '),
  8: 'DROP INDEX incidents_open; ALTER TABLE sites DROP COLUMN retired_ms, DROP COLUMN retired_by, DROP COLUMN retired_note;',
  7: 'DROP TABLE meetings, meeting_sites, meeting_units, meeting_events, notice_rules;',
  6: 'DROP TABLE call_states;',
  5: 'DROP INDEX runs_meeting; ALTER TABLE runs DROP COLUMN meeting_id;',
  4: 'DROP TABLE site_moves;',
  3: 'ALTER TABLE tokens DROP COLUMN last_used_ms, DROP COLUMN expires_ms, DROP COLUMN revoked_ms;',
};

/** The latest schema version these scripts know. */
export const LATEST = Math.max(...Object.keys(SQLITE_DOWN).map(Number));

const steps = (to: number) => Array.from({ length: LATEST - to }, (_, i) => LATEST - i);

/** SQLite: from the latest version back to `to` (the user_version is left to the caller). */
export const sqliteDownTo = (to: number): string =>
  steps(to)
    .map((v) => SQLITE_DOWN[v])
    .join(' ');

/** PostgreSQL: from the latest version back to `to`, schema_version rows included. */
export const pgDownTo = (to: number): string =>
  `${steps(to)
    .map((v) => PG_DOWN[v])
    .join(' ')} DELETE FROM schema_version WHERE version > ${to};`;
