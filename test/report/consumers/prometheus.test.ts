/**
 * `--format prometheus` read by the real consumers: `promtool check metrics`
 * (Debian prometheus) lints names and units, and node_exporter's textfile
 * collector (Debian prometheus-node-exporter, on 127.0.0.1 with an ephemeral
 * port) serves two sweeps' files from one folder, scraped once over HTTP:
 * every sample must come through, with no collector error.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.js';
import { renderPrometheus } from '../../../src/report/prometheus.js';
import type { RenderOptions, RunReport } from '../../../src/report/types.js';
import { havePeer } from '../../helpers/peers.js';
import { sampleReport, sweepReport } from '../sample.js';

const en: RenderOptions = { t: translator('en'), locale: 'en', color: false, tty: true, columns: 100 };

const samples = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

/** A sample as node_exporter writes it back: labels sorted by name, the value as a number. */
function normal(line: string): string {
  const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
  if (!m) throw new Error(`not a sample: ${line}`);
  const labels = (m[2] ?? '').match(/[a-z_]+="(?:[^"\\]|\\.)*"/g) ?? [];
  return `${m[1]}{${[...labels].sort().join(',')}} ${Number(m[3])}`;
}

// A throughput check too: Mbps must become bytes per second (promtool refuses bits).
const withThroughput: RunReport = structuredClone(sweepReport);
withThroughput.sites[1]?.checks.push({
  id: 'bandwidth',
  kind: 'throughput',
  status: 'pass',
  required: true,
  summary: 'down 1832 Mbps',
  metrics: { down_mbps: 1832, up_mbps: 900 },
  startedAt: '2026-11-25T01:00:00.000Z',
  durationMs: 3000,
  attempts: 1,
});

describe.skipIf(!havePeer('promtool', 'apt-get install prometheus'))('prometheus text in promtool', () => {
  const lint = (text: string) =>
    spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  it('passes `promtool check metrics` with no lint problem', () => {
    const text = renderPrometheus(withThroughput, {
      ...en,
      sweep: 'thanh-hoa',
      upload: { sent: 2, queued: 0 },
    });
    expect(text).toContain('diemcau_throughput_down_bytes_per_second{');
    const r = lint(text);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('refuses what the old renderer wrote (the test can fail)', () => {
    const old =
      '# HELP diemcau_throughput_down_bits_per_second x\n# TYPE diemcau_throughput_down_bits_per_second gauge\ndiemcau_throughput_down_bits_per_second 1\n';
    const r = lint(old);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('use base unit "bytes" instead of "bits"');
  });
});

const EXPORTER = '/usr/bin/prometheus-node-exporter';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function scrape(url: string, deadline: number): Promise<string> {
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.text();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`node_exporter did not answer on ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!havePeer(EXPORTER, 'apt-get install prometheus-node-exporter'))(
  'prometheus files in node_exporter textfile collector',
  () => {
    let exporter: ChildProcess | undefined;
    afterAll(() => {
      exporter?.kill();
    });
    it('two sweeps in one folder: every sample is served, and no collector error', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-textfile-'));
      // The same site in two sweeps (the nightly sweep and the province's own): the sweep label keeps them apart.
      const a = renderPrometheus(withThroughput, { ...en, sweep: 'nightly' });
      const b = renderPrometheus(sampleReport, { ...en, sweep: 'thanh-hoa', upload: { sent: 0, queued: 1 } });
      await fs.writeFile(path.join(dir, 'nightly.prom'), a);
      await fs.writeFile(path.join(dir, 'thanh-hoa.prom'), b);
      const port = await freePort();
      exporter = spawn(
        EXPORTER,
        [
          `--web.listen-address=127.0.0.1:${port}`,
          `--collector.textfile.directory=${dir}`,
          '--collector.disable-defaults',
          '--collector.textfile',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let log = '';
      exporter.stderr?.on('data', (d) => {
        log += String(d);
      });
      const body = await scrape(`http://127.0.0.1:${port}/metrics`, Date.now() + 15_000);
      const served = new Set(
        samples(body)
          .filter((l) => l.startsWith('diemcau_'))
          .map(normal),
      );
      for (const line of [...samples(a), ...samples(b)]) expect(served).toContain(normal(line));
      expect(served.size).toBe(samples(a).length + samples(b).length);
      expect(body).toContain('node_textfile_scrape_error 0');
      expect(log).not.toMatch(/level=error/);
    }, 30_000);
  },
);
