/**
 * Times for people, in one IANA zone. The offset is asked of Intl once per
 * hour of time seen and the rest is arithmetic, so 10,000 rows cost
 * milliseconds (zones change offset on whole hours, except a few historical
 * ones nobody runs a meeting in). People read `HH:MM dd/mm/yyyy`
 * (src/util/local-time.ts); day keys stay `yyyy-mm-dd`.
 */
import { SITE_TIME_ZONE } from '../../util/local-time.js';

export interface ZoneClock {
  readonly timeZone: string;
  /** `07:30 01/07/2025` in the zone; '' for null. */
  local(iso: string | null | undefined): string;
  /** `01/07/2025` in the zone; '' for null. */
  date(iso: string | null | undefined): string;
  /** `2025-07-01` in the zone. */
  day(ms: number): string;
  /** `UTC+07:00` at that moment. */
  offsetLabel(ms: number): string;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

export function zoneClock(timeZone: string = SITE_TIME_ZONE): ZoneClock {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const cache = new Map<number, number>();
  const offsetMs = (ms: number): number => {
    const hour = Math.floor(ms / HOUR);
    let off = cache.get(hour);
    if (off === undefined) {
      const name =
        fmt.formatToParts(new Date(hour * HOUR)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
      off = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000 : 0;
      cache.set(hour, off);
    }
    return off;
  };
  const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
  const ymd = (d: Date) => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
  const dmy = (d: Date) => `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  const shifted = (iso: string): Date | undefined => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : new Date(ms + offsetMs(ms));
  };
  return {
    timeZone,
    local(iso) {
      if (!iso) return '';
      const d = shifted(iso);
      return d ? `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())} ${dmy(d)}` : iso;
    },
    date(iso) {
      if (!iso) return '';
      const d = shifted(iso);
      return d ? dmy(d) : iso;
    },
    day(ms) {
      return ymd(new Date(ms + offsetMs(ms)));
    },
    offsetLabel(ms) {
      const off = offsetMs(ms) / 60_000;
      const a = Math.abs(off);
      return `UTC${off < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
    },
  };
}

/** The last `n` calendar days in the zone, oldest first, ending with the day of `now`. */
export function lastDays(now: Date, n: number, timeZone?: string): string[] {
  const clock = zoneClock(timeZone);
  const today = clock.day(now.getTime());
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const base = Date.UTC(y, m - 1, d);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(new Date(base - i * DAY).toISOString().slice(0, 10));
  return out;
}
