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
  const s = String(raw ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Why a body is not the expected format, with its start shown (made safe): an HTML login page says so. */
export function notFormat(body: string, format: 'JSON' | 'XML', otherwise: string): string {
  const start = safeRaw(body.trim().replace(/\s+/g, ' '), 60);
  return /^<(!doctype html|html)/i.test(body.trim())
    ? `an HTML page, not ${format}: ${start}`
    : otherwise.replace('{start}', start);
}
