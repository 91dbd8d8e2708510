/**
 * What the alert rules decide, as pure functions (docs/alerts.md): which rules
 * watch a site, whether a run or an incident makes a rule's condition hold,
 * when a delivery may go (quiet hours, daily digests) and how long a failed
 * one waits. The stores apply the decisions in the write's own transaction.
 */
import type { AlertChannel, AlertRule, QuietHours } from '../model/alert-rule.js';
import type { Severity } from '../model/incident.js';
import { parseDuration } from '../profile/duration.js';

export const DEFAULT_TZ = 'Asia/Ho_Chi_Minh';

/** Rules and channels in force (from the database, or the --alerts file). */
export interface AlertConfig {
  rules: AlertRule[];
  channels: AlertChannel[];
}

export const EMPTY_CONFIG: AlertConfig = { rules: [], channels: [] };

/** What an alert says about its cause, kept with the alert (JSON in alert_events.facts). */
export interface AlertFacts {
  verdict?: string;
  failing?: string[];
  incident?: { id: number; severity: string; category: string; summary: string };
  /** Open incidents counted by incident-unresolved. */
  open?: number;
  /** When the last result came (site-stale), epoch ms; null: never. */
  lastMs?: number | null;
  /** Epoch ms the condition started (reminders). */
  sinceMs?: number;
  /** meeting-at-risk: the meeting and the checkpoint (minutes before its start) that found the site at risk. */
  meeting?: { id: number; title: string; startMs: number; checkpoint: 60 | 15 };
  /** A maintenance notice: its window (docs/alerts.md, maintenance windows). */
  maintenance?: MaintenanceFacts;
}

interface MaintenanceFacts {
  id: number;
  unit: string | null;
  site: string | null;
  fromMs: number;
  toMs: number;
  endedMs: number | null;
  reason: string;
}

/** meeting-at-risk checks a meeting's sites at these times before its start (docs/alerts.md, events). */
export const AT_RISK_LEAD_MS = 60 * 60_000;
export const AT_RISK_LATE_MS = 15 * 60_000;

/**
 * Is a participating site at risk for a meeting starting at `startMs`? Not
 * ready by its last result, or no result since T−60.
 */
export const atRisk = (verdict: string | null, finishedMs: number | null, startMs: number): boolean =>
  verdict !== 'ready' || finishedMs === null || finishedMs < startMs - AT_RISK_LEAD_MS;

/** Does the rule watch this site? A unit prefix matches by whole path segments. */
export function watches(rule: AlertRule, siteId: string, unit: string): boolean {
  if (rule.site !== undefined && rule.site !== siteId) return false;
  if (rule.unit !== undefined && unit !== rule.unit && !unit.startsWith(`${rule.unit}/`)) return false;
  return true;
}

const RANK: Record<Severity, number> = { minor: 0, major: 1, critical: 2 };
export const atLeast = (severity: string, floor: Severity | undefined): boolean =>
  (RANK[severity as Severity] ?? 0) >= RANK[floor ?? 'minor'];

export const afterMs = (rule: AlertRule): number => parseDuration(rule.after ?? 0) ?? 0;
export const repeatMs = (rule: AlertRule): number | undefined =>
  rule.repeat === undefined ? undefined : parseDuration(rule.repeat) || undefined;

/** One rule's condition for one site, as a write or a sweep saw it. */
export interface Condition {
  rule: AlertRule;
  siteId: string;
  unit: string;
  holds: boolean;
  atMs: number;
  facts: AlertFacts;
}

export interface RunFacts {
  siteId: string;
  unit: string;
  verdict: string;
  finishedMs: number;
  failing: string[];
}

/**
 * A run answers the run-driven rules: not-ready and degraded hold or not, and
 * any result at all ends site-stale. site-degraded holds for a degraded or
 * worse verdict, so a site going from degraded to not-ready has not recovered.
 */
export function runConditions(rules: readonly AlertRule[], run: RunFacts): Condition[] {
  const out: Condition[] = [];
  for (const rule of rules) {
    if (!watches(rule, run.siteId, run.unit)) continue;
    let holds: boolean;
    if (rule.event === 'site-not-ready') holds = run.verdict === 'not-ready';
    else if (rule.event === 'site-degraded')
      holds = run.verdict === 'degraded' || run.verdict === 'not-ready';
    else if (rule.event === 'site-stale') holds = false;
    else continue;
    out.push({
      rule,
      siteId: run.siteId,
      unit: run.unit,
      holds,
      atMs: run.finishedMs,
      facts: { verdict: run.verdict, failing: run.failing },
    });
  }
  return out;
}

