/**
 * The simulated SIP bridge and the SIP client side (OPTIONS probe, the
 * simulated codec's caller) against each other and against real SIP
 * software: sipp as a UAC calling the bridge, and as a UAS answering our
 * OPTIONS and INVITE.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeSim, startBridgeSim } from '../../src/sim/bridge.js';
import { probeOptions } from '../../src/sip/options.js';
import { placeCall, type UacState } from '../../src/sip/uac.js';
import { havePeer } from '../helpers/peers.js';
import { type SippUas, sippCall, startSippUas } from './sip-peers.js';

const until = async (fn: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('simulated bridge', () => {
  let bridge: BridgeSim;
  beforeAll(async () => {
    bridge = await startBridgeSim();
  });
  afterAll(async () => {
    await bridge.close();
  });

  it.each(['udp', 'tcp'] as const)('answers OPTIONS over %s with 200 OK', async (transport) => {
    const r = await probeOptions({
      uri: `sip:127.0.0.1:${bridge.port}`,
      host: '127.0.0.1',
      port: bridge.port,
      transport,
      timeoutMs: 2_000,
    });
    expect(r).toMatchObject({
      outcome: 'answered',
      status: 200,
      reason: 'OK',
      server: 'diemcau-sim-bridge',
      retransmits: 0,
    });
    expect(r.rttMs).toBeGreaterThan(0);
    expect(bridge.requests()).toContainEqual({ method: 'OPTIONS', transport });
  });

  it.each(['udp', 'tcp'] as const)(
    'takes a call over %s: INVITE, 200 with SDP, ACK, then BYE',
    async (transport) => {
      const states: UacState[] = [];
      const call = await placeCall({ uri: bridge.uri, host: '127.0.0.1', port: bridge.port, transport });
      call.onChange((s) => states.push(s));
      await until(() => call.state === 'connected');
      await until(() => bridge.dialogs() === 1);
      await call.hangup();
      expect(states).toEqual(['ringing', 'connected', 'ended']);
      expect(call.endReason).toBe('local');
      await until(() => bridge.dialogs() === 0);
    },
  );

  it('answers OPTIONS with the scenario status (503) and rejects calls (486)', async () => {
    const b = await startBridgeSim({ scenario: { options_status: 503, invite_status: 486 } });
    try {
      const r = await probeOptions({
        uri: b.uri,
        host: '127.0.0.1',
        port: b.port,
        transport: 'udp',
        timeoutMs: 2_000,
      });
      expect(r).toMatchObject({ outcome: 'answered', status: 503, reason: 'Service Unavailable' });
      const call = await placeCall({ uri: b.uri, host: '127.0.0.1', port: b.port, transport: 'udp' });
      await until(() => call.state === 'ended');
      expect(call.endReason).toBe('486');
      expect(b.dialogs()).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('rings for ever when told, and a CANCEL ends it with 487', async () => {
    const b = await startBridgeSim({ scenario: { never_answer: true } });
    try {
      const call = await placeCall({ uri: b.uri, host: '127.0.0.1', port: b.port, transport: 'udp' });
      await until(() => call.state === 'ringing');
      await call.hangup();
      expect(call.state).toBe('ended');
      expect(call.endReason).toBe('487');
    } finally {
      await b.close();
    }
  });

  it('hangs up by itself (BYE) when told', async () => {
    const b = await startBridgeSim({ scenario: { hangup_after_ms: 100 } });
    try {
      const call = await placeCall({ uri: b.uri, host: '127.0.0.1', port: b.port, transport: 'tcp' });
      await until(() => call.state === 'ended');
      expect(call.endReason).toBe('bye');
      expect(b.dialogs()).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('stays silent when told: the probe times out', async () => {
    const b = await startBridgeSim({ scenario: { silent: true } });
    try {
      const r = await probeOptions({
        uri: b.uri,
        host: '127.0.0.1',
        port: b.port,
        transport: 'udp',
        timeoutMs: 1_200,
      });
      expect(r.outcome).toBe('timeout');
      // Timer E: sent at 0, then 500 ms later, then 1,000 ms after that (past the deadline).
      expect(r.retransmits).toBe(1);
    } finally {
      await b.close();
    }
  });
});

describe('OPTIONS probe against a port that never answers', () => {
  it('times out within its deadline', async () => {
    const sink = dgram.createSocket('udp4');
    let received = 0;
    sink.on('message', () => {
      received += 1;
    });
    const port = await new Promise<number>((r) => sink.bind(0, '127.0.0.1', () => r(sink.address().port)));
    try {
      const r = await probeOptions({
        uri: `sip:127.0.0.1:${port}`,
        host: '127.0.0.1',
        port,
        transport: 'udp',
        timeoutMs: 700,
      });
      expect(r.outcome).toBe('timeout');
      // The request and one Timer E retransmission (at 500 ms) arrived; nothing answered.
      expect(received).toBe(2);
    } finally {
      sink.close();
    }
  });

  it('says refused for a closed TCP port', async () => {
    const b = await startBridgeSim({ transport: 'udp' });
    const port = b.port;
    await b.close();
    const r = await probeOptions({
      uri: `sip:127.0.0.1:${port}`,
      host: '127.0.0.1',
      port,
      transport: 'tcp',
      timeoutMs: 1_000,
    });
    expect(r.outcome).toBe('refused');
  });
});

describe.skipIf(!havePeer('sipp', 'apt install sip-tester'))('against sipp (real SIP software)', () => {
  const peers: Array<{ kill(): void }> = [];
  afterAll(() => {
    for (const p of peers) p.kill();
  });

  it.each(['udp', 'tcp'] as const)('the bridge takes a full call from sipp over %s', async (transport) => {
    const bridge = await startBridgeSim();
    try {
      const run = await sippCall(`127.0.0.1:${bridge.port}`, transport);
      peers.push(run);
      expect(run.code).toBe(0);
      expect(bridge.requests().map((r) => r.method)).toEqual(
        expect.arrayContaining(['INVITE', 'ACK', 'BYE']),
      );
      expect(bridge.dialogs()).toBe(0);
    } finally {
      await bridge.close();
    }
  });

  describe.each(['udp', 'tcp'] as const)('sipp as a UAS over %s', (transport) => {
    let uas: SippUas;
    beforeAll(async () => {
      uas = await startSippUas(transport);
      peers.push(uas);
    });
    afterAll(() => uas.kill());

    it('answers our OPTIONS (with -aa)', async () => {
      const r = await probeOptions({
        uri: `sip:bridge@127.0.0.1:${uas.port}`,
        host: '127.0.0.1',
        port: uas.port,
        transport,
        timeoutMs: 2_000,
      });
      expect(r).toMatchObject({ outcome: 'answered', status: 200 });
    });

    it('answers our INVITE and takes our BYE', async () => {
      const call = await placeCall({
        uri: `sip:service@127.0.0.1:${uas.port}`,
        host: '127.0.0.1',
        port: uas.port,
        transport,
      });
      await until(() => call.state === 'connected', 5_000);
      await call.hangup();
      expect(call.endReason).toBe('local');
    });
  });
});
