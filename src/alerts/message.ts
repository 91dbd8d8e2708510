/**
 * An alert as people read it (docs/alerts.md, messages): what is wrong in the
 * technician's words, who to call (the site's technician and focal point with
 * their phones), in the channel's language. Every channel renders from this.
 */
import { type Locale, type MessageKey, translator } from '../i18n/index.js';
import { ALERT_SCHEMA, type AlertMessage } from '../model/alert.js';
import type { ClaimedDelivery } from '../registry/store/alerts.js';
import { peopleTime } from '../util/local-time.js';
import { DEFAULT_TZ } from './rules.js';

type Person = { name: string; phone?: string; email?: string; zalo?: string } | undefined;

/** "07:30 25/11/2026", local time of Vietnam (the one people's-time format, src/util/local-time.ts). */
export const localTime = (ms: number, tz = DEFAULT_TZ): string => peopleTime(new Date(ms).toISOString(), tz);

/** "Name (phone, e-mail, Zalo 09…)": what the register has. */
function person(p: Person, t: ReturnType<typeof translator>): string {
  if (!p) return '';
  const ways = [p.phone, p.email, p.zalo ? t('alerting.detail.zalo', { phone: p.zalo }) : undefined].filter(
    (w): w is string => Boolean(w),
  );
  return ways.length ? `${p.name} (${ways.join(', ')})` : p.name;
}

function summaryOf(d: ClaimedDelivery, t: ReturnType<typeof translator>): string {
  const site = d.site.name;
  if (d.test) return t('alerting.msg.test', { site });
  const f = d.facts;
  const severity = f.incident ? t(`report.severity.${f.incident.severity}` as MessageKey) : '';
  const params = {
    site,
    failing: (f.failing ?? []).join(', ') || '—',
    last: f.lastMs ? localTime(f.lastMs) : '',
    summary: f.incident?.summary ?? '',
    severity,
    open: f.open ?? 0,
    title: f.meeting?.title ?? '',
    start: f.meeting ? localTime(f.meeting.startMs) : '',
    checkpoint: f.meeting?.checkpoint ?? '',
  };
  const never = d.event === 'site-stale' && d.state === 'firing' && !f.lastMs ? '.never' : '';
  const text = t(`alerting.msg.${d.event}.${d.state}${never}` as MessageKey, params);
  return d.reminder ? `${t('alerting.msg.reminder')} ${text}` : text;
}

/** The alert message of one delivery, in `lang`. */
export function renderAlert(d: ClaimedDelivery, lang: Locale): AlertMessage {
  const t = translator(lang);
  const details: string[] = [t('alerting.detail.unit', { unit: d.site.unit })];
  if (d.facts.incident)
    details.push(
      t('alerting.detail.incident', { id: d.facts.incident.id, category: d.facts.incident.category }),
    );
  if (d.facts.sinceMs) details.push(t('alerting.detail.since', { since: localTime(d.facts.sinceMs) }));
  if (d.site.technician) details.push(t('alerting.detail.technician', { who: person(d.site.technician, t) }));
  if (d.site.focal_point)
    details.push(t('alerting.detail.focal_point', { who: person(d.site.focal_point, t) }));
  if (!d.site.technician && !d.site.focal_point) details.push(t('alerting.detail.no_contact'));
  const meeting = d.facts.meeting ?? d.nextMeeting;
  if (d.nextMeeting && !d.facts.meeting)
    details.push(
      t('alerting.detail.next_meeting', {
        title: d.nextMeeting.title,
        start: localTime(d.nextMeeting.startMs),
      }),
    );
  return {
    schema: ALERT_SCHEMA,
    id: d.alertId,
    rule: d.ruleId,
    event: d.event as AlertMessage['event'],
    state: d.state,
    at: new Date(d.atMs).toISOString(),
    site: {
      id: d.site.id,
      name: d.site.name,
      unit: d.site.unit,
      technician: d.site.technician ?? null,
      focalPoint: d.site.focal_point ?? null,
    },
    summary: summaryOf(d, t),
    details,
    meeting: meeting
      ? { id: String(meeting.id), title: meeting.title, start: new Date(meeting.startMs).toISOString() }
      : null,
    lang,
  };
}

/**
 * A day's digest for one channel: one message whose details are the alerts'
 * summaries. Its id is the channel and the first alert's delivery; its site is
 * the first alert's (the contract has one site per message).
 */
export function renderDigest(items: ClaimedDelivery[], channelId: string, lang: Locale): AlertMessage {
  const t = translator(lang);
  const first = renderAlert(items[0] as ClaimedDelivery, lang);
  return {
    ...first,
    id: `digest/${channelId}/${(items[0] as ClaimedDelivery).id}`,
    rule: 'digest',
    summary: t('alerting.msg.digest', { n: items.length }),
    details: items.map((d) => `${localTime(d.atMs)} ${renderAlert(d, lang).summary}`),
  };
}
