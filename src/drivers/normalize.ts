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
