/**
 * The registry's JSON bodies: the raw text kept (the idempotency fingerprint is
 * taken over the exact bytes), very deep nesting refused, then Fastify's own
 * parser (prototype poisoning refused). One function for every route and for the
 * batch route's own parser (routes/runs-batch.ts); the nesting check is shared
 * with the batch worker.
 */
import type { FastifyBodyParser, FastifyRequest } from 'fastify';
import { ApiError } from './http-error.js';
import { RAW_BODY } from './idempotency.js';

/** Deepest JSON nesting a body may have (docs/registry-api.md); real bodies use fewer than ten. */
export const MAX_JSON_DEPTH = 64;

/** Does the JSON text nest arrays and objects deeper than `max`? One pass, brackets inside strings skipped. */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A body parser over the text: `parseJson` is Fastify's default JSON parser. */
export function textBodyParser(parseJson: FastifyBodyParser<string>) {
  return (req: FastifyRequest, text: string, done: (err: Error | null, body?: unknown) => void) => {
    req[RAW_BODY] = text;
    // Very deep nesting would overflow the stack of whatever walks the value next (a 500).
    if (nestedDeeperThan(text, MAX_JSON_DEPTH))
      return done(
        new ApiError(400, 'bad_request', `body: nested deeper than ${MAX_JSON_DEPTH} levels`, 'body'),
      );
    return (
      parseJson as (
        req: FastifyRequest,
        text: string,
        done: (err: Error | null, body?: unknown) => void,
      ) => void
    )(req, text, done);
  };
}
