/**
 * How a simulated codec misbehaves. Named scenarios (`--scenario
 * asleep,lossy`) for the common faults, or a file (`--scenario-file`,
 * YAML or JSON) with the fields below for anything finer.
 */
export interface CodecScenario {
  /** Standby (Cisco) / ASLEEP (Poly). */
  asleep?: boolean;
  /** SIP registration Failed / DOWN. */
  unregistered?: boolean;
  /** The camera reports not connected. */
  camera_unplugged?: boolean;
  /** One of the two microphones reports not connected. */
  mic_unplugged?: boolean;
  /** An error-level diagnostic (Cisco Diagnostics Message, Poly status list). */
  diagnostics_error?: boolean;
  /** What the far end does with a call: answer (default), reject, or never answer. */
  call?: 'answer' | 'reject' | 'never_answer';
  /** The SIP status a simulated refusal (`call: reject`) files in the call history (default: no cause filed). */
  reject_status?: number;
  /** Time from Dial to connected (or rejected), default 200 ms. */
  answer_after_ms?: number;
  /** The call drops by itself this long after connecting. */
  drop_after_ms?: number;
  /** Received packet loss in media stats (%). */
  loss_pct?: number;
  /** Received jitter in media stats (ms). */
  jitter_ms?: number;
  /** Every reply this much later. */
  slow_ms?: number;
  /** Replies are not XML/JSON (a broken web stack or the wrong device). */
  garbage?: boolean;
  /** Already in a call (a meeting) when asked. */
  busy?: boolean;
  /** A product without H.323 (no H323 node), like the Cisco Room Bar. */
  no_h323?: boolean;
  /** The account logs in but lacks the role: every read and command answers 403 (Cisco). */
  forbidden?: boolean;
  /** SIP digest user for real SIP calls (a proxy's 401/407 challenge); also the From user. */
  sip_username?: string;
  /** SIP digest password (never logged or printed). */
  sip_password?: string;
  /** Poly: which generation it plays, VideoOS (default) or Group Series (its keys, its paths, PENDING). */
  generation?: 'videoos' | 'group-series';
  /** Cisco: registered through the Webex cloud or in Microsoft Teams mode (SIP Inactive, no URI). */
  cloud?: 'webex' | 'teams';
  /** Cisco: in a Teams / Webex call, which lists no <Call> node (NumberOfActiveCalls 1). */
  cloud_call?: boolean;
  /** Cisco: the touch panel (Room Navigator) is unplugged. */
  touch_panel_missing?: boolean;
}

export const NAMED_SCENARIOS = {
  normal: {},
  asleep: { asleep: true },
  unregistered: { unregistered: true },
  'camera-unplugged': { camera_unplugged: true },
  'mic-unplugged': { mic_unplugged: true },
  'diagnostics-error': { diagnostics_error: true },
  'call-rejected': { call: 'reject' },
  'never-answer': { call: 'never_answer' },
  'call-drops': { drop_after_ms: 3_000 },
  lossy: { loss_pct: 6, jitter_ms: 70 },
  slow: { slow_ms: 3_000 },
  garbage: { garbage: true },
  busy: { busy: true },
  'no-h323': { no_h323: true },
  forbidden: { forbidden: true },
  'group-series': { generation: 'group-series' },
  'webex-cloud': { cloud: 'webex' },
  'teams-mode': { cloud: 'teams' },
  'teams-call': { cloud: 'teams', cloud_call: true },
  'no-touch-panel': { touch_panel_missing: true },
} as const satisfies Record<string, CodecScenario>;

export type ScenarioName = keyof typeof NAMED_SCENARIOS;
export const SCENARIO_NAMES = Object.keys(NAMED_SCENARIOS) as ScenarioName[];

export class ScenarioError extends Error {}

/** Merge named scenarios, left to right. */
export function namedScenario(names: readonly string[]): CodecScenario {
  const out: CodecScenario = {};
  for (const name of names) {
    const s = (NAMED_SCENARIOS as Record<string, CodecScenario>)[name];
    if (!s) throw new ScenarioError(`unknown scenario "${name}" (known: ${SCENARIO_NAMES.join(', ')})`);
    Object.assign(out, s);
  }
  return out;
}

const BOOLS = [
  'asleep',
  'unregistered',
  'camera_unplugged',
  'mic_unplugged',
  'diagnostics_error',
  'garbage',
  'busy',
  'no_h323',
  'forbidden',
  'cloud_call',
  'touch_panel_missing',
] as const;
const NUMBERS = [
  'reject_status',
  'answer_after_ms',
  'drop_after_ms',
  'loss_pct',
  'jitter_ms',
  'slow_ms',
] as const;
const CALLS = ['answer', 'reject', 'never_answer'] as const;
const STRINGS = ['sip_username', 'sip_password'] as const;
const WORDS = { generation: ['videoos', 'group-series'], cloud: ['webex', 'teams'] } as const;

/** Check a scenario read from a file: known fields with the right types (`scenario: [names]` is allowed too). */
export function validateScenario(data: unknown): CodecScenario {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ScenarioError('a scenario file holds a mapping of fields');
  const out: CodecScenario = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'scenario') {
      const names = Array.isArray(value) ? value.map(String) : [String(value)];
      Object.assign(out, namedScenario(names));
    } else if ((BOOLS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw new ScenarioError(`${key}: true or false`);
      (out as Record<string, unknown>)[key] = value;
    } else if ((NUMBERS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !(value >= 0)) throw new ScenarioError(`${key}: a number ≥ 0`);
      if (key === 'reject_status' && !(Number.isInteger(value) && value >= 300 && value <= 699))
        throw new ScenarioError('reject_status: a SIP status 300–699');
      (out as Record<string, unknown>)[key] = value;
    } else if ((STRINGS as readonly string[]).includes(key)) {
      if (typeof value !== 'string' || value === '') throw new ScenarioError(`${key}: a non-empty string`);
      (out as Record<string, unknown>)[key] = value;
    } else if (key === 'generation' || key === 'cloud') {
      if (!(WORDS[key] as readonly unknown[]).includes(value))
        throw new ScenarioError(`${key}: one of ${WORDS[key].join(', ')}`);
      (out as Record<string, unknown>)[key] = value;
    } else if (key === 'call') {
      if (!(CALLS as readonly unknown[]).includes(value))
        throw new ScenarioError(`call: one of ${CALLS.join(', ')}`);
      out.call = value as CodecScenario['call'];
    } else {
      throw new ScenarioError(
        `unknown field "${key}" (known: scenario, ${[...BOOLS, ...NUMBERS, 'call', 'generation', 'cloud', ...STRINGS].join(', ')})`,
      );
    }
  }
  return out;
}
