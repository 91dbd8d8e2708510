/**
 * A MOS estimate from RTT, jitter and loss: the simplified ITU-T G.107
 * E-model used by common VoIP monitors and by Twilio's preflight test
 * (twilio-video lib/preflight/mos.ts). docs/udp-quality.md explains it.
 *
 *   effective latency  Le = RTT + 2·jitter + 10 ms  (10 ms for codec delay)
 *   R = 94.768 − Le/40            when Le < 160 ms
 *   R = 94.768 − (Le − 120)/10    when 160 ≤ Le < 1000 ms, else 0
 *   R = R − 2.5 · loss%  (R = 0 when loss% > R/2.5; never below 6.52, MOS 1)
 *   MOS = 1 + 0.035·R + 7·10⁻⁶ · R · (R − 60) · (100 − R)   (G.107 Annex B)
 */

/** R for an ideal narrow-band call with no impairments (G.107 default R0 − Is). */
export const R_MAX = 94.768;
/** The R at which the conversion gives MOS 1.0. */
const R_FLOOR = 6.52;

export function rFactor(rttMs: number, jitterMs: number, lossPct: number): number {
  if (![rttMs, jitterMs, lossPct].every((v) => Number.isFinite(v) && v >= 0)) return 0;
  const le = rttMs + 2 * jitterMs + 10;
  let r: number;
  if (le < 160) r = R_MAX - le / 40;
  else if (le < 1000) r = R_MAX - (le - 120) / 10;
  else return 0;
  if (lossPct > r / 2.5) return 0;
  return Math.max(r - 2.5 * lossPct, R_FLOOR);
}

/** G.107 Annex B conversion, clamped to 1..4.5. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return Math.min(4.5, Math.max(1, mos));
}

export function mos(rttMs: number, jitterMs: number, lossPct: number): number {
  return mosFromR(rFactor(rttMs, jitterMs, lossPct));
}
