/**
 * What every codec check does around its one question: find the profile's
 * codec, create its driver (lazily imported), make sure the driver has the
 * capability (and say plainly when it does not), turn a DriverError into a
 * result, and always close the driver (end the codec session).
 */

import { type Capability, type CodecDriver, DRIVER_ERRORS } from '../drivers/types.js';
import { CancelledError, DriverError } from '../errors.js';
import { skipped } from './outcome.js';
import type { CheckContext, CheckOutcome } from './types.js';

/** What the check returns when the codec cannot be asked: `fail` for codec-status (that is what it proves), else `error`. */
export type UnreachableStatus = 'fail' | 'error';

export async function withCodec(
  ctx: CheckContext,
  needs: readonly Capability[],
  onDriverError: UnreachableStatus,
  fn: (driver: CodecDriver) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const { t } = ctx;
  const codec = ctx.profile.codec;
  if (!codec) {
    const message = t('codec.check.no_codec');
    return {
      status: 'error',
      summary: message,
      error: { code: 'NO_CODEC', message, hint: t('codec.check.hint.no_codec') },
    };
  }
  if (codec.driver === 'none') {
    const message = t('codec.check.driver_none');
    return { status: 'skip', summary: message, error: { code: 'CODEC_UNSUPPORTED', message } };
  }
  // The run's shared session when the engine gives one; else this check's own, closed below.
  const own = ctx.codec === undefined;
  let driver: CodecDriver;
  try {
    if (ctx.codec) driver = await ctx.codec.driver(ctx.signal);
    else {
      const { createDriver } = await import('../drivers/index.js');
      driver = await createDriver(codec, { t, signal: ctx.signal });
    }
  } catch (err) {
    return driverOutcome(err, ctx, 'error');
  }
  try {
    const missing = needs.find((cap) => typeof driver[cap] !== 'function');
    if (missing) {
      const message = t('codec.check.unsupported', {
        driver: driver.name,
        capability: t(`codec.cap.${missing}`),
      });
      return { status: 'skip', summary: message, error: { code: 'CODEC_UNSUPPORTED', message } };
    }
    return await fn(driver);
  } catch (err) {
    return driverOutcome(err, ctx, onDriverError);
  } finally {
    if (own) await driver.close();
  }
}

export function driverOutcome(err: unknown, ctx: CheckContext, status: UnreachableStatus): CheckOutcome {
  if (err instanceof CancelledError) {
    const message = ctx.t('engine.cancelled');
    return { status: 'error', summary: message, error: { code: 'CANCELLED', message } };
  }
  if (err instanceof DriverError && err.code === DRIVER_ERRORS.notReported) {
    // This model has no such path: not applicable, neither a pass nor an error.
    return skipped(err.code, err.message);
  }
  if (err instanceof DriverError && err.code === DRIVER_ERRORS.silent) {
    // The codec answered but said nothing about it: unknown, which is never a pass.
    return {
      status: 'warn',
      summary: err.message,
      error: { code: err.code, message: err.message },
      ...(err.hint ? { hint: err.hint } : {}),
    };
  }
  if (err instanceof DriverError) {
    return {
      status,
      summary: err.message,
      error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) },
      ...(err.hint ? { hint: err.hint } : {}),
    };
  }
  throw err;
}
