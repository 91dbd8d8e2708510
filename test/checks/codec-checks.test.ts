/**
 * codec-status, codec-registration, codec-peripherals and codec-diagnostics
 * against the simulated Cisco and Poly codecs: the right status, summary and
 * metrics for every scenario, no session left open, plain words when the
 * driver cannot do it, and never the password in a result.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codecDiagnostics } from '../../src/checks/codec-diagnostics.js';
import { codecPeripherals } from '../../src/checks/codec-peripherals.js';
import { codecRegistration } from '../../src/checks/codec-registration.js';
import { codecStatus } from '../../src/checks/codec-status.js';
import { loadKind } from '../../src/checks/index.js';
import type { CodecConfig } from '../../src/model/codec.js';
import type { CodecSim } from '../../src/sim/cisco.js';
import { startCodecSim } from '../../src/sim/index.js';
import type { CodecScenario } from '../../src/sim/scenario.js';
import { codecConfig, PASSWORD } from '../drivers/codec-setup.js';
import { kindContext } from '../helpers/kind-context.js';

const RESET: CodecScenario = {
  asleep: false,
  unregistered: false,
  camera_unplugged: false,
  mic_unplugged: false,
  diagnostics_error: false,
  garbage: false,
  no_h323: false,
};

describe.each(['cisco', 'poly'] as const)('codec checks on a simulated %s codec', (driver) => {
  let sim: CodecSim;
  let codec: CodecConfig;
  beforeAll(async () => {
    sim = await startCodecSim(driver, { password: PASSWORD, sipDial: 'off' });
    codec = codecConfig(sim, driver, { auth: 'session' });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => {
    sim.update(RESET);
    expect(sim.sessions()).toBe(0);
  });
  const ctx = (locale: 'en' | 'vi' = 'en', c: CodecConfig = codec) =>
    kindContext({ locale, profile: { codec: c } });

  it('codec-status passes on an awake codec with model and software', async () => {
    const r = await codecStatus.run({}, ctx());
    expect(r.status).toBe('pass');
    expect(r.summary).toBe(
      driver === 'cisco'
        ? 'Cisco Room Kit, software RoomOS 11.19.1.6 76526b1b094: awake'
        : 'Poly StudioX50, software 4.1.0: awake',
    );
    expect(r.metrics?.uptime_s).toBeGreaterThan(0);
  });

  it('codec-status warns on a sleeping codec, fails with require_awake', async () => {
    sim.update({ asleep: true });
    const warn = await codecStatus.run({}, ctx());
    expect(warn.status).toBe('warn');
    expect(warn.summary).toMatch(/asleep \((Standby|ASLEEP)\)$/);
    expect(warn.hint).toContain('Wake the codec');
    expect((await codecStatus.run({ require_awake: true }, ctx())).status).toBe('fail');
  });

  it('codec-status fails, in Vietnamese, when the password is wrong, without showing it', async () => {
    const r = await codecStatus.run({}, ctx('vi', { ...codec, password: 'sai-mat-khau' }));
    expect(r.status).toBe('fail');
    expect(r.error?.code).toBe('CODEC_AUTH');
    expect(r.summary).toBe(
      `thiết bị codec tại 127.0.0.1:${sim.port} từ chối tên đăng nhập hoặc mật khẩu (tài khoản admin)`,
    );
    expect(JSON.stringify(r)).not.toContain('sai-mat-khau');
  });

  it('codec-status fails on a reply it cannot read', async () => {
    sim.update({ garbage: true });
    const r = await codecStatus.run({}, ctx());
    expect(r.status).toBe('fail');
    expect(r.error?.code).toBe('CODEC_BAD_REPLY');
  });

  it('codec-registration passes when SIP is up and fails when it is not', async () => {
    const ok = await codecRegistration.run({}, ctx());
    expect(ok.status).toBe('pass');
    expect(ok.metrics).toEqual({ registered: 1, configured: 1 });
    expect(ok.summary).toContain(
      driver === 'cisco' ? 'SIP Registered (sip:phong-hop@vc.example.gov.vn)' : 'SIP UP (203.0.113.64)',
    );
    sim.update({ unregistered: true });
    const bad = await codecRegistration.run({}, ctx());
    expect(bad.status).toBe('fail');
    expect(bad.summary).toMatch(/^not registered \(none up\)/);
    expect(bad.hint).toContain('registrar');
  });

  it('codec-registration with require: h323 fails on a SIP-only codec', async () => {
    const r = await codecRegistration.run({ require: 'h323' }, ctx());
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^not registered \(H\.323\)/);
  });

  it('codec-peripherals checks the expected cameras and microphones', async () => {
    const ok = await codecPeripherals.run({ expect: { cameras: 1, microphones: 2 } }, ctx());
    expect(ok).toMatchObject({
      status: 'pass',
      metrics: { cameras: 1, microphones: 2 },
      summary: '1 of 1 camera(s) and 2 of 2 microphone(s) connected',
    });
    sim.update({ camera_unplugged: true });
    const cam = await codecPeripherals.run({ expect: { cameras: 1, microphones: 2 } }, ctx());
    expect(cam.status).toBe('fail');
    expect(cam.summary).toContain('need 1 camera(s), 0 connected');
    expect(cam.hint).toContain('camera cable');
  });

  it('codec-peripherals fails when a microphone is unplugged', async () => {
    sim.update({ mic_unplugged: true });
    const r = await codecPeripherals.run({ expect: { microphones: 2 } }, ctx());
    expect(r.status).toBe('fail');
    expect(r.metrics).toMatchObject({ microphones: 1 });
    expect(r.summary).toContain('need 2 microphone(s), 1 connected');
  });

  it('codec-diagnostics passes when clean and fails on an error-level message', async () => {
    expect((await codecDiagnostics.run({}, ctx())).status).toBe('pass');
    sim.update({ diagnostics_error: true });
    const r = await codecDiagnostics.run({}, ctx());
    expect(r.status).toBe('fail');
    expect(r.metrics?.errors).toBe(1);
    expect(r.summary).toMatch(
      /^1 error\(s\), \d warning\(s\): system\.status\.provisioning|^1 error\(s\), 1 warning\(s\): ProvisioningStatus/,
    );
  });
});

describe('codec-diagnostics ignore list and levels (cisco)', () => {
  let sim: CodecSim;
  beforeAll(async () => {
    sim = await startCodecSim('cisco', { password: PASSWORD, scenario: { diagnostics_error: true } });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('warns when only warnings are left after ignoring a type', async () => {
    const ctx = kindContext({ profile: { codec: codecConfig(sim, 'cisco') } });
    const r = await codecDiagnostics.run({ ignore: ['provisioningstatus'] }, ctx);
    expect(r.status).toBe('warn');
    expect(r.metrics).toEqual({ errors: 0, warnings: 1 });
    expect(r.details).toMatchObject({ ignored: 1 });
  });
});

describe('codec checks without a usable codec', () => {
  it('say plainly that a site with driver none has nothing to ask', async () => {
    for (const kind of [codecStatus, codecRegistration, codecPeripherals, codecDiagnostics]) {
      const r = await kind.run({} as never, kindContext({ profile: { codec: { driver: 'none' } } }));
      expect(r.status).toBe('skip');
      expect(r.summary).toBe('this site has no controllable codec (driver: none): nothing to ask');
    }
  });

  it('are an error when the profile has no codec section', async () => {
    const r = await codecRegistration.run({}, kindContext());
    expect(r).toMatchObject({ status: 'error', error: { code: 'NO_CODEC' } });
  });

  it('are an error naming the field when the codec has no host', async () => {
    const r = await codecStatus.run(
      {},
      kindContext({ profile: { codec: { driver: 'cisco', username: 'admin' } } }),
    );
    expect(r.status).toBe('error');
    expect(r.summary).toBe('the cisco driver needs `codec.host` in the profile');
  });

  it('are registered as remote-capable kinds', async () => {
    for (const name of [
      'codec-status',
      'codec-registration',
      'codec-peripherals',
      'codec-diagnostics',
      'sip-options',
      'test-call',
    ]) {
      expect((await loadKind(name))?.remote).toBe(true);
    }
  });
});
