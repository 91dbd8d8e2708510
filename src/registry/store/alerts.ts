/**
 * The alert area of the store (docs/alerts.md): rules and channels kept in the
 * database, the alert state per rule and site, the alerts and their
 * deliveries (an outbox the delivery worker drains), and maintenance windows.
 * One implementation over both engines (alerts-sql.ts); the engines only say
 * how a script of statements runs in one transaction (alerts-sqlite.ts,
 * alerts-postgres.ts).
 */
import type { AlertConfig, AlertFacts } from '../../alerts/rules.js';
import type {
  AlertChannel,
  AlertLogEntry,
  AlertRule,
  DELIVERY_STATES,
  MaintenanceInput,
  MaintenanceWindow,
} from '../../model/alert-rule.js';
import type { Site } from '../../model/site.js';

export type DeliveryStatus = (typeof DELIVERY_STATES)[number];

/** A delivery the worker took: the alert, its site as registered now, and where it goes. */
export interface ClaimedDelivery {
  id: number;
  channelId: string;
  attempts: number;
  alertId: string;
  ruleId: string;
  event: string;
  state: 'firing' | 'resolved';
  reminder: boolean;
  test: boolean;
  atMs: number;
  facts: AlertFacts;
  site: Pick<Site, 'id' | 'name' | 'unit' | 'technician' | 'focal_point'>;
  /** The next scheduled meeting the site takes part in, when the delivery was taken. */
  nextMeeting?: { id: number; title: string; startMs: number };
}

/** How a delivery attempt ended, as the worker records it. */
export type DeliveryResult =
  | { status: 'sent'; atMs: number; ref?: string }
  | { status: 'pending' | 'digest'; nextMs: number; error: string }
  | { status: 'failed'; error: string };

export interface AlertLogFilter {
  unitPrefix: string;
  site?: string;
  rule?: string;
  delivery?: DeliveryStatus;
  limit: number;
}

export interface MaintenanceFilter {
  unitPrefix: string;
  /** Only windows not over at this time. */
  currentAt?: number;
}

export interface AlertsApi {
  /** The rules and channels in force: the ingest hook evaluates these in the write's transaction. */
  config: AlertConfig;
  /** Told after a commit that queued deliveries (the worker wakes up). */
  onQueued?: () => void;

  /** Rules and channels kept in the database. */
  loadConfig(): Promise<AlertConfig>;
  putRule(rule: AlertRule, nowMs: number): Promise<void>;
  removeRule(id: string): Promise<boolean>;
  putChannel(channel: AlertChannel, nowMs: number): Promise<void>;
  removeChannel(id: string): Promise<boolean>;

  /** The time-driven conditions (site-stale, incident-unresolved) and reminders; returns deliveries queued. */
  tick(nowMs: number): Promise<number>;
  /**
   * Take up to `limit` due deliveries of one status for `leaseMs`: another
   * worker (another registry on the same PostgreSQL) skips them, and if this
   * one dies they are due again when the lease ends.
   */
  claim(
    status: 'pending' | 'digest',
    nowMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<ClaimedDelivery[]>;
  /** Record how attempts ended, all in one transaction (one commit for a batch the worker sent). */
  finish(results: ReadonlyArray<{ id: number; result: DeliveryResult }>): Promise<void>;
  /** Queue a test alert (firing) to these channels, due now, never held; returns the delivery ids. */
  queueTest(
    ruleId: string,
    channelIds: string[],
    site: { id: string; unit: string },
    nowMs: number,
  ): Promise<number[]>;
  log(filter: AlertLogFilter): Promise<AlertLogEntry[]>;
  deliveries(ids: number[]): Promise<AlertLogEntry[]>;

  addMaintenance(input: MaintenanceInput, by: string | undefined, nowMs: number): Promise<MaintenanceWindow>;
  listMaintenance(filter: MaintenanceFilter, nowMs: number): Promise<MaintenanceWindow[]>;
  /** End a window now (undefined: no such window). */
  endMaintenance(id: number, nowMs: number): Promise<MaintenanceWindow | undefined>;
  /** The windows in force now under a unit prefix (for readiness reports: docs/alerts.md). */
  activeMaintenance(unitPrefix: string, nowMs: number): Promise<MaintenanceWindow[]>;
}

/** What the Store interface gains: the alert area, one object shared by both engines. */
export interface AlertStore {
  readonly alerts: AlertsApi;
}
