/**
 * The meeting register (docs/meetings.md): book, list, read, change (cancel,
 * postpone, reschedule), readiness per meeting, .ics; notice rules per unit.
 * Auth as elsewhere: coordinators (their unit) and admins book and change; a
 * token reads the meetings hosted under its unit or that its sites take part in.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { translator } from '../../i18n/index.js';
import {
  Meeting,
  type MeetingConfirmItem,
  MeetingInput,
  MeetingList,
  MeetingPatch,
  MeetingReadiness,
  type MeetingStatus,
  NoticeRule,
  NoticeRuleInput,
  NoticeRuleList,
  type Participants,
} from '../../model/meeting.js';
import type { Principal } from '../auth.js';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../http-error.js';
import { idemOf, keyReused } from '../idempotency.js';
import { meetingsIcs } from '../meeting-ics.js';
import { meetingReadiness, meetingSites } from '../meeting-readiness.js';
import {
  DEFAULT_NOTICE_HOURS,
  hoursText,
  meetingTimes,
  noticeFor,
  PAST_SLACK_MS,
  resolveBridge,
  roomKey,
  statusAt,
  uriKey,
  withStatusAt,
} from '../meeting-rules.js';
import {
  IdempotencyHeaders,
  IdParam,
  MeetingListQuery,
  MeetingReadinessQuery,
  OptionalIdempotencyHeaders,
} from '../schemas.js';
import type { ClashInfo, MeetingRecord, MeetingWrite } from '../store/meetings.js';
import { inUnit } from '../store/rows.js';
import type { Store } from '../store/types.js';
import { decodeCursor, encodeCursor, errors, security } from './common.js';

const scopeText = (p: Principal) => (p.unit === '' ? 'all units' : `unit ${p.unit}`);

/** Coordinators (their unit) and admins book and change meetings hosted under their unit. */
function assertBook(p: Principal, hostUnit: string): void {
  if (p.role !== 'coordinator' && p.role !== 'admin')
    throw forbidden(`a ${p.role} token may not book or change meetings; a coordinator or admin token may`, {
      why: 'no_booking',
      role: p.role,
    });
  if (!inUnit(hostUnit, p.unit))
    throw forbidden(`this token may book for ${scopeText(p)} only, not ${hostUnit}`, {
      why: 'book_scope',
      scope: p.unit,
      unit: hostUnit,
    });
}

/** May the token read the meeting: hosted under its unit, or one of its sites takes part? */
async function assertReadMeeting(store: Store, p: Principal, m: Meeting): Promise<void> {
  if (inUnit(m.hostUnit, p.unit)) return;
  if ((m.participants.units ?? []).some((u) => inUnit(u, p.unit) || inUnit(p.unit, u))) return;
  const sites = await meetingSites(store, m);
  if (sites.some((s) => inUnit(s.unit, p.unit))) return;
  throw forbidden(
    `this token may read meetings of ${scopeText(p)} only; meeting ${m.id} is not one of them`,
    {
      why: 'meeting_scope',
      scope: p.unit,
      id: String(m.id),
    },
  );
}

/** A meeting's confirm items: ids unique (each is one check, meeting-confirm-<id>). */
function checkConfirm(items: readonly MeetingConfirmItem[] | null | undefined): void {
  const seen = new Set<string>();
  (items ?? []).forEach((c, i) => {
    if (seen.has(c.id))
      throw badRequest(`confirm[${i}].id`, `${c.id} is used twice; each item needs its own id`, {
        why: 'duplicate_confirm',
      });
    seen.add(c.id);
  });
}

const clashError = (other: ClashInfo) =>
  new ApiError(
    409,
    'meeting_clash',
    `meeting ${other.id} "${other.title}" holds the same ${other.on} (${other.on === 'bridge' ? other.bridge : other.room}) from ${other.start} to ${other.end}; send allowClash: true to book over it (flagged clash_allowed)`,
    undefined,
    {
      id: String(other.id),
      title: other.title,
      on: other.on,
      what: (other.on === 'bridge' ? other.bridge : other.room) ?? '',
      start: other.start,
      end: other.end,
    },
    { other },
  );

