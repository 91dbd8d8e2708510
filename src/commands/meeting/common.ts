/**
 * What the meeting commands share (docs/meetings.md): the registry session,
 * times typed by people, the words of statuses and flags, and the meeting
 * as a table or a card. Writes go straight to the registry (not the outbox):
 * a booking's answer — booked, or refused for a clash — is what the
 * coordinator needs at once; each carries its own Idempotency-Key.
 */
import { randomUUID } from 'node:crypto';
import type { Context, RegistryApi } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import type { Meeting, MeetingList } from '../../model/meeting.js';
import type { ResolvedProfile } from '../../profile/types.js';
import { clientFor, readOrThrow, resolveTarget, type Target } from '../../registry/session.js';
import { peopleTime, siteTimeZone, zoneParts } from '../../util/local-time.js';
import { simpleTable } from '../../util/table.js';
import { optionalProfile } from '../common.js';

export interface MeetingSession {
  ctx: Context;
  profile: ResolvedProfile | undefined;
  target: Target;
  client: RegistryApi;
}

export async function openMeetingSession(
  ctx0: Context,
  opts: { profile?: string; registry?: string },
): Promise<MeetingSession> {
  const { profile, ctx } = await optionalProfile(ctx0, opts.profile);
  const target = resolveTarget(ctx, { flag: opts.registry, profile });
  return { ctx, profile, target, client: clientFor(ctx, target) };
}

export async function call<T>(
  s: MeetingSession,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  path: string,
  o: { body?: unknown; query?: Record<string, string | number | undefined> } = {},
): Promise<T> {
  const outcome = await s.client.send<T>(method, path, {
    ...o,
    ...(method === 'GET' ? {} : { idempotencyKey: randomUUID() }),
  });
  return readOrThrow(s.ctx, s.target, outcome);
}

/** Offset of a zone at an instant, in ms (Asia/Ho_Chi_Minh: +7 h). */
function offsetMs(ms: number, timeZone: string): number {
  const p = zoneParts(ms, timeZone);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * A time as people type it: RFC 3339 with a zone, or `2026-12-03 07:30`
 * (also with T, seconds) in the site's zone. Returns ISO UTC, or undefined.
 */
export function parseMeetingTime(text: string, timeZone: string): string | undefined {
  const s = text.trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(s) && /^\d{4}-\d{2}-\d{2}T/i.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  const wall = Date.UTC(y as number, (mo as number) - 1, d, h, mi, se);
  const back = new Date(wall);
  if (back.getUTCDate() !== d || back.getUTCHours() !== h || (mo as number) > 12) return undefined;
  return new Date(wall - offsetMs(wall - offsetMs(wall, timeZone), timeZone)).toISOString();
}

export function timeFlag(ctx: Context, flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const iso = parseMeetingTime(value, siteTimeZone(ctx.env));
  if (!iso) throw new UsageError(ctx.t('meeting.err.bad_time', { flag, got: value }));
  return iso;
}

export const zoneOf = (ctx: Context) => siteTimeZone(ctx.env);
export const local = (ctx: Context, iso: string) => peopleTime(iso, zoneOf(ctx));

/** `07:30 03/12/2026 – 11:30` (the end's date only when it is another day). */
export function span(ctx: Context, m: Pick<Meeting, 'start' | 'end'>): string {
  const a = local(ctx, m.start);
  const b = local(ctx, m.end);
  return a.slice(6) === b.slice(6) ? `${a} – ${b.slice(0, 5)}` : `${a} – ${b}`;
}

export const statusWord = (ctx: Context, m: Pick<Meeting, 'status'>) => ctx.t(`meeting.status.${m.status}`);

export function listTable(ctx: Context, list: MeetingList, tty: boolean): string {
  const { t } = ctx;
  if (list.items.length === 0) return `${t('meeting.list.empty')}\n`;
  return simpleTable(
    [
      { head: t('meeting.col.id'), min: 3 },
      { head: t('meeting.col.when'), min: 20 },
      { head: t('meeting.col.title'), wrap: true, min: 12 },
      { head: t('meeting.col.bridge'), wrap: true, min: 6 },
      { head: t('meeting.col.status'), wrap: true, min: 8 },
    ],
    list.items.map((m) => [
      `${m.kind === 'emergency' ? '!' : ''}${m.id}`,
      span(ctx, m),
      m.title,
      m.bridge,
      [
        statusWord(ctx, m),
        ...m.flags.filter((f) => f !== 'emergency').map((f) => t(`meeting.flag_word.${f}`)),
      ].join(', '),
    ]),
    tty,
    ctx.io.columns,
  );
}

/** One meeting as label: value lines, then its history. */
export function card(ctx: Context, m: Meeting): string {
  const { t } = ctx;
  const rows: Array<[string, string]> = [
    [t('meeting.field.title'), `${m.id}. ${m.title}`],
    [t('meeting.field.when'), `${span(ctx, m)} (${zoneOf(ctx)})`],
    [t('meeting.field.kind'), t(`meeting.kind.${m.kind}`)],
    [t('meeting.field.status'), statusWord(ctx, m)],
    [t('meeting.field.host'), m.hostUnit],
    [t('meeting.field.bridge'), m.bridgeUri ? `${m.bridge} (${m.bridgeUri})` : m.bridge],
  ];
  if (m.room) rows.push([t('meeting.field.room'), m.room]);
  if (m.participants.sites?.length) rows.push([t('meeting.field.sites'), m.participants.sites.join(', ')]);
  if (m.participants.units?.length) rows.push([t('meeting.field.units'), m.participants.units.join(', ')]);
  if (m.contact)
    rows.push([t('meeting.field.contact'), [m.contact.name, m.contact.phone].filter(Boolean).join(' ')]);
  if (m.notes) rows.push([t('meeting.field.notes'), m.notes]);
  for (const [i, c] of (m.confirm ?? []).entries())
    rows.push([
      i === 0 ? t('meeting.field.confirm') : '',
      `${c.question}${c.required === false ? ` (${t('meeting.confirm.advisory')})` : ''}`,
    ]);
  if (m.flags.length)
    rows.push([t('meeting.field.flags'), m.flags.map((f) => t(`meeting.flag_word.${f}`)).join(', ')]);
  if (m.clashesWith?.length) rows.push([t('meeting.field.clashes'), m.clashesWith.join(', ')]);
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
  lines.push(`${t('meeting.field.history')}:`);
  for (const e of m.history)
    lines.push(
      `  ${local(ctx, e.at)}  ${t(`meeting.action.${e.action}`)}${e.by ? ` (${e.by})` : ''}${e.note ? `: ${e.note}` : ''}`,
    );
  return `${lines.join('\n')}\n`;
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
