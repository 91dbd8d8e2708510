/** A site's verdict: ready, degraded, not-ready, or unknown (could not be checked). */
import type { Static } from '@sinclair/typebox';
import { VERDICTS } from './constants.js';
import { literals } from './schema-tools.js';

export { VERDICTS };
export const Verdict = literals(VERDICTS);
export type Verdict = Static<typeof Verdict>;