export interface OpenIncident {
  id: number;
  siteId: string;
  unit: string;
  severity: string;
  category: string;
  summary: string;
  createdMs: number;
}

/**
 * incident-filed holds while the site has an open incident at or above the
 * rule's severity; `open` is every open incident of the site, `filed` the one
 * just filed (its facts go into the alert), if any.
 */
export function incidentConditions(
  rules: readonly AlertRule[],
  site: { siteId: string; unit: string },
  open: readonly OpenIncident[],
  atMs: number,
  filed?: OpenIncident,
): Condition[] {
  const out: Condition[] = [];
  for (const rule of rules) {
    if (rule.event !== 'incident-filed' || !watches(rule, site.siteId, site.unit)) continue;
    const counted = open.filter((i) => atLeast(i.severity, rule.severity));
    const cause = filed && atLeast(filed.severity, rule.severity) ? filed : counted[0];
    out.push({
      rule,
      siteId: site.siteId,
      unit: site.unit,
      holds: counted.length > 0,
      atMs,
      facts: {
        open: counted.length,
        ...(cause
          ? {
              incident: {
                id: cause.id,
                severity: cause.severity,
                category: cause.category,
                summary: cause.summary,
              },
            }
          : {}),
      },
    });
  }
  return out;
}

/** Critical incidents go out even in quiet hours (docs/alerts.md, quiet hours). */
export const isCritical = (facts: AlertFacts): boolean => facts.incident?.severity === 'critical';

/** Minutes since local midnight and the seconds into the minute, in `tz`. */
function localClock(atMs: number, tz: string): { minutes: number; seconds: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(atMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { minutes: get('hour') * 60 + get('minute'), seconds: get('second') };
}

const clockMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Is this an IANA time zone Intl knows? */
export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds from `atMs` to the next local `hhmm` in `tz` (0 when it is that minute's start). */
export function untilClock(atMs: number, hhmm: string, tz: string): number {
  const { minutes, seconds } = localClock(atMs, tz);
  const wait = (clockMinutes(hhmm) - minutes + 1440) % 1440;
  return Math.max(0, wait * 60_000 - seconds * 1000 - (atMs % 1000));
}

/** When quiet hours hold at `atMs`: the end of them (epoch ms); otherwise undefined. */
export function quietUntil(quiet: QuietHours | undefined, atMs: number): number | undefined {
  if (!quiet) return undefined;
  const tz = quiet.tz ?? DEFAULT_TZ;
  const from = clockMinutes(quiet.from);
  const to = clockMinutes(quiet.to);
  const now = localClock(atMs, tz).minutes;
  const inside = from <= to ? now >= from && now < to : now >= from || now < to;
  return inside ? atMs + untilClock(atMs, quiet.to, tz) : undefined;
}

/** A delivery's first state and time: now, after quiet hours, or with the next digest. */
export function firstDelivery(
  rule: AlertRule | undefined,
  channel: AlertChannel | undefined,
  atMs: number,
  facts: AlertFacts,
): { status: 'pending' | 'digest'; nextMs: number } {
  const digest = rule?.digest ?? channel?.digest;
  if (digest) {
    const tz = channel?.tz ?? rule?.quiet?.tz ?? DEFAULT_TZ;
    return { status: 'digest', nextMs: atMs + untilClock(atMs, digest, tz) };
  }
  const quiet = isCritical(facts) ? undefined : quietUntil(rule?.quiet, atMs);
  return { status: 'pending', nextMs: quiet ?? atMs };
}

/** Backoff after the n-th failed attempt: 2 s, 4 s, 8 s… at most 10 min, ±20 % jitter; a Retry-After wins when longer. */
export function backoffMs(
  attempts: number,
  retryAfterMs?: number,
  firstMs = 2000,
  random = Math.random,
): number {
  const base = Math.min(firstMs * 2 ** Math.max(0, attempts - 1), 600_000);
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Attempts before a delivery is given up as failed (about a day of retries). */
export const MAX_ATTEMPTS = 160;

/** The alert id: one per rule, site and episode (a reminder keeps it). */
export const alertId = (ruleId: string, siteId: string, sinceMs: number): string =>
  `${ruleId}/${siteId}/${sinceMs}`;
