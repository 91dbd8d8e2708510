// Parallelism: a checklist of 8 checks that each take about 1 s on loopback
// (HTTP checks against a server that answers after 0.9–1.1 s) — wall time
// against the slowest check (goal ≤ 1.2×), through the real engine.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { runSite } = await import(path.join(root, 'dist/engine/run.js'));
const { createContext } = await import(path.join(root, 'dist/cli/context.js'));

const server = http.createServer((req, res) => {
  const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms'));
  setTimeout(() => res.end('ok'), ms);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
const delays = [900, 950, 1000, 1020, 1050, 980, 1100, 930];
const checks = delays.map((ms, i) => ({
  id: `c${i}`,
  kind: 'http',
  required: true,
  retries: 0,
  needs: [],
  timeoutMs: 5000,
  params: { id: `c${i}`, kind: 'http', url: `http://127.0.0.1:${port}/?ms=${ms}` },
}));
const profile = {
  file: 'bench',
  files: [],
  site: { id: 'bench', name: 'bench', unit: 'bench' },
  bridges: [],
  checks,
  secretPaths: [],
  document: {},
};
const sink = { write: () => true };
const ctx = createContext({
  io: {
    stdout: sink,
    stderr: sink,
    stdin: undefined,
    stdoutTTY: false,
    stderrTTY: false,
    interactive: false,
    color: false,
    columns: 80,
  },
  locale: 'en',
  env: {},
  cwd: root,
  stateDir: '/tmp',
});
const ratios = [];
for (let rep = 0; rep < 5; rep++) {
  const run = await runSite(profile, ctx);
  if (run.verdict !== 'ready')
    throw new Error(`bench checklist not ready: ${JSON.stringify(run.checks.map((c) => c.summary))}`);
  const slowest = Math.max(...run.checks.map((c) => c.durationMs));
  const sum = run.checks.reduce((a, c) => a + c.durationMs, 0);
  const designed = Math.max(...delays);
  ratios.push(run.durationMs / designed);
  console.log(
    `run ${rep + 1}: wall ${run.durationMs} ms; slowest check measured ${slowest} ms, by design ${designed} ms; sum of checks ${sum} ms; wall/slowest ${(run.durationMs / designed).toFixed(3)}×, sum/wall ${(sum / run.durationMs).toFixed(1)}×`,
  );
}
ratios.sort((a, b) => a - b);
console.log(
  `median wall / slowest check (${Math.max(...delays)} ms by design): ${ratios[2].toFixed(3)}× (goal ≤ 1.2×)`,
);
server.close();
