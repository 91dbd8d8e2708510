/**
 * Run the CLI in-process with buffer streams: exact stdout, stderr and exit
 * code, with or without a TTY.
 */
import { runCli } from '../../src/cli/main.js';

export class Buffer {
  text = '';
  isTTY: boolean;
  columns: number;
  constructor(tty = false, columns = 100) {
    this.isTTY = tty;
    this.columns = columns;
  }
  write(chunk: string): boolean {
    this.text += chunk;
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
  on(): this {
    return this;
  }
  once(): this {
    return this;
  }
  removeListener(): this {
    return this;
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
}

export async function run(argv: string[], opts: FakeOptions = {}): Promise<FakeRun> {
  const tty = opts.tty ?? false;
  const stdout = new Buffer(tty, opts.columns);
  const stderr = new Buffer(tty, opts.columns);
  const code = await runCli({
    argv,
    env: { LANG: 'en_US.UTF-8', ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    stdout,
    stderr,
    tty: { stdout: tty, stderr: tty, stdin: false },
    stateDir: opts.stateDir,
    signal: opts.signal,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
