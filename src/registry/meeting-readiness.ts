/**
 * Readiness per meeting (GET /v1/meetings/:id/readiness, the T−15 snapshot;
 * docs/meetings.md): per participating site its last check before the
 * meeting (the one made for it, check --meeting, when there is one) and
 * whether it ran inside the T−60 window, open incidents, whom to call, the
 * other meetings it is also booked into at the same time, what a person on
 * site confirmed, and from T0 whether it is connected to the bridge.
 */
import type { Meeting, MeetingReadiness, MeetingSiteReadiness, Participants } from '../model/meeting.js';
import { type MeetingConfirmAnswer, meetingConfirmCheckId } from '../model/meeting.js';
import type { Run } from '../model/run.js';
import type { Site } from '../model/site.js';
import { addAfter, afterInputs } from './meeting-after.js';
import { statusAt, WINDOW_MS } from './meeting-rules.js';
import type { BridgeConnection } from './store/call-states.js';
import type { LastRun } from './store/meetings.js';
import { inUnit, iso } from './store/rows.js';
import type { Store } from './store/types.js';

/** At most this many runs tagged with one meeting are read (newest first): several per site of a large meeting. */
const TAGGED_RUNS = 5000;

/** The bridge as the codecs' call states name it: its URI, or the bridge itself when it is one. */
const bridgeUriOf = (m: Meeting): string | undefined =>
  m.bridgeUri ?? (/^(sips?|h323|tel):|@/i.test(m.bridge) ? m.bridge : undefined);

const lastRunOf = (r: Run): LastRun & { tagged: true } => {
  const startedMs = Date.parse(r.startedAt);
  return {
    id: r.id,
    siteId: r.site.id,
    verdict: r.verdict,
    failing: r.failing,
    startedMs,
    finishedMs: startedMs + r.durationMs,
    tagged: true,
  };
};

/** The confirm checks of a run made for the meeting: who confirmed what, when (docs/meetings.md). */
export function confirmationsOf(
  run: Run | undefined,
  except: ReadonlySet<string> = new Set(),
): MeetingSiteReadiness['confirmations'] {
  if (!run) return [];
  return run.checks
    .filter((c) => c.kind === 'confirm' && !except.has(c.id))
    .map((c) => {
      const d = (c.details ?? {}) as { by?: unknown; at?: unknown; question?: unknown };
      const at = typeof d.at === 'string' && Number.isFinite(Date.parse(d.at)) ? d.at : c.startedAt;
      return {
        id: c.id,
        status: c.status,
        by: typeof d.by === 'string' ? d.by : null,
        at,
        ...(typeof d.question === 'string' ? { question: d.question } : {}),
      };
    });
}

const ANSWER_OF: Record<string, MeetingConfirmAnswer['answer']> = {
  pass: 'confirmed',
  fail: 'not-confirmed',
  skip: 'skipped',
};

/**
 * The meeting's own confirm items at one site (docs/meetings.md): each from
 * the newest run made for the meeting that answered it (yes or no), else the
 * newest that asked it (skipped, unanswered), else `not-asked`. `runs` are
 * the site's runs for the meeting, newest first.
 */
export function meetingConfirmOf(m: Meeting, runs: readonly Run[]): MeetingConfirmAnswer[] {
  return (m.confirm ?? []).map((item) => {
    const checkId = meetingConfirmCheckId(item.id);
    let found: { run: Run; check: Run['checks'][number] } | undefined;
    for (const run of runs) {
      const check = run.checks.find((c) => c.id === checkId && c.kind === 'confirm');
      if (!check) continue;
      if (check.status === 'pass' || check.status === 'fail') {
        found = { run, check };
        break;
      }
      found ??= { run, check };
    }
    const base = { id: item.id, question: item.question, required: item.required !== false };
    if (!found) return { ...base, answer: 'not-asked', by: null, at: null };
    const { run, check } = found;
    const d = (check.details ?? {}) as { by?: unknown; at?: unknown; note?: unknown };
    return {
      ...base,
      answer: ANSWER_OF[check.status] ?? 'unanswered',
      by: typeof d.by === 'string' ? d.by : null,
      at: typeof d.at === 'string' && Number.isFinite(Date.parse(d.at)) ? d.at : check.startedAt,
      ...(typeof d.note === 'string' ? { note: d.note } : {}),
      runId: run.id,
    };
  });
}

function connectedOf(c: BridgeConnection): NonNullable<MeetingSiteReadiness['connected']> {
  return {
    since: c.connectedSinceMs !== undefined ? iso(c.connectedSinceMs) : null,
    state: c.connectedSinceMs !== undefined ? 'connected' : 'not-connected',
    minutes: c.minutesConnected,
  };
}

/** Does a participant list take in this site? */
export const takesPart = (p: Participants, site: Pick<Site, 'id' | 'unit'>): boolean =>
  (p.sites ?? []).includes(site.id) || (p.units ?? []).some((u) => inUnit(site.unit, u));

