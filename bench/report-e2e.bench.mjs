// `diemcau report readiness` end to end over HTTP, against a registry seeded
// with 10,000 sites × 365 nightly runs (3.65 M, bench/registry-seed.mjs) and
// 200 incidents in the last week, on SQLite and PostgreSQL:
//   - store: store.daily() (one query: per site its runs of the window as day codes);
//   - http: time to first byte and to the last byte of each request the command makes
//     (readiness, the daily grid, incidents), through a real socket on 127.0.0.1;
//   - command: the built CLI spawned as a child process (its own start included), until
//     the table / the HTML page is written (-o FILE) and the process exits;
//   - before: the same HTML page the old way (GET /v1/runs per site, 8 at a time), for
//     one province (BENCH_OLD_ALL=1: for every site; minutes).
// Median of BENCH_REPS (default 7) warm repeats; BENCH_ENGINES=sqlite,postgres.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAY, onEachStore, seedPostgres, seedSqlite, siteOf, unitOf } from './registry-seed.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// BENCH_DIST: a private build (npx tsc -p tsconfig.build.json --outDir DIR/dist) when dist/ is busy.
const dist = process.env.BENCH_DIST ?? path.resolve(here, '../dist');
const SITES = Number(process.env.BENCH_SITES ?? 10_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const REPS = Number(process.env.BENCH_REPS ?? 7);
const NOW = Date.now();
// The bundled CLI when built (npm run build), else the plain tsc output (slower to start).
const entry = fs.existsSync(path.join(dist, 'bundle/main.js'))
  ? path.join(dist, 'bundle/main.js')
  : path.join(dist, 'cli/main.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
const fmt = (xs) => `${median(xs).toFixed(1)} ms (${range(xs)})`;

async function repeat(n, fn) {
  await fn();
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** GET over a fresh connection: ms to the first byte of the answer and to its last, and its size. */
function get(url, token) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(
      url,
      { headers: { authorization: `Bearer ${token}`, connection: 'close' } },
      (res) => {
        let first;
        let bytes = 0;
        res.on('data', (chunk) => {
          first ??= performance.now() - t0;
          bytes += chunk.length;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
          else resolve({ ttfb: first ?? performance.now() - t0, total: performance.now() - t0, bytes });
        });
      },
    );
    req.on('error', reject);
  });
}

