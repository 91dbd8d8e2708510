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

/** The site's technician and focal point as detail lines, or that none is registered. */
function contactLines(d: ClaimedDelivery, t: ReturnType<typeof translator>): string[] {
  const out: string[] = [];
  if (d.site.technician) out.push(t('alerting.detail.technician', { who: person(d.site.technician, t) }));
  if (d.site.focal_point) out.push(t('alerting.detail.focal_point', { who: person(d.site.focal_point, t) }));
  if (!d.site.technician && !d.site.focal_point) out.push(t('alerting.detail.no_contact'));
  return out;
}

const nextMeetingOf = (d: ClaimedDelivery) =>
  d.nextMeeting
    ? {
        id: String(d.nextMeeting.id),
        title: d.nextMeeting.title,
        start: new Date(d.nextMeeting.startMs).toISOString(),
      }
    : null;

/**
 * A maintenance window's notice (docs/alerts.md, maintenance windows): what it
 * covers, why, and its times in Vietnam's local time. A unit window has no
 * site: the contract's `site` then stands for the unit (its last segment as
 * the id, the path as the name, nobody to call); `maintenance` says which.
 */
function renderNotice(
  d: ClaimedDelivery,
  m: NonNullable<ClaimedDelivery['facts']['maintenance']>,
  lang: Locale,
): AlertMessage {
  const t = translator(lang);
  const scope = m.site
    ? t('alerting.notice.scope_site', { name: d.site.name, id: m.site })
    : t('alerting.notice.scope_unit', { unit: m.unit ?? '' });
  const span = { from: localTime(m.fromMs), to: localTime(m.toMs) };
  const early = m.endedMs !== null && m.endedMs < m.toMs;
  const summary =
    d.state === 'firing'
      ? t('alerting.notice.start', { scope, reason: m.reason, ...span })
      : early
        ? t('alerting.notice.end_early', {
            scope,
            reason: m.reason,
            at: localTime(m.endedMs as number),
            to: span.to,
          })
        : t('alerting.notice.end', { scope, reason: m.reason, at: span.to });
  const details = [
    t('alerting.notice.window', { id: m.id, ...span }),
    t('alerting.notice.reason', { reason: m.reason }),
    t(d.state === 'firing' ? 'alerting.notice.held' : 'alerting.notice.resumed'),
    ...(m.site ? [t('alerting.detail.unit', { unit: d.site.unit }), ...contactLines(d, t)] : []),
    ...(d.nextMeeting
      ? [
          t('alerting.detail.next_meeting', {
            title: d.nextMeeting.title,
            start: localTime(d.nextMeeting.startMs),
          }),
        ]
      : []),
  ];
  const unit = m.unit ?? d.site.unit;
  return {
    schema: ALERT_SCHEMA,
    id: d.alertId,
    rule: d.ruleId,
    event: 'maintenance',
    state: d.state,
    at: new Date(d.atMs).toISOString(),
    site: m.site
      ? {
          id: d.site.id,
          name: d.site.name,
          unit: d.site.unit,
          technician: d.site.technician ?? null,
          focalPoint: d.site.focal_point ?? null,
        }
      : {
          id: (unit.split('/').pop() ?? unit).slice(0, 64),
          name: unit,
          unit,
          technician: null,
          focalPoint: null,
        },
    summary,
    details,
    meeting: nextMeetingOf(d),
    maintenance: {
      id: String(m.id),
      unit: m.unit,
      site: m.site,
      from: new Date(m.fromMs).toISOString(),
      to: new Date(m.toMs).toISOString(),
      endedAt: m.endedMs === null ? null : new Date(m.endedMs).toISOString(),
      reason: m.reason,
    },
    lang,
  };
}

/** The alert message of one delivery, in `lang`. */
export function renderAlert(d: ClaimedDelivery, lang: Locale): AlertMessage {
  if (d.event === 'maintenance' && d.facts.maintenance) return renderNotice(d, d.facts.maintenance, lang);
  const t = translator(lang);
  const details: string[] = [t('alerting.detail.unit', { unit: d.site.unit })];
  if (d.facts.incident)
    details.push(
      t('alerting.detail.incident', { id: d.facts.incident.id, category: d.facts.incident.category }),
    );
  if (d.facts.sinceMs) details.push(t('alerting.detail.since', { since: localTime(d.facts.sinceMs) }));
  details.push(...contactLines(d, t));
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