/** The sites of a meeting: frozen at its start, else resolved now from its participants. */
export function meetingSites(store: Store, m: Meeting): Promise<Site[]> {
  if (m.frozenSites) return store.sitesOf(m.frozenSites, []);
  return store.sitesOf(m.participants.sites ?? [], m.participants.units ?? []);
}

export async function meetingReadiness(store: Store, m0: Meeting, nowMs: number): Promise<MeetingReadiness> {
  const m = { ...m0, status: statusAt(m0, nowMs) };
  const startMs = Date.parse(m.start);
  const windowMs = startMs - WINDOW_MS;
  const sites = await meetingSites(store, m);
  const ids = sites.map((s) => s.id);
  const endMs = Date.parse(m.end);
  const bridge = bridgeUriOf(m);
  // Roll call from T0 until now (or the end): the call states against the meeting's bridge.
  const rollCall = nowMs >= startMs && bridge !== undefined;
  // After the meeting: incidents during it and the T−15 snapshot, read beside the rest (meeting-after.ts).
  const after = afterInputs(store, m, ids);
  after.catch(() => undefined); // awaited below; no unhandled rejection if the reads beside it fail first
  const [runs, tagged, incidents, others, connections] = await Promise.all([
    store.lastRunsBefore(ids, startMs),
    store.listRuns({ meetingId: String(m.id), unitPrefix: '', limit: TAGGED_RUNS }),
    store.openIncidentsOf(ids),
    store.overlappingMeetings(startMs, endMs, m.id),
    rollCall
      ? store.bridgeConnections({ siteIds: ids, bridge, fromMs: startMs, toMs: Math.min(nowMs, endMs) })
      : undefined,
  ]);
  const runOf = new Map<string, LastRun & { tagged?: true }>(runs.map((r) => [r.siteId, r]));
  // The run made for this meeting is "the last check" when there is one (newest first, so the first per site).
  const taggedOf = new Map<string, Run>();
  for (const r of tagged) if (!taggedOf.has(r.site.id)) taggedOf.set(r.site.id, r);
  for (const [siteId, r] of taggedOf) runOf.set(siteId, lastRunOf(r));
  // The meeting's own confirm items: every run made for it, per site, newest first.
  const ownConfirm = new Set((m.confirm ?? []).map((c) => meetingConfirmCheckId(c.id)));
  const taggedAll = new Map<string, Run[]>();
  if (ownConfirm.size)
    for (const r of tagged) {
      const list = taggedAll.get(r.site.id);
      if (list) list.push(r);
      else taggedAll.set(r.site.id, [r]);
    }
  const incidentsOf = new Map<string, MeetingSiteReadiness['openIncidents']>();
  for (const i of incidents) {
    const list = incidentsOf.get(i.siteId) ?? [];
    list.push({
      id: i.id,
      category: i.category,
      severity: i.severity,
      status: i.status,
      summary: i.summary,
      occurredAt: iso(i.occurredMs),
    });
    incidentsOf.set(i.siteId, list);
  }
  const counts = {
    sites: sites.length,
    ready: 0,
    degraded: 0,
    notReady: 0,
    unknown: 0,
    notChecked: 0,
    withIncidents: 0,
    overlapping: 0,
  };
  const rows = sites.map((s): MeetingSiteReadiness => {
    const run = runOf.get(s.id);
    const inWindow = run !== undefined && run.startedMs >= windowMs;
    const state: MeetingSiteReadiness['state'] = run && inWindow ? run.verdict : 'not-checked';
    const overlaps = others.filter((o) => takesPart(o.participants, s)).map((o) => o.id);
    const open = incidentsOf.get(s.id) ?? [];
    const connection = connections?.get(s.id);
    if (state === 'ready') counts.ready++;
    else if (state === 'degraded') counts.degraded++;
    else if (state === 'not-ready') counts.notReady++;
    else if (state === 'unknown') counts.unknown++;
    else counts.notChecked++;
    if (open.length) counts.withIncidents++;
    if (overlaps.length) counts.overlapping++;
    return {
      id: s.id,
      name: s.name,
      unit: s.unit,
      state,
      lastRun: run
        ? {
            id: run.id,
            verdict: run.verdict,
            startedAt: iso(run.startedMs),
            finishedAt: iso(run.finishedMs),
            inWindow,
            failing: run.failing,
            ...(run.tagged ? { tagged: true } : {}),
          }
        : null,
      openIncidents: open,
      ...(s.technician ? { technician: s.technician } : {}),
      ...(s.focal_point ? { focal_point: s.focal_point } : {}),
      overlaps,
      connected: connection ? connectedOf(connection) : null,
      confirmations: confirmationsOf(taggedOf.get(s.id), ownConfirm),
      ...(ownConfirm.size ? { meetingConfirm: meetingConfirmOf(m, taggedAll.get(s.id) ?? []) } : {}),
    };
  });
  const afterThat = addAfter({ meeting: m, counts, sites: rows }, await after, nowMs, rollCall);
  return {
    generatedAt: iso(nowMs),
    meeting: m,
    windowStart: iso(windowMs),
    windowOpen: nowMs >= windowMs,
    ...afterThat,
    counts,
    sites: rows,
  };
}
