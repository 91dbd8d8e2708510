/**
 * The meeting register's rules (docs/meetings.md): bridge and room keys,
 * the status at a time, the notice rule, and the checks on a booking's
 * times. Pure functions; the routes and the scheduler use them.
 */
import type { BridgeConfig } from '../model/bridge.js';
import type { Meeting, MeetingStatus, NoticeRule } from '../model/meeting.js';
import { badRequest } from './http-error.js';
import { inUnit } from './store/rows.js';

/** Longest meeting accepted (docs/meetings.md). */
export const MAX_MEETING_MS = 7 * 86_400_000;
/** Notice a regular meeting needs where no rule of its unit says otherwise: 3 days (Bắc Kạn). */
export const DEFAULT_NOTICE_HOURS = 72;
/** Technicians are on site and checked from T−60 (docs/meetings.md). */
export const WINDOW_MS = 60 * 60_000;
/** The registry's own readiness snapshot, as MCU schedulers run their diagnostics (docs/meetings.md). */
export const SNAPSHOT_LEAD_MS = 15 * 60_000;
/** A start this far in the past is still "now" (a form filled in slowly), not history. */
export const PAST_SLACK_MS = 5 * 60_000;

/** The clash key of a URI: lower case, without its sip:/sips:/h323: scheme. */
export const uriKey = (uri: string): string =>
  uri
    .trim()
    .toLowerCase()
    .replace(/^(sips?|h323):/, '');

/** A booked bridge: a known id (its URI) or a SIP URI; undefined for an unknown id. */
export function resolveBridge(
  bridge: string,
  bridges: readonly BridgeConfig[],
): { key: string; uri?: string } | undefined {
  if (/^sips?:/i.test(bridge)) return { key: uriKey(bridge) };
  const known = bridges.find((b) => b.id === bridge);
  return known ? { key: uriKey(known.uri), uri: known.uri } : undefined;
}

/** The host room's clash key: the host unit and the room's name, case and spacing ignored. */
export const roomKey = (hostUnit: string, room: string | undefined): string | null =>
  room === undefined ? null : `${hostUnit}|${room.trim().toLowerCase().replace(/\s+/g, ' ')}`;

/** The status at `nowMs`: a scheduled meeting whose start (end) has come is in progress (done). */
export function statusAt(m: Pick<Meeting, 'status' | 'start' | 'end'>, nowMs: number): MeetingStatus {
  if (m.status !== 'scheduled' && m.status !== 'in-progress') return m.status;
  if (Date.parse(m.end) <= nowMs) return 'done';
  if (Date.parse(m.start) <= nowMs) return 'in-progress';
  return 'scheduled';
}

export const withStatusAt = (m: Meeting, nowMs: number): Meeting => ({ ...m, status: statusAt(m, nowMs) });

/** The rule for a host unit: the longest rule prefix covering it, else the default. */
export function noticeFor(
  rules: readonly NoticeRule[],
  hostUnit: string,
): { hours: number; unit: string | null } {
  let best: NoticeRule | undefined;
  for (const r of rules)
    if (inUnit(hostUnit, r.unit) && (!best || r.unit.length > best.unit.length)) best = r;
  return best ? { hours: best.hours, unit: best.unit } : { hours: DEFAULT_NOTICE_HOURS, unit: null };
}

/** Start and end of a booking, checked: RFC 3339 instants, end after start, at most 7 days. */
export function meetingTimes(start: string, end: string): { startMs: number; endMs: number } {
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  if (!Number.isFinite(startMs)) throw badRequest('start', 'is not a time', { why: 'date_time' });
  if (!Number.isFinite(endMs)) throw badRequest('end', 'is not a time', { why: 'date_time' });
  if (endMs < startMs) throw badRequest('end', `is before start (${start})`, { why: 'before_start' });
  if (endMs === startMs)
    throw badRequest('end', 'equals start: a meeting cannot last zero minutes', { why: 'zero_length' });
  if (endMs - startMs > MAX_MEETING_MS)
    throw badRequest('end', 'is more than 7 days after start', { why: 'too_long' });
  return { startMs, endMs };
}

/** Hours and minutes of a notice, for messages: "72 h", "2 h 30 min". */
export function hoursText(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  const h = Math.floor(min / 60);
  const m = min % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}
