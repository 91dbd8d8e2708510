/**
 * Times in the lines people read: `HH:MM dd/mm/yyyy` in the site's zone
 * (Asia/Ho_Chi_Minh unless DIEMCAU_TZ names another IANA zone), the way a
 * Vietnamese reader writes them. Machine formats keep ISO UTC.
 */
export const SITE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The zone people's times are shown in: DIEMCAU_TZ when it is a zone this Node knows, else Hà Nội's. */
export function siteTimeZone(env: Record<string, string | undefined>): string {
  const tz = env.DIEMCAU_TZ;
  if (!tz) return SITE_TIME_ZONE;
  try {
    formatFor(tz);
    return tz;
  } catch {
    return SITE_TIME_ZONE;
  }
}

/** `21:12 01/12/2026`; the text unchanged when it is not a time. */
export function peopleTime(iso: string, timeZone: string = SITE_TIME_ZONE): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const parts = Object.fromEntries(
    formatFor(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}/${parts.year}`;
}

/** `peopleTime` in the zone the reader's environment names (DIEMCAU_TZ, else Hà Nội's): what commands print. */
export function readerTime(env: Record<string, string | undefined>, iso: string): string {
  return peopleTime(iso, siteTimeZone(env));
}

const secondFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant's wall-clock parts in a zone, two digits each (four for the year): the meeting .ics and typed times. */
export function zoneParts(
  ms: number,
  timeZone: string,
): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  let f = secondFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    secondFormats.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: parts.year ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    second: parts.second ?? '',
  };
}
