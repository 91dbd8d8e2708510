/**
 * One interface for every codec family (DESIGN.md section 5). `identify()` is
 * required; everything else is an optional capability: a caller asks
 * `driver.dial` (etc.) before using it and says plainly when it is missing.
 *
 * Drivers return data in base units (kbps, ms, %), never text for the user,
 * and throw DriverError (code + localized message + hint) when the codec
 * cannot be asked: unreachable, credentials refused, busy, bad reply.
 */
import type { Translator } from '../i18n/index.js';
import type { DriverName } from '../model/codec.js';

/** Codes of DriverError thrown by drivers (stable: they appear in JSON results). */
export const DRIVER_ERRORS = {
  config: 'CODEC_CONFIG',
  unreachable: 'CODEC_UNREACHABLE',
  timeout: 'CODEC_TIMEOUT',
  tls: 'CODEC_TLS_UNTRUSTED',
  auth: 'CODEC_AUTH',
  forbidden: 'CODEC_FORBIDDEN',
  badReply: 'CODEC_BAD_REPLY',
  http: 'CODEC_HTTP',
  commandFailed: 'CODEC_COMMAND_FAILED',
  busy: 'CODEC_BUSY',
  rejected: 'CALL_REJECTED',
  noAnswer: 'CALL_NO_ANSWER',
  dropped: 'CALL_DROPPED',
  noCall: 'CALL_NOT_FOUND',
  unsupported: 'CODEC_UNSUPPORTED',
  cancelled: 'CANCELLED',
} as const;

export interface Identity {
  vendor: string;
  model: string;
  software: string;
  serial?: string;
  name?: string;
  /** Awake (not in standby / asleep). */
  awake: boolean;
  /** The codec's own word for its power state (Cisco Standby State, Poly system state). */
  powerState: string;
  uptimeS?: number;
  activeCalls?: number;
}

export type RegistrationState = 'registered' | 'registering' | 'failed' | 'inactive';

export interface RegistrationEntry {
  protocol: 'sip' | 'h323';
  state: RegistrationState;
  /** The codec's own word (Registered, Failed, UP...). */
  raw: string;
  /** SIP URI or gatekeeper address, when the codec says. */
  target?: string;
  reason?: string;
}

export interface Registration {
  sip: RegistrationEntry[];
  /** undefined: this product has no H.323 at all (not applicable, not a failure). */
  h323?: RegistrationEntry[];
}

export interface Device {
  id: string;
  name?: string;
  connected: boolean;
  /** The codec's own word for the state. */
  raw?: string;
}

export interface Peripherals {
  cameras: Device[];
  microphones: Device[];
  /** Microphones muted (when the codec says). */
  micMuted?: boolean;
}

export type DiagnosticLevel = 'critical' | 'error' | 'warning' | 'info';

export interface Diagnostic {
  level: DiagnosticLevel;
  type: string;
  description: string;
}

export type CallState =
  | 'dialling'
  | 'ringing'
  | 'connecting'
  | 'connected'
  | 'disconnecting'
  | 'on_hold'
  | 'idle'
  | 'other';

export interface CallInfo {
  id: string;
  remote: string;
  state: CallState;
  /** The codec's own word for the state. */
  raw: string;
  direction?: 'incoming' | 'outgoing';
  protocol?: string;
  rateKbps?: number;
  durationS?: number;
}

export type DialProtocol = 'sip' | 'h323' | 'auto';

export interface DialRequest {
  number: string;
  protocol: DialProtocol;
  rateKbps?: number;
}

export interface ChannelStats {
  direction: 'rx' | 'tx';
  media: 'audio' | 'video' | 'data';
  codec?: string;
  rateKbps?: number;
  jitterMs?: number;
  /** Loss as the codec reports it (%, for this channel). */
  lossPct?: number;
  /** Cumulative lost / received packet counters, when the codec has them. */
  lost?: number;
  packets?: number;
}

export interface MediaStats {
  callId: string;
  channels: ChannelStats[];
}

export interface DriverContext {
  t: Translator;
  /** Aborts every request (Ctrl-C, check timeout). Cleanup (session end) does not use it. */
  signal?: AbortSignal;
}

export interface CodecDriver {
  readonly name: DriverName;
  identify(): Promise<Identity>;
  registration?(): Promise<Registration>;
  peripherals?(): Promise<Peripherals>;
  diagnostics?(): Promise<Diagnostic[]>;
  dial?(req: DialRequest): Promise<{ callId: string }>;
  /** Hang up one call, or every call when callId is undefined. */
  hangup?(callId?: string): Promise<void>;
  calls?(): Promise<CallInfo[]>;
  mediaStats?(callId: string): Promise<MediaStats>;
  /** Release what the driver holds: end the codec session, close sockets. Never throws. */
  close(): Promise<void>;
}

export type Capability =
  | 'registration'
  | 'peripherals'
  | 'diagnostics'
  | 'dial'
  | 'hangup'
  | 'calls'
  | 'mediaStats';

export function hasCapability<C extends Capability>(
  driver: CodecDriver,
  cap: C,
): driver is CodecDriver & Required<Pick<CodecDriver, C>> {
  return typeof driver[cap] === 'function';
}
