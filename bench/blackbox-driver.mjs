// Helper for sweep-peers.bench.mjs (not a benchmark itself): plays Prometheus
// for blackbox_exporter. Reads a targets file (one JSON line per site:
// {tcp: "127.0.0.1:PORT", http: "http://127.0.0.1:PORT/…"}) and asks the
// exporter one /probe per target and module, CONCURRENCY requests at once,
// over keep-alive connections. Prints {probes, success, failed} as JSON.
// Usage: node blackbox-driver.mjs EXPORTER_PORT TARGETS_FILE CONCURRENCY
import fs from 'node:fs';
import http from 'node:http';

const [port, file, concurrency] = process.argv.slice(2);
const sites = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const probes = sites.flatMap((s) => [
  { module: 'tcp_connect', target: s.tcp },
  { module: 'http_2xx', target: s.http },
]);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });

function probe({ module, target }) {
  return new Promise((resolve) => {
    const q = `/probe?module=${module}&target=${encodeURIComponent(target)}`;
    const req = http.get({ host: '127.0.0.1', port: Number(port), path: q, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve(/^probe_success 1$/m.test(body)));
    });
    req.on('error', () => resolve(false));
  });
}

let next = 0;
let success = 0;
const worker = async () => {
  while (next < probes.length) {
    const p = probes[next++];
    if (await probe(p)) success += 1;
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ probes: probes.length, success, failed: probes.length - success })}\n`,
);
