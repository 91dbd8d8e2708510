/**
 * Readiness per meeting (GET /v1/meetings/:id/readiness, the T−15 snapshot;
 * docs/meetings.md): per participating site its last check before the
 * meeting and whether it ran inside the T−60 window, open incidents, whom to
 * call, and the other meetings it is also booked into at the same time.
 */
import type { Meeting, MeetingReadiness, MeetingSiteReadiness, Participants } from '../model/meeting.js';
import type { Site } from '../model/site.js';
import { statusAt, WINDOW_MS } from './meeting-rules.js';
import { inUnit, iso } from './store/rows.js';
import type { Store } from './store/types.js';

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
  const [runs, incidents, others] = await Promise.all([
    store.lastRunsBefore(ids, startMs),
    store.openIncidentsOf(ids),
    store.overlappingMeetings(startMs, Date.parse(m.end), m.id),
  ]);
  const runOf = new Map(runs.map((r) => [r.siteId, r]));
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
          }
        : null,
      openIncidents: open,
      ...(s.technician ? { technician: s.technician } : {}),
      ...(s.focal_point ? { focal_point: s.focal_point } : {}),
      overlaps,
      // Roll call and confirmations are filled in by the meeting-day uploads (docs/meetings.md).
      connected: null,
      confirmations: [],
    };
  });
  return {
    generatedAt: iso(nowMs),
    meeting: m,
    windowStart: iso(windowMs),
    windowOpen: nowMs >= windowMs,
    counts,
    sites: rows,
  };
}
