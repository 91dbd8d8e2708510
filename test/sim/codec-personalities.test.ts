/**
 * The simulators' real-device personalities: a Cisco in Teams mode or on
 * the Webex cloud, in a Teams call with no <Call> node, without its touch
 * panel; a Poly Group Series beside VideoOS (its keys, its paths, PENDING).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecPeripherals } from '../../src/checks/codec-peripherals.js';
import { codecRegistration } from '../../src/checks/codec-registration.js';
import { assertIdle, canCall } from '../../src/drivers/call-flow.js';
import { translator } from '../../src/i18n/index.js';
import { type CodecSim, startCodecSim } from '../../src/sim/index.js';
import { codecConfig, driverFor, PASSWORD, rejection } from '../drivers/codec-setup.js';
import { kindContext } from '../helpers/kind-context.js';

describe('cisco sim: cloud, Teams and the touch panel', () => {
  let sim: CodecSim;
  beforeAll(async () => {
    sim = await startCodecSim('cisco', { password: PASSWORD, sipDial: 'off' });
  });
  afterAll(async () => {
    await sim.close();
  });
  const ctx = () => kindContext({ profile: { codec: codecConfig(sim, 'cisco') } });

  it('a Webex-registered unit (SIP Inactive, no URI) passes codec-registration, saying via Webex', async () => {
    sim.update({ cloud: 'webex' });
    const r = await codecRegistration.run({}, ctx());
    expect(r).toMatchObject({
      status: 'pass',
      summary: 'registered via Webex; Webex Registered (-)',
    });
    sim.update({ cloud: undefined });
  });

  it('in a Teams call with no <Call> node: no call listed, dial refuses and says with what', async () => {
    sim.update({ cloud: 'teams', cloud_call: true });
    const d = await driverFor(sim, 'cisco');
    try {
      expect(await d.calls!()).toEqual([]);
      if (!canCall(d)) throw new Error('cisco can call');
      const err = await rejection(assertIdle(d, translator('vi')));
      expect(err.code).toBe('CODEC_BUSY');
      expect(err.message).toBe(
        'thiết bị codec đang trong cuộc gọi (NumberOfActiveCalls 1, System InCall, MicrosoftTeams InCall True) dù không liệt kê cuộc gọi nào',
      );
      expect(sim.calls()).toEqual([]);
    } finally {
      await d.close();
      sim.update({ cloud: undefined, cloud_call: false });
    }
  });

  it('a required touch panel that is missing fails codec-peripherals', async () => {
    const ok = await codecPeripherals.run({ expect: { touch_panels: 1 } }, ctx());
    expect(ok).toMatchObject({ status: 'pass', metrics: { touch_panels: 1 } });
    sim.update({ touch_panel_missing: true });
    const bad = await codecPeripherals.run({ expect: { touch_panels: 1 } }, ctx());
    expect(bad.status).toBe('fail');
    expect(bad.summary).toContain('need 1 touch panel(s), 0 connected');
    expect(bad.hint).toContain('touch panel');
    sim.update({ touch_panel_missing: false });
  });
});

describe('poly sim: Group Series beside VideoOS', () => {
  let sim: CodecSim;
  beforeAll(async () => {
    sim = await startCodecSim('poly', {
      password: PASSWORD,
      sipDial: 'off',
      scenario: { generation: 'group-series', answer_after_ms: 30 },
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('speaks Group Series: login at /rest/session, languageTag/state keys, no VideoOS-only paths, PENDING when idle', async () => {
    const raw = await fetch(`${sim.url}/rest/current/session`, { method: 'POST', body: '{}' });
    expect(raw.status).toBe(404);
    const d = await driverFor(sim, 'poly');
    try {
      expect(await d.identify()).toMatchObject({
        model: 'RealPresence Group 500',
        software: 'Release - 6.2.2.8-670021',
      });
      expect(await d.registration!()).toEqual({
        sip: [{ protocol: 'sip', state: 'registered', raw: 'up' }],
        h323: [{ protocol: 'h323', state: 'inactive', raw: 'unknown' }],
      });
      expect((await d.peripherals!()).unreported).toEqual(['cameras', 'touchPanels']);
      expect(await d.calls!()).toEqual([]);
      if (!canCall(d)) throw new Error('poly can call');
      await assertIdle(d, translator('en'));
      const { callId } = await d.dial!({ number: '8001@mcu.example.gov.vn', protocol: 'sip' });
      const calls = await d.calls!();
      expect(calls.map((c) => c.id)).toEqual([callId]);
      await d.hangup!(callId);
    } finally {
      await d.close();
    }
    expect(sim.sessions()).toBe(0);
  });

  it('VideoOS in a call lists the placeholder too; the driver shows only the call', async () => {
    sim.update({ generation: 'videoos' });
    const d = await driverFor(sim, 'poly');
    try {
      const { callId } = await d.dial!({ number: '8001@mcu.example.gov.vn', protocol: 'sip' });
      const login = await fetch(`${sim.url}/rest/current/session`, {
        method: 'POST',
        body: JSON.stringify({ user: 'admin', password: PASSWORD }),
      });
      const { session } = (await login.json()) as { session: { sessionId: string } };
      const xsrf = /XSRF-TOKEN=([^;]+)/.exec(login.headers.getSetCookie().join(';'))?.[1] ?? '';
      const cookie = `session_id=${session.sessionId}; XSRF-TOKEN=${xsrf}`;
      const headers = { cookie, 'x-xsrf-token': xsrf };
      const listed = (await (await fetch(`${sim.url}/rest/conferences`, { headers })).json()) as {
        id: unknown;
      }[];
      expect(listed.map((c) => c.id)).toEqual([Number(callId), 'PENDING']);
      await fetch(`${sim.url}/rest/current/session`, { method: 'DELETE', headers });
      expect((await d.calls!()).map((c) => c.id)).toEqual([callId]);
      await d.hangup!(callId);
    } finally {
      await d.close();
      sim.update({ generation: 'group-series' });
    }
  });
});
