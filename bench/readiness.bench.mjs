// Readiness report over a year of nightly runs: 10,000 sites × 365 runs
// (3.65 M) seeded straight into the registry's own schema (the store's
// migrations, then bulk inserts), on SQLite and PostgreSQL. Times, median of
// BENCH_REPS (default 11) warm repeats:
//   - store: the query and its rows (store.readiness), for all sites and for one province prefix;
//   - route: GET /v1/reports/readiness through Fastify (app.inject), JSON included.
// Run bodies are kept tiny here: the report reads only the sites and site_latest tables.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, havePostgres, startPostgres } from './pg.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// BENCH_DIST: a private build (npx tsc -p tsconfig.build.json --outDir DIR/dist) when dist/ is busy.
const dist = process.env.BENCH_DIST ?? path.resolve(here, '../dist');
const SITES = Number(process.env.BENCH_SITES ?? 10_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const REPS = Number(process.env.BENCH_REPS ?? 11);
const DAY = 86_400_000;
const NOW = Date.now();
const PROVINCES = 34;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const unitOf = (i) =>
  `p${String((i % PROVINCES) + 1).padStart(2, '0')}/x${String(Math.floor(i / PROVINCES)).padStart(3, '0')}`;
const siteOf = (i) => `site-${String(i).padStart(5, '0')}`;
// 3 % of the sites stopped reporting two days ago: the stale ones.
const lastDayOf = (i) => (i % 33 === 0 ? 2 : 0);
const verdictOf = (i, d) => ((i * 7 + d) % 20 === 0 ? 'not-ready' : (i + d) % 9 === 0 ? 'degraded' : 'ready');
const BODY = '{"checks":[]}';

function* runRows() {
  let id = 0;
  for (let d = DAYS - 1; d >= 0; d--) {
    for (let i = 0; i < SITES; i++) {
      if (d < lastDayOf(i)) continue;
      const started = NOW - d * DAY - 3 * 3_600_000 + (i % 3600) * 1000;
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

async function seedSqlite(store) {
  const db = store.handle;
  const t0 = performance.now();
  db.exec('DROP INDEX runs_site_time');
  const site = db.prepare(
    'INSERT INTO sites (site_id, name, unit, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = 0; i < SITES; i++)
      site.run(siteOf(i), `Điểm cầu ${i}`, unitOf(i), NOW - DAYS * DAY, NOW - DAYS * DAY);
  })();
  const ins = db.prepare(
    'INSERT INTO runs (id, site_id, verdict, started_ms, duration_ms, received_ms, failing, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let batch = [];
  const flush = db.transaction((rows) => {
    for (const r of rows) ins.run(...r);
  });
  let n = 0;
  for (const r of runRows()) {
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
  db.exec('CREATE INDEX runs_site_time ON runs (site_id, started_ms)');
  db.exec(`INSERT INTO site_latest (site_id, run_id, verdict, finished_ms, failing)
    SELECT r.site_id, r.id, r.verdict, r.started_ms + r.duration_ms, r.failing FROM sites s
    JOIN runs r ON r.id = (SELECT id FROM runs WHERE site_id = s.site_id ORDER BY started_ms DESC LIMIT 1)`);
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return {
    runs: n,
    loadS: (tLoad - t0) / 1000,
    indexS: (performance.now() - tLoad) / 1000,
    bytes: store.sizeBytes(),
  };
}

async function seedPostgres(store) {
  const pool = store.pool;
  const t0 = performance.now();
  await pool.query('DROP INDEX runs_site_time');
  const ids = [];
  const names = [];
  const units = [];
  for (let i = 0; i < SITES; i++) {
    ids.push(siteOf(i));
    names.push(`Điểm cầu ${i}`);
    units.push(unitOf(i));
  }
  await pool.query(
    `INSERT INTO sites (site_id, name, unit, created_ms, updated_ms)
     SELECT s, n, u, $4, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(s, n, u)`,
    [ids, names, units, NOW - DAYS * DAY],
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
  for (const r of runRows()) {
    for (let k = 0; k < 8; k++) c[k].push(r[k]);
    if (c[0].length === 50_000) await flush();
  }
  await flush();
  const tLoad = performance.now();
  await pool.query(`SELECT setval('runs_id_seq', $1)`, [n]);
  await pool.query('CREATE INDEX runs_site_time ON runs (site_id, started_ms)');
  await pool.query(`INSERT INTO site_latest (site_id, run_id, verdict, finished_ms, failing)
    SELECT r.site_id, r.id, r.verdict, r.started_ms + r.duration_ms, r.failing FROM sites s
    CROSS JOIN LATERAL (SELECT * FROM runs WHERE site_id = s.site_id ORDER BY started_ms DESC LIMIT 1) r`);
  await pool.query('VACUUM ANALYZE');
  return {
    runs: n,
    loadS: (tLoad - t0) / 1000,
    indexS: (performance.now() - tLoad) / 1000,
    bytes: await store.sizeBytes(),
  };
}

async function time(fn) {
  await fn();
  await fn();
  const samples = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

async function measure(label, store, seed) {
  const { buildApp } = await import(path.join(dist, 'registry/server.js'));
  const { createToken } = await import(path.join(dist, 'registry/auth.js'));
  const s = await seed(store);
  console.log(
    `${label}: seeded ${s.runs.toLocaleString('en')} runs of ${SITES.toLocaleString('en')} sites in ${s.loadS.toFixed(1)} s ` +
      `(+ ${s.indexS.toFixed(1)} s index, site_latest, analyze); ${(s.bytes / 2 ** 20).toFixed(0)} MB on disk`,
  );
  const { token } = await createToken(store, { role: 'viewer', unit: '', label: 'bench', nowMs: NOW });
  const admin = (await createToken(store, { role: 'admin', unit: '', label: 'bench-admin', nowMs: NOW }))
    .token;
  void token;
  const app = await buildApp({ store, version: 'bench', logLevel: 'silent' });
  await app.ready();
  const route = (unit) => () =>
    app.inject({
      method: 'GET',
      url: `/v1/reports/readiness${unit ? `?unit=${unit}` : ''}`,
      headers: { authorization: `Bearer ${admin}` },
    });
  const check = (await route('')()).json();
  const prefix = (await route('p01')()).json();
  const all = await time(() => store.readiness(''));
  const one = await time(() => store.readiness('p01'));
  const allRoute = await time(route(''));
  const oneRoute = await time(route('p01'));
  console.log(
    `${label}: store ${all.toFixed(1)} ms all (${check.counts.sites} sites, ${check.counts.stale} stale), ` +
      `${one.toFixed(2)} ms for p01/ (${prefix.counts.sites} sites); ` +
      `route with JSON ${allRoute.toFixed(1)} ms all, ${oneRoute.toFixed(2)} ms p01/`,
  );
  await app.close();
}

console.log(
  `readiness: ${SITES} sites × ${DAYS} nightly runs, median of ${REPS} warm repeats, Node ${process.version}, ${os.cpus().length} CPUs`,
);
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
if (engines.includes('sqlite')) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-ready-'));
  try {
    const { openSqlite } = await import(path.join(dist, 'registry/store/sqlite.js'));
    await measure('sqlite', await openSqlite(path.join(tmp, 'registry.db')), seedSqlite);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
if (engines.includes('postgres')) {
  if (!havePostgres())
    console.log('postgres: skipped: /usr/lib/postgresql/15/bin/initdb not found (apt install postgresql)');
  else {
    const pg = await startPostgres({ settings: ['maintenance_work_mem=512MB', 'max_wal_size=4GB'] });
    try {
      const { openPostgres } = await import(path.join(dist, 'registry/store/postgres.js'));
      await measure('postgres', await openPostgres(await freshDatabase(pg.url, 'readiness')), seedPostgres);
    } finally {
      pg.stop();
    }
  }
}
