/**
 * A small client of the Network UPS Tools network protocol (upsd, TCP 3493):
 * LIST UPS, LIST VAR, GET VAR, USERNAME/PASSWORD, LOGOUT, and ERR replies.
 * Text lines, words separated by spaces, multi-word values in double quotes
 * with \" and \\ escapes (networkupstools/nut docs/net-protocol.txt).
 *
 * Every exchange is bounded by one deadline for the whole session and by an
 * optional AbortSignal: a server that sends garbage, closes mid-reply or never
 * answers becomes a NutError with a code, never a hang.
 */
import net from 'node:net';

export const NUT_DEFAULT_PORT = 3493;

/** Error codes of our own; upsd's own words (UNKNOWN-UPS, DATA-STALE...) are passed through. */
export const NutFailure = {
  connect: 'CONNECT',
  resolve: 'RESOLVE',
  timeout: 'TIMEOUT',
  closed: 'CLOSED',
  protocol: 'PROTOCOL',
  aborted: 'ABORTED',
  badArgument: 'BAD-ARGUMENT',
} as const;

export class NutError extends Error {
  /** upsd's ERR word (e.g. DATA-STALE) or one of NutFailure. */
  readonly code: string;
  /** The offending line or the system error, for details. */
  readonly detail: string | undefined;
  /** True when the code came from an `ERR` line sent by upsd. */
  readonly fromServer: boolean;
  constructor(code: string, message: string, opts: { detail?: string; fromServer?: boolean } = {}) {
    super(message);
    this.name = 'NutError';
    this.code = code;
    this.detail = opts.detail;
    this.fromServer = opts.fromServer ?? false;
  }
}

