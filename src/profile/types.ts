import type { DriverName } from '../drivers/table.js';
import type { Locale } from '../i18n/index.js';

export interface SiteInfo {
  id: string;
  name: string;
  unit: string;
  level?: string;
  technician?: { name: string; phone?: string };
  focal_point?: { name: string; phone?: string };
}

export interface CodecConfig {
  driver: DriverName;
  host?: string;
  port?: number;
  scheme?: 'http' | 'https';
  username?: string;
  password?: string;
  auth?: 'basic' | 'session';
  insecure_tls?: boolean;
  timeout?: string | number;
}

export interface BridgeConfig {
  id: string;
  name?: string;
  uri: string;
  protocol?: 'sip' | 'h323';
  transport?: 'udp' | 'tcp' | 'tls';
  rate_kbps?: number;
  web_url?: string;
}

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

export interface ResolvedProfile {
  /** Absolute path of the site file. */
  file: string;
  /** Files read, site file first, then what it extends. */
  files: string[];
  site: SiteInfo;
  locale?: Locale;
  registry?: { url: string; token?: string };
  codec?: CodecConfig;
  bridges: BridgeConfig[];
  ffmpeg?: string;
  meeting?: { length?: string | number };
  checks: CheckSpec[];
  /** Dotted paths whose values came from ${ENV} or are secrets by name: masked by `profile show`. */
  secretPaths: string[];
  /** The merged, resolved document (for `profile show`). */
  document: Record<string, unknown>;
}
