/**
 * Tokens and scope. A token is random, shown once, and stored only as its
 * SHA-256 hash. Each has a role and a unit prefix:
 *   technician — read, and write runs, incidents and sites under its unit;
 *   viewer     — read under its unit;
 *   admin      — everything under its unit: an admin token without a unit
 *                administers every unit, one with `--unit thanh-hoa` only
 *                thanh-hoa (docs/registry-api.md).
 * Outside the scope is a 403, never a silently shorter answer.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../model/incident.js';
import { ApiError, forbidden, unauthorized } from './http-error.js';
import { inUnit } from './store/rows.js';
import type { Store, TokenRecord } from './store/types.js';

export const TOKEN_PREFIX = 'dct_';

export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface Principal {
  tokenId: number;
  role: Role;
  unit: string;
  label: string;
}

/** Create a token in the store; returns the secret (show it once) and its record. */
export async function createToken(
  store: Store,
  opts: { role: Role; unit: string; label: string; nowMs: number; expiresMs?: number },
): Promise<{ token: string; record: TokenRecord }> {
  const token = generateToken();
  const record = await store.createToken({
    hash: hashToken(token),
    role: opts.role,
    unit: opts.unit,
    label: opts.label,
    createdMs: opts.nowMs,
    ...(opts.expiresMs !== undefined ? { expiresMs: opts.expiresMs } : {}),
  });
  return { token, record };
}

/** Last-used times go to the store at most this often (docs/registry-api.md). */
export const TOUCH_EVERY_MS = 60_000;

/** A token's state at `nowMs`: why it is refused, if it is. */
export function tokenState(r: TokenRecord, nowMs: number): 'active' | 'expired' | 'revoked' {
  if (r.revokedAt !== undefined) return 'revoked';
  if (r.expiresAt !== undefined && Date.parse(r.expiresAt) <= nowMs) return 'expired';
  return 'active';
}

/**
 * Token lookups, cached briefly so a busy ingest does not ask the database on
 * every request: a revoke made elsewhere (the CLI, another registry) takes
 * effect within `ttlMs`; an expiry is checked on every request.
 *
 * Last-used times are kept here, in memory, and written in one store call at
 * most once every TOUCH_EVERY_MS (and on close, flush()), never one UPDATE per
 * request: ingest does not wait for them (bench/README.md, ingest).
 */
export class TokenCache {
  private readonly entries = new Map<string, { record: TokenRecord; until: number }>();
  private used = new Map<number, number>();
  private lastFlushMs: number | undefined;
  private flushing: Promise<void> | undefined;
  constructor(
    private readonly store: Store,
    private readonly ttlMs = 30_000,
    private readonly max = 10_000,
    /** Told when writing last-used times failed (they are kept for the next try). */
    private readonly onFlushError: (err: unknown) => void = () => {},
  ) {}

  /** Write the last-used times gathered so far. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.used.size === 0) return Promise.resolve();
    const batch = this.used;
    this.used = new Map();
    this.flushing = this.store
      .touchTokens(batch)
      .catch((err: unknown) => {
        // Keep them for the next flush; a newer time for the same token wins.
        for (const [id, ms] of batch) if ((this.used.get(id) ?? 0) < ms) this.used.set(id, ms);
        this.onFlushError(err);
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private noteUse(id: number, nowMs: number): void {
    this.used.set(id, nowMs);
    this.lastFlushMs ??= nowMs;
    if (nowMs - this.lastFlushMs >= TOUCH_EVERY_MS) {
      this.lastFlushMs = nowMs;
      void this.flush();
    }
  }

  async principal(header: string | undefined, nowMs: number): Promise<Principal> {
    if (!header) throw unauthorized('missing Authorization: Bearer <token> header', { why: 'missing' });
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized('the Authorization header must be "Bearer <token>"', { why: 'malformed' });
    const hash = hashToken(m[1] as string);
    let hit = this.entries.get(hash);
    if (!hit || hit.until < nowMs) {
      const record = await this.store.findToken(hash);
      if (!record) throw unauthorized('unknown token', { why: 'unknown' });
      if (this.entries.size >= this.max) this.entries.clear();
      hit = { record, until: nowMs + this.ttlMs };
      this.entries.set(hash, hit);
    }
    const r = hit.record;
    const state = tokenState(r, nowMs);
    if (state === 'revoked')
      throw new ApiError(401, 'token_revoked', `this token was revoked on ${r.revokedAt}`, undefined, {
        at: r.revokedAt ?? '',
      });
    if (state === 'expired')
      throw new ApiError(401, 'token_expired', `this token expired on ${r.expiresAt}`, undefined, {
        at: r.expiresAt ?? '',
      });
    this.noteUse(r.id, nowMs);
    return { tokenId: r.id, role: r.role, unit: r.unit, label: r.label };
  }
}

const scopeText = (p: Principal) => (p.unit === '' ? 'all units' : `unit ${p.unit}`);

/** May read data of `unit` (a site's unit or a query prefix)? */
export function assertRead(p: Principal, unit: string): void {
  if (inUnit(unit, p.unit)) return;
  throw forbidden(`this token may read ${scopeText(p)} only, not ${unit || 'all units'}`, {
    why: 'read_scope',
    scope: p.unit,
    unit,
  });
}

/** May this token write for a site in `unit`? */
export const mayWrite = (p: Principal, unit: string): boolean =>
  p.role !== 'viewer' && p.role !== 'coordinator' && inUnit(unit, p.unit);

/** May write for a site in `unit`? */
export function assertWrite(p: Principal, unit: string): void {
  if (p.role === 'viewer') throw forbidden('a viewer token may not write', { why: 'viewer' });
  // A coordinator books meetings (docs/meetings.md); runs, incidents and sites are the technicians'.
  if (p.role === 'coordinator')
    throw forbidden('a coordinator token may write meetings only', { why: 'coordinator' });
  if (!inUnit(unit, p.unit))
    throw forbidden(`this token may write for ${scopeText(p)} only, not ${unit}`, {
      why: 'write_scope',
      scope: p.unit,
      unit,
    });
}

/** The unit prefix a read query covers: the one asked for, or the token's own. */
export function readScope(p: Principal, asked: string | undefined): string {
  if (asked === undefined) return p.unit;
  assertRead(p, asked);
  return asked;
}
