// Loopback sweep side by side: N sites, each a TCP port and an HTTP URL
// (answered after 50 ms), checked by
//   - diemcau: `diemcau check profiles --concurrency 64 --format json -o out.json`
//     (the built binary, one profile per site with a `tcp` and an `http` check);
//   - Prometheus' blackbox_exporter on 127.0.0.1, one /probe per target and
//     module (tcp_connect, http_2xx), 64 requests at once from a small Node
//     driver (bench/blackbox-driver.mjs) playing Prometheus;
//   - the Monitoring Plugins: check_tcp and check_http, one process per
//     target, 64 at once through `xargs -P 64`.
// All against the same servers (bench/loopback-servers.mjs, own process), in
// one run, sizes and tools interleaved, so the ratios hold on a noisy machine.
// Figures: wall time, CPU (user + sys of the tool's process tree, from
// /usr/bin/time, which counts every waited-for descendant), peak memory (the
// largest process's max RSS, and the sum of the tree's RSS sampled every
// 20 ms). BENCH_SIZES=1000,10000 BENCH_REPEAT=1 BENCH_TOOLS=diemcau,blackbox,plugins
// BENCH_NODE_FLAGS="--cpu-prof" (for diemcau's node), BENCH_BASE_BIN (another build as the tool
// `base`, e.g. main's), BENCH_WARM=0 (no unmeasured first run of each diemcau build) change the run.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);
const TOOLS = (process.env.BENCH_TOOLS ?? 'diemcau,blackbox,plugins').split(',');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
// Another build's bin/diemcau.js (e.g. main's, built in a temp worktree) as the tool `base`.
const BASE_BIN = process.env.BENCH_BASE_BIN;
const SERVERS = 8;
const DELAY_MS = 50;
const PLUGINS = '/usr/lib/nagios/plugins';
const EXPORTER = '/usr/bin/prometheus-blackbox-exporter';

