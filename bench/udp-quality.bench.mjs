// udp-quality: measurement accuracy against known impairments, and CPU cost
// per 1,000 packets. Imports the built code from dist/.
//
// Accuracy: a seeded relay in a child process (so its timers do not share an
// event loop with the probe) adds delay, jitter or loss on the way to the
// registry's reflector and records what it actually did: that record is the
// truth the probe's figures are compared with.
// CPU: user+system time of the probe process alone (reflector in a child).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const { runProbe, JitterEstimator } = await import(`${dist}/checks/udp-probe.js`);
const { mos } = await import(`${dist}/checks/emodel.js`);

// The child: a reflector and, in front of it, a seeded relay. It prints its port, then on
// stdin "end" it prints what it did (per packet delays in release order) and its CPU time.
const CHILD = `
const [dist, optsJson] = process.argv.slice(1);
const opts = JSON.parse(optsJson);
const dgram = await import('node:dgram');
const { startReflector } = await import(dist + '/registry/reflector.js');
const refl = await startReflector({ host: '127.0.0.1', port: 0, maxPps: 100000 });
let a = opts.seed >>> 0;
const rnd = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const front = dgram.createSocket('udp4'); const back = dgram.createSocket('udp4');
let client; const released = []; let dropped = 0; let n = 0;
front.on('message', (msg, r) => {
  const inAt = performance.now(); client = r; n += 1;
  if (opts.loss && rnd() < opts.loss) { dropped += 1; return; }
  const d = Math.max(0, (opts.delay || 0) + (opts.jitter ? (rnd() * 2 - 1) * opts.jitter : 0));
  const go = () => { released.push([inAt, performance.now()]); back.send(msg, refl.port, '127.0.0.1'); };
  if (d === 0) go(); else setTimeout(go, d);
});
back.on('message', (msg) => client && front.send(msg, client.port, client.address));
await new Promise((r) => back.bind(0, '127.0.0.1', r));
await new Promise((r) => front.bind(0, '127.0.0.1', r));
const direct = opts.direct;
const cpu0 = process.cpuUsage();
process.stdout.write(JSON.stringify({ port: direct ? refl.port : front.address().port }) + '\\n');
process.stdin.on('data', () => {
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ released, dropped, n, cpuMs: (cpu.user + cpu.system) / 1000, echoed: refl.stats().echoed }) + '\\n');
  process.exit(0);
});
`;

function startPeer(opts) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, dist, JSON.stringify(opts)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buf = '';
  const lines = [];
  const waiters = [];
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const next = () => new Promise((r) => (lines.length ? r(lines.shift()) : waiters.push(r)));
  return {
    next,
    async end() {
      child.stdin.write('end\n');
      const out = await next();
      child.kill();
      return out;
    },
  };
}

const truthOf = (record) => {
  const j = new JitterEstimator();
  let sum = 0;
  for (const [inAt, outAt] of record.released) {
    sum += outAt - inAt;
    j.add(inAt, outAt);
  }
  return { delay: sum / record.released.length, jitter: j.mean() };
};

const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : String(n));

async function scenario(name, opts, count = 2000, pps = 500) {
  const peer = startPeer({ seed: 7, ...opts });
  const { port } = await peer.next();
  const stats = await runProbe({ host: '127.0.0.1', port, pps, count });
  const record = await peer.end();
  return { name, stats, truth: truthOf(record), record };
}

process.stdout.write('Accuracy: 2,000 packets at 500 pps, 200 bytes; truth = what the relay did\n\n');
process.stdout.write(
  '| scenario | RTT avg (ms) | added delay: measured − base vs truth | jitter measured / truth (ms) | loss measured / truth (%) | MOS |\n|---|---|---|---|---|---|\n',
);
const base = await scenario('no impairment (through the relay)', {});
const rows = [
  base,
  await scenario('+40 ms', { delay: 40 }),
  await scenario('+40 ± 15 ms (uniform)', { delay: 40, jitter: 15 }),
  await scenario('+5 ± 5 ms (uniform)', { delay: 5, jitter: 5 }),
  await scenario('4 % loss (seeded)', { loss: 0.04 }),
];
for (const r of rows) {
  const s = r.stats;
  const added = s.rtt_avg_ms - base.stats.rtt_avg_ms;
  const addedTruth = r.truth.delay - base.truth.delay;
  const lossTruth = (100 * r.record.dropped) / s.sent;
  process.stdout.write(
    `| ${r.name} | ${fmt(s.rtt_avg_ms)} | ${fmt(added)} vs ${fmt(addedTruth)} (error ${fmt(added - addedTruth)}) | ${fmt(s.jitter_ms)} / ${fmt(r.truth.jitter)} (error ${fmt(s.jitter_ms - r.truth.jitter)}) | ${fmt(s.loss_pct)} / ${fmt(lossTruth)} | ${fmt(mos(s.rtt_avg_ms, s.jitter_ms, s.loss_pct))} |\n`,
  );
}

// A bare node:dgram client at the same rate, for comparison: what any Node UDP sender pays here.
async function bare(port, pps, count) {
  const dgram = await import('node:dgram');
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.connect(port, '127.0.0.1', r));
  let got = 0;
  sock.on('message', () => {
    got += 1;
  });
  const buf = Buffer.alloc(200);
  const { encodeProbe } = await import(`${dist}/checks/udp-probe.js`);
  const start = performance.now();
  for (let i = 0; i < count; i += 1) {
    encodeProbe(buf, 1, i, performance.now());
    sock.send(buf);
    const wait = start + ((i + 1) * 1000) / pps - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await new Promise((r) => setTimeout(r, 300));
  sock.close();
  return got;
}

process.stdout.write(
  '\nCPU time (user + system) per 1,000 packets sent and echoed back; reflector in a child process:\n\n| rate | packets | udp-quality probe | bare node:dgram sender, for comparison | reflector |\n|---|---|---|---|---|\n',
);
for (const [pps, count] of [
  [50, 1000],
  [500, 5000],
  [1000, 10000],
]) {
  const peer = startPeer({ seed: 1, direct: true });
  const { port } = await peer.next();
  let before = process.cpuUsage();
  await runProbe({ host: '127.0.0.1', port, pps, count });
  let used = process.cpuUsage(before);
  const probeMs = (used.user + used.system) / 1000;
  before = process.cpuUsage();
  await bare(port, pps, count);
  used = process.cpuUsage(before);
  const bareMs = (used.user + used.system) / 1000;
  const record = await peer.end();
  process.stdout.write(
    `| ${pps} pps | ${count} | ${fmt((probeMs * 1000) / count, 1)} ms | ${fmt((bareMs * 1000) / count, 1)} ms | ${fmt((record.cpuMs * 1000) / record.echoed, 1)} ms |\n`,
  );
}
