/**
 * Why a call was refused: the SIP final status or the codec's own disconnect
 * cause, sorted into the few categories a technician acts on, each with its
 * message and hint (`refusal.<category>`, `refusal.hint.<category>`). This
 * table is the one place that knows which code means what; the list is in
 * docs/drivers.md (test-call).
 */

import { DriverError } from '../errors.js';
import type { Translator } from '../i18n/index.js';
import { type CallEnd, DRIVER_ERRORS } from './types.js';

export type { CallEnd };

export const REFUSAL_CATEGORIES = [
  'auth',
  'busy',
  'not_found',
  'unavailable',
  'timeout',
  'media',
  'other',
] as const;
export type RefusalCategory = (typeof REFUSAL_CATEGORIES)[number];

/** SIP codes first, then the codec's words; the first row that matches wins. */
const TABLE: ReadonlyArray<{ category: RefusalCategory; sip: readonly number[]; words: RegExp }> = [
  { category: 'auth', sip: [401, 403, 407], words: /unauthori[sz]ed|authenticat|forbidden|credential/i },
  { category: 'busy', sip: [486, 600], words: /busy|max(imum)? (number of )?calls/i },
  {
    category: 'not_found',
    sip: [404, 484, 604],
    words: /not ?found|unknown ?remote|unallocated|no ?route|invalid ?number/i,
  },
  {
    category: 'unavailable',
    sip: [480, 502, 503],
    words: /unavailable|temporar|congest|out of service|overload/i,
  },
  { category: 'timeout', sip: [408, 504], words: /time ?out|timed ?out|no ?answer|not answered/i },
  { category: 'media', sip: [415, 488, 606], words: /media|codec|not acceptable|incompatible|encryption/i },
];

export function refusalCategory(end: CallEnd): RefusalCategory {
  if (end.sipCode !== undefined) {
    const row = TABLE.find((r) => r.sip.includes(end.sipCode as number));
    if (row) return row.category;
  }
  if (end.cause) {
    const row = TABLE.find((r) => r.words.test(end.cause as string));
    if (row) return row.category;
  }
  return 'other';
}

/** `SIP 486` and/or the codec's words, for messages; undefined when nothing is known. */
export function causeText(end: CallEnd): string | undefined {
  const parts = [end.sipCode !== undefined ? `SIP ${end.sipCode}` : undefined, end.cause].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * A call that did not connect (refused, or not answered in time), with what
 * is known of why. The code stays CALL_REJECTED / CALL_NO_ANSWER; the
 * category and SIP code travel with it into results.
 */
export class CallRefusedError extends DriverError {
  readonly category: RefusalCategory;
  constructor(
    code: typeof DRIVER_ERRORS.rejected | typeof DRIVER_ERRORS.noAnswer,
    readonly end: CallEnd,
    message: string,
    hint: string,
  ) {
    super(code, message, { hint });
    this.category = code === DRIVER_ERRORS.noAnswer && !end.sipCode ? 'timeout' : refusalCategory(end);
  }

  /** What goes into a result's details. */
  details(): { category: RefusalCategory; sip_code?: number; cause?: string } {
    return {
      category: this.category,
      ...(this.end.sipCode !== undefined ? { sip_code: this.end.sipCode } : {}),
      ...(this.end.cause ? { cause: this.end.cause } : {}),
    };
  }
}

/** The refusal for a call that ended before connecting; with no cause known, the general words of old. */
export function refused(t: Translator, number: string, end: CallEnd = {}): CallRefusedError {
  const cause = causeText(end);
  if (!cause)
    return new CallRefusedError(
      DRIVER_ERRORS.rejected,
      end,
      t('codec.err.rejected', { number }),
      t('codec.hint.rejected'),
    );
  const category = refusalCategory(end);
  return new CallRefusedError(
    DRIVER_ERRORS.rejected,
    end,
    t(`refusal.${category}`, { number, cause }),
    t(`refusal.hint.${category}`),
  );
}

/** No answer within the wait: the timeout category. */
export function notAnswered(t: Translator, number: string, waitedMs: number): CallRefusedError {
  return new CallRefusedError(
    DRIVER_ERRORS.noAnswer,
    {},
    t('codec.err.no_answer', { number, s: Math.round(waitedMs / 100) / 10 }),
    t('codec.hint.no_answer'),
  );
}
