/**
 * A register entry (docs/sites.md) from a profile, and its check before it is
 * sent: the register's own schema (SiteBatchItem), each error as one line in
 * the user's language with the field it names. Nothing secret is ever read
 * into an entry: the codec's driver only, never its host, user or password.
 */
import { Value } from '@sinclair/typebox/value';
import type { Translator } from '../../i18n/index.js';
import { SiteBatchItem } from '../../model/site.js';
import { describe, pickError, pointerToPath } from '../../profile/errors.js';
import type { ResolvedProfile } from '../../profile/types.js';

export interface EntryError {
  /** The field as a dotted path: technician.phone. */
  path: string;
  message: string;
}

/** The first error of each field of the entry (empty when the entry is valid). */
export function entryErrors(entry: unknown, t: Translator): EntryError[] {
  const byPath = new Map<string, Parameters<typeof describe>[0][]>();
  for (const e of Value.Errors(SiteBatchItem, entry)) {
    const list = byPath.get(e.path) ?? [];
    list.push(e);
    byPath.set(e.path, list);
  }
  const out: EntryError[] = [];
  for (const [pointer, errors] of byPath) {
    const err = pickError(errors);
    if (err) out.push({ path: pointerToPath(pointer).join('.'), message: describe(err, t) });
  }
  return out;
}

/** The register entry of a profile's site: its `site:` block, the codec's driver, the first bridge. */
export function entryOf(profile: ResolvedProfile): SiteBatchItem {
  const { site } = profile;
  const bridge = profile.bridges[0];
  return {
    id: site.id,
    name: site.name,
    unit: site.unit,
    ...(site.level !== undefined ? { level: site.level } : {}),
    ...(site.address !== undefined ? { address: site.address } : {}),
    ...(site.technician ? { technician: site.technician } : {}),
    ...(site.focal_point ? { focal_point: site.focal_point } : {}),
    ...(profile.codec ? { codec: { driver: profile.codec.driver } } : {}),
    ...(bridge ? { bridge: bridge.uri } : {}),
    ...(site.meeting_hours !== undefined ? { meeting_hours: site.meeting_hours } : {}),
  };
}
