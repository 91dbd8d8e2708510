/** Simulator scenarios: named ones merge left to right; files are checked field by field. */
import { describe, expect, it } from 'vitest';
import { bridgeScenario } from '../../src/commands/sim/bridge.js';
import { namedScenario, SCENARIO_NAMES, ScenarioError, validateScenario } from '../../src/sim/scenario.js';

describe('codec scenarios', () => {
  it('merges named scenarios', () => {
    expect(namedScenario(['asleep', 'lossy'])).toEqual({ asleep: true, loss_pct: 6, jitter_ms: 70 });
    expect(SCENARIO_NAMES).toContain('camera-unplugged');
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => namedScenario(['on-fire'])).toThrow(/unknown scenario "on-fire" \(known: normal, asleep, /);
  });

  it('reads a file: named scenarios, then fields', () => {
    expect(validateScenario({ scenario: ['busy'], loss_pct: 2, call: 'reject', forbidden: true })).toEqual({
      busy: true,
      loss_pct: 2,
      call: 'reject',
      forbidden: true,
    });
  });

  it('reads SIP digest credentials for real SIP calls', () => {
    expect(validateScenario({ sip_username: 'phong-hop', sip_password: 's3cret' })).toEqual({
      sip_username: 'phong-hop',
      sip_password: 's3cret',
    });
  });

  it.each([
    [{ sip_password: '' }, 'sip_password: a non-empty string'],
    [{ sip_username: 7 }, 'sip_username: a non-empty string'],
    [{ asleep: 'yes' }, 'asleep: true or false'],
    [{ loss_pct: -1 }, 'loss_pct: a number ≥ 0'],
    [{ call: 'maybe' }, 'call: one of answer, reject, never_answer'],
    [{ colour: 'red' }, 'unknown field "colour"'],
    [['asleep'], 'a scenario file holds a mapping of fields'],
  ])('refuses %j', (data, message) => {
    expect(() => validateScenario(data)).toThrow(ScenarioError);
    expect(() => validateScenario(data)).toThrow(message);
  });
});

describe('bridge scenarios', () => {
  it('merges a file and named scenarios', () => {
    expect(bridgeScenario(['reject'], { ring_ms: 500 })).toEqual({ ring_ms: 500, invite_status: 486 });
  });

  it('refuses unknown names and fields', () => {
    expect(() => bridgeScenario(['down'], undefined)).toThrow(/unknown scenario "down"/);
    expect(() => bridgeScenario([], { ring: 1 })).toThrow(/unknown field "ring"/);
    expect(() => bridgeScenario([], { silent: 1 })).toThrow('silent: true or false');
  });
});
