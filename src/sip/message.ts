/**
 * SIP messages (RFC 3261 §7): parse, read headers (compact forms included),
 * build with a correct Content-Length, and the random parts a request needs
 * (branch with the z9hG4bK magic cookie, tag, Call-ID).
 */
import { randomBytes } from 'node:crypto';

export interface SipMessage {
  /** Request: method and Request-URI; response: status and reason. */
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  headers: Array<[name: string, value: string]>;
  body: string;
}

/** RFC 3261 §7.3.3 compact header names. */
const COMPACT: Record<string, string> = {
  v: 'via',
  i: 'call-id',
  f: 'from',
  t: 'to',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
};

const canonical = (name: string): string => {
  const n = name.trim().toLowerCase();
  return COMPACT[n] ?? n;
};

export const MAGIC_COOKIE = 'z9hG4bK';
export const newBranch = (): string => `${MAGIC_COOKIE}${randomBytes(8).toString('hex')}`;
export const newTag = (): string => randomBytes(6).toString('hex');
export const newCallId = (host: string): string => `${randomBytes(10).toString('hex')}@${host}`;

/** Parse one message (start line, headers, body); undefined when it is not SIP. */
export function parseMessage(text: string): SipMessage | undefined {
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split + 4) : '';
  // Header folding (continuation lines starting with whitespace) is obsolete but still legal.
  const lines = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const start = lines.shift() ?? '';
  const msg: SipMessage = { headers: [], body };
  // Status codes are 100–699 (RFC 3261 §7.2); anything else is not a SIP reply.
  const res = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(start);
  const req = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(start);
  if (res) {
    msg.status = Number(res[1]);
    msg.reason = res[2] ?? '';
  } else if (req) {
    msg.method = req[1];
    msg.uri = req[2];
  } else return undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    msg.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return msg;
}

/** Every value of a header, in order; comma-joined Via values are split. */
export function headers(msg: SipMessage, name: string): string[] {
  const want = canonical(name);
  const out: string[] = [];
  for (const [n, v] of msg.headers) {
    if (canonical(n) !== want) continue;
    if (want === 'via') out.push(...v.split(/,(?=\s*SIP\/)/i).map((s) => s.trim()));
    else out.push(v);
  }
  return out;
}

export function header(msg: SipMessage, name: string): string | undefined {
  return headers(msg, name)[0];
}

/** A `;name=value` parameter of a header value (branch of Via, tag of From/To). */
export function param(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const re = new RegExp(`;\\s*${name}(?:=([^;,\\s>]*))?`, 'i');
  const m = re.exec(value.replace(/<[^>]*>/, '<>'));
  return m ? (m[1] ?? '') : undefined;
}

export function cseq(msg: SipMessage): { seq: number; method: string } | undefined {
  const m = /^(\d+)\s+([A-Z]+)/.exec(header(msg, 'cseq') ?? '');
  return m ? { seq: Number(m[1]), method: m[2] as string } : undefined;
}

export function branchOf(msg: SipMessage): string | undefined {
  return param(header(msg, 'via'), 'branch');
}

/** Build a message; Content-Length is always computed (mandatory over TCP, RFC 3261 §18.3). */
export function buildMessage(startLine: string, hdrs: Array<[string, string | number]>, body = ''): string {
  const lines = [startLine];
  for (const [n, v] of hdrs) if (canonical(n) !== 'content-length') lines.push(`${n}: ${v}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body, 'utf8')}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** `SIP/2.0 <status> <reason>` for a request, echoing Via, From, To (+tag), Call-ID and CSeq (§8.2.6.2). */
export function buildResponse(
  req: SipMessage,
  status: number,
  reason: string,
  opts: {
    toTag?: string;
    extra?: Array<[string, string | number]>;
    body?: string;
    received?: { address: string; port: number };
  } = {},
): string {
  const vias = headers(req, 'via');
  if (opts.received && vias[0]) {
    // RFC 3581: fill rport and received on the top Via so the client knows how it was seen.
    let top = vias[0];
    if (/;\s*rport(?=;|$)/i.test(top)) top = top.replace(/;\s*rport(?=;|$)/i, `;rport=${opts.received.port}`);
    if (!/;\s*received=/i.test(top)) top += `;received=${opts.received.address}`;
    vias[0] = top;
  }
  let to = header(req, 'to') ?? '';
  if (opts.toTag && param(to, 'tag') === undefined) to += `;tag=${opts.toTag}`;
  const hdrs: Array<[string, string | number]> = [
    ...vias.map((v): [string, string] => ['Via', v]),
    ['From', header(req, 'from') ?? ''],
    ['To', to],
    ['Call-ID', header(req, 'call-id') ?? ''],
    ['CSeq', header(req, 'cseq') ?? ''],
    ...(opts.extra ?? []),
  ];
  return buildMessage(`SIP/2.0 ${status} ${reason}`, hdrs, opts.body ?? '');
}

/**
 * Frames SIP messages out of a byte stream (TCP): headers up to CRLFCRLF,
 * then Content-Length bytes of body. Keep-alive CRLFs between messages are
 * skipped. A header block over 64 KiB is refused (`overflow`).
 */
export class SipStreamDecoder {
  private buf: Buffer = Buffer.alloc(0);
  overflow = false;

  push(chunk: Buffer): SipMessage[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: SipMessage[] = [];
    for (let guard = 0; guard < 1000; guard++) {
      let skip = 0;
      while (skip < this.buf.length && (this.buf[skip] === 0x0d || this.buf[skip] === 0x0a)) skip++;
      if (skip) this.buf = this.buf.subarray(skip);
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buf.length > 65_536) {
          this.overflow = true;
          this.buf = Buffer.alloc(0);
        }
        break;
      }
      const head = this.buf.subarray(0, end).toString('utf8');
      const m = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(`\r\n${head}`);
      const length = m ? Number(m[1]) : 0;
      if (this.buf.length < end + 4 + length) break;
      const text = this.buf.subarray(0, end + 4 + length).toString('utf8');
      this.buf = this.buf.subarray(end + 4 + length);
      const msg = parseMessage(text);
      if (msg) out.push(msg);
    }
    return out;
  }
}
