// A year of nightly runs for the registry benchmarks, seeded straight into
// the registry's own schema (the store's migrations, then bulk inserts, the
// runs index, site_latest from the newest run of each site, ANALYZE): the
// same fleet as readiness.bench.mjs (10,000 sites in 34 provinces, 3 % stale
// for two days, a verdict pattern with every kind). Not a benchmark itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, havePostgres, startPostgres } from './pg.mjs';

export const DAY = 86_400_000;
export const PROVINCES = 34;

export const unitOf = (i) =>
  `p${String((i % PROVINCES) + 1).padStart(2, '0')}/x${String(Math.floor(i / PROVINCES)).padStart(3, '0')}`;
export const siteOf = (i) => `site-${String(i).padStart(5, '0')}`;
// 3 % of the sites stopped reporting two days ago: the stale ones.
const lastDayOf = (i) => (i % 33 === 0 ? 2 : 0);
const verdictOf = (i, d) =>
  (i * 7 + d) % 20 === 0
    ? 'not-ready'
    : (i * 3 + d) % 97 === 0
      ? 'unknown'
      : (i + d) % 9 === 0
        ? 'degraded'
        : 'ready';
const BODY = '{"checks":[]}';

/** Rows [id, site_id, verdict, started_ms, duration_ms, received_ms, failing, body], oldest day first. */
function* runRows({ sites, days, now }) {
  let id = 0;
  for (let d = days - 1; d >= 0; d--) {
    for (let i = 0; i < sites; i++) {
      if (d < lastDayOf(i)) continue;
      // Nightly at 03:00 before `now` plus up to an hour of spread: some runs start before
      // midnight in +07:00, some after.
      const started = now - d * DAY - 3 * 3_600_000 + (i % 3600) * 1000;
      const verdict = verdictOf(i, d);
      yield [
        ++id,
        siteOf(i),
        verdict,
        started,
        9000,
        started + 60_000,
        verdict === 'not-ready' ? 'sip-port' : '',
        BODY,
      ];
    }
  }
}

export async function seedSqlite(store, { sites, days, now }) {
  const db = store.handle;
  const t0 = performance.now();
  db.exec('DROP INDEX runs_site_time');
  const site = db.prepare(
    'INSERT INTO sites (site_id, name, unit, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = 0; i < sites; i++)
      site.run(siteOf(i), `Điểm cầu ${i}`, unitOf(i), now - days * DAY, now - days * DAY);
  })();
  const ins = db.prepare(
    'INSERT INTO runs (id, site_id, verdict, started_ms, duration_ms, received_ms, failing, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const flush = db.transaction((rows) => {
    for (const r of rows) ins.run(...r);
  });
  let batch = [];
  let n = 0;
  for (const r of runRows({ sites, days, now })) {
    batch.push(r);
    if (batch.length === 200_000) {
      flush(batch);
      n += batch.length;
      batch = [];
    }
  }
  flush(batch);
  n += batch.length;
  const tLoad = performance.now();
  db.exec('CREATE INDEX runs_site_time ON runs (site_id, started_ms, verdict)');
  db.exec(`INSERT INTO site_latest (site_id, run_id, verdict, finished_ms, failing)
    SELECT r.site_id, r.id, r.verdict, r.started_ms + r.duration_ms, r.failing FROM sites s
    JOIN runs r ON r.id = (SELECT id FROM runs WHERE site_id = s.site_id ORDER BY started_ms DESC LIMIT 1)`);
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { runs: n, loadS: (tLoad - t0) / 1000, indexS: (performance.now() - tLoad) / 1000 };
}

export async function seedPostgres(store, { sites, days, now }) {
  const pool = store.pool;
  const t0 = performance.now();
  await pool.query('DROP INDEX runs_site_time');
  const ids = [];
  const names = [];
  const units = [];
  for (let i = 0; i < sites; i++) {
    ids.push(siteOf(i));
    names.push(`Điểm cầu ${i}`);
    units.push(unitOf(i));
  }
  await pool.query(
    `INSERT INTO sites (site_id, name, unit, created_ms, updated_ms)
     SELECT s, n, u, $4, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(s, n, u)`,
    [ids, names, units, now - days * DAY],
  );
  const cols = () => [[], [], [], [], [], [], [], []];
  let c = cols();
  let n = 0;
  const flush = async () => {
    if (c[0].length === 0) return;
    await pool.query(
      `INSERT INTO runs (id, site_id, verdict, started_ms, duration_ms, received_ms, failing, body)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::bigint[], $7::text[], $8::text[])`,
      c,
    );
    n += c[0].length;
    c = cols();
  };
  for (const r of runRows({ sites, days, now })) {
    for (let k = 0; k < 8; k++) c[k].push(r[k]);
    if (c[0].length === 50_000) await flush();
  }
  await flush();
  const tLoad = performance.now();
  await pool.query(`SELECT setval('runs_id_seq', $1)`, [n]);
  await pool.query('CREATE INDEX runs_site_time ON runs (site_id, started_ms, verdict)');
  await pool.query(`INSERT INTO site_latest (site_id, run_id, verdict, finished_ms, failing)
    SELECT r.site_id, r.id, r.verdict, r.started_ms + r.duration_ms, r.failing FROM sites s
    CROSS JOIN LATERAL (SELECT * FROM runs WHERE site_id = s.site_id ORDER BY started_ms DESC LIMIT 1) r`);
  await pool.query('VACUUM ANALYZE');
  return { runs: n, loadS: (tLoad - t0) / 1000, indexS: (performance.now() - tLoad) / 1000 };
}

/**
 * Run `measure(label, store, seed)` on a fresh SQLite store and, when
 * PostgreSQL is installed, on a fresh PostgreSQL database (BENCH_ENGINES
 * picks), cleaning up after each.
 */
export async function onEachStore({ dist, name, measure, seedSqlite, seedPostgres }) {
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
  if (engines.includes('sqlite')) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `diemcau-bench-${name}-`));
    try {
      const { openSqlite } = await import(path.join(dist, 'registry/store/sqlite.js'));
      await measure('sqlite', await openSqlite(path.join(tmp, 'registry.db')), seedSqlite);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (engines.includes('postgres')) {
    if (!havePostgres()) {
      console.log('postgres: skipped: /usr/lib/postgresql/15/bin/initdb not found (apt install postgresql)');
      return;
    }
    const pg = await startPostgres({ settings: ['maintenance_work_mem=512MB', 'max_wal_size=4GB'] });
    try {
      const { openPostgres } = await import(path.join(dist, 'registry/store/postgres.js'));
      await measure('postgres', await openPostgres(await freshDatabase(pg.url, name)), seedPostgres);
    } finally {
      pg.stop();
    }
  }
}
