/**
 * The registry of check kinds. Adding a kind: one file in src/checks/ and one
 * line here. Kind modules must stay light at import time (see types.ts).
 */
import { dns } from './dns.js';
import { http } from './http.js';
import { ping } from './ping.js';
import { tcp } from './tcp.js';
import type { CheckKind } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: kinds have different params schemas
export const checkKinds: ReadonlyArray<CheckKind<any>> = [ping, tcp, dns, http];

export function findKind(kind: string): CheckKind | undefined {
  return checkKinds.find((k) => k.kind === kind);
}
