/**
 * The outputs of a sweep written as the sites finish (docs/run-format.md,
 * "Sweeps"): json and tap go out site by site (to stdout at once, to a file
 * through its temp file, renamed when the sweep ends); junit, whose head
 * carries the totals, spools its suites to a temp file and is written at the
 * end; the other formats need the whole run and are rendered at the end from
 * what the run kept.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import type { SiteRun } from '../../engine/run.js';
import { FileError } from '../../errors.js';
import { loadStreamRenderer } from '../../report/formats.js';
import type { RenderOptions, RunEnd, RunStart, SiteStream } from '../../report/types.js';
import { type AtomicFile, openAtomic } from '../../util/atomic.js';
import type { OutputSpec } from './formats.js';

/** Where a stream's bytes go. */
interface Sink {
  write(text: string): Promise<void>;
  /** Copies a spool file's bytes. */
  copy(file: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** stdout, with its backpressure: a slow reader slows the sweep instead of filling memory. */
function stdoutSink(stream: NodeJS.WritableStream): Sink {
  const write = (chunk: string | Buffer) =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      stream.once('error', onError);
      const more = stream.write(chunk, () => {});
      const done = () => {
        stream.removeListener('error', onError);
        resolve();
      };
      if (more) done();
      else stream.once('drain', done);
    });
  return {
    write,
    async copy(file) {
      for await (const chunk of createReadStream(file)) await write(chunk as Buffer);
    },
    async commit() {},
    async abort() {},
  };
}

function fileSink(ctx: Context, file: string, out: AtomicFile): Sink {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw new FileError(
        ctx.t('cli.err.output_write', { file, reason: (err as NodeJS.ErrnoException).code ?? String(err) }),
        { cause: err },
      );
    }
  };
  return {
    write: (text) => guard(() => out.write(text)),
    copy: (spool) =>
      guard(async () => {
        for await (const chunk of createReadStream(spool)) await out.write(chunk as Buffer);
      }),
    commit: () => guard(() => out.commit()),
    abort: () => out.abort().catch(() => {}),
  };
}

const SPOOL_BYTES = 64 * 1024;

async function spoolOut(spool: NonNullable<Open['spool']>): Promise<void> {
  if (spool.pending.length === 0) return;
  const text = spool.pending.join('');
  spool.pending = [];
  spool.bytes = 0;
  await spool.handle.writeFile(text);
}

interface Open {
  stream: SiteStream;
  sink: Sink;
  /** headLast: the sites wait here until the head is known (gathered up to SPOOL_BYTES per write). */
  spool?: { file: string; handle: fs.FileHandle; pending: string[]; bytes: number };
}

export interface SweepWriter {
  site(run: SiteRun): Promise<void>;
  end(end: RunEnd): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Opens the outputs whose format streams; returns the writer and the outputs
 * left for the end. Files are checked for writability before (assertWritable).
 */
export async function openSweepOutputs(
  ctx: Context,
  outputs: readonly OutputSpec[],
  start: RunStart,
  renderOptions: (o: OutputSpec) => RenderOptions,
): Promise<{ writer: SweepWriter; rest: OutputSpec[]; stdout: boolean }> {
  const open: Open[] = [];
  const rest: OutputSpec[] = [];
  let spoolDir: string | undefined;
  let stdout = false;
  const abort = async () => {
    for (const o of open) {
      await o.sink.abort();
      await o.spool?.handle.close().catch(() => {});
    }
    if (spoolDir) await fs.rm(spoolDir, { recursive: true, force: true });
  };
  try {
    for (const o of outputs) {
      const make = await loadStreamRenderer(o.format);
      if (!make) {
        rest.push(o);
        continue;
      }
      const stream = make(start, renderOptions(o));
      let sink: Sink;
      if (o.file) {
        const file = path.resolve(ctx.cwd, o.file);
        const out = await openAtomic(file).catch((err: NodeJS.ErrnoException) => {
          throw new FileError(
            ctx.t('cli.err.output_write', { file: o.file ?? '', reason: err.code ?? String(err) }),
          );
        });
        sink = fileSink(ctx, o.file, out);
      } else {
        sink = stdoutSink(ctx.io.stdout as NodeJS.WritableStream);
        stdout = true;
      }
      const entry: Open = { stream, sink };
      open.push(entry);
      if (stream.headLast) {
        spoolDir ??= await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-sweep-'));
        const file = path.join(spoolDir, `${open.length}.spool`);
        entry.spool = { file, handle: await fs.open(file, 'w+', 0o600), pending: [], bytes: 0 };
      } else await sink.write(stream.head());
    }
  } catch (err) {
    await abort();
    throw err;
  }
  const writer: SweepWriter = {
    async site(run) {
      for (const o of open) {
        const text = o.stream.site(run);
        if (!o.spool) await o.sink.write(text);
        else {
          o.spool.pending.push(text);
          o.spool.bytes += text.length;
          if (o.spool.bytes >= SPOOL_BYTES) await spoolOut(o.spool);
        }
      }
    },
    async end(end) {
      try {
        for (const o of open) {
          if (o.spool) {
            await o.sink.write(o.stream.head(end));
            await spoolOut(o.spool);
            await o.spool.handle.close();
            await o.sink.copy(o.spool.file);
          }
          await o.sink.write(o.stream.tail(end));
          await o.sink.commit();
        }
      } catch (err) {
        await abort();
        throw err;
      }
      if (spoolDir) await fs.rm(spoolDir, { recursive: true, force: true });
    },
    abort,
  };
  return { writer, rest, stdout };
}
