/**
 * Builders for the outcomes a kind returns when it did not get a clean
 * measurement: the summary is the error's message, so a reader of the table
 * and a reader of the JSON see the same words.
 */
import type { Judgement } from './thresholds.js';
import type { CheckOutcome } from './types.js';

export interface OutcomeExtras {
  /** What to try next (shown under the result). */
  hint?: string;
  /** A hint kept on the error object itself (machine readers of `error`). */
  errorHint?: string;
  metrics?: Record<string, number>;
  details?: unknown;
}

function outcome(
  status: 'fail' | 'error' | 'skip',
  code: string,
  message: string,
  extras: OutcomeExtras,
): CheckOutcome {
  const { hint, errorHint, metrics, details } = extras;
  return {
    status,
    summary: message,
    error: { code, message, ...(errorHint !== undefined ? { hint: errorHint } : {}) },
    ...(metrics !== undefined ? { metrics } : {}),
    ...(details !== undefined ? { details } : {}),
    ...(hint !== undefined ? { hint } : {}),
  };
}

/** The check ran and what it found is not good enough. */
export const failed = (code: string, message: string, extras: OutcomeExtras = {}): CheckOutcome =>
  outcome('fail', code, message, extras);

/** The check could not measure (bad input, a tool missing, a device that would not answer). */
export const errored = (code: string, message: string, extras: OutcomeExtras = {}): CheckOutcome =>
  outcome('error', code, message, extras);

/** The check was not run, and why. */
export const skipped = (code: string, message: string, extras: OutcomeExtras = {}): CheckOutcome =>
  outcome('skip', code, message, extras);

/** Stopped by timeout, deadline or Ctrl-C. */
export const cancelled = (message: string, extras: OutcomeExtras = {}): CheckOutcome =>
  outcome('error', 'CANCELLED', message, extras);

/** The same hint under the result and on its error (how the network kinds report a failure). */
export const bothHints = (hint: string | undefined): OutcomeExtras =>
  hint === undefined ? {} : { hint, errorHint: hint };

/** The check measured and the judge spoke: its status, and its hint when a limit broke. */
export const judgedOutcome = (
  judgement: Pick<Judgement, 'status' | 'hint'>,
  summary: string,
  extras: Pick<CheckOutcome, 'metrics' | 'details' | 'limits'>,
): CheckOutcome => ({
  status: judgement.status,
  summary,
  ...extras,
  ...(judgement.hint !== undefined ? { hint: judgement.hint } : {}),
});
