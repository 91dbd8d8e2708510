/** `failing` in runs and the readiness report: what failed, not what was skipped because of it. */
import { describe, expect, it } from 'vitest';
import type { RunInput } from '../../src/model/run.js';
import { failingOf } from '../../src/registry/routes/common.js';

const check = (id: string, status: string, code?: string) => ({
  id,
  kind: 'codec-status',
  status,
  required: true,
  summary: id,
  durationMs: 1,
  attempts: 1,
  metrics: {},
  ...(code ? { error: { code, message: 'skipped' } } : {}),
});
const runOf = (checks: ReturnType<typeof check>[]) =>
  ({
    site: { id: 's', unit: 'u' },
    verdict: 'not-ready',
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 1,
    checks,
  }) as unknown as RunInput;

describe('failingOf', () => {
  it('lists an unreachable codec, not the checks skipped because of it', () => {
    const run = runOf([
      check('codec', 'fail'),
      check('codec-reg', 'skip', 'NEEDS_NOT_MET'),
      check('av', 'skip', 'NEEDS_NOT_MET'),
      check('power', 'pass'),
    ]);
    expect(failingOf(run)).toEqual(['codec']);
  });
  it('lists the skipped ones when their cause is not in the run', () => {
    expect(failingOf(runOf([check('av', 'skip', 'NEEDS_NOT_MET'), check('ping', 'pass')]))).toEqual(['av']);
  });
});
