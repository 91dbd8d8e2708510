/**
 * The power, UPS, AV and network-quality kinds in a real profile: what the
 * loader accepts and how it names mistakes, then one checklist of them all
 * through the engine (runSite) against loopback peers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSite } from '../../src/engine/run.js';
import { ProfileError } from '../../src/errors.js';
import { translator } from '../../src/i18n/index.js';
import { loadProfile } from '../../src/profile/load.js';
import { type Reflector, startReflector } from '../../src/registry/reflector.js';
import { speedtestRoutes } from '../../src/registry/speedtest.js';
import { testContext } from '../helpers/context.js';
import { which } from '../helpers/peers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'diemcau-p5-'));

async function load(body: string, locale: 'en' | 'vi' = 'en') {
  const file = path.join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, body);
  return loadProfile(file, { t: translator(locale), env: { UPS_PASSWORD: 'secret' }, cwd: dir });
}

async function loadError(checks: string, locale: 'en' | 'vi' = 'en'): Promise<ProfileError> {
  try {
    await load(`site: { id: x, name: X, unit: x }\nchecks:\n${checks}`, locale);
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error('expected a ProfileError');
}

describe('profile schema', () => {
  it('accepts the docs/design.md lines and the documented fields', async () => {
    const { profile } = await load(
      [
        'site: { id: th-bimson-ubnd, name: Hội trường UBND, unit: thanh-hoa/bim-son/ubnd }',
        'meeting: { length: 2h }',
        'bridges: [{ id: tinh, uri: "sip:8001@mcu.thanhhoa.gov.vn", rate_kbps: 1920 }]',
        'checks:',
        '  - { id: vc-network, kind: udp-quality, duration: 10s, pps: 50 }',
        '  - { id: vc-network-2, kind: udp-quality, target: "[2001:db8::1]:5004", payload: 160, warn: { rtt_ms: 150, mos: 3.8 } }',
        '  - { id: bandwidth, kind: throughput, min_down_mbps: 2, min_up_mbps: 2 }',
        '  - { id: bw2, kind: throughput, bridge: tinh, direction: down, duration: 3s }',
        '  - { id: ups, kind: ups, host: 127.0.0.1, port: 3493, name: ups, min_runtime: 45m }',
        '  - { id: ups2, kind: ups, username: monuser, password: "${UPS_PASSWORD}", fail: { charge_pct: 50 } }',
        '  - { id: mic, kind: microphone, capture: 3s }',
        '  - { id: mic2, kind: microphone, device: USB, capture: 3s, warn: { level_dbfs: -40 }, fail: { level_dbfs: -55, clip_pct: 1 } }',
        '  - { id: cam, kind: camera, grab: true }',
        '  - { id: cam2, kind: camera, grab: true, duration: 2s, input: "v4l2:/dev/video2", fail: { fps: 10 } }',
        '  - { id: power, kind: power, warn: { charge_pct: 50 } }',
        '',
      ].join('\n'),
    );
    expect(profile?.checks.map((c) => c.kind)).toEqual([
      'udp-quality',
      'udp-quality',
      'throughput',
      'throughput',
      'ups',
      'ups',
      'microphone',
      'microphone',
      'camera',
      'camera',
      'power',
    ]);
    expect(profile?.checks[5]?.params).toMatchObject({ password: 'secret' });
  });

  it('names what is wrong, where', async () => {
    const target = await loadError('  - { id: q, kind: udp-quality, target: "mcu.example.vn" }\n');
    expect(target.path).toBe('checks[0].target');
    expect(target.message).toBe('must be a UDP reflector as host:port or [IPv6]:port (got "mcu.example.vn")');
    expect((await loadError('  - { id: q, kind: udp-quality, pps: 5000 }\n')).path).toBe('checks[0].pps');
    expect((await loadError('  - { id: u, kind: ups, min_runtime: soon }\n')).path).toBe(
      'checks[0].min_runtime',
    );
    expect((await loadError('  - { id: u, kind: ups, warn: { charge: 50 } }\n')).message).toBe(
      'unknown field; allowed here: charge_pct, runtime_s, load_pct, input_voltage_v',
    );
    expect((await loadError('  - { id: c, kind: camera, input: "/dev/video0" }\n')).path).toBe(
      'checks[0].input',
    );
    const dirn = await loadError('  - { id: t, kind: throughput, direction: sideways }\n', 'vi');
    expect(dirn.message).toBe('phải là một trong: both, down, up (đang là "sideways")');
  });
});

describe('through the engine', () => {
  let reflector: Reflector;
  let app: FastifyInstance;
  let nut: net.Server;
  let base = '';
  beforeAll(async () => {
    reflector = await startReflector({ host: '127.0.0.1', port: 0 });
    app = Fastify();
    await app.register(speedtestRoutes, { public: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
    // A NUT server that reports a UPS on battery.
    nut = net.createServer((s) => {
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        for (const line of d.split('\n').filter(Boolean)) {
          if (line === 'LIST VAR ups')
            s.write(
              'BEGIN LIST VAR ups\nVAR ups ups.status "OB DISCHRG"\nVAR ups battery.charge "64"\nVAR ups battery.runtime "5400"\nEND LIST VAR ups\n',
            );
          else if (line === 'LOGOUT') s.end('OK Goodbye\n');
        }
      });
    });
    await new Promise<void>((r) => nut.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await reflector?.close();
    await app?.close();
    await new Promise((r) => nut.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!which('ffmpeg'))(
    'runs a checklist of these kinds in parallel, with their verdicts',
    async () => {
      const nutPort = (nut.address() as net.AddressInfo).port;
      const { profile } = await load(
        [
          'site: { id: th-bimson-ubnd, name: Hội trường UBND, unit: thanh-hoa/bim-son/ubnd }',
          `registry: { url: "${base}" }`,
          'meeting: { length: 1h }',
          'bridges: [{ id: tinh, uri: "sip:8001@mcu", rate_kbps: 1920 }]',
          'checks:',
          `  - { id: vc-network, kind: udp-quality, reflector_port: ${reflector.port}, duration: 1s }`,
          '  - { id: bandwidth, kind: throughput, duration: 500ms }',
          `  - { id: ups, kind: ups, port: ${nutPort}, name: ups }`,
          '  - { id: cam, kind: camera, grab: true, duration: 1s, input: "lavfi:testsrc=size=320x240:rate=15" }',
          '  - { id: mic, kind: microphone, capture: 1s, input: "lavfi:anullsrc=r=48000:cl=mono", required: false }',
          '  - { id: power, kind: power }',
          '',
        ].join('\n'),
      );
      const ctx = testContext({ env: { PATH: process.env.PATH ?? '' } });
      const run = await runSite(profile!, ctx);
      const byId = Object.fromEntries(run.checks.map((c) => [c.id, c]));
      expect(byId['vc-network']).toMatchObject({ status: 'pass', kind: 'udp-quality', attempts: 1 });
      expect(byId.bandwidth?.status).toBe('pass');
      expect(byId.bandwidth?.summary).toContain('needed 2.4 Mbit/s');
      // On battery with 90 min left for a 1 h meeting: a warning.
      expect(byId.ups).toMatchObject({ status: 'warn', metrics: { charge_pct: 64, runtime_s: 5400 } });
      expect(byId.cam?.status).toBe('pass');
      // Digital silence from a non-required microphone: fail, which only degrades.
      expect(byId.mic).toMatchObject({ status: 'fail', required: false, metrics: { level_dbfs: -120 } });
      expect(['pass', 'warn', 'fail']).toContain(byId.power?.status);
      expect(run.verdict).not.toBe('ready');
    },
  );
});
