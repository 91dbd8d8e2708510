/** Write a file whole or not at all: temp file beside it, fsync, rename. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  // Make the rename itself durable where the platform allows it.
  const dh = await fs.open(dir, constants.O_RDONLY).catch(() => undefined);
  if (dh) {
    await dh.sync().catch(() => {});
    await dh.close();
  }
}

export type WritableProblem = 'no-dir' | 'no-access' | 'is-dir';

/** Can `file` be written (its folder exists and is writable, it is not a folder)? */
export async function writableProblem(file: string): Promise<WritableProblem | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat?.isDirectory()) return 'is-dir';
  const dir = path.dirname(file);
  const dstat = await fs.stat(dir).catch(() => undefined);
  if (!dstat?.isDirectory()) return 'no-dir';
  try {
    await fs.access(dir, constants.W_OK);
  } catch {
    return 'no-access';
  }
  return undefined;
}
