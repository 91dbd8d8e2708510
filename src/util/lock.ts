/**
 * An exclusive lock file holding the owner's pid (docs/operations.md, "Sweeps
 * from cron"). A lock left by a process that is gone is taken over.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sleep } from './sleep.js';

/** The process `pid` still runs (EPERM: it runs as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type Release = () => Promise<void>;

/** Take the lock now, or say who holds it. */
export async function tryLock(file: string): Promise<{ release: Release } | { heldBy: number }> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => fs.rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(await fs.readFile(file, 'utf8').catch(() => ''));
      if ((Number.isInteger(pid) && pid > 0 && alive(pid)) || attempt > 0) return { heldBy: pid };
      await fs.rm(file, { force: true });
    }
  }
}

/** Take the lock, waiting up to `waitMs` for its holder to finish (0: do not wait). */
export async function lock(
  file: string,
  waitMs: number,
  now: () => number,
  signal?: AbortSignal,
): Promise<{ release: Release } | { heldBy: number }> {
  const until = now() + waitMs;
  for (;;) {
    const r = await tryLock(file);
    if ('release' in r || now() >= until || signal?.aborted) return r;
    await sleep(Math.min(500, until - now()), signal);
  }
}
