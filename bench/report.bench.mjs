// The readiness report for a whole country's worth of sites: 10,000 sites
// (Vietnamese names, units province/commune), 7 days of daily verdicts and 200
// incidents. Times each renderer (they return the whole document, so the
// first byte leaves when rendering ends: time to first byte = render time),
// the HTML's size (raw and gzipped, as mailed), its parts (heatmap, tables),
// and, when chromium is installed, how long a headless chromium takes to load
// and lay out the page (--dump-dom).
// DIEMCAU_BENCH_DIST=/some/dir runs against a build elsewhere than ../dist.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DIEMCAU_BENCH_DIST || path.join(root, 'dist');
const load = (p) => import(pathToFileURL(path.join(distDir, p)).href);
const { translator } = await load('i18n/index.js');
const table = await load('report/fleet/table.js');
const csv = await load('report/fleet/csv.js');
const json = await load('report/fleet/json.js');
const html = await load('report/fleet/html.js');

const SITES = 10_000;
const DAYS = 7;
const INCIDENTS = 200;

// A small deterministic generator (no Math.random: the same data every run).
let seed = 42;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const PROVINCES = [
  'thanh-hoa',
  'nghe-an',
  'ha-tinh',
  'quang-tri',
  'lam-dong',
  'dien-bien',
  'lang-son',
  'hai-phong',
  'khanh-hoa',
  'ninh-binh',
];
const WORDS = [
  'Quảng',
  'Hoằng',
  'Mường',
  'Đông',
  'Tây',
  'Bắc',
  'Nam',
  'Phú',
  'Thượng',
  'Hạ',
  'Xuân',
  'Thọ',
  'Yên',
  'Định',
  'Nga',
  'Hậu',
];
const now = Date.parse('2025-07-08T01:30:00.000Z');
const generatedAt = new Date(now).toISOString();
const staleBefore = new Date(now - 26 * 3_600_000).toISOString();
const verdictOf = (x) => (x < 0.8 ? 'ready' : x < 0.9 ? 'degraded' : x < 0.97 ? 'not-ready' : 'unknown');
const FAILING = ['mcu-ping', 'mcu-sip', 'codec-reg', 'ups', 'vc-network', 'cam'];

