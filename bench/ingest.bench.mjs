// Registry ingest: POST /v1/runs over HTTP on loopback with autocannon
// (32 connections, 2 s warm-up, 10 s measured), each request with its own
// Idempotency-Key and one of 10,000 sites, against SQLite and PostgreSQL.
// Every 201 is durable: SQLite runs with synchronous=FULL and group commit,
// PostgreSQL with fsync and synchronous_commit on. Prints req/s, p50/p99,
// the server's peak RSS (the server is a child process) and bytes stored per
// run. BENCH_REPEAT (default 3) runs per engine; the median run is shown.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, havePostgres, startPostgres } from './pg.mjs';

const here = fileURLToPath(import.meta.url);
// BENCH_DIST: a private build (npx tsc -p tsconfig.build.json --outDir DIR/dist) when dist/ is busy.
const dist = process.env.BENCH_DIST ?? path.resolve(path.dirname(here), '../dist');

/** The registry as it runs in production, in its own process so its memory is its own. */
async function serverChild(db) {
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
  }, 50).unref();
  const stats = async () => {
    if (store.engine === 'sqlite') {
      store.handle.pragma('wal_checkpoint(TRUNCATE)');
      return {
        runs: store.handle.prepare('SELECT count(*) AS n FROM runs').get().n,
        bytes: store.sizeBytes(),
      };
    }
    const n = (await store.pool.query('SELECT count(*)::int AS n FROM runs')).rows[0].n;
    await store.pool.query('CHECKPOINT');
    return { runs: n, bytes: await store.sizeBytes() };
  };
  process.on('message', async (m) => {
    if (m === 'stats') process.send({ type: 'stats', maxRss, ...(await stats()) });
    if (m === 'reset-rss') maxRss = process.memoryUsage.rss();
    if (m === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', port: app.server.address().port, token });
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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startServer(db) {
  const child = fork(here, ['--server', db], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

async function load(port, token, seconds) {
  const { default: autocannon } = await import('autocannon');
  const template = JSON.stringify(sampleBody());
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 32,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/runs',
        setupRequest: (req) => {
          n += 1;
          const site = `s${n % 10_000}`;
          const unit = `u${n % 100}`;
          req.headers = {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': `bench-${process.pid}-${n}`,
          };
          req.body = template.replaceAll('SITE', site).replace('UNIT', unit);
          return req;
        },
      },
    ],
  });
  return result;
}

async function one(label, db) {
  const server = await startServer(db);
  try {
    await load(server.port, server.token, 2); // warm-up
    const before = await server.ask('stats');
    server.child.send('reset-rss');
    const r = await load(server.port, server.token, 10);
    const after = await server.ask('stats');
    const non2xx = r.non2xx + r.errors + r.timeouts;
    return {
      label,
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      rssMb: after.maxRss / 2 ** 20,
      bytesPerRun: (after.bytes - before.bytes) / Math.max(1, after.runs - before.runs),
      runs: after.runs - before.runs,
      failed: non2xx,
      bodyBytes: Buffer.byteLength(JSON.stringify(sampleBody())),
    };
  } finally {
    await server.stop();
  }
}

async function engine(label, makeDb) {
  const repeat = Number(process.env.BENCH_REPEAT ?? 3);
  const runs = [];
  for (let i = 0; i < repeat; i++) runs.push(await one(label, await makeDb(i)));
  const byRps = [...runs].sort((a, b) => a.rps - b.rps);
  const mid = byRps[Math.floor(byRps.length / 2)];
  console.log(
    `${label.padEnd(10)} ${runs.map((r) => r.rps.toFixed(0)).join('/')} req/s → median ${mid.rps.toFixed(0)}; ` +
      `p50 ${mid.p50} ms, p99 ${mid.p99} ms; server RSS max ${median(runs.map((r) => r.rssMb)).toFixed(0)} MB; ` +
      `${median(runs.map((r) => r.bytesPerRun)).toFixed(0)} bytes stored per run (body ${mid.bodyBytes} B); ` +
      `non-2xx/errors ${runs.reduce((s, r) => s + r.failed, 0)}`,
  );
}

async function main() {
  console.log(
    `ingest: POST /v1/runs, 32 connections, 10 s (2 s warm-up), ${os.cpus().length} CPUs, Node ${process.version}`,
  );
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-ingest-'));
  try {
    if (engines.includes('sqlite')) await engine('sqlite', async (i) => path.join(tmp, `r${i}.db`));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!engines.includes('postgres')) return;
  if (!havePostgres()) {
    console.log('postgres   skipped: /usr/lib/postgresql/15/bin/initdb not found (apt install postgresql)');
    return;
  }
  const pg = await startPostgres();
  try {
    await engine('postgres', (i) => freshDatabase(pg.url, `ingest_${i}`));
  } finally {
    pg.stop();
  }
}

// One file, two roles: the load generator, and (forked with --server) the registry under test.
if (process.argv[2] === '--server') await serverChild(process.argv[3]);
else await main();
