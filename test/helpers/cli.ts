/**
 * Run the CLI in-process with buffer streams: exact stdout, stderr and exit
 * code, with or without a TTY.
 */
import { Writable } from 'node:stream';
import type { Factories } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/main.js';

/** A real Writable that keeps what was written (prompts pipe into it), and looks like a TTY when asked. */
export class Buffer extends Writable {
  text = '';
  isTTY: boolean;
  columns: number;
  rows = 40;
  constructor(tty = false, columns = 100) {
    super({ decodeStrings: false });
    this.isTTY = tty;
    this.columns = columns;
  }
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    this.text += typeof chunk === 'string' ? chunk : String(chunk);
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }
  // What a TTY stream offers (ora draws its spinner with these).
  cursorTo(x: number, _y?: number): boolean {
    this.text += `\u001b[${x + 1}G`;
    return true;
  }
  moveCursor(_dx: number, dy: number): boolean {
    if (dy < 0) this.text += `\u001b[${-dy}A`;
    return true;
  }
  clearLine(_dir: number): boolean {
    this.text += '\u001b[2K';
    return true;
  }
  getWindowSize(): [number, number] {
    return [this.columns, this.rows];
  }
}

export interface FakeRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface FakeOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  tty?: boolean;
  stateDir?: string;
  signal?: AbortSignal;
  columns?: number;
  /** Keystrokes for prompts: makes stdin a (fake) terminal. */
  stdin?: NodeJS.ReadableStream;
  /** Watch stderr while the command runs (to answer prompts as they appear). */
  stderr?: Buffer;
  /** Fakes for the registry client and the codec driver, instead of servers. */
  factories?: Factories;
}

export async function run(argv: string[], opts: FakeOptions = {}): Promise<FakeRun> {
  const tty = opts.tty ?? false;
  const stdout = new Buffer(tty, opts.columns);
  const stderr = opts.stderr ?? new Buffer(tty, opts.columns);
  const code = await runCli({
    argv,
    env: { LANG: 'en_US.UTF-8', ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    stdout,
    stderr,
    tty: { stdout: tty, stderr: tty || opts.stdin !== undefined, stdin: opts.stdin !== undefined },
    stdin: opts.stdin,
    stateDir: opts.stateDir,
    signal: opts.signal,
    factories: opts.factories,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