function answer(result: MeetingWrite, what: string): Meeting {
  switch (result.kind) {
    case 'created':
    case 'replay':
      return result.value;
    case 'key-reused':
      throw keyReused();
    case 'not-found':
      throw notFound(`no meeting ${what}`, { what: 'meeting', id: String(what) });
    case 'clash':
      throw clashError(result.other);
    case 'conflict':
      throw conflict(result.code, result.detail, {
        what: 'meeting',
        id: String(what),
        status: result.detail,
      });
    case 'stale':
      throw conflict('concurrent_change', `meeting ${what} was changed meanwhile; read it again and retry`, {
        id: String(what),
      });
  }
}

export const meetingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;
  const { store } = registry;

  /** Participants: at least one, and every named site registered. */
  async function checkParticipants(p: Participants): Promise<void> {
    const ids = p.sites ?? [];
    if (ids.length === 0 && (p.units ?? []).length === 0)
      throw badRequest('participants', 'name at least one site (sites) or unit (units)', {
        why: 'no_participants',
      });
    if (ids.length === 0) return;
    const known = new Set((await store.sitesOf(ids, [])).map((s) => s.id));
    const i = ids.findIndex((id) => !known.has(id));
    if (i >= 0)
      throw badRequest(
        `participants.sites[${i}]`,
        `unknown site ${ids[i]}; register it first (PUT /v1/sites/:id)`,
        { why: 'unknown_site', id: String(ids[i]) },
      );
  }

  function bridgeOf(bridge: string): { key: string; uri?: string } {
    const b = resolveBridge(bridge, registry.bridges);
    if (b) return b;
    const known = registry.bridges.map((x) => x.id);
    throw badRequest(
      'bridge',
      `unknown bridge ${bridge}; ${known.length ? `known: ${known.join(', ')}` : 'this registry knows no bridge ids (registry serve --bridges)'}, or give a sip: URI`,
      { why: 'unknown_bridge', bridge, known: known.join(', ') },
    );
  }

  /** The notice rule: a regular meeting booked with less notice is refused; an emergency is flagged. */
  async function notice(kind: string, hostUnit: string, startMs: number, nowMs: number): Promise<boolean> {
    const rule = noticeFor(await store.listNoticeRules(), hostUnit);
    const ahead = startMs - nowMs;
    const short = ahead < rule.hours * 3_600_000;
    if (short && kind !== 'emergency')
      throw new ApiError(
        409,
        'short_notice',
        `start: a regular meeting of ${hostUnit} needs ${rule.hours} h notice (${rule.unit ? `the rule of ${rule.unit}` : 'the default rule'}); this one is ${hoursText(ahead)} ahead. Book it as kind emergency if it is one`,
        undefined,
        { unit: hostUnit, hours: String(rule.hours), rule: rule.unit ?? '', ahead: hoursText(ahead) },
      );
    return short;
  }

  app.post(
    '/v1/meetings',
    {
      schema: {
        operationId: 'bookMeeting',
        summary: 'Book a meeting (clash and notice rules: docs/meetings.md)',
        tags: ['meetings'],
        security,
        headers: IdempotencyHeaders,
        body: MeetingInput,
        response: { 201: Meeting, ...errors(400, 401, 403, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req, reply) => {
      const b = req.body;
      assertBook(req.principal, b.hostUnit);
      const idem = idemOf(req, true);
      const nowMs = registry.now();
      const { startMs, endMs } = meetingTimes(b.start, b.end);
      if (startMs < nowMs - PAST_SLACK_MS && !b.record)
        throw badRequest('start', 'is in the past; send record: true to keep a meeting that took place', {
          why: 'past_record',
        });
      if (startMs > nowMs + 400 * 86_400_000)
        throw badRequest('start', 'is more than 400 days ahead', { why: 'too_far' });
      const bridge = bridgeOf(b.bridge);
      checkConfirm(b.confirm);
      await checkParticipants(b.participants);
      const kind = b.kind ?? 'regular';
      const short = b.record ? false : await notice(kind, b.hostUnit, startMs, nowMs);
      const record: MeetingRecord = {
        title: b.title,
        hostUnit: b.hostUnit,
        kind,
        startMs,
        endMs,
        bridge: b.bridge,
        bridgeKey: bridge.key,
        roomKey: roomKey(b.hostUnit, b.room),
        flags: [
          ...(kind === 'emergency' ? (['emergency'] as const) : []),
          ...(short ? (['short_notice_allowed'] as const) : []),
          ...(b.record ? (['recorded'] as const) : []),
        ],
        ...(bridge.uri ? { bridgeUri: bridge.uri } : {}),
        ...(b.room !== undefined ? { room: b.room } : {}),
        participants: b.participants,
        ...(b.contact ? { contact: b.contact } : {}),
        ...(b.notes !== undefined ? { notes: b.notes } : {}),
        ...(b.confirm?.length ? { confirm: b.confirm } : {}),
      };
      const result = await store.createMeeting(
        { record, allowClash: b.allowClash === true, by: b.by ?? req.principal.label, atMs: nowMs },
        idem,
      );
      const value = answer(result, b.title);
      if (result.kind === 'replay') reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(withStatusAt(value, nowMs));
    },
  );

  app.get(
    '/v1/meetings',
    {
      schema: {
        operationId: 'listMeetings',
        summary: 'List meetings: emergency first, then by start',
        tags: ['meetings'],
        security,
        querystring: MeetingListQuery,
        response: { 200: MeetingList, ...errors(400, 401, 403) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const q = req.query;
      const p = req.principal;
      let unitPrefix = p.unit;
      if (q.unit !== undefined) {
        if (!inUnit(q.unit, p.unit) && !inUnit(p.unit, q.unit))
          throw forbidden(`this token may read ${scopeText(p)} only, not ${q.unit}`, {
            why: 'read_scope',
            scope: p.unit,
            unit: q.unit,
          });
        // A wider unit than the token's reads as the token's own.
        unitPrefix = inUnit(q.unit, p.unit) ? q.unit : p.unit;
      }
      let site: { id: string; unit: string | undefined } | undefined;
      if (q.site !== undefined) {
        const s = await store.getSite(q.site);
        if (s && !inUnit(s.unit, p.unit))
          throw forbidden(`this token may read ${scopeText(p)} only, not site ${q.site}`, {
            why: 'site_scope',
            scope: p.unit,
            site: q.site,
          });
        site = { id: q.site, unit: s?.unit };
      }
      const fromMs = q.from !== undefined ? Date.parse(q.from) : undefined;
      const toMs = q.to !== undefined ? Date.parse(q.to) : undefined;
      if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
        throw badRequest('to', 'must be after from', { why: 'after_from' });
      const limit = q.limit ?? 100;
      const after = q.cursor ? decodeCursor(q.cursor, ['int', 'int', 'int']) : undefined;
      const nowMs = registry.now();
      const rows = await store.listMeetings({
        unitPrefix,
        ...(site ? { site } : {}),
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
        ...(q.status ? { statuses: [q.status] } : {}),
        nowMs,
        limit: limit + 1,
        ...(after
          ? { after: { emergency: after[0] as number, startMs: after[1] as number, id: after[2] as number } }
          : {}),
      });
      const items = rows.slice(0, limit).map((m) => withStatusAt(m, nowMs));
      const last = items[items.length - 1];
      return {
        items,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor([last.kind === 'emergency' ? 1 : 0, Date.parse(last.start), last.id])
            : null,
      };
    },
  );

  const readable = async (p: Principal, id: number): Promise<Meeting> => {
    const m = await store.getMeeting(id);
    if (!m) throw notFound(`no meeting ${id}`, { what: 'meeting', id: String(id) });
    await assertReadMeeting(store, p, m);
    return m;
  };

  app.get(
    '/v1/meetings/:id',
    {
      schema: {
        operationId: 'getMeeting',
        summary: 'One meeting with its history',
        tags: ['meetings'],
        security,
        params: IdParam,
        response: { 200: Meeting, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => withStatusAt(await readable(req.principal, req.params.id), registry.now()),
  );

  app.patch(
    '/v1/meetings/:id',
    {
      schema: {
        operationId: 'changeMeeting',
        summary: 'Change a meeting, cancel, postpone or reschedule it (clash and notice checked again)',
        tags: ['meetings'],
        security,
        params: IdParam,
        headers: OptionalIdempotencyHeaders,
        body: MeetingPatch,
        response: { 200: Meeting, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const id = req.params.id;
      const b = req.body;
      const idem = idemOf(req, false);
      // A change made meanwhile by another coordinator: compute again from what is stored now.
      for (let attempt = 0; ; attempt++) {
        const m = await store.getMeeting(id);
        if (!m) throw notFound(`no meeting ${id}`, { what: 'meeting', id: String(id) });
        assertBook(req.principal, m.hostUnit);
        const nowMs = registry.now();
        const now = statusAt(m, nowMs);
        if (now === 'done' || now === 'cancelled')
          throw conflict('invalid_transition', `meeting ${id} is ${now}; it can no longer be changed`, {
            what: 'meeting',
            id: String(id),
            status: now,
          });
        const timesChanged = b.start !== undefined || b.end !== undefined;
        let status: MeetingStatus =
          b.status ?? (m.status === 'postponed' && timesChanged ? 'scheduled' : m.status);
        if (status === 'scheduled' && now === 'in-progress') status = 'in-progress';
        if (b.status === 'postponed' && now === 'in-progress')
          throw conflict(
            'invalid_transition',
            `meeting ${id} is in progress; cancel it instead of postponing`,
            { what: 'meeting', id: String(id), status: 'in-progress', why: 'postpone_running' },
          );
        const start = b.start ?? m.start;
        const end = b.end ?? m.end;
        const { startMs, endMs } = meetingTimes(start, end);
        if (b.start !== undefined && startMs < nowMs - PAST_SLACK_MS)
          throw badRequest('start', 'is in the past', { why: 'past' });
        if (b.start !== undefined && startMs > nowMs + 400 * 86_400_000)
          throw badRequest('start', 'is more than 400 days ahead', { why: 'too_far' });
        const kind = b.kind ?? m.kind;
        const bridgeText = b.bridge ?? m.bridge;
        const bridge = b.bridge !== undefined ? bridgeOf(b.bridge) : undefined;
        const participants = b.participants ?? m.participants;
        if (b.participants) await checkParticipants(b.participants);
        const active = status === 'scheduled' || status === 'in-progress';
        const recorded = m.flags.includes('recorded');
        // The notice rule holds for a new start (or a meeting made regular again), not for other edits.
        const noticeAgain =
          active &&
          !recorded &&
          (b.start !== undefined ||
            (b.kind === 'regular' && m.kind !== 'regular') ||
            (m.status === 'postponed' && status === 'scheduled'));
        const short = noticeAgain
          ? await notice(kind, m.hostUnit, startMs, nowMs)
          : m.flags.includes('short_notice_allowed');
        const room = b.room === undefined ? m.room : (b.room ?? undefined);
        const contact = b.contact === undefined ? m.contact : (b.contact ?? undefined);
        const notes = b.notes === undefined ? m.notes : (b.notes ?? undefined);
        checkConfirm(b.confirm);
        const confirm = b.confirm === undefined ? m.confirm : b.confirm?.length ? b.confirm : undefined;
        const record: MeetingRecord = {
          title: b.title ?? m.title,
          hostUnit: m.hostUnit,
          kind,
          startMs,
          endMs,
          bridge: bridgeText,
          bridgeKey: bridge?.key ?? uriKey(m.bridgeUri ?? m.bridge),
          roomKey: roomKey(m.hostUnit, room),
          flags: [
            ...(kind === 'emergency' ? (['emergency'] as const) : []),
            ...(short && kind === 'emergency' ? (['short_notice_allowed'] as const) : []),
            ...(recorded ? (['recorded'] as const) : []),
            ...(m.flags.includes('clash_allowed') ? (['clash_allowed'] as const) : []),
          ],
          ...((bridge ? bridge.uri : m.bridgeUri) !== undefined
            ? { bridgeUri: (bridge ? bridge.uri : m.bridgeUri) as string }
            : {}),
          ...(room !== undefined ? { room } : {}),
          participants,
          ...(contact ? { contact } : {}),
          ...(notes !== undefined ? { notes } : {}),
          ...(confirm ? { confirm } : {}),
        };
        const before: Record<string, unknown> = {
          title: m.title,
          start: m.start,
          end: m.end,
          kind: m.kind,
          bridge: m.bridge,
          room: m.room ?? null,
          participants: m.participants,
          contact: m.contact ?? null,
          notes: m.notes ?? null,
          confirm: m.confirm ?? null,
          status: m.status,
        };
        const after: Record<string, unknown> = {
          title: record.title,
          start: new Date(startMs).toISOString(),
          end: new Date(endMs).toISOString(),
          kind,
          bridge: bridgeText,
          room: room ?? null,
          participants,
          contact: contact ?? null,
          notes: notes ?? null,
          confirm: confirm ?? null,
          status,
        };
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        for (const k of Object.keys(after))
          if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
            changes[k] = { from: before[k], to: after[k] };
        const action =
          status === 'cancelled'
            ? 'cancelled'
            : status === 'postponed'
              ? 'postponed'
              : changes.start || (m.status === 'postponed' && status === 'scheduled')
                ? 'rescheduled'
                : 'updated';
        const result = await store.updateMeeting(
          id,
          {
            record,
            status,
            event: { action, ...(b.note ? { note: b.note } : {}), changes },
            allowClash: b.allowClash === true,
            by: b.by ?? req.principal.label,
            atMs: nowMs,
            basedOn: m.history.length,
          },
          idem,
        );
        if (result.kind === 'stale' && attempt < 3) continue;
        return withStatusAt(answer(result, String(id)), nowMs);
      }
    },
  );

  app.get(
    '/v1/meetings/:id/readiness',
    {
      schema: {
        operationId: 'meetingReadiness',
        summary: "Readiness of a meeting's sites: last check before it, T−60 window, incidents, whom to call",
        tags: ['meetings'],
        security,
        params: IdParam,
        querystring: MeetingReadinessQuery,
        response: { 200: MeetingReadiness, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const m = await readable(req.principal, req.params.id);
      if (req.query.snapshot) {
        const text = await store.meetingSnapshot(m.id);
        if (!text)
          throw notFound(`meeting ${m.id} has no T−15 snapshot yet`, { what: 'snapshot', id: String(m.id) });
        return { ...(JSON.parse(text) as MeetingReadiness), snapshot: true };
      }
      return meetingReadiness(store, m, registry.now());
    },
  );

  app.get(
    '/v1/meetings/:id/ics',
    {
      schema: {
        operationId: 'meetingIcs',
        summary: 'The meeting as an iCalendar file (alarms at T−60 and T−15)',
        tags: ['meetings'],
        security,
        params: IdParam,
        querystring: Type.Object(
          { lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.String({ description: 'text/calendar' }), ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req, reply) => {
      const nowMs = registry.now();
      const m = withStatusAt(await readable(req.principal, req.params.id), nowMs);
      const t = translator(req.query.lang ?? 'vi');
      const text = await meetingsIcs([m], {
        name: m.title,
        host: req.hostname.replace(/:\d+$/, '') || 'diemcau',
        words: icsWords(t),
        nowMs,
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="meeting-${m.id}.ics"`)
        .send(text);
    },
  );

  app.put(
    '/v1/notice-rules',
    {
      schema: {
        operationId: 'setNoticeRule',
        summary: 'Set the notice a regular meeting under a unit needs (admin)',
        tags: ['meetings'],
        security,
        body: NoticeRuleInput,
        response: { 200: NoticeRule, ...errors(400, 401, 403, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const p = req.principal;
      if (p.role !== 'admin')
        throw forbidden('only an admin token may set notice rules', { why: 'admin_only' });
      if (!inUnit(req.body.unit, p.unit))
        throw forbidden(`this token administers ${scopeText(p)} only, not ${req.body.unit}`, {
          why: 'admin_scope',
          scope: p.unit,
          unit: req.body.unit,
        });
      return store.putNoticeRule(req.body.unit, req.body.hours, p.label, registry.now());
    },
  );

  app.get(
    '/v1/notice-rules',
    {
      schema: {
        operationId: 'listNoticeRules',
        summary: 'The notice rules per unit, and the default',
        tags: ['meetings'],
        security,
        response: { 200: NoticeRuleList, ...errors(401) },
      },
      onRequest: app.authenticate,
    },
    async () => ({ defaultHours: DEFAULT_NOTICE_HOURS, items: await store.listNoticeRules() }),
  );
};

/** The .ics words in the reader's language. */
export const icsWords = (t: ReturnType<typeof translator>) => ({
  t60: t('meeting.ics.t60'),
  t15: t('meeting.ics.t15'),
  bridge: t('meeting.ics.bridge'),
  host: t('meeting.ics.host'),
  contact: t('meeting.ics.contact'),
});
