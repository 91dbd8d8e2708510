/**
 * dialBridge, the building block of `meeting dial`: a bridge URI (a
 * meeting's) or a profile bridge id, dialled through a simulated Cisco codec
 * on the `diemcau dial` path, with the drivers' refusal reasons.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dialBridge } from '../../src/commands/codec/dial.js';
import { loadSite } from '../../src/commands/common.js';
import { CallRefusedError } from '../../src/drivers/refusal.js';
import type { ResolvedProfile } from '../../src/profile/types.js';
import { type CodecSim, startCiscoSim } from '../../src/sim/cisco.js';
import { run } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';
import { PASSWORD, siteProfile } from './codec-site.js';

let sim: CodecSim;
let file: string;
let env: Record<string, string>;
let profile: ResolvedProfile;

beforeAll(async () => {
  sim = await startCiscoSim({ password: PASSWORD, sipDial: 'off', scenario: { answer_after_ms: 50 } });
  ({ file, env } = await siteProfile({ driver: 'cisco', port: sim.port }));
  ({ profile } = await loadSite(testContext({ env }), file));
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  sim.update({ call: 'answer', reject_status: undefined });
  if (sim.calls().length) await run(['hangup', '--all', '-p', file], { env });
  expect(sim.sessions()).toBe(0);
});

describe('dialBridge', () => {
  it("dials a meeting's bridge URI that is not in the profile, and prints the call id", async () => {
    const ctx = testContext({ env });
    expect(await dialBridge(profile, 'sip:8002@mcu.tinh.vn', ctx)).toBe(0);
    expect(sim.calls()).toMatchObject([{ remote: '8002@mcu.tinh.vn', state: 'Connected' }]);
    expect(ctx.out.text).toBe(`${sim.calls()[0]?.id}\n`);
  });

  it('dials a bridge of the profile by id', async () => {
    expect(await dialBridge(profile, 'tinh', testContext({ env }))).toBe(0);
    expect(sim.calls()).toMatchObject([{ remote: '8001@mcu.example.gov.vn', rateKbps: 1920 }]);
  });

  it('a refused call says why, in the run language, with the category', async () => {
    sim.update({ call: 'reject', reject_status: 486 });
    const err = await dialBridge(profile, 'sip:8002@mcu.tinh.vn', testContext({ env, locale: 'vi' })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CallRefusedError);
    expect((err as CallRefusedError).category).toBe('busy');
    expect((err as CallRefusedError).message).toMatch(/^8002@mcu\.tinh\.vn đang bận \(SIP 486/);
  });
});
