// Alerts (docs/alerts.md): (1) a sweep of 1,000 site uploads, 100 of them
// not ready, to a registry with one site-not-ready rule routed to a local
// webhook (HMAC-signed, idempotent receiver): the time from the last upload's
// 201 to the last alert received; (2) ingest rate with the rule on (alerts
// written in the upload's transaction, the worker delivering) against no rules.
// The registry runs in its own process on SQLite (synchronous=FULL); the
// uploads go over HTTP on loopback, 32 at a time. BENCH_REPEAT (default 3)
// runs of (2) per setting, median shown. The webhook kind is the tests' own
// (test/alerts/webhook-kind.mjs) until the channels table is wired in.
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');
const dist = process.env.BENCH_DIST ?? path.join(root, 'dist');
const SECRET = 'bench-secret';

async function serverChild(db, hookUrl, withRules) {
  const { buildApp } = await import(path.join(dist, 'registry/server.js'));
  const { openStore } = await import(path.join(dist, 'registry/store/open.js'));
  const { createToken } = await import(path.join(dist, 'registry/auth.js'));
  const { AlertWorker } = await import(path.join(dist, 'alerts/worker.js'));
  const { testLookup } = await import(path.join(root, 'test/alerts/webhook-kind.mjs'));
  const store = await openStore(db);
  const { token } = await createToken(store, {
    role: 'technician',
    unit: 'p',
    label: 'bench',
    nowMs: Date.now(),
  });
  const app = await buildApp({
    store,
    version: 'bench',
    logLevel: 'silent',
    alerts: { source: 'file', lookup: testLookup },
  });
  store.alerts.config = withRules
    ? {
        channels: [{ id: 'hook', kind: 'webhook', url: hookUrl, secret: '${HOOK_SECRET}' }],
        rules: [{ id: 'down', event: 'site-not-ready', unit: 'p', channels: ['hook'] }],
      }
    : { channels: [], rules: [] };
  const worker = new AlertWorker({ store, lookup: testLookup, env: { HOOK_SECRET: SECRET }, source: 'file' });
  worker.start();
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', async (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send({ type: 'cpu', us: u.user + u.system });
    }
    if (m === 'stop') {
      await worker.stop();
      await app.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', port: app.server.address().port, token });
}

function startServer(db, hookUrl, withRules) {
  // BENCH_CPU_PROF=DIR: each server writes a CPU profile there (node --cpu-prof) when it stops.
  const prof = process.env.BENCH_CPU_PROF;
  const child = fork(here, ['--server', db, hookUrl, withRules ? 'on' : 'off'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (ready) =>
      resolve({
        ...ready,
        /** The server's CPU time so far (user + system, µs). */
        cpu: () =>
          new Promise((r) => {
            child.once('message', (m) => r(m.us));
            child.send('cpu');
          }),
        stop: () =>
          new Promise((r) => {
            child.once('exit', r);
            child.send('stop');
          }),
      }),
    );
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

/** An idempotent receiver that checks the signature; resolves when `want` distinct alerts came. */
function startReceiver() {
  const seen = new Set();
  let bad = 0;
  let last = 0;
  let waiter;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const want = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      if (req.headers['x-diemcau-signature'] !== want) bad++;
      else if (!seen.has(req.headers['idempotency-key'])) {
        seen.add(req.headers['idempotency-key']);
        last = performance.now();
        if (waiter && seen.size >= waiter.n) waiter.resolve();
      }
      res.writeHead(200).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/hook`,
        reset: () => seen.clear(),
        count: () => seen.size,
        bad: () => bad,
        lastAt: () => last,
        until: (n) => (seen.size >= n ? Promise.resolve() : new Promise((r) => (waiter = { n, resolve: r }))),
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

let seq = 0;
function body(site, verdict) {
  const t = new Date(Date.now() - 60_000).toISOString();
  const check = (id, status) => ({
    id,
    kind: 'tcp',
    status,
    required: true,
    summary: status === 'pass' ? 'open' : 'refused',
    metrics: {},
    startedAt: t,
    durationMs: 12,
    attempts: 1,
  });
  return JSON.stringify({
    site: { id: site, name: `UBND xã ${site}`, unit: `p/u${site.slice(-2)}` },
    verdict,
    startedAt: t,
    durationMs: 4000,
    checks: [
      check('sip-port', verdict === 'not-ready' ? 'fail' : 'pass'),
      check('mcu-ping', 'pass'),
      check('dns', 'pass'),
    ],
  });
}

/**
 * Upload `sites` (each: [id, verdict]) 32 at a time; returns the time the last 201 came.
 * The bodies are serialised before the first request: the load generator shares the cores it measures.
 */
async function sweep(port, token, sites) {
  const bodies = sites.map(([id, verdict]) => body(id, verdict));
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 32 });
  let next = 0;
  let lastAt = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const text = bodies[next++];
      const res = await pool.request({
        path: '/v1/runs',
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-${process.pid}-${++seq}`,
        },
        body: text,
      });
      await res.body.dump();
      if (res.statusCode !== 201) throw new Error(`upload: HTTP ${res.statusCode}`);
      lastAt = performance.now();
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  await pool.close();
  return lastAt;
}

const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const siteId = (i) => `s${String(i).padStart(5, '0')}`;

