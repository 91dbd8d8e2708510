// Readiness report over a year of nightly runs: 10,000 sites × 365 runs
// (3.65 M) seeded straight into the registry's own schema (the store's
// migrations, then bulk inserts), on SQLite and PostgreSQL. Times, median of
// BENCH_REPS (default 11) warm repeats:
//   - store: the query and its rows (store.readiness), for all sites and for one province prefix;
//   - route: GET /v1/reports/readiness through Fastify (app.inject), JSON included;
//   - http: the same over a real loopback socket, time to the first byte of the body and to the last.
// Every site has a technician with a phone (the register's info JSON) and 200 sites an open
// incident, as the readiness columns read them (docs/sites.md).
// Run bodies are kept tiny here: the report reads only the sites and site_latest tables.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as seed from './registry-seed.mjs';
import { onEachStore } from './registry-seed.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// BENCH_DIST: a private build (npx tsc -p tsconfig.build.json --outDir DIR/dist) when dist/ is busy.
const dist = process.env.BENCH_DIST ?? path.resolve(here, '../dist');
const SITES = Number(process.env.BENCH_SITES ?? 10_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const REPS = Number(process.env.BENCH_REPS ?? 11);
const NOW = Date.now();
const sizes = { sites: SITES, days: DAYS, now: NOW };
const withSize = async (store, seeded) => ({ ...(await seeded), bytes: await store.sizeBytes() });
const OPEN_INCIDENTS = 200;
const infoOf = (i) =>
  JSON.stringify({ level: 'xa', technician: { name: `Kỹ thuật viên ${i}`, phone: '0912 345 678' } });
const incidentOf = (i) => {
  const at = NOW - 3_600_000;
  return [
    seed.siteOf(i * 50),
    seed.unitOf(i * 50),
    'mat_ket_noi',
    'major',
    'open',
    at,
    at,
    at,
    '{"summary":"x"}',
  ];
};
const INCIDENT_INSERT = `INSERT INTO incidents (site_id, unit, category, severity, status, occurred_ms, created_ms, updated_ms, body)`;
async function withContacts(store, seeded) {
  const s = await seeded;
  if (store.engine === 'sqlite') {
    const db = store.handle;
    const set = db.prepare('UPDATE sites SET info = ? WHERE site_id = ?');
    const inc = db.prepare(`${INCIDENT_INSERT} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < SITES; i++) set.run(infoOf(i), seed.siteOf(i));
      for (let i = 0; i < OPEN_INCIDENTS; i++) inc.run(...incidentOf(i));
    })();
    db.exec('ANALYZE');
  } else {
    const ids = Array.from({ length: SITES }, (_, i) => seed.siteOf(i));
    await store.pool.query(
      'UPDATE sites SET info = t.info FROM unnest($1::text[], $2::text[]) AS t(id, info) WHERE site_id = t.id',
      [ids, ids.map((_, i) => infoOf(i))],
    );
    for (let i = 0; i < OPEN_INCIDENTS; i++)
      await store.pool.query(`${INCIDENT_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, incidentOf(i));
    await store.pool.query('VACUUM ANALYZE');
  }
  return s;
}
const seedSqlite = (store) => withSize(store, withContacts(store, seed.seedSqlite(store, sizes)));
const seedPostgres = (store) => withSize(store, withContacts(store, seed.seedPostgres(store, sizes)));

/** One GET over a real socket: ms to the first byte of the body, and to the last. */
function fetchTimed(port, path, token) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first;
    let bytes = 0;
    const req = http.get(
      { host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.on('data', (chunk) => {
          first ??= performance.now() - t0;
          bytes += chunk.length;
        });
        res.on('end', () => resolve({ first, last: performance.now() - t0, bytes, status: res.statusCode }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

async function timeHttp(port, path, token) {
  await fetchTimed(port, path, token);
  await fetchTimed(port, path, token);
  const firsts = [];
  const lasts = [];
  let bytes = 0;
  for (let i = 0; i < REPS; i++) {
    const r = await fetchTimed(port, path, token);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
    firsts.push(r.first);
    lasts.push(r.last);
    bytes = r.bytes;
  }
  return { first: median(firsts), last: median(lasts), bytes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address();
  const h = await timeHttp(port, '/v1/reports/readiness', admin);
  const hp = await timeHttp(port, '/v1/reports/readiness?unit=p01', admin);
  console.log(
    `${label}: http all: first byte ${h.first.toFixed(1)} ms, last ${h.last.toFixed(1)} ms ` +
      `(${(h.bytes / 2 ** 20).toFixed(2)} MiB); p01/: first byte ${hp.first.toFixed(2)} ms, last ${hp.last.toFixed(2)} ms`,
  );
  await app.close();
}

console.log(
  `readiness: ${SITES} sites × ${DAYS} nightly runs, median of ${REPS} warm repeats, Node ${process.version}, ${os.cpus().length} CPUs`,
);
await onEachStore({ dist, name: 'readiness', measure, seedSqlite: seedSqlite, seedPostgres: seedPostgres });
