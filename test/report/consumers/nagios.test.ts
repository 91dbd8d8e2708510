/**
 * Nagios output read by a real Monitoring Plugins range parser: Python's
 * nagiosplugin (Debian python3-nagiosplugin), whose `Range` is the
 * documented threshold grammar (`10`, `10:`, `~:10`, `10:20`, `@10:20`). Each
 * perfdata threshold must alert exactly when diemcau's own judge says the
 * limit broke, for minimums and maximums alike; and the output stays within
 * Nagios' and NRPE's byte limits.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKind, loadKinds } from '../../../src/checks/index.js';
import { directedLimits, judge } from '../../../src/checks/thresholds.js';
import type { SiteRun } from '../../../src/engine/run.js';
import { translator } from '../../../src/i18n/index.js';
import type { CheckResult } from '../../../src/model/check.js';
import { renderNagios, STATUS_LINE_BYTES } from '../../../src/report/nagios.js';
import type { RenderOptions, RunReport } from '../../../src/report/types.js';
import { run } from '../../helpers/cli.js';
import { haveCapability } from '../../helpers/peers.js';
import { sampleReport } from '../sample.js';

const en: RenderOptions = { t: translator('en'), locale: 'en', color: false, tty: true, columns: 100 };
const PYTHON = '/usr/bin/python3';

function nagiospluginWorks(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import nagiosplugin'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const havePlugin = haveCapability(
  'nagiosplugin',
  nagiospluginWorks(),
  'Python nagiosplugin not importable (apt-get install python3-nagiosplugin)',
);

/** Every perfdata item of an output (status line and long text), judged by nagiosplugin's Range. */
const PARSE = String.raw`
import json, re, sys
from nagiosplugin import Range
text = sys.stdin.read()
first, _, rest = text.partition("\n")
perf = first.partition(" | ")[2]
if "|" in rest:
    perf += " " + rest.partition("|")[2]
out = []
for m in re.finditer(r"'((?:[^']|'')+)'=([-0-9.]+)([a-zA-Z%]*)((?:;[^;\s]*){0,4})", perf):
    label, value, uom, fields = m.group(1), float(m.group(2)), m.group(3), m.group(4).split(";")[1:]
    warn = fields[0] if len(fields) > 0 else ""
    crit = fields[1] if len(fields) > 1 else ""
    level = "pass"
    if crit and not Range(crit).match(value):
        level = "fail"
    elif warn and not Range(warn).match(value):
        level = "warn"
    out.append({"label": label, "value": value, "warn": warn, "crit": crit, "level": level})
print(json.dumps(out))
`;

type Parsed = { label: string; value: number; warn: string; crit: string; level: string };
const parse = (text: string): Parsed[] =>
  JSON.parse(execFileSync(PYTHON, ['-c', PARSE], { input: text, encoding: 'utf8' }));

type PlainLimits = { warn?: Record<string, number>; fail?: Record<string, number> };
const plain = new Map<string, PlainLimits>();

// The directions come from the kinds themselves, loaded here as a profile's would be.
await loadKinds();

function check(id: string, kind: string, metrics: Record<string, number>, plainLimits: PlainLimits) {
  const directions = findKind(kind)?.thresholds ?? {};
  const { status } = judge(metrics, directions, plainLimits.warn, plainLimits.fail);
  plain.set(id, plainLimits);
  const limits = directedLimits(plainLimits, directions);
  const r: CheckResult = {
    id,
    kind,
    status,
    required: true,
    summary: `${id} ${status}`,
    metrics,
    ...(limits ? { limits } : {}),
    startedAt: '2026-11-25T01:00:00.000Z',
    durationMs: 10,
    attempts: 1,
  };
  return r;
}

function reportOf(checks: CheckResult[]): RunReport {
  const site: SiteRun = {
    site: { id: 'th-xa-a', name: 'UBND xã A', unit: 'thanh-hoa/xa-a' },
    file: 'xa-a.yaml',
    verdict: checks.some((c) => c.status === 'fail') ? 'not-ready' : 'ready',
    startedAt: '2026-11-25T01:00:00.000Z',
    durationMs: 100,
    checks,
  };
  return { ...sampleReport, verdict: site.verdict, sites: [site] };
}

// Minimums and maximums, passing and broken, negative figures (dBFS) included.
const CHECKS = [
  check(
    'bandwidth',
    'throughput',
    { down_mbps: 1832, up_mbps: 1.5 },
    { warn: { down_mbps: 5, up_mbps: 2 }, fail: { down_mbps: 2, up_mbps: 1 } },
  ),
  check(
    'vc-network',
    'udp-quality',
    { mos: 4.42, rtt_ms: 35, loss_pct: 0.2 },
    { warn: { mos: 3.7, rtt_ms: 150, loss_pct: 1 }, fail: { mos: 3.1, rtt_ms: 400, loss_pct: 3 } },
  ),
  check(
    'cam',
    'camera',
    { fps: 15, black_ratio: 0.2 },
    { warn: { black_ratio: 0.1 }, fail: { fps: 5, black_ratio: 0.5 } },
  ),
  check(
    'mic',
    'microphone',
    { level_dbfs: -21.1, peak_dbfs: -0.5 },
    { warn: { peak_dbfs: -1 }, fail: { level_dbfs: -60, peak_dbfs: 0 } },
  ),
  check('mic-quiet', 'microphone', { level_dbfs: -70 }, { fail: { level_dbfs: -60 } }),
  check('mcu-ping', 'ping', { rtt_ms: 500, jitter_ms: 3 }, { warn: { rtt_ms: 150 }, fail: { rtt_ms: 400 } }),
];

