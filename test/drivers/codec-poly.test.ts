/**
 * The Poly VideoOS driver against the simulated Poly codec over real HTTP on
 * 127.0.0.1: login with session + XSRF cookies and header, re-login on 403,
 * bare scalar bodies, malformed JSON, every capability and misbehaviour, and
 * no session left open after close.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonBody } from '../../src/drivers/poly.js';
import type { CodecDriver } from '../../src/drivers/types.js';
import type { CodecSim } from '../../src/sim/cisco.js';
import { startPolySim } from '../../src/sim/poly.js';
import { driverFor, PASSWORD, rejection, TLS, until } from './codec-setup.js';

let sim: CodecSim;
const open: CodecDriver[] = [];

beforeAll(async () => {
  sim = await startPolySim({ password: PASSWORD, sipDial: 'off' });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  const cleaner = await driverFor(sim, 'poly');
  sim.update({
    asleep: false,
    unregistered: false,
    camera_unplugged: false,
    mic_unplugged: false,
    diagnostics_error: false,
    garbage: false,
    busy: false,
    slow_ms: 0,
    loss_pct: 0,
    jitter_ms: 3,
    call: 'answer',
    answer_after_ms: 30,
  });
  await cleaner.hangup!();
  await cleaner.close();
  await Promise.all(open.splice(0).map((d) => d.close()));
  expect(sim.sessions()).toBe(0);
});

const driver = async (extra = {}) => {
  const d = await driverFor(sim, 'poly', extra);
  open.push(d);
  return d;
};

describe('poly driver: JSON bodies', () => {
  it('reads JSON, bare scalars and bare words', () => {
    expect(parseJsonBody('[{"a":1}]')).toEqual([{ a: 1 }]);
    expect(parseJsonBody('true')).toBe(true);
    expect(parseJsonBody('39')).toBe(39);
    expect(parseJsonBody('CONTENT_IDLE')).toBe('CONTENT_IDLE');
    expect(parseJsonBody('')).toBeUndefined();
    expect(() => parseJsonBody('{"model":"Studio')).toThrow(SyntaxError);
  });
});

describe('poly driver: status', () => {
  it('identifies the codec', async () => {
    const id = await (await driver()).identify();
    expect(id).toMatchObject({
      vendor: 'Poly',
      model: 'StudioX50',
      software: '4.1.0',
      serial: '8L2003SIM0001',
      name: 'PhongHop-StudioX50',
      awake: true,
      powerState: 'READY',
    });
    expect(id.uptimeS).toBeGreaterThan(693_000);
  });

  it('reports ASLEEP as asleep', async () => {
    sim.update({ asleep: true });
    const id = await (await driver()).identify();
    expect(id).toMatchObject({ awake: false, powerState: 'ASLEEP' });
  });

  it('reads SIP servers and gatekeepers', async () => {
    const d = await driver();
    expect(await d.registration!()).toEqual({
      sip: [{ protocol: 'sip', state: 'registered', raw: 'UP', target: '203.0.113.64' }],
      h323: [],
    });
    sim.update({ unregistered: true });
    expect((await d.registration!()).sip[0]).toMatchObject({ state: 'failed', raw: 'DOWN' });
  });

  it('lists microphones, cameras and the bare `false` of /rest/audio/muted', async () => {
    const p = await (await driver()).peripherals!();
    expect(p.microphones.map((m) => [m.id, m.connected, m.name])).toEqual([
      ['0', true, 'Polycom Kitten Mic'],
      ['1', true, 'Polycom Kitten Mic'],
    ]);
    expect(p.cameras).toEqual([
      { id: 'camera-1', connected: true, raw: 'CONNECTED', name: 'Poly EagleEye Cube' },
    ]);
    expect(p.micMuted).toBe(false);
  });

  it('sees an unplugged camera and a missing microphone', async () => {
    sim.update({ camera_unplugged: true, mic_unplugged: true });
    const p = await (await driver()).peripherals!();
    expect(p.cameras[0]?.connected).toBe(false);
    expect(p.microphones).toHaveLength(1);
  });

  it('turns status lines in error into diagnostics', async () => {
    const d = await driver();
    expect(await d.diagnostics!()).toEqual([]);
    sim.update({ diagnostics_error: true, camera_unplugged: true });
    expect(await d.diagnostics!()).toEqual([
      { level: 'error', type: 'system.status.mr.camera', description: 'CAMERA_HEADING: down' },
      { level: 'error', type: 'system.status.provisioning', description: 'PROVISIONING_HEADING: down' },
    ]);
  });
});

describe('poly driver: calls', () => {
  it('dials (array reply with href), sees it connect, reads mediastats, hangs up with DELETE', async () => {
    const d = await driver();
    const { callId } = await d.dial!({ number: '8001@mcu.example.gov.vn', protocol: 'sip', rateKbps: 1024 });
    await until(() => sim.calls().some((c) => String(c.id) === callId && c.state === 'Connected'));
    expect(await d.calls!()).toEqual([
      expect.objectContaining({
        id: callId,
        remote: '8001@mcu.example.gov.vn',
        state: 'connected',
        raw: 'CONNECTED',
        protocol: 'SIP',
        rateKbps: 1024,
      }),
    ]);
    const stats = await d.mediaStats!(callId);
    expect(stats.channels.map((c) => `${c.direction}/${c.media}/${c.rateKbps}`)).toEqual([
      'rx/audio/64',
      'rx/video/960',
      'tx/audio/64',
      'tx/video/960',
    ]);
    await d.hangup!(callId);
    expect(await d.calls!()).toEqual([]);
    const err = await rejection(d.mediaStats!(callId));
    expect(err.code).toBe('CALL_NOT_FOUND');
  });

  it('reports lossy media as the codec’s own percentage', async () => {
    sim.update({ loss_pct: 4, jitter_ms: 55 });
    const d = await driver();
    const { callId } = await d.dial!({ number: 'x@y', protocol: 'sip' });
    await until(() => sim.calls().some((c) => c.state === 'Connected'));
    const rx = (await d.mediaStats!(callId)).channels.filter((c) => c.direction === 'rx');
    expect(rx.map((c) => [c.lossPct, c.jitterMs])).toEqual([
      [4, 55],
      [4, 55],
    ]);
  });

  it('says CALL_NOT_FOUND when hanging up a conference that is not there', async () => {
    const err = await rejection((await driver()).hangup!('77'));
    expect(err.code).toBe('CALL_NOT_FOUND');
  });
});

describe('poly driver: sessions, auth and bad replies', () => {
  it('logs in once and logs out on close', async () => {
    const before = sim.sessionsBegun();
    const d = await driverFor(sim, 'poly');
    await Promise.all([d.identify(), d.registration!(), d.peripherals!()]);
    expect(sim.sessionsBegun() - before).toBe(1);
    expect(sim.sessions()).toBe(1);
    await d.close();
    expect(sim.sessions()).toBe(0);
  });

  it('logs in again when the session expired (403)', async () => {
    const d = await driver();
    await d.identify();
    sim.expireSessions();
    const before = sim.sessionsBegun();
    expect((await d.identify()).model).toBe('StudioX50');
    expect(sim.sessionsBegun() - before).toBe(1);
  });

  it('needs the XSRF token in the header: a request without it is refused', async () => {
    const login = await fetch(`${sim.url}/rest/current/session`, {
      method: 'POST',
      body: JSON.stringify({ user: 'admin', password: PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    expect((await fetch(`${sim.url}/rest/system`, { headers: { cookie } })).status).toBe(403);
    const xsrf = /XSRF-TOKEN=([^;]+)/.exec(cookie)?.[1] as string;
    expect(
      (await fetch(`${sim.url}/rest/system`, { headers: { cookie, 'x-xsrf-token': xsrf } })).status,
    ).toBe(200);
    expect(
      (
        await fetch(`${sim.url}/rest/current/session`, {
          method: 'DELETE',
          headers: { cookie, 'x-xsrf-token': xsrf },
        })
      ).status,
    ).toBe(204);
  });

  it('refuses a wrong password with CODEC_AUTH, never showing it', async () => {
    const err = await rejection((await driver({ password: 'sai-mat-khau' })).identify());
    expect(err.code).toBe('CODEC_AUTH');
    expect(`${err.message} ${err.hint}`).not.toContain('sai-mat-khau');
  });

  it('turns malformed JSON into CODEC_BAD_REPLY and still logs out', async () => {
    sim.update({ garbage: true });
    const d = await driverFor(sim, 'poly');
    const err = await rejection(d.identify());
    expect(err.code).toBe('CODEC_BAD_REPLY');
    expect(sim.sessions()).toBe(1);
    await d.close();
    expect(sim.sessions()).toBe(0);
  });

  it('times out on a slow codec', async () => {
    const d = await driver({ timeout: '300ms' });
    await d.identify();
    sim.update({ slow_ms: 800 });
    const err = await rejection(d.identify());
    expect(err.code).toBe('CODEC_TIMEOUT');
    sim.update({ slow_ms: 0 });
  });

  it('refuses a self-signed certificate unless insecure_tls', async () => {
    const tlsSim = await startPolySim({ password: PASSWORD, tls: TLS, sipDial: 'off' });
    try {
      const strict = await driverFor(tlsSim, 'poly', { scheme: 'https' });
      expect((await rejection(strict.identify())).code).toBe('CODEC_TLS_UNTRUSTED');
      await strict.close();
      const lax = await driverFor(tlsSim, 'poly', { scheme: 'https', insecure_tls: true });
      expect((await lax.identify()).model).toBe('StudioX50');
      await lax.close();
      expect(tlsSim.sessions()).toBe(0);
    } finally {
      await tlsSim.close();
    }
  });
});
