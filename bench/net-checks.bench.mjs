// The network kinds: how fast the ping parser reads output (a 1000-probe run
// in two formats), and what one check costs on loopback, where the network
// takes almost nothing: tcp, dns (system resolver, localhost), http, and ping
// with one probe (mostly the cost of starting the ping process).
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const { parsePingOutput, pingStats, seqBase } = await import(dist('checks/ping-parse.js'));
const { loadKind } = await import(dist('checks/index.js'));
const { translator } = await import(dist('i18n/index.js'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (n, d = 2) => n.toFixed(d);

// 1. Parser throughput.
const N = 1000;
const linux = [`PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.`];
const windows = ['', 'Pinging 10.0.0.1 with 32 bytes of data:'];
for (let i = 1; i <= N; i += 1) {
  linux.push(`64 bytes from 10.0.0.1: icmp_seq=${i} ttl=60 time=${(20 + (i % 7) * 0.731).toFixed(3)} ms`);
  windows.push(
    i % 50 === 0 ? 'Request timed out.' : `Reply from 10.0.0.1: bytes=32 time=${20 + (i % 7)}ms TTL=60`,
  );
}
const outputs = {
  'iputils (1000 replies)': linux.join('\n'),
  'Windows (1000 lines, CRLF)': windows.join('\r\n'),
};
for (const [name, text] of Object.entries(outputs)) {
  const rounds = 200;
  const t0 = performance.now();
  let received = 0;
  for (let r = 0; r < rounds; r += 1) {
    const parsed = parsePingOutput(text);
    received = pingStats(parsed, N, seqBase(parsed, 'linux')).received;
  }
  const ms = (performance.now() - t0) / rounds;
  console.log(`parse + stats, ${name}: ${fmt(ms, 3)} ms per run (${received} replies counted)`);
}

// 2. One check on loopback, median of repeated runs.
const server = http.createServer((_req, res) => res.end('ok'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const httpPort = server.address().port;
const tcpServer = net.createServer((s) => s.end());
await new Promise((r) => tcpServer.listen(0, '127.0.0.1', r));
const tcpPort = tcpServer.address().port;

const ctx = () => ({
  t: translator('en'),
  locale: 'en',
  signal: AbortSignal.timeout(10_000),
  clock: { now: () => new Date(), monotonic: () => performance.now() },
  env: process.env,
  cwd: root,
  profile: {
    file: 'bench',
    files: [],
    site: { id: 'b', name: 'b', unit: 'b' },
    bridges: [],
    checks: [],
    secretPaths: [],
    document: {},
  },
  timeoutMs: 10_000,
});
const cases = [
  ['tcp 127.0.0.1', 'tcp', { target: '127.0.0.1', port: tcpPort }, 50],
  ['dns localhost (system)', 'dns', { name: 'localhost', family: 'ipv4' }, 50],
  ['http GET 127.0.0.1', 'http', { url: `http://127.0.0.1:${httpPort}/` }, 50],
  ['ping 127.0.0.1, 1 probe', 'ping', { target: '127.0.0.1', count: 1 }, 20],
];
for (const [name, kind, params, runs] of cases) {
  const k = await loadKind(kind);
  const times = [];
  let status = '';
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    const r = await k.run(params, ctx());
    times.push(performance.now() - t0);
    status = r.status;
  }
  console.log(
    `${name}: median ${fmt(median(times))} ms, max ${fmt(Math.max(...times))} ms over ${runs} runs (last: ${status})`,
  );
}
server.close();
tcpServer.close();
