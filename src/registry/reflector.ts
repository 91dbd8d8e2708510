/**
 * The registry's UDP reflector for the `udp-quality` check: every probe
 * datagram is sent back, unchanged, to where it came from.
 *
 * It is not an open echo service: it answers only datagrams that carry the
 * probe marker and are no bigger than a probe may be (so it never amplifies),
 * and each source address gets at most `maxPps` answers per second (so a
 * spoofed source cannot turn it into a flood aimed at someone else).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { DEFAULT_REFLECTOR_PORT, isProbe } from '../checks/udp-probe.js';

export { DEFAULT_REFLECTOR_PORT };

export interface ReflectorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Answers per second per source address (default 2000: the check sends 50, tests up to 1000). */
  maxPps?: number;
}

export interface Reflector {
  port: number;
  host: string;
  /** Datagrams echoed and dropped since start. */
  stats(): { echoed: number; ignored: number; limited: number };
  close(): Promise<void>;
}

export function startReflector(opts: ReflectorOptions = {}): Promise<Reflector> {
  const host = opts.host ?? '0.0.0.0';
  const maxPps = opts.maxPps ?? 2000;
  const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4' });
  let echoed = 0;
  let ignored = 0;
  let limited = 0;
  // Per-source counters for the current second; the map is cleared every second, so it stays small.
  let windowStart = Date.now();
  let perSource = new Map<string, number>();

  socket.on('message', (msg, rinfo) => {
    if (!isProbe(msg)) {
      ignored += 1;
      return;
    }
    const t = Date.now();
    if (t - windowStart >= 1000) {
      windowStart = t;
      perSource = new Map();
    }
    const n = (perSource.get(rinfo.address) ?? 0) + 1;
    perSource.set(rinfo.address, n);
    if (n > maxPps) {
      limited += 1;
      return;
    }
    echoed += 1;
    socket.send(msg, rinfo.port, rinfo.address);
  });
  // A send to a vanished client can raise ECONNREFUSED-like errors on some systems: not fatal.
  socket.on('error', () => {});

  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port ?? DEFAULT_REFLECTOR_PORT, host, () => {
      socket.removeListener('error', reject);
      const { port } = socket.address();
      resolve({
        port,
        host,
        stats: () => ({ echoed, ignored, limited }),
        close: () =>
          new Promise<void>((done) => {
            try {
              socket.close(() => done());
            } catch {
              done();
            }
          }),
      });
    });
  });
}
