// Registry ingest over HTTP on loopback with autocannon: single-run requests
// (POST /v1/runs, 32 connections) and batches of 100 and 1,000 runs
// (POST /v1/runs:batch, 16 and 4 connections), 2 s warm-up then 10 s
// measured, each run with its own idempotency key and one of 10,000 sites,
// against SQLite and PostgreSQL. Every acknowledged run is durable: SQLite
// runs with synchronous=FULL and group commit, PostgreSQL with fsync and
// synchronous_commit on. Side by side, in the same run: the no-database
// ceiling, a bare Fastify server that parses and validates the same bodies
// with the registry's own schemas and validator and answers without storing.
// Prints runs/s, requests/s, p50/p99, the server's peak RSS (each server is a
// child process) and bytes stored per run. BENCH_REPEAT (default 3) runs per
// case, median shown; BENCH_ENGINES (sqlite,postgres,ceiling) and
// BENCH_MODES (single,batch100,batch1000) pick cases; BENCH_SECONDS the
// measured time; BENCH_CPU_PROF=DIR profiles each server. For PostgreSQL each
// line also gives the cluster's own CPU per run (all its processes) and, per
// 1,000 runs, its commits and WAL fsyncs (pg_stat_database, pg_stat_wal);
// BENCH_PG_STATEMENTS=1 loads pg_stat_statements and counts statements too.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, havePostgres, startPostgres } from './pg.mjs';

const here = fileURLToPath(import.meta.url);
// BENCH_DIST: a private build (npx tsc -p tsconfig.build.json --outDir DIR/dist) when dist/ is busy.
// BENCH_BUILDS=before=DIR/dist,after=DIR2/dist: two builds, their runs alternated in each case.
const defaultDist = process.env.BENCH_DIST ?? path.resolve(path.dirname(here), '../dist');
const builds = (process.env.BENCH_BUILDS ?? `=${defaultDist}`).split(',').map((b) => {
  const at = b.indexOf('=');
  return { name: b.slice(0, at), dist: b.slice(at + 1) };
});
// In the server child: the build it was started from.
const dist = process.argv[4] ?? defaultDist;

