/** Vendor words → the drivers' common vocabulary. */
import type { RegistrationState } from './types.js';

/**
 * Cisco SIP (Deregister/Failed/Inactive/Registered/Registering), Cisco H.323
 * (Registered/Inactive/Rejected, MXP's Discovering/Authenticating...) and
 * Poly (UP/DOWN) registration words.
 */
export function registrationState(raw: string): RegistrationState {
  const s = raw.trim().toLowerCase();
  if (s === 'registered' || s === 'up') return 'registered';
  if (/registering|discover|authenticat|required/.test(s)) return 'registering';
  if (s === '' || s === 'inactive' || s === 'off') return 'inactive';
  return 'failed';
}

/**
 * A codec's own word made safe to show: control characters (a terminal
 * escape in a hostile or broken reply) removed, long values cut.
 */
export function safeRaw(raw: unknown, max = 120): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const s = String(raw ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
