/**
 * `createDriver(codecConfig, ctx)`: the driver for a profile's `codec:`
 * block. Driver modules are imported on demand so that check kinds, which
 * import this file, stay light at load time.
 */
import { DriverError } from '../errors.js';
import type { CodecConfig } from '../model/codec.js';
import { configError } from './errors.js';
import { type CodecDriver, DRIVER_ERRORS, type DriverContext } from './types.js';

export type { CodecDriver, DriverContext } from './types.js';
export { hasCapability } from './types.js';

export async function createDriver(codec: CodecConfig | undefined, ctx: DriverContext): Promise<CodecDriver> {
  if (!codec) throw configError(ctx.t, '-', 'codec');
  switch (codec.driver) {
    case 'cisco': {
      const { CiscoDriver } = await import('./cisco.js');
      return new CiscoDriver(codec, ctx);
    }
    case 'poly': {
      const { PolyDriver } = await import('./poly.js');
      return new PolyDriver(codec, ctx);
    }
    case 'none': {
      const { NoneDriver } = await import('./none.js');
      return new NoneDriver();
    }
    default:
      throw new DriverError(
        DRIVER_ERRORS.config,
        ctx.t('codec.err.unknown_driver', { driver: String((codec as { driver: unknown }).driver) }),
        {
          exitCode: 3,
        },
      );
  }
}

/** Run `fn` with a driver and always close it (end the codec session), whatever happens. */
export async function withDriver<T>(
  codec: CodecConfig | undefined,
  ctx: DriverContext,
  fn: (driver: CodecDriver) => Promise<T>,
): Promise<T> {
  const driver = await createDriver(codec, ctx);
  try {
    return await fn(driver);
  } finally {
    await driver.close();
  }
}
