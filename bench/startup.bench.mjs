// Cold start: `diemcau --help` and `diemcau --version` against a bare
// `node -e 0`, as a ratio (goal ≤ 1.4×). Runs are interleaved in random
// order so drift and noise hit every command alike; the figure is the
// median of batch medians.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'diemcau.js');
const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'diemcau --help': [process.execPath, [bin, '--help']],
  'diemcau --version': [process.execPath, [bin, '--version']],
  'diemcau profile --help': [process.execPath, [bin, 'profile', '--help']],
};
// Another build side by side in the same run (its ratio holds on a noisy machine):
// BENCH_BASE_BIN=/path/to/other/checkout/bin/diemcau.js npm run bench -- startup
const baseBin = process.env.BENCH_BASE_BIN;
if (baseBin) {
  commands['base --help'] = [process.execPath, [baseBin, '--help']];
  commands['base --version'] = [process.execPath, [baseBin, '--version']];
  commands['base profile --help'] = [process.execPath, [baseBin, 'profile', '--help']];
}
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const BATCHES = 3;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function time([cmd, args]) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', env: { ...process.env, LANG: 'vi_VN.UTF-8' } });
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
console.log(`runs: ${RUNS} × ${BATCHES} batches, interleaved; node ${process.version}`);
console.log('| command | median ms | ratio to node -e 0 |');
console.log('|---|---|---|');
for (const n of names) {
  const ms = median(batchMedians[n]);
  console.log(`| ${n} | ${ms.toFixed(1)} | ${(ms / base).toFixed(2)}× |`);
}

// What `--help` loads: it must not import the heavy packages (traced with a resolve hook).
import fs from 'node:fs';
import os from 'node:os';

const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-trace-')), 'imports.txt');
fs.writeFileSync(log, '');
spawnSync(process.execPath, ['--import', path.join(root, 'test/helpers/trace-imports.mjs'), bin, '--help'], {
  stdio: 'ignore',
  env: { ...process.env, DIEMCAU_TRACE_IMPORTS: log },
});
const loaded = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
const packages = [
  ...new Set(loaded.map((u) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter(Boolean)),
];
console.log(`modules resolved by --help: ${loaded.length}; packages: ${packages.join(', ') || 'none'}`);
