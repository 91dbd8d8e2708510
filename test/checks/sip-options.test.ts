/**
 * The sip-options check: against the simulated bridge, against sipp (real
 * SIP software, UDP and TCP), against a port that reads and drops (a
 * timeout failure inside the check's own timeout), and its target rules.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sipOptions } from '../../src/checks/sip-options.js';
import type { BridgeConfig } from '../../src/model/bridge.js';
import { type BridgeSim, startBridgeSim } from '../../src/sim/bridge.js';
import { kindContext } from '../helpers/kind-context.js';
import { havePeer } from '../helpers/peers.js';
import { type SippUas, startSippUas } from '../sim/sip-peers.js';

const ctx = (bridges: BridgeConfig[], timeoutMs = 3_000, locale: 'en' | 'vi' = 'en') =>
  kindContext({ timeoutMs, locale, profile: { bridges } });

describe('sip-options against the simulated bridge', () => {
  let bridge: BridgeSim;
  beforeAll(async () => {
    bridge = await startBridgeSim();
  });
  afterAll(async () => {
    await bridge.close();
  });

  it('passes with the RTT, probing the bridge as a server (no user part)', async () => {
    const bridges = [{ id: 'tinh', uri: `sip:8001@127.0.0.1:${bridge.port}` }];
    const r = await sipOptions.run({ bridge: 'tinh' }, ctx(bridges));
    expect(r.status).toBe('pass');
    expect(r.summary).toMatch(
      new RegExp(
        `^sip:127\\.0\\.0\\.1:${bridge.port} \\(UDP 127\\.0\\.0\\.1:${bridge.port}\\) answered 200 OK in [\\d.]+ ms$`,
      ),
    );
    expect(r.metrics?.sip_status).toBe(200);
    expect(r.metrics?.rtt_ms).toBeGreaterThan(0);
  });

  it('uses the first bridge by default and TCP when asked', async () => {
    const r = await sipOptions.run(
      { transport: 'tcp' },
      ctx([{ id: 'a', uri: `sip:127.0.0.1:${bridge.port}` }]),
    );
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('(TCP 127.0.0.1:');
    expect(bridge.requests().at(-1)).toEqual({ method: 'OPTIONS', transport: 'tcp' });
  });

  it('takes the transport from the bridge', async () => {
    const r = await sipOptions.run(
      {},
      ctx([{ id: 'a', uri: `sip:127.0.0.1:${bridge.port}`, transport: 'tcp' }]),
    );
    expect(r.summary).toContain('(TCP ');
  });

  it('judges the RTT against warn/fail limits', async () => {
    const r = await sipOptions.run({ target: `127.0.0.1:${bridge.port}`, warn: { rtt_ms: 0 } }, ctx([]));
    expect(r.status).toBe('warn');
    expect(r.hint).toContain('slowly');
  });

  it('any final answer means alive: 404 passes', async () => {
    const b = await startBridgeSim({ scenario: { options_status: 404 } });
    try {
      const r = await sipOptions.run({ target: `sip:nobody@127.0.0.1:${b.port}` }, ctx([]));
      expect(r.status).toBe('pass');
      expect(r.summary).toContain('answered 404 Not Found');
      expect((r.details as { uri: string }).uri).toBe(`sip:nobody@127.0.0.1:${b.port}`);
    } finally {
      await b.close();
    }
  });

  it('5xx is a failure', async () => {
    const b = await startBridgeSim({ scenario: { options_status: 503 } });
    try {
      const r = await sipOptions.run({ target: `127.0.0.1:${b.port}` }, ctx([], 3_000, 'vi'));
      expect(r.status).toBe('fail');
      expect(r.summary).toBe(
        `sip:127.0.0.1:${b.port} (UDP 127.0.0.1:${b.port}) trả lời 503 Service Unavailable: dịch vụ SIP của MCU có sự cố`,
      );
    } finally {
      await b.close();
    }
  });
});

describe('sip-options against a port that never answers', () => {
  it('fails with a timeout inside the check timeout', async () => {
    const sink = dgram.createSocket('udp4');
    sink.on('message', () => {});
    const port = await new Promise<number>((r) => sink.bind(0, '127.0.0.1', () => r(sink.address().port)));
    try {
      const c = ctx([], 1_000);
      const r = await sipOptions.run({ target: `sip:127.0.0.1:${port}` }, c);
      expect(r.status).toBe('fail');
      expect(r.summary).toBe(`no SIP answer from sip:127.0.0.1:${port} (UDP 127.0.0.1:${port}) within 0.9 s`);
      expect(r.hint).toContain('UDP 5060');
      // It answered with its own failure before the engine's timeout fired.
      expect(c.signal.aborted).toBe(false);
    } finally {
      sink.close();
    }
  });
});

describe('sip-options target rules', () => {
  it('names a bridge that is not in the profile', async () => {
    const r = await sipOptions.run({ bridge: 'xa' }, ctx([{ id: 'tinh', uri: 'sip:127.0.0.1' }]));
    expect(r).toMatchObject({
      status: 'error',
      summary: 'no bridge "xa" in the profile',
      error: { code: 'BRIDGE_UNKNOWN' },
    });
  });

  it('is an error with no bridges and no target', async () => {
    expect((await sipOptions.run({}, ctx([]))).error?.code).toBe('NO_TARGET');
  });

  it('skips an H.323 bridge and says why', async () => {
    const r = await sipOptions.run({}, ctx([{ id: 'tw', uri: 'h323:10.0.0.1', protocol: 'h323' }]));
    expect(r.status).toBe('skip');
    expect(r.summary).toContain('H.323');
  });

  it('refuses TLS plainly', async () => {
    const r = await sipOptions.run({}, ctx([{ id: 'a', uri: 'sips:127.0.0.1', transport: 'tls' }]));
    expect(r).toMatchObject({ status: 'error', error: { code: 'UNSUPPORTED_TRANSPORT' } });
  });

  it('fails on a name that does not resolve', async () => {
    const r = await sipOptions.run({ target: 'sip:mcu.invalid' }, ctx([]));
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('cannot resolve mcu.invalid');
  });
});

describe.skipIf(!havePeer('sipp', 'apt install sip-tester'))('sip-options against sipp', () => {
  const started: SippUas[] = [];
  afterAll(() => {
    for (const p of started) p.kill();
  });

  it.each(['udp', 'tcp'] as const)('passes against sipp -sn uas -aa over %s', async (transport) => {
    const uas = await startSippUas(transport);
    started.push(uas);
    const r = await sipOptions.run(
      { transport },
      ctx([{ id: 'sipp', uri: `sip:bridge@127.0.0.1:${uas.port}` }]),
    );
    expect(r.status).toBe('pass');
    expect(r.metrics?.sip_status).toBe(200);
    uas.kill();
  });
});
