/**
 * A client-side SIP channel to one peer over UDP or TCP. UDP uses a
 * connected socket so the kernel picks the local address we put in Via and
 * Contact, replies come back to the port we send from (RFC 3581 rport), and
 * an ICMP port-unreachable surfaces as ECONNREFUSED instead of silence.
 */
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { parseMessage, type SipMessage, SipStreamDecoder } from './message.js';

export type SipTransport = 'udp' | 'tcp';

export interface SipChannel {
  transport: SipTransport;
  /** Local address and port, for Via and Contact. */
  local: { address: string; port: number };
  /** The peer's resolved address. */
  remote: { address: string; port: number };
  send(text: string): void;
  onMessage(cb: (msg: SipMessage) => void): void;
  /** Socket errors after opening (ECONNREFUSED from ICMP, TCP reset). */
  onError(cb: (err: NodeJS.ErrnoException) => void): void;
  close(): void;
}

export class SipTransportError extends Error {
  constructor(
    readonly code: 'UNRESOLVED' | 'REFUSED' | 'UNREACHABLE' | 'ABORTED',
    message: string,
  ) {
    super(message);
  }
}

export async function resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }> {
  if (net.isIP(host)) return { address: host, family: net.isIPv6(host) ? 6 : 4 };
  try {
    const r = await lookup(host);
    return { address: r.address, family: r.family === 6 ? 6 : 4 };
  } catch (err) {
    throw new SipTransportError('UNRESOLVED', (err as NodeJS.ErrnoException).code ?? String(err));
  }
}

export async function openChannel(opts: {
  transport: SipTransport;
  host: string;
  port: number;
  signal?: AbortSignal;
}): Promise<SipChannel> {
  const { address, family } = await resolveHost(opts.host);
  if (opts.signal?.aborted) throw new SipTransportError('ABORTED', 'aborted');
  return opts.transport === 'udp'
    ? openUdp(address, family, opts.port)
    : openTcp(address, opts.port, opts.signal);
}

function openUdp(address: string, family: 4 | 6, port: number): Promise<SipChannel> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    const listeners: Array<(m: SipMessage) => void> = [];
    const errorListeners: Array<(e: NodeJS.ErrnoException) => void> = [];
    let open = false;
    socket.on('message', (buf) => {
      const msg = parseMessage(buf.toString('utf8'));
      if (msg) for (const l of listeners) l(msg);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!open) return reject(new SipTransportError('UNREACHABLE', err.code ?? err.message));
      for (const l of errorListeners) l(err);
    });
    socket.connect(port, address, () => {
      open = true;
      const local = socket.address();
      resolve({
        transport: 'udp',
        local: { address: local.address, port: local.port },
        remote: { address, port },
        send: (text) => socket.send(text),
        onMessage: (cb) => listeners.push(cb),
        onError: (cb) => errorListeners.push(cb),
        close: () => {
          try {
            socket.close();
          } catch {
            // already closed
          }
        },
      });
    });
  });
}

function openTcp(address: string, port: number, signal?: AbortSignal): Promise<SipChannel> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const decoder = new SipStreamDecoder();
    const listeners: Array<(m: SipMessage) => void> = [];
    const errorListeners: Array<(e: NodeJS.ErrnoException) => void> = [];
    let open = false;
    const onAbort = () => socket.destroy(new SipTransportError('ABORTED', 'aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk) => {
      for (const msg of decoder.push(chunk)) for (const l of listeners) l(msg);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!open) {
        signal?.removeEventListener('abort', onAbort);
        if (err instanceof SipTransportError) return reject(err);
        return reject(
          new SipTransportError(
            err.code === 'ECONNREFUSED' ? 'REFUSED' : 'UNREACHABLE',
            err.code ?? err.message,
          ),
        );
      }
      for (const l of errorListeners) l(err);
    });
    socket.on('close', () => {
      if (open)
        for (const l of errorListeners)
          l(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }));
    });
    socket.on('connect', () => {
      open = true;
      signal?.removeEventListener('abort', onAbort);
      resolve({
        transport: 'tcp',
        local: { address: socket.localAddress ?? '127.0.0.1', port: socket.localPort ?? 0 },
        remote: { address, port },
        send: (text) => {
          socket.write(text);
        },
        onMessage: (cb) => listeners.push(cb),
        onError: (cb) => errorListeners.push(cb),
        close: () => {
          open = false;
          socket.destroy();
        },
      });
    });
  });
}
