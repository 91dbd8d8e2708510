/**
 * What the readiness of a meeting adds after (and during) it
 * (docs/meetings.md, after the meeting): per site the incidents during the
 * meeting with their effect, its state in the T−15 snapshot, and its
 * one-line summary; for the meeting the totals (ready at T−15, connected,
 * incidents, how many postponed, cancelled or rescheduled it) and its line.
 */
import type { Meeting, MeetingReadiness, MeetingSiteReadiness, SiteMeetingState } from '../model/meeting.js';
import { bothLanguages, meetingLine, siteLine } from './meeting-summary.js';
import type { MeetingIncident } from './store/meeting-incidents.js';
import { iso } from './store/rows.js';
import type { Store } from './store/types.js';

export interface AfterInputs {
  incidents: MeetingIncident[];
  /** Each site's state in the T−15 snapshot, and how many were ready; undefined without a snapshot. */
  t15?: { states: Map<string, SiteMeetingState>; ready: number };
}

/** Read what it needs (started beside the readiness' own reads). */
export async function afterInputs(
  store: Store,
  m: Meeting,
  siteIds: readonly string[],
): Promise<AfterInputs> {
  const [incidents, snapshot] = await Promise.all([
    store.incidentsDuring(siteIds, Date.parse(m.start), Date.parse(m.end)),
    m.snapshotAt ? store.meetingSnapshot(m.id) : undefined,
  ]);
  if (!snapshot) return { incidents };
  try {
    const s = JSON.parse(snapshot) as Pick<MeetingReadiness, 'counts' | 'sites'>;
    return {
      incidents,
      t15: { states: new Map(s.sites.map((x) => [x.id, x.state])), ready: s.counts.ready },
    };
  } catch {
    return { incidents }; // a snapshot that cannot be read is as none (GET …?snapshot=true shows it as stored)
  }
}

type After = Pick<MeetingReadiness, 'during' | 'line'>;

/** Adds each site's incidents during, state at T−15 and line to `sites` (in place); the meeting's totals and line. */
export function addAfter(
  r: Pick<MeetingReadiness, 'meeting' | 'counts'> & { sites: MeetingSiteReadiness[] },
  input: AfterInputs,
  nowMs: number,
  rollCall: boolean,
): After {
  const startMs = Date.parse(r.meeting.start);
  const endMs = Date.parse(r.meeting.end);
  const bySite = new Map<string, NonNullable<MeetingSiteReadiness['incidentsDuring']>>();
  const during = {
    minutes: nowMs >= startMs ? Math.round((Math.min(nowMs, endMs) - startMs) / 60_000) : null,
    readyAtT15: input.t15 ? input.t15.ready : null,
    connected: rollCall ? 0 : null,
    incidents: input.incidents.length,
    postponed: 0,
    cancelled: 0,
    rescheduled: 0,
  };
  for (const i of input.incidents) {
    const list = bySite.get(i.siteId) ?? [];
    list.push({
      id: i.id,
      category: i.category,
      severity: i.severity,
      status: i.status,
      summary: i.summary,
      effect: i.effect,
      occurredAt: iso(i.occurredMs),
      ...(i.resolvedMs !== undefined ? { resolvedAt: iso(i.resolvedMs) } : {}),
    });
    bySite.set(i.siteId, list);
    if (i.effect !== 'none') during[i.effect]++;
  }
  for (const s of r.sites) {
    s.incidentsDuring = bySite.get(s.id) ?? [];
    s.atT15 = input.t15?.states.get(s.id) ?? null;
    const c = s.connected;
    if (during.connected !== null && c && (c.state === 'connected' || (c.minutes ?? 0) > 0))
      during.connected++;
  }
  const whole = { meeting: r.meeting, counts: r.counts, during };
  for (const s of r.sites) s.line = bothLanguages((w) => siteLine(w, whole, s));
  return { during, line: bothLanguages((w) => meetingLine(w, whole)) };
}