/** The CLI in a child process (the registry answers from this one, so no spawnSync), through `shim`. */
function cli(shim, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(process.execPath, [shim, ...args], { env, maxBuffer: 256 * 2 ** 20 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${args.join(' ')}: ${stderr || err.message}`));
      else resolve(performance.now() - t0);
    });
  });
}

async function seedIncidents(store) {
  const cats = ['mat_ket_noi', 'khong_tieng', 'tieng_vong', 'khong_hinh'];
  for (let k = 0; k < 200; k++) {
    const i = (k * 53) % SITES;
    const at = NOW - (k % 7) * DAY - 3_600_000;
    const r = await store.createIncident(
      {
        siteId: siteOf(i),
        siteName: `Điểm cầu ${i}`,
        unit: unitOf(i),
        category: cats[k % cats.length],
        severity: 'major',
        occurredMs: at,
        createdMs: at + 60_000,
        body: JSON.stringify({ summary: `Sự cố ${k}`, effect: 'none' }),
        by: 'bench',
      },
      { key: `bench-inc-${k}`, fingerprint: 'fp' },
    );
    if (r.kind !== 'created') throw new Error(`incident ${k}: ${r.kind}`);
  }
}

async function measure(label, store, seed) {
  const { buildApp } = await import(path.join(dist, 'registry/server.js'));
  const { createToken } = await import(path.join(dist, 'registry/auth.js'));
  const s = await seed(store, { sites: SITES, days: DAYS, now: NOW });
  await seedIncidents(store);
  console.log(
    `${label}: seeded ${s.runs.toLocaleString('en')} runs in ${s.loadS.toFixed(1)} s (+ ${s.indexS.toFixed(1)} s index, site_latest, analyze), 200 incidents`,
  );

  // Store: the daily grid's query and its rows.
  const off = 7 * 3_600_000;
  const fromOf = (n) => (Math.floor((NOW + off) / DAY) - n + 1) * DAY - off;
  const daily = async (unitPrefix, days) =>
    repeat(REPS, () => timed(() => store.daily({ unitPrefix, fromMs: fromOf(days), days })));
  console.log(
    `${label}: store.daily 7 days: all ${fmt(await daily('', 7))}, p01 ${fmt(await daily('p01', 7))}; ` +
      `62 days: all ${fmt(await daily('', 62))}`,
  );

  const { token } = await createToken(store, { role: 'admin', unit: '', label: 'bench', nowMs: NOW });
  const app = await buildApp({ store, version: 'bench', logLevel: 'silent' });
  // The old way (per-site runs) for comparison: the daily route hidden like on an older registry.
  let hideDaily = false;
  let requests = 0;
  app.addHook('onRequest', async (req, reply) => {
    requests += 1;
    if (hideDaily && req.url.startsWith('/v1/reports/daily'))
      return reply.code(404).send({ error: { code: 'not_found', message: 'no route' } });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${app.server.address().port}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-e2e-'));
  // Like bin/diemcau.js, pointed at this build.
  const shim = path.join(tmp, 'diemcau.mjs');
  fs.writeFileSync(shim, `import(${JSON.stringify(entry)}).then((m) => m.main(process));\n`);
  try {
    // HTTP: what `report readiness --format html` asks, one request at a time.
    const since = new Date(fromOf(7) + off).toISOString().slice(0, 10);
    const urls = {
      readiness: '/v1/reports/readiness',
      daily: '/v1/reports/daily?days=7&tz=%2B07:00',
      incidents: `/v1/incidents?since=${since}T00:00:00.000Z&limit=500`,
    };
    for (const [name, url] of Object.entries(urls)) {
      const xs = await repeat(REPS, () => get(base + url, token));
      console.log(
        `${label}: GET ${name}: first byte ${fmt(xs.map((x) => x.ttfb))}, last byte ${fmt(xs.map((x) => x.total))}, ` +
          `${(xs[0].bytes / 2 ** 20).toFixed(2)} MiB`,
      );
    }

    const env = {
      PATH: process.env.PATH,
      HOME: tmp,
      DIEMCAU_STATE_DIR: path.join(tmp, 'state'),
      DIEMCAU_TOKEN: token,
      DIEMCAU_LANG: 'vi',
      TZ: 'Asia/Ho_Chi_Minh',
      NO_COLOR: '1',
    };
    const run = (extra) => cli(shim, ['report', 'readiness', '--registry', base, ...extra], env);
    const start = await repeat(REPS, () => cli(shim, ['--version'], env));
    const table = await repeat(REPS, () => run(['-o', path.join(tmp, 'r.txt')]));
    const tableP01 = await repeat(REPS, () => run(['--unit', 'p01', '-o', path.join(tmp, 'p.txt')]));
    requests = 0;
    const html = await repeat(REPS, () => run(['--format', 'html', '-o', path.join(tmp, 'r.html')]));
    const htmlRequests = requests / (REPS + 1);
    const htmlP01 = await repeat(REPS, () =>
      run(['--unit', 'p01', '--format', 'html', '-o', path.join(tmp, 'p.html')]),
    );
    const page = fs.readFileSync(path.join(tmp, 'r.html'));
    console.log(
      `${label}: command (spawned, ${path.relative(dist, entry)}; diemcau --version alone ${fmt(start)}): ` +
        `table all ${fmt(table)}, p01 ${fmt(tableP01)}; ` +
        `html all ${fmt(html)} (${htmlRequests} requests, ${(page.length / 2 ** 20).toFixed(1)} MiB), p01 ${fmt(htmlP01)}`,
    );

    // Before: the grid from every site's runs.
    hideDaily = true;
    const old = (unit) =>
      run([...(unit ? ['--unit', unit] : []), '--format', 'html', '-o', path.join(tmp, 'o.html')]);
    requests = 0;
    const oldP01 = await repeat(Math.min(REPS, 3), () => old('p01'));
    const oldReqs = requests / (Math.min(REPS, 3) + 1);
    let oldAll = '';
    if (process.env.BENCH_OLD_ALL === '1') {
      requests = 0;
      const t = await timed(() => old(''));
      oldAll = `; all ${(t / 1000).toFixed(1)} s (${requests} requests)`;
    }
    hideDaily = false;
    console.log(
      `${label}: before (GET /v1/runs per site): html p01 ${fmt(oldP01)} (${oldReqs} requests)${oldAll}`,
    );
  } finally {
    await app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

console.log(
  `report-e2e: ${SITES} sites × ${DAYS} nightly runs, median of ${REPS} warm repeats, Node ${process.version}, ${os.cpus().length} CPUs`,
);
await onEachStore({ dist, name: 'e2e', measure, seedSqlite: seedSqlite, seedPostgres: seedPostgres });
