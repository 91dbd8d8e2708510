/**
 * SIP URIs as the profile writes them: `sip:8001@mcu.example.gov.vn`,
 * `sip:mcu:5070;transport=tcp`, `sips:...`, `sip:[::1]:5070`, or bare
 * `8001@host`, `host`, `host:port`. No NAPTR/SRV: the port is the one written,
 * else 5060 (5061 for sips).
 */
export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  host: string;
  port?: number;
  params: Record<string, string>;
}

export function parseSipUri(text: string): SipUri | undefined {
  let rest = text.trim();
  let scheme: 'sip' | 'sips' = 'sip';
  const s = /^(sips?):/i.exec(rest);
  if (s) {
    scheme = (s[1] as string).toLowerCase() as 'sip' | 'sips';
    rest = rest.slice(s[0].length);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest) || /^h323:/i.test(rest)) return undefined;
  const [addr = '', ...paramParts] = rest.split(';');
  const params: Record<string, string> = {};
  for (const p of paramParts) {
    const [k, v = ''] = p.split('=');
    if (k) params[k.toLowerCase()] = v;
  }
  const at = addr.lastIndexOf('@');
  const user = at >= 0 ? addr.slice(0, at) : undefined;
  const hostport = at >= 0 ? addr.slice(at + 1) : addr;
  let host: string;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostport);
  if (v6) {
    host = v6[1] as string;
    port = v6[2] ? Number(v6[2]) : undefined;
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(hostport);
    if (!m) return undefined;
    host = m[1] as string;
    port = m[2] ? Number(m[2]) : undefined;
  }
  if (!host || !/^[A-Za-z0-9_.:%-]+$/.test(host)) return undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { scheme, ...(user ? { user } : {}), host, ...(port ? { port } : {}), params };
}

export function hostForUri(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function formatSipUri(uri: SipUri, opts: { withUser?: boolean } = {}): string {
  const user = opts.withUser !== false && uri.user ? `${uri.user}@` : '';
  const port = uri.port ? `:${uri.port}` : '';
  return `${uri.scheme}:${user}${hostForUri(uri.host)}${port}`;
}

export function defaultPort(uri: SipUri): number {
  return uri.port ?? (uri.scheme === 'sips' ? 5061 : 5060);
}
