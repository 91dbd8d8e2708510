/**
 * Which ping to run and with which arguments, per platform. The target is one
 * argv element (no shell ever sees it) and the schema forbids a leading "-".
 *
 * Every flavour is bounded by its own options so ping stops by itself; the
 * kind also kills it when the engine aborts.
 */
import { isIPv6 } from 'node:net';

export const PING_FLAVORS = ['iputils', 'busybox', 'bsd', 'windows'] as const;
export type PingFlavor = (typeof PING_FLAVORS)[number];

/** iputils refuses intervals below 200 ms for non-root users ("cannot flood"); we never go below. */
export const MIN_INTERVAL_MS = 200;
/** How long to wait for the reply to the last probe. */
export const REPLY_WAIT_MS = 2000;
/** Below 16 bytes of payload ping has no room for its timestamp and prints no time. */
export const MIN_SIZE = 16;

export interface PingOptions {
  target: string;
  count: number;
  intervalMs: number;
  size?: number;
  /** undefined: let ping choose (a name may resolve to either). */
  family?: 'ipv4' | 'ipv6';
}

export interface PingPlan {
  program: string;
  args: string[];
  flavor: PingFlavor;
  /** How long ping needs when every probe is lost (the run's upper bound). */
  needMs: number;
  /** Windows IPv6 replies have no TTL token (see ping-parse.ts). */
  ttlLess: boolean;
}

/** "::1", "[::1]", "fe80::1%eth0" → true. */
export function isIPv6Literal(target: string): boolean {
  return isIPv6(target.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
}

export function flavorFor(platform: NodeJS.Platform | string, programPath?: string): PingFlavor {
  if (platform === 'win32') return 'windows';
  if (platform === 'linux') return programPath && /busybox$/.test(programPath) ? 'busybox' : 'iputils';
  return 'bsd';
}

const secs = (ms: number) => String(Math.round(ms) / 1000);

export function planPing(flavor: PingFlavor, o: PingOptions): PingPlan {
  const target = o.target.replace(/^\[|\]$/g, '');
  const intervalMs = Math.max(MIN_INTERVAL_MS, o.intervalMs);
  const unixNeed = (o.count - 1) * intervalMs + REPLY_WAIT_MS;
  // A whole-run deadline, in whole seconds, a little past what the probes need.
  const deadline = String(Math.ceil(unixNeed / 1000) + 1);
  const size = o.size === undefined ? [] : [String(o.size)];
  const fam = o.family === 'ipv4' ? ['-4'] : o.family === 'ipv6' ? ['-6'] : [];
  const count = String(o.count);
  switch (flavor) {
    case 'iputils':
    case 'busybox': {
      // -n: numeric output, no reverse lookups (they cost time and may fail); busybox has no -n
      // (it prints numbers anyway) and otherwise takes the same flags.
      const numeric = flavor === 'iputils' ? ['-n'] : [];
      return {
        program: 'ping',
        args: [
          ...numeric,
          '-c',
          count,
          '-i',
          secs(intervalMs),
          '-W',
          secs(REPLY_WAIT_MS),
          '-w',
          deadline,
          ...(size.length ? ['-s', ...size] : []),
          ...fam,
          target,
        ],
        flavor,
        needMs: unixNeed,
        ttlLess: false,
      };
    }
    case 'bsd': {
      // macOS/BSD: IPv6 is a separate ping6, which has no -t (whole-run timeout).
      const v6 = o.family === 'ipv6';
      return {
        program: v6 ? 'ping6' : 'ping',
        args: [
          '-n',
          '-c',
          count,
          '-i',
          secs(intervalMs),
          ...(v6 ? [] : ['-t', deadline]),
          ...(size.length ? ['-s', ...size] : []),
          target,
        ],
        flavor,
        needMs: unixNeed,
        ttlLess: false,
      };
    }
    case 'windows':
      // Windows ping has no interval option: one probe a second; -w is the wait per reply in ms.
      return {
        program: 'ping',
        args: [
          '-n',
          count,
          '-w',
          String(REPLY_WAIT_MS),
          ...(size.length ? ['-l', ...size] : []),
          ...fam,
          target,
        ],
        flavor,
        needMs: (o.count - 1) * 1000 + REPLY_WAIT_MS,
        ttlLess: o.family === 'ipv6',
      };
  }
}
