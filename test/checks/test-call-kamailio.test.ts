/**
 * A test call through a real SIP proxy: the simulated codec's SIP client →
 * Kamailio (record-routing, digest auth against a fixed user) → sipp as the
 * far end. The call connects once the codec answers the 407 with the
 * credentials from its scenario (MD5 and SHA-256), ACK and BYE go back
 * through the proxy along the route set, the BYE is answered, and a wrong
 * password is reported as an authentication refusal with its SIP code.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testCall } from '../../src/checks/test-call.js';
import type { CodecSim } from '../../src/sim/cisco.js';
import { startCodecSim } from '../../src/sim/index.js';
import { codecConfig, PASSWORD, until } from '../drivers/codec-setup.js';
import {
  type Kamailio,
  kamailioModules,
  kamailioProgram,
  type SippScenario,
  startKamailio,
  startSippScenario,
} from '../helpers/kamailio.js';
import { kindContext } from '../helpers/kind-context.js';
import { haveCapability, havePeer } from '../helpers/peers.js';

const SIP_USER = 'phong-hop-xa';
const SIP_PASSWORD = 'mat-khau-sip-7';
const FAST = { duration: '1s', connect_timeout: '5s' };

const peers =
  havePeer('sipp', 'apt install sip-tester') &&
  haveCapability('kamailio', Boolean(kamailioProgram() && kamailioModules()), 'apt install kamailio');

describe.skipIf(!peers)('test-call through Kamailio (record-route, digest auth) to sipp', () => {
  let sim: CodecSim;
  let proxy: Kamailio | undefined;
  let far: SippScenario | undefined;

  beforeAll(async () => {
    sim = await startCodecSim('cisco', { password: PASSWORD });
    return () => sim.close();
  });
  afterEach(async () => {
    await proxy?.stop();
    await far?.kill();
    proxy = undefined;
    far = undefined;
    await until(() => sim.calls().length === 0);
    expect(sim.sessions()).toBe(0);
  });

  const callThrough = async (algorithm: 'MD5' | 'SHA-256', password: string) => {
    far = await startSippScenario('uas.xml', 1, 20_000);
    proxy = await startKamailio({ uasPort: far.port, user: SIP_USER, password: SIP_PASSWORD, algorithm });
    sim.update({ sip_username: SIP_USER, sip_password: password });
    const bridges = [{ id: 'tinh', uri: `sip:8001@127.0.0.1:${proxy.port}` }];
    return testCall.run(
      FAST,
      kindContext({ timeoutMs: 20_000, profile: { codec: codecConfig(sim, 'cisco'), bridges } }),
    );
  };

  it.each(['MD5', 'SHA-256'] as const)(
    'answers the %s challenge, connects, and hangs up through the proxy (BYE answered)',
    async (algorithm) => {
      const r = await callThrough(algorithm, SIP_PASSWORD);
      expect(r.status, r.summary).toBe('pass');
      expect(r.details).toMatchObject({ hungUp: true });
      const k = proxy as Kamailio;
      // sipp exits 0 only after the whole scenario: INVITE answered, ACK received, BYE received and answered.
      expect(await far?.exited, `${far?.trace()}\n${proxy?.log()}`).toBe(0);
      expect(k.log()).toContain(`diemcau-kamailio: authenticated ${SIP_USER}`);
      // ACK and BYE reached the far end through the proxy, by loose routing on its Record-Route.
      expect(await k.waitForLog(/in-dialog ACK routed to sip:127\.0\.0\.1:\d+/)).toBe(true);
      expect(await k.waitForLog(/in-dialog BYE routed to sip:127\.0\.0\.1:\d+/)).toBe(true);
      expect(k.log()).not.toContain(SIP_PASSWORD);
    },
  );

  it('a wrong password is an authentication refusal (SIP 407), with its hint', async () => {
    const r = await callThrough('MD5', 'wrong-password');
    expect(r).toMatchObject({
      status: 'fail',
      error: { code: 'CALL_REJECTED' },
      metrics: { sip_code: 407 },
      details: { category: 'auth', sip_code: 407 },
    });
    expect(r.summary).toMatch(
      /asked for credentials and refused the call to 8001@127\.0\.0\.1:\d+ \(SIP 407/,
    );
    expect(r.hint).toContain('SIP user name and password');
    expect(JSON.stringify(r)).not.toContain('wrong-password');
    expect(await (proxy as Kamailio).waitForLog(/credentials refused for phong-hop-xa/)).toBe(true);
  });
});
