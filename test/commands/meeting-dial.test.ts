/**
 * `diemcau meeting dial <id>`: the meeting read from a real registry (SQLite),
 * its bridge dialled through a simulated Cisco codec — with the profile's
 * settings when the profile has that bridge, by URI when not — the drivers'
 * refusal reasons, and no call for a cancelled meeting.
 */
import type net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '../../src/model/meeting.js';
import { type CodecSim, startCiscoSim } from '../../src/sim/cisco.js';
import { run } from '../helpers/cli.js';
import { NOW, post } from '../registry/fixtures.js';
import { at, DAY, HOUR, type MeetingApp, meetingApp, meetingBody } from '../registry/meetings-fixtures.js';
import { PASSWORD, siteProfile } from './codec-site.js';

let sim: CodecSim;
let t: MeetingApp;
let file: string;
let env: Record<string, string>;
const ids: number[] = [];

beforeAll(async () => {
  sim = await startCiscoSim({ password: PASSWORD, sipDial: 'off', scenario: { answer_after_ms: 50 } });
  t = await meetingApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
  ({ file, env } = await siteProfile({
    driver: 'cisco',
    port: sim.port,
    bridges: '  - { id: tinh, uri: "sip:8001@mcu.thanhhoa.gov.vn", rate_kbps: 1920 }',
  }));
  env = { ...env, DIEMCAU_REGISTRY: url, DIEMCAU_TOKEN: t.tokens.admin };
  for (const [i, bridge] of (['tinh', 'tinh-2', 'tinh'] as const).entries()) {
    const start = NOW + (4 + i) * DAY;
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: post(t.tokens.coord),
      payload: meetingBody({ title: `Họp ${i + 1}`, bridge, start: at(start), end: at(start + HOUR) }),
    });
    expect(r.statusCode, r.body).toBe(201);
    ids.push((r.json() as Meeting).id);
  }
  const cancel = await t.app.inject({
    method: 'PATCH',
    url: `/v1/meetings/${ids[2]}`,
    headers: post(t.tokens.coord),
    payload: { status: 'cancelled' },
  });
  expect(cancel.statusCode, cancel.body).toBe(200);
});
afterAll(async () => {
  await t.app.close();
  await sim.close();
});
afterEach(async () => {
  sim.update({ call: 'answer', reject_status: undefined });
  if (sim.calls().length) await run(['hangup', '--all', '-p', file], { env });
  expect(sim.sessions()).toBe(0);
});

describe('meeting dial', () => {
  it("dials the meeting's bridge with the profile's own settings for it, and prints the call id", async () => {
    const r = await run(['meeting', 'dial', String(ids[0]), '-p', file], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(sim.calls()).toMatchObject([
      { remote: '8001@mcu.thanhhoa.gov.vn', state: 'Connected', rateKbps: 1920 },
    ]);
    expect(r.stdout).toBe(`${sim.calls()[0]?.id}\n`);
    expect(r.stderr).toContain(`Meeting no. ${ids[0]} (Họp 1): dialling sip:8001@mcu.thanhhoa.gov.vn`);
  });

  it('dials a bridge the profile does not have by its URI', async () => {
    const r = await run(['meeting', 'dial', String(ids[1]), '-p', file], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(sim.calls()).toMatchObject([{ remote: '8002@mcu.thanhhoa.gov.vn', state: 'Connected' }]);
  });

  it('a refused call says why (busy), exit 2', async () => {
    sim.update({ call: 'reject', reject_status: 486 });
    const r = await run(['meeting', 'dial', String(ids[1]), '-p', file], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/8002@mcu\.thanhhoa\.gov\.vn.*busy.*SIP 486/i);
  });

  it('a cancelled meeting is not dialled (exit 3, one line); an unknown one is an error', async () => {
    const r = await run(['meeting', 'dial', String(ids[2]), '-p', file], {
      env: { ...env, LANG: 'vi_VN.UTF-8' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`meeting no. ${ids[2]} is cancelled: its bridge is not dialled\n`);
    expect(sim.calls()).toEqual([]);
    const none = await run(['meeting', 'dial', '999', '-p', file], { env });
    expect(none.code).not.toBe(0);
    expect(none.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(sim.calls()).toEqual([]);
  });
});
