// Cold start: `diemcau --help` and `diemcau --version` against a bare
// `node -e 0`, as a ratio (goal ≤ 1.3×), and the per-site process a Nagios
// host runs every interval: `diemcau check` of a one-check profile (one `tcp`
// check to a local port) beside the Monitoring Plugins' own `check_tcp`
// (goal ≤ 1.8× `node -e 0`). Runs are interleaved in random order so drift
// and noise hit every command alike; the figure is the median of batch
// medians. Then `report readiness` from spawn to its first request (goal
// ≤ 120 ms), and with BENCH_CALLGRIND=1 each command's instruction count
// under valgrind, the repeatable figure on a noisy machine.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'diemcau.js');
const CHECK_TCP = '/usr/lib/nagios/plugins/check_tcp';

// The port the tcp checks connect to: a listener in its own process (this one blocks in spawnSync).
const listener = spawn(
  process.execPath,
  [
    '-e',
    "const s=require('net').createServer((c)=>c.destroy()).listen(0,'127.0.0.1',()=>console.log(s.address().port))",
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = Number(await new Promise((resolve) => listener.stdout.once('data', resolve)));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-startup-'));
const site = path.join(dir, 'site.yaml');
fs.writeFileSync(
  site,
  `site: { id: bench, name: Điểm cầu thử, unit: p01/bench }\nchecks:\n  - { id: sip, kind: tcp, target: 127.0.0.1, port: ${port} }\n`,
);
// Its own state directory: last-run.json of the user's real sweeps would be read and rewritten.
const env = { ...process.env, LANG: 'vi_VN.UTF-8', DIEMCAU_STATE_DIR: path.join(dir, 'state') };

const checkArgs = (b) => [b, 'check', site, '--format', 'nagios'];
const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'diemcau --help': [process.execPath, [bin, '--help']],
  'diemcau --version': [process.execPath, [bin, '--version']],
  'diemcau profile --help': [process.execPath, [bin, 'profile', '--help']],
  'diemcau check (1 tcp, nagios)': [process.execPath, checkArgs(bin)],
  'diemcau check (1 tcp, piped table)': [process.execPath, [bin, 'check', site]],
};
if (fs.existsSync(CHECK_TCP)) commands.check_tcp = [CHECK_TCP, ['-H', '127.0.0.1', '-p', String(port)]];
// Another build side by side in the same run (its ratio holds on a noisy machine):
// BENCH_BASE_BIN=/path/to/other/checkout/bin/diemcau.js npm run bench -- startup
const baseBin = process.env.BENCH_BASE_BIN;
// Each build its own state directory: the layouts differ (docs/architecture.md, "The state
// directory"), and one build would otherwise read, or move, what the other wrote on every run.
const baseEnv = { DIEMCAU_STATE_DIR: path.join(dir, 'state-base') };
if (baseBin) {
  commands['base --help'] = [process.execPath, [baseBin, '--help'], baseEnv];
  commands['base --version'] = [process.execPath, [baseBin, '--version'], baseEnv];
  commands['base profile --help'] = [process.execPath, [baseBin, 'profile', '--help'], baseEnv];
  commands['base check (1 tcp, nagios)'] = [process.execPath, checkArgs(baseBin), baseEnv];
}
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const BATCHES = 3;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function time([cmd, args, own]) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', env: { ...env, ...own } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const names = Object.keys(commands);
for (const name of names) time(commands[name]); // warm the page cache
const batchMedians = Object.fromEntries(names.map((n) => [n, []]));
for (let b = 0; b < BATCHES; b++) {
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const order = names.flatMap((n) => Array(RUNS).fill(n));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const n of order) samples[n].push(time(commands[n]));
  for (const n of names) batchMedians[n].push(median(samples[n]));
}
const base = median(batchMedians['node -e 0']);
const load = () =>
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;
console.log(`runs: ${RUNS} × ${BATCHES} batches, interleaved; node ${process.version}; ${load()}`);
console.log('| command | median ms | ratio to node -e 0 |');
console.log('|---|---|---|');
for (const n of names) {
  const ms = median(batchMedians[n]);
  console.log(`| ${n} | ${ms.toFixed(1)} | ${(ms / base).toFixed(2)}× |`);
}

// `report readiness` from spawn to the moment its first request reaches the registry (here a
// server that refuses it at once), interleaved with the other build's when BENCH_BASE_BIN is set.
const server = http.createServer((_req, res) => {
  arrived?.(performance.now());
  res.writeHead(503, { 'retry-after': '3600' }).end();
});
let arrived;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const registry = `http://127.0.0.1:${server.address().port}`;
async function firstRequest(b) {
  const got = new Promise((resolve) => {
    arrived = resolve;
  });
  const t0 = performance.now();
  const child = spawn(process.execPath, [b, 'report', 'readiness', '--registry', registry], {
    stdio: 'ignore',
    env: { ...env, ...(b === baseBin ? baseEnv : {}), DIEMCAU_TOKEN: 'bench' },
  });
  const ms = (await got) - t0;
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  return ms;
}
const reportBins = { 'report readiness': bin, ...(baseBin ? { 'base report readiness': baseBin } : {}) };
const firsts = Object.fromEntries(Object.keys(reportBins).map((n) => [n, []]));
for (let i = 0; i < RUNS; i++)
  for (const [n, b] of Object.entries(reportBins)) firsts[n].push(await firstRequest(b));
server.close();
console.log(load());
for (const [n, xs] of Object.entries(firsts))
  console.log(
    `| ${n}: spawn → first request | ${median(xs).toFixed(1)} | ${(median(xs) / base).toFixed(2)}× |`,
  );

// Instructions (valgrind's callgrind, each command once): the same for the same binary and
// input whatever else the machine does. Also without NODE_EXTRA_CA_CERTS, which makes every
// node process parse that file's certificates at start (some 400 M instructions).
if (process.env.BENCH_CALLGRIND === '1') {
  const count = ([cmd, args, own], e) => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', cmd, ...args], {
      env: { ...e, ...own },
      encoding: 'utf8',
    });
    const m = /Collected : (\d+)/.exec(r.stderr);
    return m ? Number(m[1]) / 1e6 : Number.NaN;
  };
  const bare = { ...env };
  delete bare.NODE_EXTRA_CA_CERTS;
  const counts = names.map((n) => [n, count(commands[n], env), count(commands[n], bare)]);
  const [, nodeWith, nodeBare] = counts[0];
  console.log(`| command | M instructions | ratio | without NODE_EXTRA_CA_CERTS | ratio |`);
  console.log('|---|---|---|---|---|');
  for (const [n, w, b] of counts)
    console.log(
      `| ${n} | ${w.toFixed(1)} | ${(w / nodeWith).toFixed(2)}× | ${b.toFixed(1)} | ${(b / nodeBare).toFixed(2)}× |`,
    );
}
listener.kill();
fs.rmSync(dir, { recursive: true, force: true });

// What `--help` loads: it must not import the heavy packages (traced with a resolve hook).
const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-trace-')), 'imports.txt');
fs.writeFileSync(log, '');
spawnSync(process.execPath, ['--import', path.join(root, 'test/helpers/trace-imports.mjs'), bin, '--help'], {
  stdio: 'ignore',
  env: { ...env, DIEMCAU_TRACE_IMPORTS: log },
});
const loaded = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
const packages = [
  ...new Set(loaded.map((u) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter(Boolean)),
];
console.log(`modules resolved by --help: ${loaded.length}; packages: ${packages.join(', ') || 'none'}`);
