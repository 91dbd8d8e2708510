/**
 * One AlertMessage as people read it (docs/alerts.md, what every message says):
 * a subject and the lines every channel sends — what is wrong in the
 * technician's words, whom to call, the next meeting — in the message's own
 * language, times local. The JSON body (webhook) keeps ISO UTC.
 */
import { translator } from '../i18n/index.js';
import type { AlertMessage } from '../model/alert.js';
import { peopleTime, SITE_TIME_ZONE } from '../util/local-time.js';

export interface RenderedAlert {
  subject: string;
  /** The headline first, then the summary, details, site, contacts, meeting and the alert's reference. */
  lines: string[];
}

type Person = NonNullable<AlertMessage['site']['technician']>;

export function renderAlert(message: AlertMessage, timeZone: string = SITE_TIME_ZONE): RenderedAlert {
  const t = translator(message.lang);
  const { site } = message;
  const person = (p: Person | null) =>
    !p
      ? t('alerts.line.nobody')
      : p.phone
        ? t('alerts.line.person', { name: p.name, phone: p.phone })
        : p.name;
  const state = message.state === 'firing' ? 'firing' : 'resolved';
  if (message.maintenance) {
    // A maintenance notice (docs/alerts.md): its window, and the site's contacts only for a site window.
    const lines = [
      t(`alerts.head.notice.${state}`, { time: peopleTime(message.at, timeZone) }),
      message.summary,
      ...message.details,
      t('alerts.line.notice_ref', { id: message.id }),
    ];
    return {
      subject: oneLine(t('alerts.subject.notice', { summary: message.summary })),
      lines: lines.map(oneLine).filter((l) => l !== ''),
    };
  }
  const lines = [
    t(`alerts.head.${state}`, {
      event: t(`alerts.event.${message.event}`),
      time: peopleTime(message.at, timeZone),
    }),
    message.summary,
    ...message.details,
    t('alerts.line.site', { name: site.name, id: site.id, unit: site.unit }),
    t('alerts.line.technician', { person: person(site.technician) }),
    t('alerts.line.focal', { person: person(site.focalPoint) }),
  ];
  if (message.meeting)
    lines.push(
      t('alerts.line.meeting', {
        title: message.meeting.title,
        time: peopleTime(message.meeting.start, timeZone),
      }),
    );
  lines.push(t('alerts.line.ref', { id: message.id, rule: message.rule }));
  return {
    subject: oneLine(t(`alerts.subject.${state}`, { site: site.name, summary: message.summary })),
    lines: lines.map(oneLine).filter((l) => l !== ''),
  };
}

/** Control characters and line breaks from a site's or user's text would break a header or a line. */
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/**
 * `text` at most `max` UTF-16 units long (what the services count, or more),
 * cut at a grapheme boundary with an ellipsis: never half a letter with its
 * tone mark, half an emoji or half a surrogate pair.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  let out = '';
  // Grapheme rules look only at neighbours (and count regional indicators from the start), so a
  // prefix a little longer than what is kept segments the same; ICU is slow on long texts.
  for (const { segment } of graphemes.segment(text.slice(0, max + 64))) {
    if (out.length + segment.length > room) break;
    out += segment;
  }
  return out.trimEnd() + ELLIPSIS;
}
