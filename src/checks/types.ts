/**
 * What a check kind is: a params schema (TypeBox, so the profile schema is
 * composed from the kinds), a `remote` flag (can it run off-site?), the
 * direction of each metric for warn/fail thresholds, and `run`, which returns
 * data. A kind module imports nothing heavy at its top level: profile
 * validation loads every kind, so heavy libraries are imported inside `run`.
 */
import type { Static, TObject } from '@sinclair/typebox';
import type { Clock } from '../cli/context.js';
import type { CodecSession } from '../drivers/session.js';
import type { Locale, Translator } from '../i18n/index.js';
import type { CheckOutcome } from '../model/check.js';
import type { ResolvedProfile } from '../profile/types.js';

// The data a kind returns is the model's (src/model/check.ts); re-exported so a kind imports its whole contract here.
export type { CheckOutcome };

export interface CheckContext {
  t: Translator;
  locale: Locale;
  /** Aborted on timeout, deadline or Ctrl-C. */
  signal: AbortSignal;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The whole resolved profile (site, codec, bridges, registry...). */
  profile: ResolvedProfile;
  /** This attempt's time budget in ms (the check's timeout). */
  timeoutMs: number;
  /** The run's one codec session, shared by its codec checks (absent: each check opens its own). */
  codec?: CodecSession;
  /** A person at the site to ask (the `confirm` kind); absent in sweeps, scripts and runs off a terminal. */
  ask?: PersonAsker;
}

/** What the technician answered to a `confirm` question. */
export interface PersonAnswer {
  confirmed: boolean;
  /** What they typed on answering no (may be absent). */
  note?: string;
}

/** Asks the person at the site one question at a time; gives up when `signal` aborts (timeout, Ctrl-C). */
export interface PersonAsker {
  confirm(question: { text: string; note?: string }, signal: AbortSignal): Promise<PersonAnswer>;
}

export type Direction = 'max' | 'min';

export interface CheckKind<S extends TObject = TObject> {
  kind: string;
  /** Can it run from another machine (a sweep from the IT centre)? */
  remote: boolean;
  /** Kind-specific fields (the common ones, id/kind/required/..., are added by the profile schema). */
  params: S;
  /** Default per-attempt timeout when the profile gives none (ms). */
  defaultTimeoutMs: number;
  /** For warn/fail: 'max' means the metric must stay at or below the limit; 'min' at or above. */
  thresholds?: Record<string, Direction>;
  run(params: Static<S>, ctx: CheckContext): Promise<CheckOutcome>;
}

export function defineKind<S extends TObject>(kind: CheckKind<S>): CheckKind<S> {
  return kind;
}
