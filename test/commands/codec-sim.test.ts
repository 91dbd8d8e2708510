/**
 * `diemcau sim codec` and `diemcau sim bridge` through the CLI: they print
 * where they listen, serve the real protocol until Ctrl-C, log requests
 * without credentials, and refuse bad scenarios with exit 3.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDriver } from '../../src/drivers/index.js';
import { translator } from '../../src/i18n/index.js';
import { probeOptions } from '../../src/sip/options.js';
import { Buffer as Out, run } from '../helpers/cli.js';

/** Start a long-running command, wait for its first stdout line, return it and a stop function. */
async function startRun(argv: string[], env: Record<string, string> = {}) {
  const ac = new AbortController();
  const out = { stdout: '', stderr: '' };
  const { runCli } = await import('../../src/cli/main.js');
  const stdout = new Out();
  const stderr = new Out();
  const done = runCli({
    argv,
    env: { LANG: 'en_US.UTF-8', ...env },
    cwd: process.cwd(),
    stdout,
    stderr,
    tty: { stdout: false, stderr: false, stdin: false },
    signal: ac.signal,
  });
  for (let i = 0; i < 200 && !stdout.text.includes('\n'); i++) await new Promise((r) => setTimeout(r, 10));
  return {
    first: stdout.text.trim(),
    async stop() {
      ac.abort();
      const code = await done;
      out.stdout = stdout.text;
      out.stderr = stderr.text;
      return { code, ...out };
    },
  };
}

/** A driver on the simulator at `url` (what `sim codec` printed). */
const simDriver = (url: string, driver: 'cisco' | 'poly', password = 'diemcau') =>
  createDriver(
    {
      driver,
      host: '127.0.0.1',
      port: Number(new URL(url).port),
      scheme: 'http',
      username: 'admin',
      password,
      ...(driver === 'cisco' ? { auth: 'session' as const } : {}),
    },
    { t: translator('en') },
  );

