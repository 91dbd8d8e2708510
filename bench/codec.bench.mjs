// Remote codec checks (codec-status, codec-registration, codec-peripherals,
// codec-diagnostics, session auth) of 200 generated site profiles against
// 200 simulated codecs, each on its own loopback port (hosted by a child
// process), through the engine: runSite, 32 sites at a time — what
// `diemcau check profiles/ --remote --concurrency 32` does. Prints the wall
// time, the ratio to one codec's checks, the peak RSS of the checking
// process, and that no codec session was left open.
import { fork } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../dist/cli/context.js';
import { runSite } from '../dist/engine/run.js';
import { translator } from '../dist/i18n/index.js';
import { loadProfile } from '../dist/profile/load.js';

const SITES = Number(process.env.SITES ?? 200);
const CONCURRENCY = 32;
const here = path.dirname(fileURLToPath(import.meta.url));

const child = fork(path.join(here, 'codec-sims.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ask = (msg) =>
  new Promise((resolve) => {
    child.once('message', resolve);
    child.send(msg);
  });

const sink = { write: () => true };
// The engine adds one abort listener per running check on the run's signal (32 sites × 4 checks here): not a leak.
const run = new AbortController();
setMaxListeners(0, run.signal);
const ctx = createContext({
  io: {
    stdout: sink,
    stderr: sink,
    stdin: undefined,
    stdoutTTY: false,
    stderrTTY: false,
    interactive: false,
    color: false,
    columns: 100,
  },
  locale: 'en',
  env: { CODEC_PASSWORD: 'bench-pass' },
  cwd: process.cwd(),
  signal: run.signal,
});

async function profiles(dir, driver, ports) {
  const out = [];
  for (const [i, port] of ports.entries()) {
    const file = path.join(dir, `${driver}-${i}.yaml`);
    await fs.writeFile(
      file,
      `site: { id: xa-${i}, name: "UBND xã ${i}", unit: tinh/xa-${i} }
codec: { driver: ${driver}, host: 127.0.0.1, port: ${port}, scheme: http, auth: ${process.env.AUTH ?? 'session'}, username: admin, password: "\${CODEC_PASSWORD}", timeout: 10s }
checks:
  - { id: codec, kind: codec-status }
  - { id: codec-reg, kind: codec-registration }
  - { id: av, kind: codec-peripherals, expect: { cameras: 1, microphones: 2 } }
  - { id: diag, kind: codec-diagnostics }
`,
    );
    const { profile } = await loadProfile(file, { t: translator('en'), env: ctx.env, cwd: dir });
    out.push(profile);
  }
  return out;
}

async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function bench(driver, latencyMs = 0) {
  const { ports } = await ask({
    start: { driver, count: SITES, scenario: latencyMs ? { slow_ms: latencyMs } : {} },
  });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-bench-codec-'));
  const sites = await profiles(dir, driver, ports);
  const opts = { remote: true };

  // One codec's checks: warm up (imports, first connections), then the median of 10.
  await runSite(sites[0], ctx, opts);
  const singles = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const run = await runSite(sites[i % sites.length], ctx, opts);
    singles.push(performance.now() - t0);
    if (run.verdict !== 'ready') throw new Error(`site ${run.site.id}: ${run.verdict}`);
  }
  const one = median(singles);

  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const cpu0 = process.cpuUsage();
  const childCpu0 = (await ask({ cpu: true })).cpuMs;
  const t0 = performance.now();
  const runs = await pool(sites, CONCURRENCY, (p) => runSite(p, ctx, opts));
  const wall = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const childCpuMs = (await ask({ cpu: true })).cpuMs - childCpu0;

  const notReady = runs.filter((r) => r.verdict !== 'ready').length;
  const checks = runs.reduce((a, r) => a + r.checks.length, 0);
  const sessions = await ask({ sessions: true });
  await fs.rm(dir, { recursive: true, force: true });
  const label = latencyMs ? `${driver}, every reply ${latencyMs} ms late` : `${driver}, loopback`;
  console.log(`${label}: ${SITES} sites × 4 codec checks (${checks} checks), ${CONCURRENCY} sites at a time`);
  console.log(`  one codec's checks         median ${one.toFixed(1)} ms (10 runs, after a warm-up)`);
  console.log(
    `  ${SITES} codecs                 ${wall.toFixed(0)} ms wall (${(wall / SITES).toFixed(1)} ms per site)`,
  );
  console.log(`  ratio to one codec         ${(wall / one).toFixed(1)}×  (serial would be ${SITES}×)`);
  console.log(
    `  CPU: checks / simulators   ${cpuMs.toFixed(0)} ms / ${childCpuMs.toFixed(0)} ms (${os.availableParallelism()} cores)`,
  );
  console.log(`  RSS before / peak          ${mb(rss0)} / ${mb(peak)} (+${mb(peak - rss0)})`);
  console.log(`  not ready                  ${notReady}`);
  console.log(`  codec sessions left open   ${sessions.open} (of ${sessions.begun} begun)`);
}

try {
  await bench('cisco');
  await bench('poly');
  // A codec that answers slowly (a provincial WAN, a busy codec): the wall time is latency, which concurrency hides.
  await bench('cisco', 100);
} finally {
  child.send({ stop: true });
}
