// Night sweep: 1,000 site profiles with remote checks (codec status,
// registration, peripherals, SIP OPTIONS to the bridge) against simulated
// codecs and a simulated bridge on loopback, through the real binary:
// `diemcau check DIR --remote --concurrency 64 --format json -o FILE`.
// Prints wall time and the CLI's peak memory (VmHWM), goal ≤ 60 s and ≤ 300 MB.
// The simulators run in their own process (bench/codec-sims.mjs), so the
// figures are the checking side's; they still share the machine's 2 cores.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SITES = Number(process.env.BENCH_SITES ?? 1000);
const SIMS = Number(process.env.BENCH_SIMS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const PASSWORD = 'bench-pass';

const sims = fork(path.join(root, 'bench/codec-sims.mjs'), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = (msg) =>
  new Promise((resolve) => {
    sims.once('message', resolve);
    sims.send(msg);
  });
const { ports } = await ask({ start: { driver: 'cisco', count: SIMS } });
const { startBridgeSim } = await import(path.join(root, 'dist/sim/index.js'));
const bridge = await startBridgeSim({ host: '127.0.0.1' });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-sweep-bench-'));
fs.mkdirSync(path.join(dir, 'profiles'));
for (let i = 0; i < SITES; i++) {
  const id = `xa-${String(i).padStart(4, '0')}`;
  fs.writeFileSync(
    path.join(dir, 'profiles', `${id}.yaml`),
    `site: { id: ${id}, name: "UBND xã ${i}", unit: "tinh/${id}" }
codec: { driver: cisco, scheme: http, host: 127.0.0.1, port: ${ports[i % ports.length]}, username: admin, password: "\${CODEC_PASSWORD}" }
bridges: [{ id: tinh, uri: "sip:8001@127.0.0.1:${bridge.port}" }]
checks:
  - { id: codec, kind: codec-status }
  - { id: codec-reg, kind: codec-registration, needs: [codec] }
  - { id: av, kind: codec-peripherals, expect: { cameras: 1, microphones: 2 }, needs: [codec] }
  - { id: mcu-sip, kind: sip-options, bridge: tinh }
  - { id: mic, kind: microphone }
`,
  );
}

function sweep() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'bin/diemcau.js'),
        'check',
        'profiles',
        '--remote',
        '--concurrency',
        String(CONCURRENCY),
        '--format',
        'json',
        '-o',
        'out.json',
      ],
      {
        cwd: dir,
        env: { ...process.env, CODEC_PASSWORD: PASSWORD, LANG: 'en_US.UTF-8' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, hwm);
      } catch {}
    }, 25);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, ms: performance.now() - t0, peakMb: peakKb / 1024 });
    });
  });
}

console.log(
  `${SITES} sites, ${SIMS} simulated Cisco codecs + 1 SIP bridge, --concurrency ${CONCURRENCY}, 4 remote checks a site`,
);
const results = [];
for (let rep = 0; rep < 3; rep++) {
  const r = await sweep();
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));
  const verdicts = {};
  for (const s of doc.sites) verdicts[s.verdict] = (verdicts[s.verdict] ?? 0) + 1;
  console.log(
    `run ${rep + 1}: exit ${r.code}, wall ${(r.ms / 1000).toFixed(2)} s, peak RSS ${r.peakMb.toFixed(0)} MB, verdicts ${JSON.stringify(verdicts)}`,
  );
  results.push(r);
}
const { open } = await ask({ sessions: true });
results.sort((a, b) => a.ms - b.ms);
const mid = results[1];
console.log(
  `median: wall ${(mid.ms / 1000).toFixed(2)} s (goal ≤ 60 s), peak RSS ${mid.peakMb.toFixed(0)} MB (goal ≤ 300 MB); codec sessions left open: ${open}`,
);
sims.send({ stop: true });
await bridge.close();
fs.rmSync(dir, { recursive: true, force: true });