describe('diemcau sim codec', () => {
  it('serves a Cisco codec until Ctrl-C, with the password from $DIEMCAU_SIM_PASSWORD', async () => {
    const sim = await startRun(['sim', 'codec', '--driver', 'cisco', '--port', '0', '--scenario', 'asleep'], {
      DIEMCAU_SIM_PASSWORD: 's3cret-sim',
    });
    expect(sim.first).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const driver = await simDriver(sim.first, 'cisco', 's3cret-sim');
    const id = await driver.identify();
    await driver.close();
    expect(id).toMatchObject({ model: 'Cisco Room Kit', awake: false });
    const r = await sim.stop();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `Simulated cisco codec at ${sim.first} (user admin; scenario: asleep). Ctrl-C to stop.\n`,
    );
    expect(r.stderr).toContain('POST /xmlapi/session/begin → 204\n');
    expect(r.stderr).toContain('GET /getxml?location=/Status/Standby → 200\n');
    expect(r.stderr).toContain('POST /xmlapi/session/end → 204\n');
    expect(r.stderr).toMatch(/Stopped\.\n$/);
    expect(r.stderr).not.toContain('s3cret-sim');
  });

  it('serves a Poly codec with a scenario file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-sim-'));
    const scenario = path.join(dir, 'su-co.yaml');
    await fs.writeFile(scenario, 'scenario: [camera-unplugged]\nloss_pct: 2\n');
    const sim = await startRun([
      'sim',
      'codec',
      '--driver',
      'poly',
      '--port',
      '0',
      '--scenario-file',
      scenario,
    ]);
    const driver = await simDriver(sim.first, 'poly');
    const p = await driver.peripherals!();
    await driver.close();
    expect(p.cameras[0]?.connected).toBe(false);
    const r = await sim.stop();
    expect(r.stderr).toContain('scenario: camera_unplugged, loss_pct');
  });

  it('--generation group-series plays a Group 500; --cloud teams a Cisco in Teams mode', async () => {
    const poly = await startRun([
      'sim',
      'codec',
      '--driver',
      'poly',
      '--port',
      '0',
      '--generation',
      'group-series',
    ]);
    const polyDriver = await simDriver(poly.first, 'poly');
    const id = await polyDriver.identify();
    await polyDriver.close();
    expect(id.model).toBe('RealPresence Group 500');
    const p = await poly.stop();
    expect(p.stderr).toContain('(user admin; scenario: generation). Ctrl-C to stop.\n');
    // The Group Series login path, after the VideoOS one is not found.
    expect(p.stderr).toContain('POST /rest/session → 200\n');

    const cisco = await startRun(['sim', 'codec', '--port', '0', '--cloud', 'teams']);
    const ciscoDriver = await simDriver(cisco.first, 'cisco');
    const reg = await ciscoDriver.registration!();
    await ciscoDriver.close();
    expect(reg.cloud).toEqual([
      { protocol: 'teams', state: 'registered', raw: 'MicrosoftTeams', target: '1449/1.0.96.2023020601' },
    ]);
    expect(reg.sip[0]).toMatchObject({ state: 'inactive' });
    expect((await cisco.stop()).code).toBe(0);
  });

  it('refuses --generation on a Cisco and --cloud on a Poly with exit 3, and a value not in the list', async () => {
    expect(await run(['sim', 'codec', '--generation', 'group-series', '--port', '0'])).toEqual({
      code: 3,
      stdout: '',
      stderr: 'diemcau: error: --generation is for --driver poly\n',
    });
    expect(
      await run(['--lang', 'vi', 'sim', 'codec', '--driver', 'poly', '--cloud', 'webex', '--port', '0']),
    ).toEqual({
      code: 3,
      stdout: '',
      stderr: 'diemcau: lỗi: --cloud chỉ dùng với --driver cisco\n',
    });
    expect((await run(['sim', 'codec', '--cloud', 'zoom', '--port', '0'])).code).toBe(3);
  });

  it('refuses an unknown scenario with exit 3 and the list', async () => {
    const r = await run(['sim', 'codec', '--scenario', 'on-fire', '--port', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^diemcau: error: bad scenario: unknown scenario "on-fire" \(known: normal, asleep, /,
    );
  });

  it('refuses a bad scenario file field with exit 3', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-sim-'));
    const scenario = path.join(dir, 'x.json');
    await fs.writeFile(scenario, '{"loss_pct": "lots"}');
    const r = await run(['sim', 'codec', '--scenario-file', scenario, '--port', '0']);
    expect(r).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('bad scenario: loss_pct: a number ≥ 0'),
    });
  });
});

describe('diemcau sim bridge', () => {
  it('answers OPTIONS on UDP and TCP until Ctrl-C', async () => {
    const sim = await startRun(['sim', 'bridge', '--port', '0']);
    expect(sim.first).toMatch(/^sip:bridge@127\.0\.0\.1:\d+$/);
    const port = Number(sim.first.split(':').at(-1));
    for (const transport of ['udp', 'tcp'] as const) {
      const r = await probeOptions({ uri: sim.first, host: '127.0.0.1', port, transport, timeoutMs: 2_000 });
      expect(r.status).toBe(200);
    }
    const r = await sim.stop();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/udp OPTIONS 127\.0\.0\.1:\d+ → 200 OK\n/);
    expect(r.stderr).toMatch(/tcp OPTIONS 127\.0\.0\.1:\d+ → 200 OK\n/);
  });

  it('answers 503 with --scenario error', async () => {
    const sim = await startRun(['sim', 'bridge', '--port', '0', '--transport', 'udp', '--scenario', 'error']);
    const port = Number(sim.first.split(':').at(-1));
    const r = await probeOptions({
      uri: sim.first,
      host: '127.0.0.1',
      port,
      transport: 'udp',
      timeoutMs: 2_000,
    });
    expect(r.status).toBe(503);
    await sim.stop();
  });
});
