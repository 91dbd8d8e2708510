/**
 * What a technician types for an address, read the way `profile init` needs
 * it: `127.0.0.1:18081` is a host and a port, `https://10.0.0.5` a scheme and
 * a host, `sip:8001@mcu.vn:15060` a bridge whose line checks probe that host
 * and that port (docs/profiles.md, "Top level").
 */
import net from 'node:net';

export interface HostPort {
  host: string;
  port?: number;
  scheme?: 'http' | 'https';
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

export const isIp = (host: string): boolean => net.isIP(host) !== 0;

/** A host name or an IP literal (no brackets). */
export const validHost = (host: string): boolean => isIp(host) || HOSTNAME.test(host);

/** A TCP/UDP port, 1–65535, or undefined for anything else. */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * `host`, `host:port`, `[v6]:port`, a bare IPv6 literal, or `http(s)://host[:port][/]`;
 * undefined when it is none of these.
 */
export function parseHostPort(text: string): HostPort | undefined {
  let s = text.trim();
  let scheme: HostPort['scheme'];
  const url = /^(https?):\/\/([^/?#]*)\/?$/i.exec(s);
  if (url) {
    scheme = (url[1] as string).toLowerCase() as 'http' | 'https';
    s = url[2] as string;
  }
  if (isIp(s) && s.includes(':')) return { host: s, ...(scheme ? { scheme } : {}) };
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(s);
  if (!m) return undefined;
  const host = (m[1] ?? m[2]) as string;
  if (m[1] !== undefined && net.isIP(host) !== 6) return undefined;
  if (!validHost(host)) return undefined;
  let port: number | undefined;
  if (m[3] !== undefined) {
    port = parsePort(m[3]);
    if (port === undefined) return undefined;
  }
  return { host, ...(port ? { port } : {}), ...(scheme ? { scheme } : {}) };
}

export interface BridgeAddress {
  protocol: 'sip' | 'h323';
  host: string;
  /** The port the bridge's signalling listens on: the URI's, else the protocol's own. */
  port: number;
  /** The port was written in the URI. */
  explicitPort: boolean;
}

/** `sip:8001@host[:port][;params]`, `sips:…`, `h323:…`; undefined when it has no valid host. */
export function parseBridge(uri: string): BridgeAddress | undefined {
  const m = /^(sips?|h323):(?:[^@]*@)?(\[[^\]]+\]|[^:;>/?]+)(?::(\d+))?(?:[;?].*)?$/i.exec(uri.trim());
  if (!m) return undefined;
  const scheme = (m[1] as string).toLowerCase();
  const host = (m[2] as string).replace(/^\[|\]$/g, '');
  if (!validHost(host)) return undefined;
  const written = m[3] === undefined ? undefined : parsePort(m[3]);
  if (m[3] !== undefined && written === undefined) return undefined;
  const own = scheme === 'h323' ? 1720 : scheme === 'sips' ? 5061 : 5060;
  return {
    protocol: scheme === 'h323' ? 'h323' : 'sip',
    host,
    port: written ?? own,
    explicitPort: written !== undefined,
  };
}
