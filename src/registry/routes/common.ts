/** What the routes share: error response schemas, cursors, lean run bodies, time checks. */

import { Value } from '@sinclair/typebox/value';
import type { FastifyRequest } from 'fastify';
import type { RunInput } from '../../model/run.js';
import { RUN_REGISTER_FIELDS, SiteInput } from '../../model/site.js';
import { type ApiError, badRequest, conflict } from '../http-error.js';
import { ErrorBody } from '../schemas.js';
import type { RunRecord } from '../store/types.js';

/** Error responses for the OpenAPI document (the error handler produces them). */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorBody]));

export const security = [{ bearer: [] as string[] }];

/** Opaque cursors: base64url of a tagged position. A client must not build them. */
export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(`c1|${parts.join('|')}`).toString('base64url');
}

export function decodeCursor(cursor: string, shape: Array<'int' | 'text'>): Array<string | number> {
  const bad = () => badRequest('cursor', 'is not a cursor this registry gave out');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.shift() !== 'c1' || parts.length !== shape.length) throw bad();
  return parts.map((p, i) => {
    if (shape[i] === 'text') return p;
    if (!/^\d{1,15}$/.test(p)) throw bad();
    return Number(p);
  });
}

/** A client's clock may be off; beyond this a time "in the future" is a mistake, not skew. */
export const FUTURE_SLACK_MS = 24 * 3_600_000;

/** Before this a time is a machine whose clock was never set (1970), not a check that ran. */
export const EARLIEST_MS = Date.parse('2000-01-01T00:00:00Z');

export function timeOf(field: string, value: string, nowMs: number): number {
  const ms = Date.parse(value);
  if (!(ms >= EARLIEST_MS))
    throw badRequest(field, 'is before 2000; check the clock of the machine that sent it', {
      why: 'clock_past',
    });
  if (ms > nowMs + FUTURE_SLACK_MS)
    throw badRequest(field, 'is in the future; check the clock of the machine that sent it', {
      why: 'clock_future',
    });
  return ms;
}

/** Larger per-check evidence is replaced by its size: stored runs stay lean (bench/README.md). */
export const DETAILS_CAP_BYTES = 2048;

type LeanCheck = Omit<RunInput['checks'][number], 'details'> & { details?: unknown };

function leanCheck(c: RunInput['checks'][number]): LeanCheck {
  let details = c.details;
  if (details !== undefined) {
    const bytes = Buffer.byteLength(JSON.stringify(details) ?? '');
    if (bytes > DETAILS_CAP_BYTES) details = { truncated: true, bytes };
  }
  // Known fields only, in a fixed order: unknown extras from newer clients are not stored.
  return {
    id: c.id,
    kind: c.kind,
    status: c.status,
    required: c.required,
    summary: c.summary,
    metrics: c.metrics,
    ...(details !== undefined ? { details } : {}),
    ...(c.error ? { error: c.error } : {}),
    ...(c.hint !== undefined ? { hint: c.hint } : {}),
    ...(c.limits ? { limits: c.limits } : {}),
    startedAt: c.startedAt,
    durationMs: c.durationMs,
    attempts: c.attempts,
  };
}

/** What is kept of a run: checks (lean), the error if the site could not be checked, the tool. */
export function leanRun(run: RunInput): {
  checks: LeanCheck[];
  error?: RunInput['error'];
  tool?: RunInput['tool'];
} {
  return {
    checks: run.checks.map(leanCheck),
    ...(run.error ? { error: { code: run.error.code, message: run.error.message } } : {}),
    ...(run.tool ? { tool: { name: run.tool.name, version: run.tool.version } } : {}),
  };
}

/**
 * Checks that failed or errored. A check skipped because one it needs did not
 * pass (NEEDS_NOT_MET, src/engine/run.ts) is not failing: its cause is listed
 * instead; only when no cause is in the run (it was filtered out) are the
 * skipped ones listed, so a not-ready site never shows an empty list.
 */
export function failingOf(run: RunInput): string[] {
  const failed = run.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
  if (failed.length) return failed;
  return run.checks.filter((c) => c.status === 'skip' && c.error?.code === 'NEEDS_NOT_MET').map((c) => c.id);
}

/**
 * The register's fields of a run's site block that pass the register's own
 * checks (a phone that is not Vietnamese is left out, as `site push` leaves
 * out such a profile): what the upload refreshes (docs/sites.md, check --upload).
 */
function registerOf(site: RunInput['site']): RunRecord['register'] {
  const out: NonNullable<RunRecord['register']> = {};
  for (const key of RUN_REGISTER_FIELDS) {
    const value = site[key];
    if (value !== undefined && Value.Check(SiteInput.properties[key], value))
      Object.assign(out, { [key]: value });
  }
  return Object.keys(out).length ? out : undefined;
}

export function runRecord(run: RunInput, nowMs: number): RunRecord {
  const startedMs = timeOf('startedAt', run.startedAt, nowMs);
  const register = registerOf(run.site);
  return {
    siteId: run.site.id,
    siteName: run.site.name,
    unit: run.site.unit,
    verdict: run.verdict,
    startedMs,
    finishedMs: startedMs + run.durationMs,
    durationMs: run.durationMs,
    receivedMs: nowMs,
    failing: failingOf(run),
    body: JSON.stringify(leanRun(run)),
    ...(run.meeting !== undefined ? { meetingId: run.meeting } : {}),
    ...(register ? { register } : {}),
  };
}

/**
 * 409 site_unit_mismatch for a claim on a site another unit holds (docs/registry-api.md,
 * site ownership), logged so the IT centre sees who tried (a wrong profile, or someone
 * registering another unit's ids) and moves the site if the claim is right.
 */
export function siteClaimed(req: FastifyRequest, site: string, heldBy: string, claimed: string): ApiError {
  req.log.warn(
    { site, heldBy, claimed, token: req.principal.tokenId },
    'a site registered under another unit was claimed',
  );
  return conflict('site_unit_mismatch', `site ${site} is registered under unit ${heldBy}, not ${claimed}`, {
    site,
    heldBy,
    claimed,
  });
}
