/**
 * Roll call: `diemcau call --watch --upload` against a simulated Cisco codec
 * whose call really comes up and goes down (`diemcau dial`, `hangup`), with a
 * live registry on loopback; and a lost line, where the outbox keeps the
 * states until `diemcau sync`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallStateRecord } from '../../src/model/call-state.js';
import { callStateOf, cleanRemote } from '../../src/registry/roll-call.js';
import { type CodecSim, startCiscoSim } from '../../src/sim/cisco.js';
import { run } from '../helpers/cli.js';
import { bearer } from '../registry/fixtures.js';
import { type LiveRegistry, startRegistry, tempDir } from '../registry/live.js';
import { PASSWORD, siteProfile } from './codec-site.js';

const SITE = 'th-xa-a';
let sim: CodecSim;
let file: string;
let env: Record<string, string>;

const until = async (fn: () => Promise<boolean> | boolean, ms = 8_000) => {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

async function registerSite(reg: LiveRegistry) {
  const r = await reg.app.inject({
    method: 'PUT',
    url: `/v1/sites/${SITE}`,
    headers: bearer(reg.tokens.admin),
    payload: { name: 'UBND xã A', unit: 'thanh-hoa/xa-a' },
  });
  expect(r.statusCode).toBe(201);
}

const states = (reg: LiveRegistry) => reg.store.listCallStates({ siteId: SITE, limit: 100 });

beforeAll(async () => {
  sim = await startCiscoSim({ password: PASSWORD, sipDial: 'off', scenario: { answer_after_ms: 50 } });
  ({ file, env } = await siteProfile({ driver: 'cisco', port: sim.port }));
});
afterAll(async () => {
  await sim.close();
});

describe('call --watch --upload', () => {
  it('sends each change of the call state with the meeting, and nothing while it stays the same', async () => {
    const reg = await startRegistry();
    await registerSite(reg);
    const stateDir = tempDir('roll');
    const runEnv = { ...env, DIEMCAU_REGISTRY: reg.url, DIEMCAU_TOKEN: reg.tokens.admin };
    const ac = new AbortController();
    const watching = run(
      ['call', '--watch', '--interval', '100ms', '--upload', '--meeting', 'hdnd-12', '-p', file],
      { env: runEnv, stateDir, signal: ac.signal },
    );
    try {
      await until(async () => (await states(reg)).length === 1);
      // Several snapshots of the same idle codec: still one state.
      await new Promise((r) => setTimeout(r, 400));
      expect((await states(reg)).map((s) => s.state)).toEqual(['disconnected']);
      expect((await run(['dial', '-p', file], { env })).code).toBe(0);
      await until(async () => (await states(reg)).some((s) => s.state === 'connected'));
      await new Promise((r) => setTimeout(r, 300));
      expect((await run(['hangup', '--all', '-p', file], { env })).code).toBe(0);
      await until(
        async () => (await states(reg)).at(-1)?.state === 'disconnected' && (await states(reg)).length > 2,
      );
    } finally {
      ac.abort();
    }
    const r = await watching;
    expect(r.code).toBe(130);
    const got = await states(reg);
    expect(got[0]).toMatchObject({ state: 'disconnected', meeting: 'hdnd-12' });
    expect(got.find((s) => s.state === 'connected')).toMatchObject({
      remote: '8001@mcu.example.gov.vn',
      meeting: 'hdnd-12',
    });
    expect(got.at(-1)?.state).toBe('disconnected');
    expect(got.every((s) => s.meeting === 'hdnd-12')).toBe(true);
    for (let i = 1; i < got.length; i++)
      expect(`${got[i]?.state} ${got[i]?.remote}`).not.toBe(`${got[i - 1]?.state} ${got[i - 1]?.remote}`);
    expect(r.stderr).toContain(`${SITE}: connected`);
    // The readiness view's question: connected to the bridge from when, and for how long.
    const span = await reg.store.bridgeConnection({
      siteId: SITE,
      bridge: 'sip:8001@mcu.example.gov.vn',
      fromMs: Date.parse(got[0]?.at as string),
      toMs: Date.now() + 1000,
    });
    const connected = got.find((s) => s.state === 'connected') as CallStateRecord;
    expect(span.firstConnectedMs).toBe(Date.parse(connected.at));
    expect(span.connectedSinceMs).toBeUndefined();
    // Up for the 300 ms the test held the call, and a few snapshots more.
    expect(span.msConnected).toBeGreaterThanOrEqual(250);
    expect(span.msConnected).toBeLessThan(5_000);
    expect(span.minutesConnected).toBe(Math.round(span.msConnected / 6_000) / 10);
    // Listed through the API as well.
    const listed = await reg.app.inject({
      method: 'GET',
      url: `/v1/sites/${SITE}/call-states`,
      headers: bearer(reg.tokens.admin),
    });
    expect((listed.json() as { items: CallStateRecord[] }).items).toEqual(got);
    await reg.close();
  }, 30_000);

  it('with the registry down, keeps the state in the outbox and sync sends it later', async () => {
    const reg = await startRegistry();
    const port = reg.port;
    await reg.close();
    const stateDir = tempDir('roll-offline');
    const url = `http://127.0.0.1:${port}`;
    const r = await run(['call', '--upload', '-p', file], {
      env: { ...env, DIEMCAU_REGISTRY: url, DIEMCAU_TOKEN: 'dct_old', DIEMCAU_REGISTRY_TIMEOUT_MS: '1000' },
      stateDir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No active call.\n');
    expect(r.stderr).toMatch(new RegExp(`^queued: ${SITE}: not in a call \\d\\d:\\d\\d .*\\n$`));
    const queued = fs.readdirSync(path.join(stateDir, 'outbox')).filter((n) => n.endsWith('.json'));
    expect(queued).toHaveLength(1);
    const item = JSON.parse(fs.readFileSync(path.join(stateDir, 'outbox', queued[0] as string), 'utf8'));
    expect(item).toMatchObject({ kind: 'call-state', path: `/v1/sites/${SITE}/call-states` });
    // The line comes back (same address); the state goes in order, once.
    const back = await startRegistry(port);
    await registerSite(back);
    const sync = await run(['sync'], {
      env: { ...env, DIEMCAU_REGISTRY: url, DIEMCAU_TOKEN: back.tokens.admin },
      stateDir,
    });
    expect(sync.code).toBe(0);
    expect((await states(back)).map((s) => [s.state, s.at])).toEqual([['disconnected', item.body.at]]);
    await back.close();
  }, 30_000);

  it('refuses --meeting without --upload, and a meeting id that is not one (exit 3)', async () => {
    const a = await run(['call', '--meeting', 'hdnd-12', '-p', file], { env });
    expect(a.code).toBe(3);
    expect(a.stderr).toBe(
      'diemcau: error: --meeting goes with --upload (the meeting is sent with each call state)\n',
    );
    const b = await run(['call', '--upload', '--meeting', 'Họp HĐND', '-p', file], { env });
    expect(b.code).toBe(3);
    expect(b.stderr).toContain('--meeting: "Họp HĐND" is not a meeting id');
  });
});

describe('the state sent', () => {
  it('is the connected call, else the first, else disconnected; busy without a call is other', () => {
    expect(callStateOf([])).toEqual({ state: 'disconnected' });
    expect(callStateOf([], 'Microsoft Teams')).toEqual({ state: 'other' });
    expect(
      callStateOf([
        { state: 'ringing', remote: '9@b' },
        { state: 'connected', remote: 'sip:8001@b' },
      ]),
    ).toEqual({ state: 'connected', remote: 'sip:8001@b' });
  });
  it('carries no password and no terminal controls', () => {
    expect(cleanRemote('sip:user:s3cret@mcu.tinh.vn')).toBe('sip:user@mcu.tinh.vn');
    expect(cleanRemote('8001@mcu\u001b[31m.vn\u0007')).toBe('8001@mcu.vn');
    expect(cleanRemote('   ')).toBeUndefined();
  });
});
