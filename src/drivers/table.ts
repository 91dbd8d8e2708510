/**
 * Every codec driver, one row each: its name in profiles (`codec.driver`),
 * its label in `profile init`, where an HTTP driver finds the codec when the
 * profile does not say, what it can do, and how to load it and its
 * simulator. The profile schema, `profile init`, the help text, `sim codec`
 * and `createDriver` all read this table.
 *
 * This file imports nothing at run time but the capability names from
 * ./types.js (which imports nothing): the CLI's help and the check kinds
 * read it without loading any driver, because each row names its modules
 * with `import()`. Adding a driver is its file, one row
 * here, its messages and its tests (docs/architecture.md, "Start-up cost").
 */
import type { MessageKey } from '../i18n/index.js';
import type { CodecAccess } from '../model/codec.js';
import type { CodecSim, CodecSimOptions } from '../sim/cisco.js';
import { CAPABILITIES, type Capability, type CodecDriver, type DriverContext } from './types.js';

export interface DriverRow {
  readonly name: string;
  /** Its line in `profile init`'s list of codecs (a catalogue key). */
  readonly label: MessageKey;
  /**
   * A driver that speaks HTTP to the codec: the scheme when the profile has
   * no `codec.scheme`, and the port when the profile has no `codec.port` and
   * the vendor's API is not on the scheme's own port.
   */
  readonly http?: { readonly scheme: 'http' | 'https'; readonly port?: number };
  /** The optional methods of CodecDriver it has (test/drivers/table.test.ts holds each driver to its row). */
  readonly capabilities: readonly Capability[];
  readonly open: (codec: CodecAccess, ctx: DriverContext) => Promise<CodecDriver>;
  /** Its simulator (src/sim/), for tests, `diemcau demo` and `diemcau sim codec`. */
  readonly simulate?: (opts: CodecSimOptions) => Promise<CodecSim>;
}

// Each `open` and `simulate` states its return type: inferring it would go round in a circle
// (CodecDriver.name is a DriverName, and DriverName comes from this table).
export const DRIVERS = [
  {
    name: 'cisco',
    label: 'profile.init.driver.cisco',
    http: { scheme: 'https' },
    capabilities: CAPABILITIES,
    open: async (codec, ctx): Promise<CodecDriver> =>
      new (await import('./cisco.js')).CiscoDriver(codec, ctx),
    simulate: async (opts): Promise<CodecSim> => (await import('../sim/cisco.js')).startCiscoSim(opts),
  },
  {
    name: 'poly',
    label: 'profile.init.driver.poly',
    http: { scheme: 'https' },
    capabilities: CAPABILITIES,
    open: async (codec, ctx): Promise<CodecDriver> => new (await import('./poly.js')).PolyDriver(codec, ctx),
    simulate: async (opts): Promise<CodecSim> => (await import('../sim/poly.js')).startPolySim(opts),
  },
  {
    name: 'none',
    label: 'profile.init.driver.none',
    capabilities: [],
    open: async (): Promise<CodecDriver> => new (await import('./none.js')).NoneDriver(),
  },
] as const satisfies readonly DriverRow[];

type Row = (typeof DRIVERS)[number];
export type DriverName = Row['name'];
/** The drivers that have a simulator. */
export type SimulatedDriver = Extract<Row, { simulate: unknown }>['name'];

export const DRIVER_NAMES: readonly DriverName[] = DRIVERS.map((d) => d.name);
export const SIMULATED_DRIVERS: readonly SimulatedDriver[] = DRIVERS.flatMap((d) =>
  'simulate' in d ? [d.name] : [],
);

/** The row of a driver name, or undefined for a name no row has (a profile not yet validated). */
export function driverRow(name: string): DriverRow | undefined {
  return DRIVERS.find((d) => d.name === name);
}