/** The server's CPU time so far (user + system, µs): per run, a figure the machine's load moves less than runs/s. */
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** The registry as it runs in production, in its own process so its memory is its own. */
async function serverChild(db) {
  if (db === 'ceiling') return ceilingChild();
  const { buildApp } = await import(path.join(dist, 'registry/server.js'));
  const { openStore } = await import(path.join(dist, 'registry/store/open.js'));
  const { createToken } = await import(path.join(dist, 'registry/auth.js'));
  const store = await openStore(db);
  const { token } = await createToken(store, {
    role: 'technician',
    unit: 'p',
    label: 'bench',
    nowMs: Date.now(),
  });
  const app = await buildApp({ store, version: 'bench', logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  let maxRss = process.memoryUsage.rss();
  setInterval(() => {
    maxRss = Math.max(maxRss, process.memoryUsage.rss());
  }, 200).unref();
  const stats = async () => {
    if (store.engine === 'sqlite') {
      store.handle.pragma('wal_checkpoint(TRUNCATE)');
      return {
        runs: store.handle.prepare('SELECT count(*) AS n FROM runs').get().n,
        bytes: store.sizeBytes(),
      };
    }
    const n = (await store.pool.query('SELECT count(*)::int AS n FROM runs')).rows[0].n;
    const pgSide = await pgCounters(store.pool);
    await store.pool.query('CHECKPOINT');
    return { runs: n, bytes: await store.sizeBytes(), pg: pgSide };
  };
  process.on('message', async (m) => {
    if (m === 'stats') {
      const st = await stats();
      process.send({ type: 'stats', maxRss, ...st, cpuUs: cpuUs() });
    }
    if (m === 'reset-rss') maxRss = process.memoryUsage.rss();
    if (m === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', port: app.server.address().port, token });
}

/**
 * PostgreSQL's own counters for the database under test: commits, WAL flushes
 * (fsyncs) and WAL bytes, and, when pg_stat_statements is loaded
 * (BENCH_PG_STATEMENTS=1), statements run. A backend publishes its counters
 * at most once a second, at the end of a transaction: wait that second and
 * run a query on every connection of the pool first, so none is left out.
 */
async function pgCounters(pool) {
  await new Promise((r) => setTimeout(r, 1100));
  const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    await Promise.all(clients.map((c) => c.query('SELECT 1')));
  } finally {
    for (const c of clients) c.release();
  }
  const wal = (
    await pool.query('SELECT wal_sync::float8 AS syncs, wal_bytes::float8 AS bytes FROM pg_stat_wal')
  ).rows[0];
  const db = (
    await pool.query(
      'SELECT xact_commit::float8 AS commits FROM pg_stat_database WHERE datname = current_database()',
    )
  ).rows[0];
  // PostgreSQL's CPU (user + system, every process of the cluster: backends, WAL writer, checkpointer...).
  const pids = (await pool.query('SELECT pid FROM pg_stat_activity')).rows.map((r) => r.pid);
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  let statements = null;
  if (process.env.BENCH_PG_STATEMENTS) {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    statements = (
      await pool.query(
        'SELECT coalesce(sum(calls), 0)::float8 AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())',
      )
    ).rows[0].n;
  }
  // Clock ticks are 10 ms on Linux (USER_HZ 100).
  return { syncs: wal.syncs, walBytes: wal.bytes, commits: db.commits, statements, cpuUs: ticks * 10_000 };
}

/**
 * The ceiling: Fastify with the registry's JSON parsing (raw body kept, as the
 * idempotency fingerprint needs), its TypeBox validator and the same body
 * schemas, answering 201 (or the batch's per-run 201s) without a database,
 * a token or an idempotency key.
 */
async function ceilingChild() {
  const { default: Fastify } = await import('fastify');
  const { typeboxValidator } = await import(path.join(dist, 'registry/validation.js'));
  const { RunInput } = await import(path.join(dist, 'model/run.js'));
  const { RunBatchInput, RunBatchAnswer } = await import(path.join(dist, 'model/batch.js'));
  const app = Fastify({ bodyLimit: 8 * 1024 * 1024 });
  app.setValidatorCompiler(typeboxValidator);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body;
    parseJson(req, body, done);
  });
  let id = 0;
  const receivedAt = new Date().toISOString();
  const accepted = (run) => ({ id: ++id, site: run.site.id, verdict: run.verdict, receivedAt });
  app.post('/v1/runs', { schema: { body: RunInput } }, async (req, reply) =>
    reply.code(201).send(accepted(req.body)),
  );
  app.post(
    '/v1/runs::batch',
    { schema: { body: RunBatchInput, response: { 200: RunBatchAnswer } } },
    async (req) => ({
      results: req.body.runs.map((r) => ({ key: r.key, status: 201, run: accepted(r.run) })),
    }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  let maxRss = process.memoryUsage.rss();
  setInterval(() => {
    maxRss = Math.max(maxRss, process.memoryUsage.rss());
  }, 200).unref();
  process.on('message', async (m) => {
    if (m === 'stats') process.send({ type: 'stats', maxRss, cpuUs: cpuUs(), runs: id, bytes: 0 });
    if (m === 'reset-rss') maxRss = process.memoryUsage.rss();
    if (m === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', port: app.server.address().port, token: 'none' });
}

/** A site entry of `check --format json`: 8 checks, about 1.6 KB (the size the prototype measured). */
function sampleBody() {
  const t = '2026-11-25T01:00:00.000Z';
  const check = (id, kind, status, summary, metrics, extra = {}) => ({
    id,
    kind,
    status,
    required: true,
    summary,
    metrics,
    startedAt: t,
    durationMs: 120,
    attempts: 1,
    ...extra,
  });
  return {
    site: { id: 'SITE', name: 'UBND xã SITE', unit: 'p/UNIT/SITE' },
    verdict: 'degraded',
    startedAt: t,
    durationMs: 11234,
    checks: [
      check(
        'mcu-ping',
        'ping',
        'warn',
        '20/20 replies, avg 182 ms',
        { rtt_ms: 182.4, jitter_ms: 4.1, loss_pct: 0 },
        { limits: { warn: { rtt_ms: 150 } } },
      ),
      check('sip-port', 'tcp', 'pass', 'port 5060 open in 12 ms', { connect_ms: 12.2 }),
      check('mcu-dns', 'dns', 'pass', 'resolved in 3 ms', { resolve_ms: 3.1 }),
      check('vc-network', 'udp-quality', 'pass', 'loss 0.2 %, jitter 3.1 ms, MOS 4.3', {
        loss_pct: 0.2,
        jitter_ms: 3.1,
        mos: 4.3,
      }),
      check('bandwidth', 'throughput', 'pass', 'down 18.2 Mbps, up 9.6 Mbps', {
        down_mbps: 18.2,
        up_mbps: 9.6,
      }),
      check('ups', 'ups', 'pass', 'on line, 100 %, 52 min', { charge_pct: 100, runtime_s: 3120 }),
      check('codec', 'codec-status', 'pass', 'Room Kit, RoomOS 11.5, awake', {}),
      check('av', 'codec-peripherals', 'pass', '1 camera, 2 microphones', { cameras: 1, microphones: 2 }),
    ],
    tool: { name: 'diemcau', version: '0.1.0' },
  };
}

const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startServer(db, build = builds[0].dist) {
  // BENCH_CPU_PROF=DIR: each server writes a CPU profile there (node --cpu-prof) when it stops.
  const prof = process.env.BENCH_CPU_PROF;
  const child = fork(here, ['--server', db, build], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [],
  });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const ask = (msg) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(msg);
    });
  return {
    ...ready,
    child,
    ask,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.send('stop');
      }),
  };
}

// One counter for every load of this process: warm-up and measured runs never share a key.
let n = 0;

const MODES = {
  single: { path: '/v1/runs', perRequest: 1, connections: 32 },
  batch100: { path: '/v1/runs:batch', perRequest: 100, connections: 16 },
  batch1000: { path: '/v1/runs:batch', perRequest: 1000, connections: 4 },
};

/** Each site's run body, made once: a request is then keys and joins, not templating. */
let bodies;
function bodyOf(i) {
  if (!bodies) {
    const template = JSON.stringify(sampleBody());
    bodies = Array.from({ length: 10_000 }, (_, s) =>
      template.replaceAll('SITE', `s${s}`).replace('UNIT', `u${s % 100}`),
    );
  }
  return bodies[i % 10_000];
}

/** Key digits: fixed width, so a batch body's keys are patched in place (no new body per request). */
const KEY_DIGITS = 12;
const keyOf = (i) => `bench-${process.pid}-${String(i).padStart(KEY_DIGITS, '0')}`;

/**
 * A batch body made once per connection, its keys' offsets kept: each request
 * only writes the new keys' digits into it (the connection's previous request
 * has been answered, so its bytes are free), and the load generator does not
 * take the cores it measures for building 1.9 MB bodies. Connection c sends
 * the sites c·perRequest onwards (of 10,000).
 */
function batchBody(perRequest, first) {
  const parts = [];
  const offsets = [];
  let at = 0;
  const push = (text) => {
    const b = Buffer.from(text);
    parts.push(b);
    at += b.length;
  };
  push('{"runs":[');
  for (let i = 0; i < perRequest; i++) {
    push(`${i ? ',' : ''}{"key":"bench-${process.pid}-`);
    offsets.push(at);
    push(`${'0'.repeat(KEY_DIGITS)}","run":${bodyOf(first + i)}}`);
  }
  push(']}');
  return { buf: Buffer.concat(parts), offsets };
}

function patchKeys({ buf, offsets }) {
  for (const at of offsets) {
    n += 1;
    buf.write(String(n).padStart(KEY_DIGITS, '0'), at, 'latin1');
  }
}

async function load(port, token, seconds, mode) {
  const { default: autocannon } = await import('autocannon');
  const { path: url, perRequest, connections } = MODES[mode];
  let refused = 0;
  let clients = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    // A batch of 1,000 on a loaded machine can take seconds: a late answer is not a failure.
    timeout: 120,
    requests: [
      {
        method: 'POST',
        path: url,
        // Copied for each connection by autocannon: the connection's own batch body lives here.
        own: {},
        setupRequest: (req) => {
          req.headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
          if (perRequest === 1) {
            n += 1;
            req.headers['idempotency-key'] = keyOf(n);
            req.body = bodyOf(n);
          } else {
            req.own.batch ??= batchBody(perRequest, (clients++ * perRequest) % 10_000);
            patchKeys(req.own.batch);
            req.body = req.own.batch.buf;
          }
          return req;
        },
        onResponse: (status, body) => {
          // A batch answers 200 with each run's own status: count the runs not stored.
          if (perRequest > 1 && status === 200)
            refused += perRequest - (body.split('"status":201').length - 1);
        },
      },
    ],
  });
  return { ...result, refused };
}