const sites = [];
for (let i = 0; i < SITES; i++) {
  const province = PROVINCES[i % PROVINCES.length];
  const commune = `xa-${String(Math.floor(i / PROVINCES.length)).padStart(4, '0')}`;
  const stale = rnd() < 0.06;
  const verdict = stale && rnd() < 0.3 ? null : verdictOf(rnd());
  const at =
    verdict === null
      ? null
      : new Date(stale ? now - (30 + rnd() * 100) * 3_600_000 : now - rnd() * 20 * 3_600_000).toISOString();
  sites.push({
    id: `${province.slice(0, 2)}-${commune}`,
    name: `UBND xã ${pick(WORDS)} ${pick(WORDS)}`,
    unit: `${province}/${commune}`,
    verdict,
    at,
    runId: verdict === null ? null : 100_000 + i,
    failing: verdict === 'not-ready' || verdict === 'degraded' ? [pick(FAILING)] : [],
    stale,
  });
}
const counts = { sites: SITES, ready: 0, degraded: 0, notReady: 0, unknown: 0, stale: 0 };
for (const s of sites) {
  if (s.stale) counts.stale += 1;
  else if (s.verdict === 'not-ready') counts.notReady += 1;
  else counts[s.verdict] += 1;
}
const days = Array.from({ length: DAYS }, (_, i) =>
  new Date(now - (DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10),
);
const daily = {
  days,
  sites: sites.map((s) => ({ id: s.id, verdicts: days.map(() => (rnd() < 0.05 ? null : verdictOf(rnd()))) })),
};
const CATEGORIES = [
  'khong_hinh',
  'khong_tieng',
  'mat_ket_noi',
  'tieng_vong',
  'su_co_duong_truyen',
  'mat_dien',
  'su_co_mcu',
];
const incidents = Array.from({ length: INCIDENTS }, (_, i) => {
  const s = sites[Math.floor(rnd() * SITES)];
  const occurred = now - rnd() * 7 * 86_400_000;
  const resolved = rnd() < 0.7 ? occurred + rnd() * 6 * 3_600_000 : null;
  const iso = (ms) => new Date(ms).toISOString();
  return {
    id: i + 1,
    site: { id: s.id, name: s.name, unit: s.unit },
    category: pick(CATEGORIES),
    severity: pick(['critical', 'major', 'minor']),
    summary: 'Mất kết nối tới MCU tỉnh, đã gọi VNPT "kiểm tra" đường truyền',
    occurredAt: iso(occurred),
    effect: 'none',
    status: resolved ? 'resolved' : 'open',
    createdAt: iso(occurred + 300_000),
    updatedAt: iso(resolved ?? occurred + 300_000),
    ...(resolved ? { resolvedAt: iso(resolved) } : {}),
    history: [
      { at: iso(occurred + 300_000), status: 'open' },
      ...(resolved ? [{ at: iso(resolved), status: 'resolved' }] : []),
    ],
  };
});
const data = { readiness: { generatedAt, unit: '', staleBefore, counts, sites }, daily, incidents };

const base = {
  t: translator('vi'),
  locale: 'vi',
  color: false,
  tty: true,
  columns: 160,
  timeZone: 'Asia/Ho_Chi_Minh',
};
const RUNS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(label, fn) {
  fn(); // warm-up (JIT, the string-width tables)
  const ms = [];
  let out = '';
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  const bytes = Buffer.byteLength(out);
  console.log(
    `${label.padEnd(34)} median ${median(ms).toFixed(1).padStart(7)} ms  (min ${Math.min(...ms).toFixed(1)}, max ${Math.max(...ms).toFixed(1)}; ${RUNS} runs)  ${(bytes / 1024).toFixed(0)} KiB`,
  );
  return out;
}

console.log(
  `readiness report: ${SITES} sites, ${DAYS} days of daily verdicts, ${INCIDENTS} incidents (Node ${process.version})`,
);
time('table, terminal (aligned, vi)', () => table.renderReadinessTable(data, base));
time('table, piped (tab-separated)', () => table.renderReadinessTable(data, { ...base, tty: false }));
time('csv (with BOM)', () => csv.renderReadinessCsv(data, { ...base, bom: true }));
time('json', () => json.renderReadinessJson(data, base));
const page = time('html (vi)', () => html.renderReadinessHtml(data, base));

const size = Buffer.byteLength(page);
const part = (start, end) => {
  const a = page.indexOf(start);
  return Buffer.byteLength(page.slice(a, page.indexOf(end, a) + end.length));
};
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(
  `html size: ${kib(size)} (${(size / 1024 / 1024).toFixed(2)} MiB); gzipped ${kib(gzipSync(page).length)}`,
);
console.log(
  `  heatmap svg: ${kib(part('<figure class="hm"', '</figure>'))} for ${SITES * DAYS} cells (${(part('<figure class="hm"', '</figure>') / (SITES * DAYS)).toFixed(0)} bytes per cell, tooltip included)`,
);
console.log(
  `  sites table: ${kib(part('<table id="sites-table">', '</table>'))}; incidents table: ${kib(part('<table id="incidents-table">', '</table>'))}`,
);

const chromium = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
if (chromium) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-'));
  try {
    const file = path.join(dir, 'readiness.html');
    writeFileSync(file, page);
    const flags = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ];
    const t0 = performance.now();
    const r = spawnSync(
      chromium,
      [...flags, `--user-data-dir=${path.join(dir, 'profile')}`, '--dump-dom', pathToFileURL(file).href],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        timeout: 120_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const took = performance.now() - t0;
    const cells = (r.stdout.match(/<rect x=/g) ?? []).length;
    console.log(
      `chromium --dump-dom of the 10,000-site page: ${(took / 1000).toFixed(1)} s (exit ${r.status}; ${cells} heatmap cells in the DOM)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else console.log('chromium not installed: page load not measured');