const servers = fork(path.join(root, 'bench/loopback-servers.mjs'), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = (msg) =>
  new Promise((resolve) => {
    servers.once('message', resolve);
    servers.send(msg);
  });
const ports = await ask({ start: { count: SERVERS, delayMs: DELAY_MS } });

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-sweep-peers-'));
const site = (i) => ({
  id: `s-${String(i).padStart(5, '0')}`,
  tcpPort: ports.tcp[i % SERVERS],
  httpPort: ports.http[i % SERVERS],
  path: `/s/${i}`,
});

/** Profiles, blackbox targets and plugin command lines for N sites. */
function prepare(n) {
  const dir = path.join(work, String(n));
  if (fs.existsSync(dir)) return dir;
  fs.mkdirSync(path.join(dir, 'profiles'), { recursive: true });
  const targets = [];
  const commands = [];
  for (let i = 0; i < n; i++) {
    const s = site(i);
    fs.writeFileSync(
      path.join(dir, 'profiles', `${s.id}.yaml`),
      `site: { id: ${s.id}, name: "UBND xã ${i}", unit: "tinh/${s.id}" }
checks:
  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${s.tcpPort} }
  - { id: portal, kind: http, url: "http://127.0.0.1:${s.httpPort}${s.path}" }
`,
    );
    targets.push(
      JSON.stringify({ tcp: `127.0.0.1:${s.tcpPort}`, http: `http://127.0.0.1:${s.httpPort}${s.path}` }),
    );
    commands.push(`${PLUGINS}/check_tcp -H 127.0.0.1 -p ${s.tcpPort}`);
    commands.push(`${PLUGINS}/check_http -H 127.0.0.1 -p ${s.httpPort} -u ${s.path}`);
  }
  fs.writeFileSync(path.join(dir, 'targets.jsonl'), `${targets.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'commands.txt'), `${commands.join('\n')}\n`);
  return dir;
}

/** The pids below `pid` (children, grandchildren…), from /proc. */
function descendants(pid) {
  const out = [];
  const todo = [pid];
  while (todo.length && out.length < 10_000) {
    const p = todo.pop();
    let kids = '';
    try {
      kids = fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8');
    } catch {}
    for (const k of kids.split(' ').filter(Boolean).map(Number)) {
      out.push(k);
      todo.push(k);
    }
  }
  return out;
}
const rssKb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

/**
 * Runs a command under /usr/bin/time: wall, user+sys of the tree (what
 * time's wait4 collects), max RSS of its largest process, and the peak of
 * the tree's summed RSS (sampled; /usr/bin/time itself left out).
 */
function timed(cmd, args, opts = {}) {
  const timeFile = path.join(work, `time-${process.hrtime.bigint()}`);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args], {
      stdio: ['ignore', opts.stdout ?? 'ignore', 'inherit'],
      ...opts,
    });
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (c) => {
      out += c;
    });
    let treeKb = 0;
    const poll = setInterval(() => {
      const sum = descendants(child.pid).reduce((a, p) => a + rssKb(p), 0);
      treeKb = Math.max(treeKb, sum);
    }, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      const ms = performance.now() - t0;
      const [, user, sys, maxKb] = fs
        .readFileSync(timeFile, 'utf8')
        .trim()
        .split('\n')
        .at(-1)
        .split(' ')
        .map(Number);
      resolve({ code, ms, cpuMs: (user + sys) * 1000, maxMb: maxKb / 1024, treeMb: treeKb / 1024, out });
    });
  });
}

async function runDiemcau(n, bin = path.join(root, 'bin/diemcau.js'), stateName = 'state', extra = []) {
  const dir = prepare(n);
  const r = await timed(
    process.execPath,
    [
      ...NODE_FLAGS,
      bin,
      'check',
      'profiles',
      '--concurrency',
      String(CONCURRENCY),
      '--format',
      'json',
      '-o',
      'out.json',
      ...extra,
    ],
    // Its own state folder, kept between runs of one size (last-run.json, as a nightly sweep has).
    { cwd: dir, env: { ...process.env, LANG: 'en_US.UTF-8', DIEMCAU_STATE_DIR: path.join(dir, stateName) } },
  );
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));
  let pass = 0;
  let all = 0;
  for (const s of doc.sites)
    for (const c of s.checks) {
      all += 1;
      if (c.status === 'pass') pass += 1;
    }
  return { ...r, checks: all, ok: pass, sites: doc.sites.length };
}

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const procCpuMs = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, CLK_TCK 100
};
const hwmMb = (pid) =>
  Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function runBlackbox(n) {
  const dir = prepare(n);
  const config = path.join(work, 'blackbox.yml');
  fs.writeFileSync(
    config,
    `modules:
  tcp_connect:
    prober: tcp
    timeout: 5s
    tcp: { preferred_ip_protocol: ip4 }
  http_2xx:
    prober: http
    timeout: 5s
    http: { preferred_ip_protocol: ip4 }
`,
  );
  const port = await freePort();
  const exporter = spawn(
    EXPORTER,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // Ready when /metrics answers (at most 10 s).
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const cpu0 = procCpuMs(exporter.pid);
  const driver = await timed(
    process.execPath,
    [
      path.join(root, 'bench/blackbox-driver.mjs'),
      String(port),
      path.join(dir, 'targets.jsonl'),
      String(CONCURRENCY),
    ],
    { stdout: 'pipe' },
  );
  const cpuMs = procCpuMs(exporter.pid) - cpu0;
  const maxMb = hwmMb(exporter.pid);
  exporter.kill('SIGTERM');
  await new Promise((r) => exporter.once('exit', r));
  const counts = JSON.parse(driver.out);
  return {
    code: 0,
    ms: driver.ms,
    cpuMs,
    maxMb,
    treeMb: maxMb,
    driverCpuMs: driver.cpuMs,
    driverMb: driver.maxMb,
    checks: counts.probes,
    ok: counts.success,
  };
}

async function runPlugins(n) {
  const dir = prepare(n);
  // Each input line is one plugin command; `env` runs it without a shell (it execs the plugin).
  const script = `xargs -P ${CONCURRENCY} -L 1 env < commands.txt > plugins.out; echo $?`;
  const r = await timed('/bin/sh', ['-c', script], { cwd: dir, stdout: 'pipe' });
  const out = fs.readFileSync(path.join(dir, 'plugins.out'), 'utf8').split('\n').filter(Boolean);
  const ok = out.filter((l) => /^(TCP|HTTP) OK/.test(l)).length;
  return { ...r, code: Number(r.out.trim()), checks: out.length, ok };
}

const runBase = (n) => {
  if (!BASE_BIN) throw new Error("BENCH_TOOLS has base: set BENCH_BASE_BIN to a build's bin/diemcau.js");
  return runDiemcau(n, path.resolve(BASE_BIN), 'state-base');
};
const RUNNERS = {
  diemcau: runDiemcau,
  // The same build, its sites on two threads (`--workers 2`, docs/run-format.md).
  diemcau2: (n) => runDiemcau(n, undefined, 'state-w2', ['--workers', '2']),
  base: runBase,
  blackbox: runBlackbox,
  plugins: runPlugins,
};
const MINE = ['diemcau', 'diemcau2', 'base'];
console.log(
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(
      ' ',
    )}; ${os.cpus().length} CPUs; ${SERVERS} TCP + ${SERVERS} HTTP servers (${DELAY_MS} ms delay); ${CONCURRENCY} at once`,
);
const rows = [];
for (const n of SIZES) prepare(n);
// diemcau does not cache a profile changed less than 2 s before it reads it (docs/run-format.md).
if (process.env.BENCH_WARM !== '0') await new Promise((r) => setTimeout(r, 2100));
for (const n of SIZES) {
  // A nightly sweep finds last night's state folder (last-run.json, the profile cache): one
  // unmeasured run of each diemcau build per size gives it that (BENCH_WARM=0 leaves it out).
  if (process.env.BENCH_WARM !== '0')
    for (const tool of TOOLS.filter((t) => MINE.includes(t))) {
      const r = await RUNNERS[tool](n);
      console.log(
        `${String(n).padStart(6)} sites  ${tool.padEnd(8)} warm-up run, not counted: wall ${(r.ms / 1000).toFixed(2)} s`,
      );
    }
  for (let rep = 0; rep < REPEAT; rep++) {
    for (const tool of TOOLS) {
      const r = await RUNNERS[tool](n);
      rows.push({ n, tool, ...r });
      console.log(
        `${String(n).padStart(6)} sites  ${tool.padEnd(8)} wall ${(r.ms / 1000).toFixed(2).padStart(6)} s  cpu ${(r.cpuMs / 1000).toFixed(2).padStart(6)} s  max RSS ${r.maxMb.toFixed(0).padStart(4)} MB  tree RSS peak ${r.treeMb.toFixed(0).padStart(4)} MB` +
          (r.driverCpuMs !== undefined
            ? `  (driver: cpu ${(r.driverCpuMs / 1000).toFixed(2)} s, ${r.driverMb.toFixed(0)} MB)`
            : '') +
          `  ok ${r.ok}/${r.checks}  exit ${r.code}`,
      );
    }
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
for (const n of SIZES) {
  const of = (tool, key) => median(rows.filter((r) => r.n === n && r.tool === tool).map((r) => r[key]));
  for (const mine of MINE.filter((t) => TOOLS.includes(t)))
    for (const peer of TOOLS.filter((t) => MINE.indexOf(t) > MINE.indexOf(mine) || !MINE.includes(t)))
      console.log(
        `${n} sites: ${mine} / ${peer}: wall ${(of(mine, 'ms') / of(peer, 'ms')).toFixed(2)}×, cpu ${(of(mine, 'cpuMs') / of(peer, 'cpuMs')).toFixed(2)}×` +
          (peer === 'blackbox'
            ? ` (exporter + driver: ${(of(mine, 'cpuMs') / (of(peer, 'cpuMs') + of(peer, 'driverCpuMs'))).toFixed(2)}×)`
            : ''),
      );
}
console.log(
  `load average at the end ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const stats = await ask({ stats: true });
console.log(
  `servers: ${stats.tcp} TCP accepts, ${stats.http} HTTP answers, ${(stats.cpuMs / 1000).toFixed(1)} s CPU`,
);
servers.send({ stop: true });
fs.rmSync(work, { recursive: true, force: true });
