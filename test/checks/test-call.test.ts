/**
 * The test-call check through simulated codecs: a clean call, lossy media,
 * a refused call, no answer, a busy codec (a meeting is never touched), a
 * dropped call, Ctrl-C through the engine — and after every one of them no
 * call left up and no codec session left open. One run goes over real SIP
 * from the simulated codec to the simulated bridge.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testCall } from '../../src/checks/test-call.js';
import { createContext } from '../../src/cli/context.js';
import { runSite } from '../../src/engine/run.js';
import type { BridgeConfig } from '../../src/model/bridge.js';
import type { CodecConfig } from '../../src/model/codec.js';
import { type BridgeSim, startBridgeSim } from '../../src/sim/bridge.js';
import type { CodecSim } from '../../src/sim/cisco.js';
import { startCodecSim } from '../../src/sim/index.js';
import { codecConfig, PASSWORD, until } from '../drivers/codec-setup.js';
import { Buffer } from '../helpers/cli.js';
import { kindContext, testProfile } from '../helpers/kind-context.js';

const BRIDGE: BridgeConfig = { id: 'tinh', uri: 'sip:8001@mcu.example.gov.vn', rate_kbps: 1920 };
const FAST = { duration: '1s', connect_timeout: '3s' };

describe.each(['cisco', 'poly'] as const)('test-call through a simulated %s codec', (driver) => {
  let sim: CodecSim;
  let codec: CodecConfig;
  const ctx = (extra: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
    kindContext({
      timeoutMs: extra.timeoutMs ?? 20_000,
      profile: { codec, bridges: [BRIDGE] },
      ...(extra.signal ? { signal: extra.signal } : {}),
    });

  beforeAll(async () => {
    sim = await startCodecSim(driver, {
      password: PASSWORD,
      sipDial: 'off',
      scenario: { answer_after_ms: 50 },
    });
    codec = codecConfig(sim, driver, { auth: 'session' });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(async () => {
    sim.update({ call: 'answer', loss_pct: 0, jitter_ms: 3, busy: false, drop_after_ms: undefined });
    await until(() => sim.calls().length === 0);
    expect(sim.sessions()).toBe(0);
  });

  it('passes a clean call and hangs up', async () => {
    const r = await testCall.run(FAST, ctx());
    expect(r.status).toBe('pass');
    expect(r.metrics).toMatchObject({ loss_pct: 0, jitter_ms: 3, rx_rate_kbps: 1920, tx_rate_kbps: 1920 });
    expect(r.metrics?.sampled_s).toBeGreaterThanOrEqual(1);
    expect(r.summary).toMatch(
      /^test call to 8001@mcu\.example\.gov\.vn: [\d.]+ s, loss 0%, jitter 3 ms, received 1920 kbps$/,
    );
    expect(r.details).toMatchObject({
      number: '8001@mcu.example.gov.vn',
      protocol: 'sip',
      rate_kbps: 1920,
      hungUp: true,
    });
    expect(r.limits).toEqual({ warn: { loss_pct: 1, jitter_ms: 30 }, fail: { loss_pct: 3, jitter_ms: 50 } });
    expect(sim.calls()).toEqual([]);
  });

  it('fails lossy media against the default limits and says which', async () => {
    sim.update({ loss_pct: 6, jitter_ms: 70 });
    const r = await testCall.run({ ...FAST, duration: '1500ms' }, ctx());
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/loss_pct [\d.]+ \(fail 3\), jitter_ms 70 \(fail 50\)$/);
    expect(r.hint).toContain('udp-quality');
  });

  it('judges the received rate against a minimum', async () => {
    const r = await testCall.run({ ...FAST, fail: { rx_rate_kbps: 5000 } }, ctx());
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('rx_rate_kbps 1920 (fail 5000)');
  });

  it('fails a call the bridge refuses', async () => {
    sim.update({ call: 'reject' });
    const r = await testCall.run(FAST, ctx());
    expect(r).toMatchObject({ status: 'fail', error: { code: 'CALL_REJECTED' } });
    expect(r.hint).toContain('MCU operator');
  });

  it('fails and hangs up a call nobody answers', async () => {
    sim.update({ call: 'never_answer' });
    const r = await testCall.run({ ...FAST, connect_timeout: '1s' }, ctx());
    expect(r).toMatchObject({ status: 'fail', error: { code: 'CALL_NO_ANSWER' } });
    expect(r.summary).toBe('the call to 8001@mcu.example.gov.vn did not connect within 1 s; it was hung up');
    expect(sim.calls()).toEqual([]);
  });

  it('does not dial, and leaves the meeting alone, when the codec is in a call', async () => {
    sim.update({ busy: true });
    const r = await testCall.run(FAST, ctx());
    expect(r).toMatchObject({ status: 'error', error: { code: 'CODEC_BUSY' } });
    expect(r.summary).toMatch(
      /^the codec is already in a call with hop-tinh@mcu\.example\.gov\.vn \(call \d+\)$/,
    );
    expect(sim.calls()).toEqual([expect.objectContaining({ meeting: true, state: 'Connected' })]);
  });

  it('fails a call that drops while sampling', async () => {
    sim.update({ drop_after_ms: 300 });
    const r = await testCall.run({ ...FAST, duration: '3s' }, ctx());
    expect(r).toMatchObject({ status: 'fail', error: { code: 'CALL_DROPPED' } });
  });

  it('hangs up when the run is cancelled (Ctrl-C) through the engine', async () => {
    const ac = new AbortController();
    const out = new Buffer();
    const runCtx = createContext({
      io: {
        stdout: out,
        stderr: out,
        stdin: undefined,
        stdoutTTY: false,
        stderrTTY: false,
        interactive: false,
        color: false,
        columns: 80,
      },
      locale: 'en',
      env: {},
      cwd: process.cwd(),
      signal: ac.signal,
    });
    const profile = testProfile({
      codec,
      bridges: [BRIDGE],
      checks: [
        {
          id: 'tc',
          kind: 'test-call',
          required: true,
          retries: 0,
          needs: [],
          timeoutMs: 30_000,
          params: { id: 'tc', kind: 'test-call', duration: '20s' },
        },
      ],
    });
    const running = runSite(profile, runCtx);
    await until(() => sim.calls().some((c) => c.state === 'Connected'));
    ac.abort();
    const site = await running;
    expect(site.checks[0]).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
    // The check keeps going in the background just long enough to hang up.
    await until(() => sim.calls().length === 0);
    await until(() => sim.sessions() === 0);
  });
});

describe('test-call over real SIP: simulated codec → simulated bridge', () => {
  let sim: CodecSim;
  let bridge: BridgeSim;
  beforeAll(async () => {
    bridge = await startBridgeSim();
    sim = await startCodecSim('cisco', { password: PASSWORD });
  });
  afterAll(async () => {
    await sim.close();
    await bridge.close();
  });

  it('connects through the bridge, then hangs up with BYE', async () => {
    const bridges = [{ id: 'tinh', uri: `sip:8001@127.0.0.1:${bridge.port}` }];
    const r = await testCall.run(
      FAST,
      kindContext({ timeoutMs: 20_000, profile: { codec: codecConfig(sim, 'cisco'), bridges } }),
    );
    expect(r.status).toBe('pass');
    expect(bridge.requests().map((x) => x.method)).toEqual(expect.arrayContaining(['INVITE', 'ACK', 'BYE']));
    await until(() => bridge.dialogs() === 0);
  });

  it('fails when the bridge rejects the INVITE', async () => {
    bridge.update({ invite_status: 486 });
    const bridges = [{ id: 'tinh', uri: `sip:8001@127.0.0.1:${bridge.port}` }];
    const r = await testCall.run(
      FAST,
      kindContext({ timeoutMs: 20_000, profile: { codec: codecConfig(sim, 'cisco'), bridges } }),
    );
    expect(r).toMatchObject({ status: 'fail', error: { code: 'CALL_REJECTED' } });
    bridge.update({ invite_status: 200 });
  });

  it.each([
    [486, 'busy', /^8001@127\.0\.0\.1:\d+ is busy \(SIP 486, RemoteBusy\)$/],
    [404, 'not_found', /does not exist on the bridge \(SIP 404, UnknownRemoteSite\)$/],
    [407, 'auth', /asked for credentials and refused the call to .* \(SIP 407, Rejected\)$/],
    [480, 'unavailable', /cannot take the call .* right now \(SIP 480, Rejected\)$/],
    [408, 'timeout', /was not answered in time \(SIP 408, Rejected\)$/],
    [488, 'media', /no common audio\/video format .* \(SIP 488, Rejected\)$/],
    [603, 'other', /^the bridge refused the call to .* \(SIP 603, Rejected\)$/],
  ])(
    'a SIP %i refusal is the %s category, with the code in details and metrics',
    async (status, category, summary) => {
      bridge.update({ invite_status: status });
      try {
        const bridges = [{ id: 'tinh', uri: `sip:8001@127.0.0.1:${bridge.port}` }];
        const r = await testCall.run(
          FAST,
          kindContext({ timeoutMs: 20_000, profile: { codec: codecConfig(sim, 'cisco'), bridges } }),
        );
        expect(r).toMatchObject({
          status: 'fail',
          error: { code: 'CALL_REJECTED' },
          metrics: { sip_code: status },
          details: { category, sip_code: status, number: `8001@127.0.0.1:${bridge.port}` },
        });
        expect(r.summary).toMatch(summary);
        expect(r.hint).toBe(r.error?.hint);
      } finally {
        bridge.update({ invite_status: 200 });
      }
    },
  );
});

describe('test-call without a codec that can call', () => {
  it('skips plainly on a PC endpoint (driver none)', async () => {
    const r = await testCall.run(
      FAST,
      kindContext({ profile: { codec: { driver: 'none' }, bridges: [BRIDGE] } }),
    );
    expect(r.status).toBe('skip');
  });

  it('is an error for a bridge that is not in the profile', async () => {
    const r = await testCall.run(
      { bridge: 'xa' },
      kindContext({ profile: { codec: { driver: 'none' }, bridges: [BRIDGE] } }),
    );
    expect(r).toMatchObject({ status: 'error', error: { code: 'BRIDGE_UNKNOWN' } });
  });
});