async function one(label, db, mode, build) {
  const server = await startServer(db, build);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  try {
    await load(server.port, server.token, 2, mode); // warm-up
    const before = await server.ask('stats');
    server.child.send('reset-rss');
    const r = await load(server.port, server.token, seconds, mode);
    const after = await server.ask('stats');
    const runs = after.runs - before.runs;
    return {
      label,
      rps: r.requests.average,
      runsPerS: runs / seconds,
      p50: r.latency.p50,
      p99: r.latency.p99,
      rssMb: after.maxRss / 2 ** 20,
      bytesPerRun: (after.bytes - before.bytes) / Math.max(1, runs),
      runs,
      cpuPerRun: (after.cpuUs - before.cpuUs) / Math.max(1, runs),
      failed: r.non2xx + r.errors + r.timeouts + r.refused,
      // Per 1,000 runs stored, PostgreSQL's side (the stats queries themselves count a few).
      pg: before.pg && {
        commits: ((after.pg.commits - before.pg.commits) * 1000) / Math.max(1, runs),
        syncs: ((after.pg.syncs - before.pg.syncs) * 1000) / Math.max(1, runs),
        walBytes: (after.pg.walBytes - before.pg.walBytes) / Math.max(1, runs),
        statements:
          after.pg.statements === null
            ? null
            : ((after.pg.statements - before.pg.statements) * 1000) / Math.max(1, runs),
        cpuUs: (after.pg.cpuUs - before.pg.cpuUs) / Math.max(1, runs),
      },
      bodyBytes: Buffer.byteLength(JSON.stringify(sampleBody())),
    };
  } finally {
    await server.stop();
  }
}

