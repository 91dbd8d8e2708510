/**
 * The one-line summaries of a meeting (docs/meetings.md, after the meeting):
 * per site "UBND xã X: sẵn sàng lúc T−15, kết nối 118/120 phút, 1 sự cố
 * (không có tiếng lúc 08:10, không ảnh hưởng)" and for the meeting "…: 45/47
 * điểm cầu sẵn sàng lúc T−15, 46 kết nối, 3 sự cố (1 phải hoãn họp)". The
 * registry puts both languages in the readiness answer; `report meeting`
 * words them again in the reader's language and zone. Times in the people's
 * zone (src/util/local-time.ts); names and titles without control characters.
 */
import { type Locale, type Translator, translator } from '../i18n/index.js';
import type { IncidentCategory } from '../model/incident.js';
import type { MeetingReadiness, MeetingSiteReadiness, SummaryLine } from '../model/meeting.js';
import { peopleTime, SITE_TIME_ZONE } from '../util/local-time.js';
import { terminalText } from '../util/sanitize.js';
import { CATEGORY_LABELS } from './categories.js';

export interface LineWords {
  t: Translator;
  locale: Locale;
  timeZone: string;
}

type Incident = NonNullable<MeetingSiteReadiness['incidentsDuring']>[number];
type Readiness = Pick<MeetingReadiness, 'meeting' | 'counts' | 'during'>;

/** "không có tiếng": the category's label in the reader's language, lower case at its start (mid-sentence). */
function categoryWords(w: LineWords, code: string): string {
  const label = CATEGORY_LABELS[code as IncidentCategory]?.[w.locale] ?? code;
  return label.charAt(0).toLocaleLowerCase(w.locale) + label.slice(1);
}

/** "08:10" on the meeting's day, else the full "08:10 02/12/2026" (an incident open since the day before). */
function timeOf(w: LineWords, iso: string, meetingStart: string): string {
  const full = peopleTime(iso, w.timeZone);
  return full.slice(6) === peopleTime(meetingStart, w.timeZone).slice(6) ? full.slice(0, 5) : full;
}

/** One incident during the meeting for a table cell: "#12 không có tiếng (nhẹ) lúc 08:10, không ảnh hưởng". */
export function incidentCell(w: LineWords, i: Incident, meetingStart: string): string {
  return w.t('meeting.after.cell', {
    id: i.id,
    category: categoryWords(w, i.category),
    severity: w.t(`meeting.after.severity.${i.severity as 'critical' | 'major' | 'minor'}`),
    at: timeOf(w, i.occurredAt, meetingStart),
    effect: w.t(`meeting.after.effect.${i.effect}`),
  });
}

function incidentsText(w: LineWords, list: readonly Incident[], meetingStart: string): string {
  if (list.length === 0) return w.t('meeting.after.no_incident');
  const items = list
    .map((i) =>
      w.t('meeting.after.incident', {
        category: categoryWords(w, i.category),
        at: timeOf(w, i.occurredAt, meetingStart),
        effect: w.t(`meeting.after.effect.${i.effect}`),
      }),
    )
    .join('; ');
  return w.t(list.length === 1 ? 'meeting.after.incidents.one' : 'meeting.after.incidents.many', {
    n: list.length,
    items,
  });
}

/** A site's line: its state at T−15 (else now), minutes on the bridge since T0, the incidents during the meeting. */
export function siteLine(w: LineWords, r: Readiness, s: MeetingSiteReadiness): string {
  const parts = [s.atT15 ? w.t(`meeting.after.t15.${s.atT15}`) : w.t(`meeting.state.${s.state}`)];
  const total = r.during?.minutes;
  if (total !== null && total !== undefined && s.connected) {
    const m = Math.round(s.connected.minutes ?? 0);
    const over = r.meeting.status === 'done' || total >= meetingMinutes(r.meeting);
    parts.push(
      m > 0 || s.connected.state === 'connected'
        ? w.t('meeting.after.connected', { m, of: total })
        : w.t(over ? 'meeting.after.never_connected' : 'meeting.after.not_connected_yet'),
    );
  }
  if (s.incidentsDuring) parts.push(incidentsText(w, s.incidentsDuring, r.meeting.start));
  return `${terminalText(s.name || s.id)}: ${parts.join(', ')}`;
}

const meetingMinutes = (m: { start: string; end: string }) =>
  Math.round((Date.parse(m.end) - Date.parse(m.start)) / 60_000);

const EFFECTS = ['postponed', 'cancelled', 'rescheduled'] as const;

/** The meeting's line: ready at T−15 (else now) of all its sites, how many connected, the incidents and their effects. */
export function meetingLine(w: LineWords, r: Readiness): string {
  const d = r.during;
  const of = r.counts.sites;
  const parts = [
    d && d.readyAtT15 !== null
      ? w.t('meeting.after.m.ready_t15', { n: d.readyAtT15, of })
      : w.t('meeting.after.m.ready', { n: r.counts.ready, of }),
  ];
  if (d && d.connected !== null) parts.push(w.t('meeting.after.m.connected', { n: d.connected }));
  if (d) {
    const effects = EFFECTS.filter((e) => d[e] > 0).map((e) =>
      w.t(`meeting.after.m.effect.${e}`, { n: d[e] }),
    );
    const one = d.incidents === 1 ? 'one' : 'many';
    parts.push(
      d.incidents === 0
        ? w.t('meeting.after.no_incident')
        : effects.length
          ? w.t(`meeting.after.m.effects.${one}`, { n: d.incidents, effects: effects.join(', ') })
          : w.t(`meeting.after.m.no_effect.${one}`, { n: d.incidents }),
    );
  }
  return w.t('meeting.after.m.line', {
    title: terminalText(r.meeting.title),
    when: peopleTime(r.meeting.start, w.timeZone),
    parts: parts.join(', '),
  });
}

let both: { vi: LineWords; en: LineWords } | undefined;

/** The same line in Vietnamese and English, times in Asia/Ho_Chi_Minh: what the registry answers. */
export function bothLanguages(line: (w: LineWords) => string): SummaryLine {
  both ??= {
    vi: { t: translator('vi'), locale: 'vi', timeZone: SITE_TIME_ZONE },
    en: { t: translator('en'), locale: 'en', timeZone: SITE_TIME_ZONE },
  };
  return { vi: line(both.vi), en: line(both.en) };
}