export interface NutConnectOptions {
  host: string;
  port?: number;
  /** Budget for the whole session, connect included. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface NutUps {
  name: string;
  description: string;
}

/** Longest line we accept; upsd's are far shorter. Longer means garbage. */
const MAX_LINE = 8192;
/** Most lines in one LIST reply; a UPS has a few hundred variables at most. */
const MAX_LIST_LINES = 10_000;

/**
 * Split one protocol line into words: spaces separate, "..." groups, and a
 * backslash escapes the next character. Undefined when a quote is left open.
 */
export function splitNutLine(line: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (c === '\\') {
      if (i + 1 >= line.length) return undefined;
      word += line[i + 1];
      inWord = true;
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (c === ' ' && !quoted) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quoted) return undefined;
  if (inWord) words.push(word);
  return words;
}

/** Quote a value for sending: always quoted, with \ and " escaped. */
export function quoteNut(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A UPS or variable name as it may appear bare on the wire. */
const BARE = /^[A-Za-z0-9._:@-]+$/;

function bare(value: string, what: string): string {
  if (!BARE.test(value)) {
    throw new NutError(
      NutFailure.badArgument,
      `${what} "${value}" may only contain letters, digits and . _ - : @`,
    );
  }
  return value;
}

/** Shorten and make printable a line from the server, for error details. */
function show(line: string): string {
  const printable = line.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?');
  return printable.length > 120 ? `${printable.slice(0, 117)}...` : printable;
}

type LineHandler = (line: string) => 'more' | 'done';

interface Pending {
  onLine: LineHandler;
  resolve: () => void;
  reject: (err: NutError) => void;
}

export class NutClient {
  private buffer = '';
  private pending: Pending | undefined;
  private failure: NutError | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort: () => void;

  private constructor(
    private readonly socket: net.Socket,
    private readonly where: string,
    timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (err) =>
      this.fail(new NutError(NutFailure.closed, `connection to ${where} failed: ${err.message}`)),
    );
    socket.on('close', () =>
      this.fail(
        new NutError(
          NutFailure.closed,
          `the NUT server at ${where} closed the connection in the middle of a reply`,
        ),
      ),
    );
    this.timer = setTimeout(
      () =>
        this.fail(
          new NutError(
            NutFailure.timeout,
            `the NUT server at ${where} did not answer within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    this.onAbort = () =>
      this.fail(new NutError(NutFailure.aborted, 'stopped before the NUT server answered'));
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connect to upsd; rejects with a NutError (CONNECT, RESOLVE, TIMEOUT, ABORTED). */
  static connect(opts: NutConnectOptions): Promise<NutClient> {
    const port = opts.port ?? NUT_DEFAULT_PORT;
    const where = `${opts.host}:${port}`;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new NutError(NutFailure.aborted, 'stopped before connecting to the NUT server'));
        return;
      }
      const socket = net.connect({ host: opts.host, port });
      const cleanup = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        socket.removeListener('error', onError);
        socket.removeListener('connect', onConnect);
      };
      const giveUp = (err: NutError) => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onError = (err: NodeJS.ErrnoException) => {
        const code =
          err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? NutFailure.resolve : NutFailure.connect;
        giveUp(
          new NutError(code, `cannot connect to the NUT server at ${where}: ${err.code ?? err.message}`, {
            detail: err.message,
          }),
        );
      };
      const onAbort = () =>
        giveUp(new NutError(NutFailure.aborted, 'stopped before connecting to the NUT server'));
      const onConnect = () => {
        cleanup();
        const left = Math.max(1, opts.timeoutMs - (Date.now() - started));
        resolve(new NutClient(socket, where, left, opts.signal));
      };
      const timer = setTimeout(
        () =>
          giveUp(
            new NutError(
              NutFailure.timeout,
              `no connection to the NUT server at ${where} within ${opts.timeoutMs} ms`,
            ),
          ),
        opts.timeoutMs,
      );
      socket.once('error', onError);
      socket.once('connect', onConnect);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** `LIST UPS`: the UPSes this upsd serves. */
  async listUps(): Promise<NutUps[]> {
    const out: NutUps[] = [];
    await this.list('LIST UPS', ['UPS'], (words) => {
      if (words.length < 2) return false;
      out.push({ name: words[1] as string, description: words[2] ?? '' });
      return true;
    });
    return out;
  }

  /** `LIST VAR <ups>`: every variable of one UPS, as name → value. */
  async listVars(ups: string): Promise<Record<string, string>> {
    const name = bare(ups, 'UPS name');
    const out: Record<string, string> = {};
    await this.list(`LIST VAR ${name}`, ['VAR', name], (words) => {
      if (words.length !== 4) return false;
      out[words[2] as string] = words[3] as string;
      return true;
    });
    return out;
  }

  /** `GET VAR <ups> <var>`: one value. */
  async getVar(ups: string, variable: string): Promise<string> {
    const u = bare(ups, 'UPS name');
    const v = bare(variable, 'variable name');
    let value: string | undefined;
    await this.request(`GET VAR ${u} ${v}`, (line) => {
      const words = this.words(line);
      if (words[0] !== 'VAR' || words[1] !== u || words[2] !== v || words.length !== 4)
        throw this.garbage(line);
      value = words[3];
      return 'done';
    });
    return value as string;
  }

  /** `USERNAME` then `PASSWORD`; each must be answered `OK`. */
  async login(username: string, password: string): Promise<void> {
    await this.request(`USERNAME ${quoteNut(username)}`, (line) => this.expectOk(line));
    await this.request(`PASSWORD ${quoteNut(password)}`, (line) => this.expectOk(line));
  }

  /** `LOGOUT` (answered `OK Goodbye`), then close. Never throws: we are leaving anyway. */
  async logout(): Promise<void> {
    try {
      if (!this.failure) await this.request('LOGOUT', (line) => this.expectOk(line));
    } catch {
      // The server may close first; nothing to report.
    } finally {
      this.close();
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.failure ??= new NutError(NutFailure.closed, 'connection closed');
    this.socket.destroy();
  }

  private expectOk(line: string): 'done' {
    if (line === 'OK' || line.startsWith('OK ')) return 'done';
    throw this.garbage(line);
  }

  private async list(
    command: string,
    itemPrefix: string[],
    onItem: (words: string[]) => boolean,
  ): Promise<void> {
    const rest = command.slice('LIST '.length);
    let begun = false;
    let count = 0;
    await this.request(command, (line) => {
      if (!begun) {
        if (line !== `BEGIN LIST ${rest}`) throw this.garbage(line);
        begun = true;
        return 'more';
      }
      if (line === `END LIST ${rest}`) return 'done';
      const words = this.words(line);
      const prefixOk = itemPrefix.every((p, i) => words[i] === p);
      count += 1;
      if (!prefixOk || count > MAX_LIST_LINES || !onItem(words)) throw this.garbage(line);
      return 'more';
    });
  }

  private words(line: string): string[] {
    const words = splitNutLine(line);
    if (!words) throw this.garbage(line);
    return words;
  }

  private garbage(line: string): NutError {
    return new NutError(
      NutFailure.protocol,
      `the server at ${this.where} does not speak the NUT protocol (unexpected reply: ${show(line)})`,
      {
        detail: show(line),
      },
    );
  }

  private request(command: string, onLine: LineHandler): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending)
      return Promise.reject(new NutError(NutFailure.badArgument, 'one NUT request at a time'));
    if (/[\r\n]/.test(command))
      return Promise.reject(
        new NutError(NutFailure.badArgument, 'a NUT command cannot contain a line break'),
      );
    return new Promise<void>((resolve, reject) => {
      this.pending = { onLine, resolve, reject };
      this.socket.write(`${command}\n`);
      // Lines may already be buffered (a server that talks first); handle them now.
      this.drain();
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    this.drain();
    if (this.buffer.length > MAX_LINE) {
      this.fail(this.garbage(this.buffer.slice(0, 200)));
    }
  }

  private drain(): void {
    for (;;) {
      const p = this.pending;
      if (!p) return;
      const nl = this.buffer.indexOf('\n');
      if (nl < 0) return;
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      try {
        if (line.startsWith('ERR ') || line === 'ERR') {
          const word = line.split(' ')[1] ?? 'UNKNOWN';
          throw new NutError(word, `the NUT server answered ERR ${word}`, {
            detail: show(line),
            fromServer: true,
          });
        }
        if (p.onLine(line) === 'done') {
          this.pending = undefined;
          p.resolve();
        }
      } catch (err) {
        this.pending = undefined;
        const e = err instanceof NutError ? err : new NutError(NutFailure.protocol, String(err));
        // A server-side ERR leaves the session usable; garbage does not.
        if (!e.fromServer) this.fail(e);
        p.reject(e);
      }
    }
  }

  private fail(err: NutError): void {
    if (this.failure) return;
    this.failure = err;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }
}
