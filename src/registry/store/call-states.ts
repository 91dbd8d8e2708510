/**
 * Call states (roll call): the store's part, shared by both engines, which
 * only fetch rows (call-states-sqlite.ts, call-states-postgres.ts). The
 * meeting readiness view asks `bridgeConnection` (docs/registry-api.md, call states).
 */
import type { CallStateRecord, CallStateWord } from '../../model/call-state.js';
import { iso } from './rows.js';
import type { Idem, WriteResult } from './types.js';

export interface NewCallState {
  siteId: string;
  atMs: number;
  state: CallStateWord;
  remote?: string;
  meetingId?: string;
  receivedMs: number;
}

export interface CallStateFilter {
  siteId: string;
  /** Inclusive. */
  fromMs?: number;
  /** Exclusive. */
  toMs?: number;
  limit: number;
}

/** A site's connection to one bridge over a window [fromMs, toMs). */
export interface BridgeConnection {
  /** Connected to the bridge at toMs (its last state before toMs): since when, which may be before fromMs. */
  connectedSinceMs?: number;
  /** When it was first connected to the bridge inside the window (fromMs if it already was). */
  firstConnectedMs?: number;
  /** Minutes connected to the bridge inside the window (one decimal). */
  minutesConnected: number;
  /** The same, in milliseconds. */
  msConnected: number;
}

export interface BridgeQuery {
  siteId: string;
  /** The bridge's URI (sip:8001@mcu…, 8001@mcu, h323:…): compared by sameBridge. */
  bridge: string;
  fromMs: number;
  toMs: number;
}

/** The same for many sites at once (a meeting's roll call: one or two queries, not two per site). */
export interface BridgesQuery extends Omit<BridgeQuery, 'siteId'> {
  siteIds: readonly string[];
}

export interface CallStateStore {
  /** Keep one reported state; a replayed key gets the first answer. not-found: no such site. */
  addCallState(state: NewCallState, idem: Idem): Promise<WriteResult<CallStateRecord>>;
  /** A site's states in time order (oldest first). */
  listCallStates(filter: CallStateFilter): Promise<CallStateRecord[]>;
  /** Connected to bridge B since when, between T0 and T1, and minutes connected. */
  bridgeConnection(q: BridgeQuery): Promise<BridgeConnection>;
  /** The same for each of the sites, by site id (every one of them answered). */
  bridgeConnections(q: BridgesQuery): Promise<Map<string, BridgeConnection>>;
}

export interface CallStateRow {
  id: number;
  site_id: string;
  at_ms: number;
  state: string;
  remote: string | null;
  meeting_id: string | null;
  received_ms: number;
}

export function callStateFromRow(r: CallStateRow): CallStateRecord {
  return {
    id: r.id,
    site: r.site_id,
    at: iso(r.at_ms),
    state: r.state as CallStateWord,
    ...(r.remote !== null ? { remote: r.remote } : {}),
    ...(r.meeting_id !== null ? { meeting: r.meeting_id } : {}),
    receivedAt: iso(r.received_ms),
  };
}

/** sip:8001@mcu.tinh.vn:5060;transport=tls and 8001@MCU.tinh.vn are one bridge: scheme, port and parameters aside. */
export function bridgeKey(uri: string): string {
  return uri
    .trim()
    .toLowerCase()
    .replace(/^(sips?|h323|tel):/, '')
    .replace(/[;?].*$/, '')
    .replace(/:\d+$/, '');
}

export const sameBridge = (a: string, b: string): boolean => bridgeKey(a) === bridgeKey(b);

/**
 * The connection from the states: `before` is the last state before fromMs
 * (if any), `inside` those in [fromMs, toMs) in time order. A stretch
 * connected to the bridge lasts until the next state, or until toMs.
 */
export function connectionOf(
  before: CallStateRecord | undefined,
  inside: readonly CallStateRecord[],
  q: BridgeQuery,
): BridgeConnection {
  const on = (s: CallStateRecord) =>
    s.state === 'connected' && s.remote !== undefined && sameBridge(s.remote, q.bridge);
  const states = before ? [before, ...inside] : [...inside];
  let connectedMs = 0;
  let first: number | undefined;
  let since: number | undefined;
  for (const [i, s] of states.entries()) {
    const at = Date.parse(s.at);
    const next = states[i + 1];
    if (!on(s)) {
      since = undefined;
      continue;
    }
    since ??= at;
    const start = Math.max(at, q.fromMs);
    const end = Math.min(next ? Date.parse(next.at) : q.toMs, q.toMs);
    if (end > start) {
      connectedMs += end - start;
      first ??= start;
    }
  }
  return {
    ...(since !== undefined ? { connectedSinceMs: since } : {}),
    ...(first !== undefined ? { firstConnectedMs: first } : {}),
    minutesConnected: Math.round(connectedMs / 6_000) / 10,
    msConnected: connectedMs,
  };
}

/**
 * Each site's connection from its rows: `before` the last state of each site
 * before fromMs, `inside` the states in [fromMs, toMs) ordered by site, time, id.
 */
export function connectionsOf(
  before: readonly CallStateRow[],
  inside: readonly CallStateRow[],
  q: BridgesQuery,
): Map<string, BridgeConnection> {
  const beforeOf = new Map(before.map((r) => [r.site_id, callStateFromRow(r)]));
  const insideOf = new Map<string, CallStateRecord[]>();
  for (const r of inside) {
    const list = insideOf.get(r.site_id);
    if (list) list.push(callStateFromRow(r));
    else insideOf.set(r.site_id, [callStateFromRow(r)]);
  }
  return new Map(
    q.siteIds.map((siteId) => [
      siteId,
      connectionOf(beforeOf.get(siteId), insideOf.get(siteId) ?? [], { ...q, siteId }),
    ]),
  );
}
