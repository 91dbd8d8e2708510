/** Write a file whole or not at all: temp file beside it, fsync, rename. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A file being written piece by piece that appears whole at `commit()`, or not at all. */
export interface AtomicFile {
  write(data: string | Uint8Array): Promise<void>;
  /** fsync, rename over the target, fsync the folder. */
  commit(): Promise<void>;
  /** Drop the temp file; the target is left as it was. */
  abort(): Promise<void>;
}

/** Pieces are gathered up to this many bytes before they are written (one thread-pool hop each). */
const FLUSH_BYTES = 64 * 1024;

export async function openAtomic(file: string): Promise<AtomicFile> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w', 0o644);
  let open = true;
  const close = async () => {
    if (!open) return;
    open = false;
    await handle.close();
  };
  let pending: Array<string | Uint8Array> = [];
  let pendingBytes = 0;
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let failed: { err: unknown } | undefined;
  const writeOut = async () => {
    if (pending.length === 0) return;
    const data =
      pending.length === 1
        ? (pending[0] as string | Uint8Array)
        : Buffer.concat(pending.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    pending = [];
    pendingBytes = 0;
    // writeFile goes on from the current position and loops until every byte is written.
    await handle.writeFile(data);
  };
  /** Writes what is gathered, after any write under way; the first failure is kept for the caller. */
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    chain = chain.then(writeOut).catch((err: unknown) => {
      failed ??= { err };
    });
    await chain;
    if (failed) throw failed.err;
  };
  return {
    async write(data) {
      if (failed) throw failed.err;
      pending.push(data);
      pendingBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      // Gathered up to FLUSH_BYTES, and never held more than a moment (a reader of the temp file sees the sites).
      if (pendingBytes >= FLUSH_BYTES) await flush();
      else timer ??= setTimeout(() => flush().catch(() => {}), 100).unref();
    },
    async commit() {
      try {
        await flush();
        await handle.sync();
      } finally {
        await close();
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
    },
    async abort() {
      if (timer) clearTimeout(timer);
      pending = [];
      await chain;
      await close().catch(() => {});
      await fs.rm(tmp, { force: true });
    },
  };
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const out = await openAtomic(file);
  try {
    await out.write(data);
  } catch (err) {
    await out.abort();
    throw err;
  }
  await out.commit();
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
