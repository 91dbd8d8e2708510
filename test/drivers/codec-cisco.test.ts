/**
 * The Cisco xAPI driver against the simulated Cisco codec over real HTTP on
 * 127.0.0.1: every capability, every misbehaviour, both auth modes, and the
 * session count back at zero after every driver is closed.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodecDriver } from '../../src/drivers/types.js';
import { type CodecSim, startCiscoSim } from '../../src/sim/cisco.js';
import { driverFor, PASSWORD, rejection, TLS, until } from './codec-setup.js';

let sim: CodecSim;
const open: CodecDriver[] = [];

beforeAll(async () => {
  sim = await startCiscoSim({ password: PASSWORD, sipDial: 'off' });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
  sim.update({
    asleep: false,
    unregistered: false,
    camera_unplugged: false,
    mic_unplugged: false,
    diagnostics_error: false,
    garbage: false,
    busy: false,
    no_h323: false,
    forbidden: false,
    slow_ms: 0,
    loss_pct: 0,
    jitter_ms: 3,
    call: 'answer',
    answer_after_ms: 30,
  });
  for (const c of sim.calls())
    await fetch(`${sim.url}/putxml`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
      body: `<Command><Call><Disconnect><CallId>${c.id}</CallId></Disconnect></Call></Command>`,
    });
  // Every driver was closed: no session may be left open on the codec.
  expect(sim.sessions()).toBe(0);
});

const driver = async (auth: 'basic' | 'session' = 'session', extra = {}) => {
  const d = await driverFor(sim, 'cisco', { auth, ...extra });
  open.push(d);
  return d;
};

describe.each(['basic', 'session'] as const)('cisco driver, %s auth', (auth) => {
  it('identifies the codec: model, software, awake, uptime', async () => {
    const d = await driver(auth);
    const id = await d.identify();
    expect(id).toMatchObject({
      vendor: 'Cisco',
      model: 'Cisco Room Kit',
      software: 'RoomOS 11.19.1.6 76526b1b094',
      serial: 'FOC2231SIM1',
      awake: true,
      powerState: 'Off',
      activeCalls: 0,
    });
    expect(id.uptimeS).toBeGreaterThanOrEqual(37_224);
  });

  it('reports a sleeping codec', async () => {
    sim.update({ asleep: true });
    const id = await (await driver(auth)).identify();
    expect(id.awake).toBe(false);
    expect(id.powerState).toBe('Standby');
  });

  it('refuses a wrong password with CODEC_AUTH, naming the user and never the password', async () => {
    const d = await driver(auth, { password: 'wrong-password' });
    const err = await rejection(d.identify());
    expect(err.code).toBe('CODEC_AUTH');
    expect(err.message).toContain('user admin');
    expect(`${err.message} ${err.hint}`).not.toContain('wrong-password');
    expect(`${err.message} ${err.hint}`).not.toContain(PASSWORD);
  });

  it('says CODEC_FORBIDDEN when the account lacks the role (403)', async () => {
    sim.update({ forbidden: true });
    const err = await rejection((await driver(auth)).identify());
    expect(err.code).toBe('CODEC_FORBIDDEN');
    expect(err.message).toBe(`the codec at 127.0.0.1:${sim.port} does not allow user admin to do this`);
    expect(err.hint).toContain('administrator');
  });

  it('turns a reply that is not XML into CODEC_BAD_REPLY', async () => {
    sim.update({ garbage: true });
    const err = await rejection((await driver(auth)).identify());
    expect(err.code).toBe('CODEC_BAD_REPLY');
  });
});

describe('cisco driver: status', () => {
  it('reads SIP registration and an inactive H.323 gatekeeper', async () => {
    const reg = await (await driver()).registration!();
    expect(reg.sip).toEqual([
      { protocol: 'sip', state: 'registered', raw: 'Registered', target: 'sip:phong-hop@vc.example.gov.vn' },
    ]);
    expect(reg.h323).toEqual([{ protocol: 'h323', state: 'inactive', raw: 'Inactive' }]);
  });

  it('says H.323 is not applicable when the product has no H323 node', async () => {
    sim.update({ no_h323: true });
    const reg = await (await driver()).registration!();
    expect(reg.h323).toBeUndefined();
  });

  it('reads a failed SIP registration with the reason', async () => {
    sim.update({ unregistered: true });
    const reg = await (await driver()).registration!();
    expect(reg.sip[0]).toMatchObject({ state: 'failed', raw: 'Failed', reason: '401 Unauthorized' });
  });

  it('lists cameras and microphones', async () => {
    const p = await (await driver()).peripherals!();
    expect(p.cameras).toEqual([{ id: '1', connected: true, raw: 'True', name: 'Cisco Quad Camera' }]);
    expect(p.microphones.map((m) => [m.id, m.connected])).toEqual([
      ['1', true],
      ['2', true],
    ]);
    expect(p.micMuted).toBe(false);
  });

  it('sees an unplugged camera and microphone', async () => {
    sim.update({ camera_unplugged: true, mic_unplugged: true });
    const p = await (await driver()).peripherals!();
    expect(p.cameras[0]?.connected).toBe(false);
    expect(p.microphones.map((m) => m.connected)).toEqual([false, true]);
  });

  it('reads diagnostics: none, then error and warning', async () => {
    const d = await driver();
    expect(await d.diagnostics!()).toEqual([]);
    sim.update({ diagnostics_error: true });
    expect(await d.diagnostics!()).toEqual([
      { level: 'error', type: 'ProvisioningStatus', description: 'Provisioning is in an error state.' },
      {
        level: 'warning',
        type: 'CameraSoftwareVersion',
        description: 'The camera firmware is older than recommended.',
      },
    ]);
  });
});

describe('cisco driver: calls', () => {
  it('dials, sees the call connect, reads media stats and hangs up', async () => {
    const d = await driver();
    const { callId } = await d.dial!({ number: '8001@mcu.example.gov.vn', protocol: 'sip', rateKbps: 1920 });
    expect(callId).toMatch(/^\d+$/);
    await until(() => sim.calls().some((c) => String(c.id) === callId && c.state === 'Connected'));
    const calls = await d.calls!();
    expect(calls).toEqual([
      expect.objectContaining({
        id: callId,
        remote: '8001@mcu.example.gov.vn',
        state: 'connected',
        raw: 'Connected',
        protocol: 'SIP',
        rateKbps: 1920,
      }),
    ]);
    await new Promise((r) => setTimeout(r, 1_100));
    const stats = await d.mediaStats!(callId);
    expect(stats.channels.map((c) => `${c.direction}/${c.media}/${c.codec}`)).toEqual([
      'rx/audio/Opus',
      'rx/video/H264',
      'tx/audio/Opus',
      'tx/video/H264',
    ]);
    const video = stats.channels[1];
    expect(video?.rateKbps).toBe(1856);
    expect(video?.packets).toBeGreaterThan(0);
    expect(video?.lost).toBe(0);
    await d.hangup!(callId);
    expect(await d.calls!()).toEqual([]);
  });

  it('sends the dial number escaped and the protocol as the xAPI spells it', async () => {
    const d = await driver('basic');
    const { callId } = await d.dial!({ number: 'a&b<c>@mcu', protocol: 'h323' });
    const call = sim.calls().find((c) => String(c.id) === callId);
    expect(call).toMatchObject({ remote: 'a&b<c>@mcu', protocol: 'H323' });
  });

  it('reports lossy media from the counters', async () => {
    sim.update({ loss_pct: 10, jitter_ms: 80 });
    const d = await driver();
    const { callId } = await d.dial!({ number: 'x@y', protocol: 'sip' });
    await until(() => sim.calls().some((c) => c.state === 'Connected'));
    await new Promise((r) => setTimeout(r, 1_100));
    const rx = (await d.mediaStats!(callId)).channels.filter((c) => c.direction === 'rx');
    for (const ch of rx) {
      expect(ch.jitterMs).toBe(80);
      // Whole packets: 10% of a second's worth is within a packet or two of exact.
      expect(ch.lossPct).toBeGreaterThan(8);
      expect(ch.lossPct).toBeLessThan(12);
    }
  });

  it('sees a rejected call disappear', async () => {
    sim.update({ call: 'reject' });
    const d = await driver();
    const { callId } = await d.dial!({ number: 'x@y', protocol: 'sip' });
    await until(() => !sim.calls().some((c) => String(c.id) === callId));
    expect(await d.calls!()).toEqual([]);
  });

  it('refuses to dial when the codec is busy (CODEC_BUSY)', async () => {
    sim.update({ busy: true });
    const d = await driver();
    const calls = await d.calls!();
    expect(calls[0]).toMatchObject({ state: 'connected', direction: 'incoming' });
    const err = await rejection(d.dial!({ number: 'x@y', protocol: 'sip' }));
    expect(err.code).toBe('CODEC_BUSY');
  });

  it('says CALL_NOT_FOUND when hanging up a call that is not there', async () => {
    const err = await rejection((await driver()).hangup!('42'));
    expect(err.code).toBe('CALL_NOT_FOUND');
  });

  it('hangs up every call when no id is given', async () => {
    const d = await driver();
    await d.dial!({ number: 'a@b', protocol: 'sip' });
    await d.dial!({ number: 'c@d', protocol: 'sip' });
    expect(sim.calls()).toHaveLength(2);
    await d.hangup!();
    expect(sim.calls()).toHaveLength(0);
  });

  it('hangs up even after the caller has pressed Ctrl-C', async () => {
    const ac = new AbortController();
    const d = await driverFor(sim, 'cisco', { auth: 'session' }, ac.signal);
    open.push(d);
    const { callId } = await d.dial!({ number: 'x@y', protocol: 'sip' });
    ac.abort();
    await expect(d.calls!()).rejects.toThrow();
    await d.hangup!(callId);
    expect(sim.calls()).toHaveLength(0);
  });
});

describe('cisco driver: sessions and transport', () => {
  it('begins one session for many requests and ends it on close', async () => {
    const before = sim.sessionsBegun();
    const d = await driverFor(sim, 'cisco', { auth: 'session' });
    await Promise.all([d.identify(), d.registration!(), d.peripherals!()]);
    expect(sim.sessionsBegun() - before).toBe(1);
    expect(sim.sessions()).toBe(1);
    await d.close();
    expect(sim.sessions()).toBe(0);
  });

  it('ends the session even when the requests failed', async () => {
    sim.update({ garbage: true });
    const d = await driverFor(sim, 'cisco', { auth: 'session' });
    await expect(d.identify()).rejects.toThrow();
    expect(sim.sessions()).toBe(1);
    await d.close();
    expect(sim.sessions()).toBe(0);
  });

  it('begins a new session when the codec forgot the old one (reboot)', async () => {
    const d = await driver('session');
    await d.identify();
    sim.expireSessions();
    const before = sim.sessionsBegun();
    await d.identify();
    expect(sim.sessionsBegun() - before).toBe(1);
  });

  it('times out on a slow codec with CODEC_TIMEOUT', async () => {
    sim.update({ slow_ms: 800 });
    const err = await rejection((await driver('basic', { timeout: '300ms' })).identify());
    expect(err.code).toBe('CODEC_TIMEOUT');
    expect(err.message).toContain('0.3 s');
  });

  it('says CODEC_UNREACHABLE when nothing listens', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const d = await driverFor({ port }, 'cisco');
    open.push(d);
    const err = await rejection(d.identify());
    expect(err.code).toBe('CODEC_UNREACHABLE');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.exitCode).toBe(2);
  });
});

describe('cisco driver over HTTPS with a self-signed certificate', () => {
  let tlsSim: CodecSim;
  beforeAll(async () => {
    tlsSim = await startCiscoSim({ password: PASSWORD, tls: TLS, sipDial: 'off' });
  });
  afterAll(async () => {
    await tlsSim.close();
  });

  it('refuses the certificate unless insecure_tls is set', async () => {
    const d = await driverFor(tlsSim, 'cisco', { scheme: 'https' });
    const err = await rejection(d.identify());
    await d.close();
    expect(err.code).toBe('CODEC_TLS_UNTRUSTED');
    expect(err.hint).toContain('insecure_tls');
  });

  it('works with insecure_tls: true, with the SecureSessionId cookie', async () => {
    const d = await driverFor(tlsSim, 'cisco', { scheme: 'https', insecure_tls: true, auth: 'session' });
    expect((await d.identify()).model).toBe('Cisco Room Kit');
    expect(tlsSim.sessions()).toBe(1);
    await d.close();
    expect(tlsSim.sessions()).toBe(0);
  });
});
