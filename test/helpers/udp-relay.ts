/**
 * A test-only UDP relay with the registry's reflector behind it, for
 * impairments the kernel here cannot make (no netem): added delay, jitter,
 * reordering, duplicates and loss, from a seeded random generator so a run is
 * repeatable. It runs in a child process (udp-relay-child.mjs) so that its
 * timers and the probe under test do not delay each other; what it actually
 * did is the truth the measurement is checked against.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, transpileForNode } from './transpile.js';

export interface RelayOptions {
  seed?: number;
  /** Fixed added delay, ms. */
  delayMs?: number;
  /** Uniform extra delay in [−jitterMs, +jitterMs] on top of delayMs (clamped at 0). */
  jitterMs?: number;
  /** Drop this share of packets (0..1). */
  loss?: number;
  /** Hold every Nth packet and release it right after the next one. */
  reorderEvery?: number;
  /** Send every Nth packet twice. */
  duplicateEvery?: number;
}

export interface Released {
  seq: number;
  /** When the relay got it and when it passed it on (the child's clock, ms). */
  inAt: number;
  outAt: number;
}

export interface RelayRecord {
  /** Every forwarded packet in the order it was passed on (first copy only). */
  released: Released[];
  dropped: number;
  duplicated: number;
  reordered: number;
}

export interface Relay {
  port: number;
  /** Stop the relay and get its record. */
  finish(): Promise<RelayRecord>;
  /** Kill it (idempotent; for afterAll). */
  close(): void;
}

let compiled: ReturnType<typeof transpileForNode> | undefined;

/** The transpiled reflector the children import; removed by cleanupRelays(). */
function jsDir(): string {
  compiled ??= transpileForNode(['src/registry/reflector.ts']);
  return compiled.dir;
}

export function cleanupRelays(): void {
  compiled?.cleanup();
  compiled = undefined;
}

export function startRelay(opts: RelayOptions = {}): Promise<Relay> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'test/helpers/udp-relay-child.mjs'), jsDir(), JSON.stringify(opts)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let buf = '';
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const l = lines.shift();
      if (l !== undefined) return resolve(l);
      const timer = setTimeout(() => reject(new Error('the relay child did not answer')), 10_000);
      waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  const close = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return next().then(
    (line) => {
      const { port } = JSON.parse(line) as { port: number };
      return {
        port,
        close,
        async finish() {
          child.stdin?.write('end\n');
          const raw = JSON.parse(await next()) as Omit<RelayRecord, 'released'> & {
            released: [number, number, number][];
          };
          close();
          return { ...raw, released: raw.released.map(([seq, inAt, outAt]) => ({ seq, inAt, outAt })) };
        },
      };
    },
    (err: unknown) => {
      close();
      throw err;
    },
  );
}
