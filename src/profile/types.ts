import type { BridgeConfig } from '../model/bridge.js';
import type { ProfileDocument } from './schema.js';

/** A check as the engine sees it: common fields normalised, the rest as the kind's params. */
export interface CheckSpec {
  id: string;
  kind: string;
  title?: string;
  required: boolean;
  timeoutMs?: number;
  retries: number;
  needs: string[];
  remote?: boolean;
  /** Not run, for this reason (the profile says so). */
  skip?: string;
  /** The whole check object from the profile (the kind reads its own fields). */
  params: Record<string, unknown>;
}

/** A loaded profile: the validated document's blocks (src/model/), its checks normalised. */
export interface ResolvedProfile
  extends Pick<ProfileDocument, 'site' | 'locale' | 'registry' | 'codec' | 'ffmpeg' | 'meeting'> {
  /** Absolute path of the site file. */
  file: string;
  /** Files read, site file first, then what it extends. */
  files: string[];
  bridges: BridgeConfig[];
  checks: CheckSpec[];
  /** Dotted paths whose values came from ${ENV} or are secrets by name: masked by `profile show`. */
  secretPaths: string[];
  /** The merged, resolved document (for `profile show`). */
  document: Record<string, unknown>;
}
