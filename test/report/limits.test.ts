import { describe, expect, it } from 'vitest';
import { loadKinds } from '../../src/checks/index.js';
import { directedLimits } from '../../src/checks/thresholds.js';
import type { UploadedCheckResult } from '../../src/model/check.js';
import { metricLimits } from '../../src/report/limits.js';

const result = (kind: string, limits: UploadedCheckResult['limits']): UploadedCheckResult => ({
  id: 'x',
  kind,
  status: 'pass',
  required: true,
  summary: '',
  metrics: {},
  ...(limits ? { limits } : {}),
  startedAt: '2026-11-25T01:00:00.000Z',
  durationMs: 1,
  attempts: 1,
});

describe('limits with their direction (diemcau/run@2)', () => {
  it('the engine writes each limit with its kind direction, and leaves out limits with none', () => {
    expect(
      directedLimits({ warn: { down_mbps: 5, other: 1 }, fail: { down_mbps: 2 } }, { down_mbps: 'min' }),
    ).toEqual({ warn: { down_mbps: { min: 5 } }, fail: { down_mbps: { min: 2 } } });
    expect(directedLimits({ warn: { other: 1 } }, { down_mbps: 'min' })).toBeUndefined();
    expect(directedLimits({}, undefined)).toBeUndefined();
  });

  it('reads the direction from the result itself, whatever the kind says', () => {
    // A kind unknown to this version: only the result can tell.
    const r = result('future-kind', { warn: { speed: { min: 10 } }, fail: { speed: { min: 2 } } });
    expect(metricLimits(r, 'speed')).toEqual({ direction: 'min', warn: 10, fail: 2 });
    expect(metricLimits(result('ping', { fail: { rtt_ms: { max: 400 } } }), 'rtt_ms')).toEqual({
      direction: 'max',
      fail: 400,
    });
  });

  it('falls back to the kind for @1 results (plain numbers), and gives nothing when the kind does not know', async () => {
    // Kinds load on use (docs/architecture.md, start-up cost): a process that renders an @1
    // result has the kind's directions once that kind is loaded, as the engine does for its checks.
    await loadKinds(['throughput', 'ping']);
    const old = result('throughput', { warn: { down_mbps: 5 }, fail: { down_mbps: 2 } });
    expect(metricLimits(old, 'down_mbps')).toEqual({ direction: 'min', warn: 5, fail: 2 });
    expect(metricLimits(result('future-kind', { warn: { speed: 10 } }), 'speed')).toBeUndefined();
    expect(metricLimits(result('ping', undefined), 'rtt_ms')).toBeUndefined();
  });
});