/**
 * Ingest rate with the rule on against no rules, alternated on, off, on, off… (each pair ran
 * minutes apart at most, under about the same load): `warm` is uploaded first (not timed),
 * then `measured` is timed; with the rule on, the delivery of `alerts` messages is counted
 * in the server's CPU (until the last one came).
 */
async function rulesOnOff(dir, hook, label, { warm, measured, alerts, warmAlerts = 0 }) {
  const rate = { off: [], on: [] };
  const cpu = { off: [], on: [] };
  for (let r = 0; r < Number(process.env.BENCH_REPEAT ?? 3); r++)
    for (const mode of ['on', 'off']) {
      const srv = await startServer(path.join(dir, `rate-${label}-${mode}${r}.db`), hook.url, mode === 'on');
      hook.reset();
      await sweep(srv.port, srv.token, warm);
      if (mode === 'on' && warmAlerts) await hook.until(warmAlerts);
      hook.reset();
      const c0 = await srv.cpu();
      const t0 = performance.now();
      const t1 = await sweep(srv.port, srv.token, measured);
      rate[mode].push((measured.length / (t1 - t0)) * 1000);
      if (mode === 'on') await hook.until(alerts);
      cpu[mode].push(((await srv.cpu()) - c0) / measured.length);
      await srv.stop();
    }
  const ratios = rate.on.map((x, i) => x / rate.off[i]);
  const cpuRatios = cpu.on.map((x, i) => x / cpu.off[i]);
  console.log(
    `ingest (${label}), ${measured.length} uploads, 32 at a time, ${alerts} alerts: rules off ${median(rate.off).toFixed(0)} req/s, rules on ${median(rate.on).toFixed(0)} req/s; ` +
      `median of the pairs' on/off ${(median(ratios) * 100).toFixed(1)} % (${ratios.map((x) => (x * 100).toFixed(0)).join(', ')} %); load ${loadavg()}`,
  );
  console.log(
    `  runs on: ${rate.on.map((x) => x.toFixed(0)).join(', ')}; off: ${rate.off.map((x) => x.toFixed(0)).join(', ')} req/s`,
  );
  console.log(
    `  server CPU per upload on: ${cpu.on.map((x) => x.toFixed(0)).join(', ')}; off: ${cpu.off.map((x) => x.toFixed(0)).join(', ')} µs; ` +
      `median of the pairs' on/off ${(median(cpuRatios) * 100).toFixed(1)} %`,
  );
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-alerts-'));
  const hook = await startReceiver();
  try {
    console.log(`alerts: ${os.cpus().length} CPUs, Node ${process.version}; load ${loadavg()}`);
    // (1) 1,000 sites, 100 turn not ready: last upload → last alert (BENCH_SKIP_SWEEP=1 leaves it out).
    const latencies = [];
    const sweeps = process.env.BENCH_SKIP_SWEEP === '1' ? 0 : Number(process.env.BENCH_REPEAT ?? 3);
    for (let r = 0; r < sweeps; r++) {
      const srv = await startServer(path.join(dir, `lat${r}.db`), hook.url, true);
      hook.reset();
      const sites = Array.from({ length: 1000 }, (_, i) => [siteId(i), i % 10 === 3 ? 'not-ready' : 'ready']);
      const lastUpload = await sweep(srv.port, srv.token, sites);
      await hook.until(100);
      latencies.push(hook.lastAt() - lastUpload);
      await srv.stop();
    }
    if (sweeps)
      console.log(
        `sweep of 1,000 sites, 100 not ready: last upload → last alert ${median(latencies).toFixed(0)} ms (runs: ${latencies.map((x) => x.toFixed(0)).join(', ')}); bad signatures ${hook.bad()}`,
      );

    // (2) ingest rate, rules on vs off: 5,000 uploads, 10 % not ready (each site once): an alert storm.
    const N = 5000;
    const verdictOf = (i) => (i % 10 === 3 ? 'not-ready' : 'ready');
    // The warm-up has 10 sites not ready, so the code that renders and sends an alert is
    // loaded (on first use, once per registry process) before the measured part.
    await rulesOnOff(dir, hook, 'storm', {
      warm: Array.from({ length: 500 }, (_, i) => [`w${i}`, i % 50 === 0 ? 'not-ready' : 'ready']),
      measured: Array.from({ length: N }, (_, i) => [siteId(i), verdictOf(i)]),
      alerts: N / 10,
      warmAlerts: 10,
    });
    // (3) the steady state: the same 5,000 sites known to the registry (their last verdict
    // uploaded once before), then one more upload each where 1 % change (25 turn not ready,
    // 25 recover): the rules are evaluated on every upload, 50 messages are sent.
    const flip = (i) => i % 100 === 7;
    const before = (i) => (flip(i) && i % 200 === 107 ? 'not-ready' : verdictOf(i));
    const after = (i) => (!flip(i) ? before(i) : before(i) === 'not-ready' ? 'ready' : 'not-ready');
    await rulesOnOff(dir, hook, 'steady', {
      warm: Array.from({ length: N }, (_, i) => [siteId(i), before(i)]),
      measured: Array.from({ length: N }, (_, i) => [siteId(i), after(i)]),
      alerts: Array.from({ length: N }, (_, i) => i).filter((i) => after(i) !== before(i)).length,
      warmAlerts: Array.from({ length: N }, (_, i) => i).filter((i) => before(i) === 'not-ready').length,
    });
  } finally {
    await hook.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--server')
  await serverChild(process.argv[3], process.argv[4], process.argv[5] === 'on');
else await main();