describe.skipIf(!havePlugin)('nagios perfdata in a real range parser (nagiosplugin)', () => {
  it('every threshold alerts exactly when the check judged the limit broken', () => {
    const out = renderNagios(reportOf(CHECKS), en);
    const parsed = parse(out);
    const expected: Array<{ label: string; level: string }> = [];
    for (const r of CHECKS) {
      const directions = findKind(r.kind)?.thresholds ?? {};
      for (const [metric, value] of Object.entries(r.metrics)) {
        const limits = plain.get(r.id);
        const { status } = judge({ [metric]: value }, directions, limits?.warn, limits?.fail);
        expected.push({ label: `${r.id}.${metric.replace(/_(ms|pct|s|bytes)$/, '')}`, level: status });
      }
    }
    expect(parsed.map(({ label, level }) => ({ label, level }))).toEqual(expected);
    // The minimums of the issue, now ranges that pass.
    expect(parsed.find((p) => p.label === 'bandwidth.down_mbps')).toMatchObject({ warn: '5:', crit: '2:' });
    expect(parsed.find((p) => p.label === 'vc-network.mos')).toMatchObject({ warn: '3.7:', crit: '3.1:' });
    expect(parsed.find((p) => p.label === 'cam.fps')).toMatchObject({ crit: '5:', level: 'pass' });
    expect(parsed.find((p) => p.label === 'mic.level_dbfs')).toMatchObject({ crit: '-60:', level: 'pass' });
    expect(parsed.find((p) => p.label === 'mic.peak_dbfs')).toMatchObject({ warn: '~:-1', level: 'warn' });
  });

  it('the old maximum-style minimum is what the parser reads as an alert (the test can fail)', () => {
    const old = "DIEMCAU OK - x | 'bandwidth.down_mbps'=1832;;2\n";
    expect(parse(old)[0]?.level).toBe('fail');
  });

  it('perfdata that does not fit the status line goes to the long text, still parsed', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      check(
        `bridge-${String(i).padStart(2, '0')}-sip-options-rtt`,
        'ping',
        { rtt_ms: 20 + i, loss_pct: 0 },
        { warn: { rtt_ms: 150, loss_pct: 1 }, fail: { rtt_ms: 400, loss_pct: 3 } },
      ),
    );
    const out = renderNagios(reportOf(many), en);
    const first = out.split('\n')[0] as string;
    expect(Buffer.byteLength(`${first}\n`)).toBeLessThanOrEqual(STATUS_LINE_BYTES);
    expect(parse(out)).toHaveLength(120);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(8192);
  });
});

describe('nagios output sizes', () => {
  const ok = (i: number): SiteRun => ({
    site: { id: `th-xa-${String(i).padStart(3, '0')}`, name: `xã ${i}`, unit: `thanh-hoa/xa-${i}` },
    file: `xa-${i}.yaml`,
    verdict: i % 50 === 0 ? 'not-ready' : 'ready',
    startedAt: '2026-11-25T01:00:00.000Z',
    durationMs: 100,
    checks: [check('mcu-ping', 'ping', { rtt_ms: i % 50 === 0 ? 500 : 20 }, { fail: { rtt_ms: 400 } })],
  });
  const sweep: RunReport = {
    ...sampleReport,
    verdict: 'not-ready',
    sites: Array.from({ length: 300 }, (_, i) => ok(i)),
  };

  it('a 300-site sweep lists only the sites not ready, and counts the others', () => {
    const out = renderNagios(sweep, en);
    const lines = out.trimEnd().split('\n');
    expect(lines.slice(1)).toEqual([
      ...[0, 50, 100, 150, 200, 250].map(
        (i) => `[CRITICAL] th-xa-${String(i).padStart(3, '0')}: NOT READY (mcu-ping)`,
      ),
      '294 site(s) ready',
    ]);
    expect(Buffer.byteLength(out)).toBeLessThan(8192);
  });

  it('--nagios-max-bytes caps the whole output and says how many lines were left out', () => {
    const bad = { ...sweep, sites: sweep.sites.map((s) => ({ ...s, verdict: 'not-ready' as const })) };
    const out = renderNagios(bad, { ...en, nagiosMaxBytes: 2000 });
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(2000);
    expect(out).toMatch(
      /\n… \d+ more line\(s\) left out to stay within 2000 bytes \(see --nagios-max-bytes\)\n$/,
    );
    expect(Buffer.byteLength(renderNagios(bad, en))).toBeLessThanOrEqual(8192);
  });
});

describe('--format nagios that cannot run', () => {
  it('prints UNKNOWN with a one-line reason on stdout and exits 3', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-nagios-'));
    await fs.writeFile(path.join(dir, 'bad.yaml'), 'site:\n  id: x\n  name: y\n');
    const r = await run(['check', 'bad.yaml', '--format', 'nagios', '--lang', 'en'], {
      cwd: dir,
      stateDir: dir,
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^DIEMCAU UNKNOWN - bad\.yaml:\d+:\d+: .+\n$/);
    expect(r.stderr).toContain('diemcau: error: ');
    const missing = await run(['check', 'nope.yaml', '--format', 'nagios', '--lang', 'en'], {
      cwd: dir,
      stateDir: dir,
    });
    expect(missing.code).toBe(3);
    expect(missing.stdout.split('\n')).toHaveLength(2);
    expect(missing.stdout).toMatch(/^DIEMCAU UNKNOWN - /);
  });
});
