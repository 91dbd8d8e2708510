/**
 * `createDriver(codecConfig, ctx)`: the driver for a profile's `codec:`
 * block, from its row in the driver table (src/drivers/table.ts). Driver
 * modules are imported on demand so that check kinds, which import this
 * file, stay light at load time.
 */
import { DriverError } from '../errors.js';
import type { CodecConfig } from '../model/codec.js';
import { configError } from './errors.js';
import { driverRow } from './table.js';
import { type CodecDriver, DRIVER_ERRORS, type DriverContext } from './types.js';

export async function createDriver(codec: CodecConfig | undefined, ctx: DriverContext): Promise<CodecDriver> {
  if (!codec) throw configError(ctx.t, '-', 'codec');
  const row = driverRow(codec.driver);
  if (!row) {
    throw new DriverError(
      DRIVER_ERRORS.config,
      ctx.t('codec.err.unknown_driver', { driver: String(codec.driver) }),
      { exitCode: 3 },
    );
  }
  return row.open(codec, ctx);
}
