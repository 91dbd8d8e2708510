/** Shared by the codec driver, check and command tests: drivers pointed at simulators on 127.0.0.1. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDriver } from '../../src/drivers/index.js';
import type { CodecDriver } from '../../src/drivers/types.js';
import { translator } from '../../src/i18n/index.js';
import type { CodecConfig } from '../../src/model/codec.js';
import type { CodecSim } from '../../src/sim/cisco.js';

export const PASSWORD = 'Mật-khẩu-bí-mật-42';
const here = path.dirname(fileURLToPath(import.meta.url));

export const TLS = {
  key: readFileSync(path.join(here, '../fixtures/codec/self-signed.key')),
  cert: readFileSync(path.join(here, '../fixtures/codec/self-signed.crt')),
};

export function codecConfig(
  sim: Pick<CodecSim, 'port'>,
  driver: 'cisco' | 'poly',
  extra: Partial<CodecConfig> = {},
): CodecConfig {
  return {
    driver,
    host: '127.0.0.1',
    port: sim.port,
    scheme: 'http',
    username: 'admin',
    password: PASSWORD,
    timeout: '2s',
    ...extra,
  };
}

export function driverFor(
  sim: Pick<CodecSim, 'port'>,
  driver: 'cisco' | 'poly',
  extra: Partial<CodecConfig> = {},
  signal?: AbortSignal,
): Promise<CodecDriver> {
  return createDriver(codecConfig(sim, driver, extra), {
    t: translator('en'),
    ...(signal ? { signal } : {}),
  });
}

/** Poll until `fn` is true (bounded): for state the simulator reaches on its own timers. */
export async function until(fn: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
  p: Promise<unknown>,
): Promise<Error & { code?: string; hint?: string; exitCode?: number }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
