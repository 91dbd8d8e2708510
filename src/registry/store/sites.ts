/**
 * The site register's store methods beyond one PUT (docs/sites.md): batches
 * of entries in one transaction, retiring, and the readiness rows read in
 * chunks so the report can be streamed. Both engines implement them
 * (sites-sqlite.ts, sites-postgres.ts) and pass the conformance suite.
 */
import type { Site, SiteBatchItem } from '../../model/site.js';
import type { ReadinessRow, SiteGuard } from './types.js';

/** What one entry of a batch did. */
export type SiteBatchOutcome =
  | { kind: 'created'; site: Site }
  | { kind: 'updated'; site: Site }
  /** Held by a unit the writer may not leave (docs/registry-api.md, site ownership): nothing written. */
  | { kind: 'held'; heldBy: string }
  /** An atomic batch was refused because of another entry: this one was not written either. */
  | { kind: 'not-written' };

export interface SiteRetire {
  atMs: number;
  by: string | undefined;
  reason: string | undefined;
}

/** Where a chunk of the readiness report starts: after this (unit, id). */
export interface ReadinessChunk {
  unitPrefix: string;
  limit: number;
  after?: { unit: string; id: string };
}

export interface SiteRegisterStore {
  /**
   * Merge each entry into the register (fields it leaves out are kept), in one
   * transaction; moves are recorded as for putSite. `atomic`: when any entry is
   * held, nothing is written and the others answer `not-written`.
   */
  putSites(
    items: readonly SiteBatchItem[],
    nowMs: number,
    guard: SiteGuard,
    atomic: boolean,
  ): Promise<SiteBatchOutcome[]>;
  /** Mark a site retired (a second retire keeps the first); undefined when there is no such site. */
  retireSite(id: string, retire: SiteRetire): Promise<Site | undefined>;
  /**
   * One chunk of the readiness report: registered sites not retired, under the
   * prefix, after the position, ordered by unit then id (an index range on both engines).
   */
  readinessChunk(q: ReadinessChunk): Promise<ReadinessRow[]>;
}
