/**
 * The simulators, for tests, `diemcau demo` and training (`diemcau sim`):
 * simulated Cisco and Poly codecs (real HTTP servers on loopback speaking
 * the vendors' wire formats) and a SIP bridge.
 */
import { driverRow, type SimulatedDriver } from '../drivers/table.js';
import type { CodecSim, CodecSimOptions } from './cisco.js';

export { type BridgeSim, startBridgeSim } from './bridge.js';
export type { CodecSim, CodecSimOptions } from './cisco.js';
export { namedScenario } from './scenario.js';

/** The simulator of a driver, from its row in the driver table (src/drivers/table.ts). */
export async function startCodecSim(driver: SimulatedDriver, opts: CodecSimOptions = {}): Promise<CodecSim> {
  const simulate = driverRow(driver)?.simulate;
  if (!simulate) throw new Error(`no simulator for driver ${driver}`);
  return simulate(opts);
}
