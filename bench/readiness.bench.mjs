// Readiness report over a year of nightly runs: 10,000 sites × 365 runs
// (3.65 M) seeded straight into the registry's own schema (the store's
// migrations, then bulk inserts), on SQLite and PostgreSQL. Times, median of
// BENCH_REPS (default 11) warm repeats:
//   - store: the query and its rows (store.readiness), for all sites and for one province prefix;
//   - route: GET /v1/reports/readiness through Fastify (app.inject), JSON included.
// Run bodies are kept tiny here: the report reads only the sites and site_latest tables.
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
const seedSqlite = (store) => withSize(store, seed.seedSqlite(store, sizes));
const seedPostgres = (store) => withSize(store, seed.seedPostgres(store, sizes));

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
  await app.close();
}

console.log(
  `readiness: ${SITES} sites × ${DAYS} nightly runs, median of ${REPS} warm repeats, Node ${process.version}, ${os.cpus().length} CPUs`,
);
await onEachStore({ dist, name: 'readiness', measure, seedSqlite: seedSqlite, seedPostgres: seedPostgres });
