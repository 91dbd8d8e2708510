/**
 * One codec session per site run (docs/drivers.md, "Sessions"): the engine
 * opens a `CodecSession` for the run, every codec check (and test-call)
 * borrows the one driver from it, bound to that check's own signal, and the
 * engine closes it when the run ends, whatever happened. Codecs cap their
 * API sessions (a Poly that has run out locks the technician out of its web
 * page), so a run never holds more than one.
 */
import type { CodecConfig } from '../model/codec.js';
import type { CodecDriver, DriverContext } from './types.js';

export interface CodecSession {
  /** The run's driver (created on first use), its requests stopped by `signal`. */
  driver(signal: AbortSignal): Promise<CodecDriver>;
  /** End the codec session if one was opened. Never throws. */
  close(): Promise<void>;
}

export function openCodecSession(codec: CodecConfig, ctx: DriverContext): CodecSession {
  let opened: Promise<CodecDriver> | undefined;
  let closed = false;
  return {
    async driver(signal) {
      opened ??= import('./index.js').then(({ createDriver }) => createDriver(codec, ctx));
      const driver = await opened;
      return driver.bind ? driver.bind(signal) : driver;
    },
    async close() {
      if (closed) return;
      closed = true;
      const driver = await opened?.catch(() => undefined);
      await driver?.close();
    },
  };
}