/** PostgreSQL's counters per 1,000 runs, medians: commits, WAL fsyncs, statements (when counted); WAL bytes per run. */
function pgLine(runs) {
  if (!runs[0].pg) return '';
  const m = (f) => median(runs.map((r) => r.pg[f]));
  const st = runs[0].pg.statements === null ? '' : `, ${m('statements').toFixed(1)} statements`;
  return `PostgreSQL CPU per run ${runs.map((r) => r.pg.cpuUs.toFixed(0)).join('/')} µs → median ${m('cpuUs').toFixed(0)}; per 1,000 runs ${m('commits').toFixed(1)} commits, ${m('syncs').toFixed(1)} WAL fsyncs${st}; ${m('walBytes').toFixed(0)} WAL bytes per run; `;
}

async function engine(label, makeDb, mode) {
  const repeat = Number(process.env.BENCH_REPEAT ?? 3);
  // Builds alternated run by run (before, after, before, after...): the load moves for both alike.
  const runsOf = builds.map(() => []);
  for (let i = 0; i < repeat; i++)
    for (const [b, build] of builds.entries())
      runsOf[b].push(await one(label, await makeDb(`${mode}_${i}_${b}`), mode, build.dist));
  for (const [b, runs] of runsOf.entries()) {
    const byRate = [...runs].sort((a, b) => a.runsPerS - b.runsPerS);
    const mid = byRate[Math.floor(byRate.length / 2)];
    const stored =
      label === 'ceiling'
        ? ''
        : `${median(runs.map((r) => r.bytesPerRun)).toFixed(0)} bytes stored per run; `;
    const name = builds[b].name ? `${label}@${builds[b].name}` : label;
    console.log(
      `${name.padEnd(8)} ${mode.padEnd(9)} ${runs.map((r) => r.runsPerS.toFixed(0)).join('/')} runs/s → median ${mid.runsPerS.toFixed(0)} ` +
        `(${mid.rps.toFixed(0)} req/s); p50 ${mid.p50} ms, p99 ${mid.p99} ms; server CPU per run ${runs.map((r) => r.cpuPerRun.toFixed(0)).join('/')} µs → median ${median(runs.map((r) => r.cpuPerRun)).toFixed(0)}; server RSS max ${median(runs.map((r) => r.rssMb)).toFixed(0)} MB; ` +
        `${stored}${pgLine(runs)}non-2xx/errors/refused runs ${runs.reduce((s, r) => s + r.failed, 0)}; load ${loadavg()}`,
    );
  }
}

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const modes = (process.env.BENCH_MODES ?? 'single,batch100,batch1000').split(',');
  console.log(
    `ingest: ${modes.map((m) => `${m} (${MODES[m].connections} connections)`).join(', ')}; ${seconds} s (2 s warm-up), ` +
      `${os.cpus().length} CPUs, Node ${process.version}, body ${Buffer.byteLength(JSON.stringify(sampleBody()))} B per run; load ${loadavg()}`,
  );
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres,ceiling').split(',');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-ingest-'));
  const pg =
    engines.includes('postgres') && havePostgres()
      ? await startPostgres({
          settings: process.env.BENCH_PG_STATEMENTS ? ['shared_preload_libraries=pg_stat_statements'] : [],
        })
      : undefined;
  if (engines.includes('postgres') && !pg)
    console.log('postgres   skipped: /usr/lib/postgresql/15/bin/initdb not found (apt install postgresql)');
  try {
    // Mode by mode, every engine and the ceiling next to each other: the ratio holds on a noisy machine.
    for (const mode of modes) {
      if (engines.includes('sqlite')) await engine('sqlite', async (i) => path.join(tmp, `r${i}.db`), mode);
      if (pg) await engine('postgres', (i) => freshDatabase(pg.url, `ingest_${i}`), mode);
      if (engines.includes('ceiling')) await engine('ceiling', async () => 'ceiling', mode);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    pg?.stop();
  }
}

// One file, two roles: the load generator, and (forked with --server) the registry under test.
if (process.argv[2] === '--server') await serverChild(process.argv[3]);
else await main();
