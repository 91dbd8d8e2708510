/**
 * Meetings as an iCalendar file (RFC 5545) through ical-generator: one
 * VEVENT per meeting in Asia/Ho_Chi_Minh (a VTIMEZONE written out: Vietnam
 * keeps UTC+07:00 all year), with alarms at T−60 (technicians on site, the
 * trial session) and T−15 (the registry's readiness snapshot); docs/meetings.md.
 */
import type { ICalLuxonDateTimeStub } from 'ical-generator';
import type { Meeting } from '../model/meeting.js';
import { zoneParts } from '../util/local-time.js';

export const ICS_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Vietnam's zone: no daylight saving time since 1975. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${ICS_TIME_ZONE}`,
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0700',
  'TZOFFSETTO:+0700',
  'TZNAME:+07',
  'DTSTART:19700101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/**
 * An instant as ical-generator's documented Luxon-like stub, so DTSTART
 * carries the wall time of the zone whatever the process's own zone is.
 */
function zoned(ms: number, utc = false): ICalLuxonDateTimeStub {
  const d = new Date(ms);
  const parts = utc
    ? {
        year: String(d.getUTCFullYear()),
        month: String(d.getUTCMonth() + 1).padStart(2, '0'),
        day: String(d.getUTCDate()).padStart(2, '0'),
        hour: String(d.getUTCHours()).padStart(2, '0'),
        minute: String(d.getUTCMinutes()).padStart(2, '0'),
        second: String(d.getUTCSeconds()).padStart(2, '0'),
      }
    : zoneParts(ms, ICS_TIME_ZONE);
  const stub: ICalLuxonDateTimeStub = {
    isValid: true,
    zone: { type: utc ? 'fixed' : 'iana' },
    setZone: (zone?: string) => zoned(ms, zone?.toLowerCase() === 'utc'),
    toFormat: (fmt: string) =>
      fmt === 'yyyyLLdd'
        ? `${parts.year}${parts.month}${parts.day}`
        : `${parts.hour}${parts.minute}${parts.second}`,
    toJSDate: () => new Date(ms),
    toJSON: () => new Date(ms).toISOString(),
  };
  return stub;
}

export interface IcsOptions {
  /** The calendar's name. */
  name: string;
  /** The host the UIDs are made unique with (the registry's URL host). */
  host: string;
  /** Words of the alarms and the description, in the reader's language. */
  words: { t60: string; t15: string; bridge: string; host: string; contact: string };
  nowMs: number;
}

export async function meetingsIcs(meetings: readonly Meeting[], o: IcsOptions): Promise<string> {
  const { default: ical, ICalAlarmType, ICalEventStatus } = await import('ical-generator');
  const cal = ical({
    name: o.name,
    prodId: { company: 'diemcau', product: 'diemcau', language: 'VI' },
    timezone: { name: ICS_TIME_ZONE, generator: () => VTIMEZONE },
  });
  for (const m of meetings) {
    const startMs = Date.parse(m.start);
    const description = [
      `${o.words.host}: ${m.hostUnit}`,
      `${o.words.bridge}: ${m.bridgeUri ?? m.bridge}`,
      ...(m.contact
        ? [`${o.words.contact}: ${m.contact.name}${m.contact.phone ? ` ${m.contact.phone}` : ''}`]
        : []),
      ...(m.notes ? [m.notes] : []),
    ].join('\n');
    const event = cal.createEvent({
      id: `meeting-${m.id}@${o.host}`,
      sequence: Math.max(0, m.history.length - 1),
      stamp: zoned(Date.parse(m.updatedAt), true),
      start: zoned(startMs),
      end: zoned(Date.parse(m.end)),
      timezone: ICS_TIME_ZONE,
      summary: m.kind === 'emergency' ? `[!] ${m.title}` : m.title,
      location: m.room ?? m.bridgeUri ?? m.bridge,
      description,
      status:
        m.status === 'cancelled'
          ? ICalEventStatus.CANCELLED
          : m.status === 'postponed'
            ? ICalEventStatus.TENTATIVE
            : ICalEventStatus.CONFIRMED,
    });
    event.createAlarm({ type: ICalAlarmType.display, trigger: 3600, description: o.words.t60 });
    event.createAlarm({ type: ICalAlarmType.display, trigger: 900, description: o.words.t15 });
  }
  return cal.toString();
}
