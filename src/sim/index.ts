/**
 * The simulators, for tests, `diemcau demo` and training (`diemcau sim`):
 * simulated Cisco and Poly codecs (real HTTP servers on loopback speaking
 * the vendors' wire formats) and a SIP bridge.
 */
import type { CodecSim, CodecSimOptions } from './cisco.js';

export { type BridgeScenario, type BridgeSim, type BridgeSimOptions, startBridgeSim } from './bridge.js';
export { type CodecSim, type CodecSimOptions, startCiscoSim } from './cisco.js';
export { startPolySim } from './poly.js';
export {
  type CodecScenario,
  NAMED_SCENARIOS,
  namedScenario,
  SCENARIO_NAMES,
  validateScenario,
} from './scenario.js';

export async function startCodecSim(driver: 'cisco' | 'poly', opts: CodecSimOptions = {}): Promise<CodecSim> {
  if (driver === 'poly') {
    const { startPolySim } = await import('./poly.js');
    return startPolySim(opts);
  }
  const { startCiscoSim } = await import('./cisco.js');
  return startCiscoSim(opts);
}
