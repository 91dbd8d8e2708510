/**
 * The registry of check kinds. Adding a kind: one file in src/checks/ and one
 * line here. A kind's module is loaded only when a profile uses it, so a
 * one-check profile does not pay for the other kinds (docs/architecture.md,
 * "Start-up cost"); kind modules stay light at import time (see types.ts).
 */
import type { CheckKind } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: kinds have different params schemas
type AnyKind = CheckKind<any>;

/** Kind name → its module, in the order error messages list the kinds. */
const KINDS: Readonly<Record<string, () => Promise<AnyKind>>> = {
  ping: async () => (await import('./ping.js')).ping,
  tcp: async () => (await import('./tcp.js')).tcp,
  dns: async () => (await import('./dns.js')).dnsKind,
  http: async () => (await import('./http.js')).http,
  power: async () => (await import('./power.js')).power,
  ups: async () => (await import('./ups.js')).ups,
  'udp-quality': async () => (await import('./udp-quality.js')).udpQuality,
  throughput: async () => (await import('./throughput.js')).throughput,
  microphone: async () => (await import('./microphone.js')).microphone,
  camera: async () => (await import('./camera.js')).camera,
  'codec-status': async () => (await import('./codec-status.js')).codecStatus,
  'codec-registration': async () => (await import('./codec-registration.js')).codecRegistration,
  'codec-peripherals': async () => (await import('./codec-peripherals.js')).codecPeripherals,
  'codec-diagnostics': async () => (await import('./codec-diagnostics.js')).codecDiagnostics,
  'sip-options': async () => (await import('./sip-options.js')).sipOptions,
  'test-call': async () => (await import('./test-call.js')).testCall,
  confirm: async () => (await import('./confirm.js')).confirm,
};

/** Every kind this build has, without loading any. */
export const KIND_NAMES: readonly string[] = Object.keys(KINDS);

export const isKindName = (name: string): boolean => Object.hasOwn(KINDS, name);

const loaded = new Map<string, AnyKind>();

/** The kind of this name, its module loaded the first time; undefined when no kind has the name. */
export async function loadKind(name: string): Promise<AnyKind | undefined> {
  const known = loaded.get(name);
  if (known) return known;
  const load = isKindName(name) ? KINDS[name] : undefined;
  if (!load) return undefined;
  const kind = await load();
  loaded.set(name, kind);
  return kind;
}

/** The kinds of these names (every kind when none are given), loaded side by side; unknown names are left out. */
export async function loadKinds(names: Iterable<string> = KIND_NAMES): Promise<AnyKind[]> {
  const kinds = await Promise.all([...new Set(names)].map(loadKind));
  return kinds.filter((k): k is AnyKind => k !== undefined);
}

/**
 * A kind already loaded, or undefined. Loading a profile loads every kind it
 * uses (the checks are validated against their kind's params), so the engine
 * and the renderers find the kinds of a loaded profile here.
 */
export function findKind(kind: string): CheckKind | undefined {
  return loaded.get(kind);
}
