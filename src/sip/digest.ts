/**
 * HTTP digest for SIP (RFC 3261 §22.4, RFC 8760): read a `WWW-Authenticate`
 * or `Proxy-Authenticate` challenge and build the answering
 * `Authorization` / `Proxy-Authorization` value. MD5 and SHA-256 (and
 * their `-sess` forms), `qop=auth` or no qop; `auth-int` is not offered.
 * When a server sends several challenges, the strongest one we can answer
 * is taken (RFC 8760 §2.4: SHA-256 before MD5).
 */
import { createHash, randomBytes } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** `auth` when the server offers it; undefined: the RFC 2069 form with no qop. */
  qop?: 'auth';
  stale: boolean;
}

export interface DigestCredentials {
  username: string;
  password: string;
}

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  md5: 'MD5',
  'md5-sess': 'MD5-sess',
  'sha-256': 'SHA-256',
  'sha-256-sess': 'SHA-256-sess',
};

/** Preference when several challenges come at once (RFC 8760 §2.4). */
const STRENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 4, 'SHA-256-sess': 3, MD5: 2, 'MD5-sess': 1 };

/** `name=value` and `name="quoted, value"` pairs after the scheme. */
function authParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.set((m[1] as string).toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return out;
}

/** One challenge header value; undefined when it is not a digest we can answer. */
export function parseChallenge(value: string): DigestChallenge | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m) return undefined;
  const p = authParams(m[1] as string);
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  if (realm === undefined || !nonce) return undefined;
  const algorithm = ALGORITHMS[(p.get('algorithm') ?? 'MD5').toLowerCase()];
  if (!algorithm) return undefined;
  const qopOffered = p.get('qop');
  let qop: 'auth' | undefined;
  if (qopOffered !== undefined) {
    if (!qopOffered.split(',').some((q) => q.trim().toLowerCase() === 'auth')) return undefined;
    qop = 'auth';
  }
  const opaque = p.get('opaque');
  return {
    realm,
    nonce,
    algorithm,
    stale: (p.get('stale') ?? '').toLowerCase() === 'true',
    ...(qop ? { qop } : {}),
    ...(opaque !== undefined ? { opaque } : {}),
  };
}

/** The strongest challenge we can answer among several header values. */
export function pickChallenge(values: readonly string[]): DigestChallenge | undefined {
  let best: DigestChallenge | undefined;
  for (const v of values) {
    const c = parseChallenge(v);
    if (c && (!best || STRENGTH[c.algorithm] > STRENGTH[best.algorithm])) best = c;
  }
  return best;
}

const hash = (algorithm: DigestAlgorithm, text: string): string =>
  createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(text, 'utf8')
    .digest('hex');

const quote = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;

export interface DigestAnswer {
  method: string;
  /** The Request-URI of the request being authorised. */
  uri: string;
  /** Nonce count for this nonce (1 for the first use). */
  nc?: number;
  /** Fixed only in tests; random otherwise. */
  cnonce?: string;
}

/** The `Authorization` / `Proxy-Authorization` value answering a challenge. */
export function digestAuthorization(
  challenge: DigestChallenge,
  credentials: DigestCredentials,
  answer: DigestAnswer,
): string {
  const { algorithm, realm, nonce, qop } = challenge;
  const cnonce = answer.cnonce ?? randomBytes(8).toString('hex');
  const nc = (answer.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = hash(algorithm, `${credentials.username}:${realm}:${credentials.password}`);
  if (algorithm.endsWith('-sess')) ha1 = hash(algorithm, `${ha1}:${nonce}:${cnonce}`);
  const ha2 = hash(algorithm, `${answer.method}:${answer.uri}`);
  const response = qop
    ? hash(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    : hash(algorithm, `${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(answer.uri)}`,
    `response=${quote(response)}`,
    `algorithm=${algorithm}`,
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}
