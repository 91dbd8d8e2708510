/**
 * Idempotency-Key: every POST carries one (PATCH may). The store records the
 * key with the request's fingerprint in the same transaction as the write; a
 * replay with the same request gets the first answer, the same key with a
 * different request is a 409.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './http-error.js';
import type { Idem } from './store/types.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The request body exactly as received (kept by the JSON parser in server.ts). */
export const RAW_BODY = Symbol('rawBody');

declare module 'fastify' {
  interface FastifyRequest {
    [RAW_BODY]?: string;
  }
}

export function fingerprint(method: string, path: string, rawBody: string): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(rawBody).digest('base64url').slice(0, 32);
}

export function idemOf(req: FastifyRequest, required: true): Idem;
export function idemOf(req: FastifyRequest, required: false): Idem | undefined;
export function idemOf(req: FastifyRequest, required: boolean): Idem | undefined {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (typeof key !== 'string' || key === '') {
    if (!required) return undefined;
    throw new ApiError(400, 'bad_request', 'Idempotency-Key: header is required on POST', 'Idempotency-Key');
  }
  const path = req.url.split('?')[0] ?? req.url;
  return { key, fingerprint: fingerprint(req.method, path, req[RAW_BODY] ?? '') };
}

export const keyReused = () =>
  new ApiError(
    409,
    'idempotency_key_reused',
    'this Idempotency-Key was already used for a different request',
  );
