/**
 * A night sweep: 200 generated site profiles (in folders, with a province
 * defaults file and one broken profile among them) against simulated codecs
 * and a simulated bridge on loopback, `--remote`, sites 16 at a time. The
 * verdict of every site is known from the simulator it points at.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeSim, type CodecSim, startBridgeSim, startCodecSim } from '../../src/sim/index.js';
import { run } from '../helpers/cli.js';

const PASSWORD = 'sweep-secret';
let dir: string;
let sims: Array<{ sim: CodecSim; driver: 'cisco' | 'poly'; expected: 'ready' | 'degraded' | 'not-ready' }>;
let bridge: BridgeSim;
const SITES = 200;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-sweep-'));
  bridge = await startBridgeSim({ host: '127.0.0.1' });
  sims = [
    {
      sim: await startCodecSim('cisco', { host: '127.0.0.1', password: PASSWORD, sipDial: 'off' }),
      driver: 'cisco',
      expected: 'ready',
    },
    {
      sim: await startCodecSim('poly', { host: '127.0.0.1', password: PASSWORD, sipDial: 'off' }),
      driver: 'poly',
      expected: 'ready',
    },
    {
      sim: await startCodecSim('cisco', {
        host: '127.0.0.1',
        password: PASSWORD,
        sipDial: 'off',
        scenario: { unregistered: true },
      }),
      driver: 'cisco',
      expected: 'not-ready',
    },
    {
      // The diagnostics check is advisory: an error-level diagnostic only degrades.
      sim: await startCodecSim('poly', {
        host: '127.0.0.1',
        password: PASSWORD,
        sipDial: 'off',
        scenario: { diagnostics_error: true },
      }),
      driver: 'poly',
      expected: 'degraded',
    },
  ];
  await fs.mkdir(path.join(dir, 'profiles/defaults'), { recursive: true });
  await fs.writeFile(
    path.join(dir, 'profiles/defaults/tinh.yaml'),
    `bridges:\n  - { id: tinh, uri: "sip:8001@127.0.0.1:${bridge.port}", transport: udp }\ncheck_defaults:\n  codec-status: { timeout: 5s }\n`,
  );
  for (let i = 0; i < SITES; i++) {
    const { sim, driver } = sims[i % sims.length] as (typeof sims)[number];
    const folder = path.join(dir, 'profiles', `xa-${String(Math.floor(i / 50)).padStart(2, '0')}`);
    await fs.mkdir(folder, { recursive: true });
    const id = `xa-${String(i).padStart(3, '0')}`;
    await fs.writeFile(
      path.join(folder, `${id}.yaml`),
      `extends: ../defaults/tinh.yaml
site: { id: ${id}, name: "UBND xã số ${i}", unit: "tinh/cum-${Math.floor(i / 50)}/${id}", level: xa }
locale: vi
codec: { driver: ${driver}, scheme: http, host: 127.0.0.1, port: ${sim.port}, username: admin, password: "\${CODEC_PASSWORD}" }
checks:
  - { id: codec, kind: codec-status }
  - { id: codec-reg, kind: codec-registration, needs: [codec] }
  - { id: codec-diag, kind: codec-diagnostics, needs: [codec], required: false }
  - { id: mcu-sip, kind: sip-options, bridge: tinh }
  - { id: mic, kind: microphone }
`,
    );
  }
  // One site whose profile is broken: it must not stop the sweep.
  await fs.writeFile(path.join(dir, 'profiles/xa-03/hong.yaml'), 'site: { id: hong, name: Hỏng }\n');
});

afterAll(async () => {
  for (const s of sims ?? []) await s.sim.close();
  await bridge?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const expectedVerdict = (id: string) => {
  const i = Number(id.slice(3));
  return sims[i % sims.length]?.expected;
};

describe('a sweep over 200 sites', () => {
  it('checks every site (remote checks only), keeps going past a broken profile, exits with the worst verdict', async () => {
    const r = await run(
      [
        'check',
        'profiles',
        '--remote',
        '--concurrency',
        '16',
        '--format',
        'json',
        '--format',
        'junit=out.xml',
        '--format',
        'prometheus=out.prom',
        '--format',
        'nagios=out.txt',
      ],
      { cwd: dir, env: { CODEC_PASSWORD: PASSWORD } },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.sites).toHaveLength(SITES + 1);
    const broken = doc.sites.find((s: { site: { id: string } }) => s.site.id === 'hong');
    expect(broken.verdict).toBe('unknown');
    // A sweep speaks LANG (en here), not each profile's locale, so one report has one language.
    expect(broken.error.message).toBe('profiles/xa-03/hong.yaml:1:7: site.unit: required field is missing');
    const counts = { ready: 0, degraded: 0, 'not-ready': 0 };
    for (const s of doc.sites.filter((x: { site: { id: string } }) => x.site.id !== 'hong')) {
      expect([s.site.id, s.verdict]).toEqual([s.site.id, expectedVerdict(s.site.id)]);
      // --remote leaves out the local-only microphone check.
      expect(s.checks.map((c: { id: string }) => c.id)).toEqual([
        'codec',
        'codec-reg',
        'codec-diag',
        'mcu-sip',
      ]);
      counts[s.verdict as keyof typeof counts] += 1;
    }
    expect(counts).toEqual({ ready: 100, degraded: 50, 'not-ready': 50 });
    // No simulated codec was left with a session open.
    expect(sims.map((s) => s.sim.sessions())).toEqual([0, 0, 0, 0]);

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      await fs.readFile(path.join(dir, 'out.xml'), 'utf8'),
    );
    expect(junit.testsuites.testsuite).toHaveLength(SITES + 1);
    const prom = await fs.readFile(path.join(dir, 'out.prom'), 'utf8');
    expect(prom.match(/^diemcau_site_verdict\{.*\} 1$/gm)).toHaveLength(SITES + 1);
    expect(prom).toContain(
      'diemcau_site_verdict{site="xa-002",unit="tinh/cum-0/xa-002",verdict="not-ready",sweep="profiles"} 1\n',
    );
    const nagios = await fs.readFile(path.join(dir, 'out.txt'), 'utf8');
    expect(nagios.split('\n')[0]).toMatch(
      /^DIEMCAU CRITICAL - xa-\d{3}: NOT READY \(codec-reg\); 201 site\(s\): 100 ready, 50 with warnings, 50 not ready, 1 could not be checked \| sites=201 ready=100 degraded=50 not_ready=50 unknown=1 duration=[\d.]+s$/,
    );
  });

  it('globs select profiles like the shell would; on a terminal a progress bar goes to stderr', async () => {
    const r = await run(
      ['check', 'profiles/xa-0{1,2}/*.yaml', '--remote', '--only', 'codec', '--format', 'json'],
      {
        cwd: dir,
        tty: true,
        env: { CODEC_PASSWORD: PASSWORD, NO_COLOR: '1' },
      },
    );
    expect(r.stderr).toMatch(/█*░* \d+\/100 sites · 0 not ready · about .+ left/);
    const doc = JSON.parse(r.stdout);
    expect(doc.sites).toHaveLength(100);
    expect(doc.sites[0].site.id).toBe('xa-050');
    expect(r.code).toBe(0);
  });
});
