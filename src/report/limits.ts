/**
 * The limits a check was judged against, each with its direction: a `max`
 * limit breaks when the figure goes above it, a `min` limit when it drops
 * below. A `diemcau/run@2` result says the direction itself (`{ "max": 150 }`);
 * a `diemcau/run@1` result has plain numbers, and the direction is the kind's
 * `thresholds` (docs/run-format.md, docs/checks.md). A limit whose direction
 * is unknown is not judged, so it has none here either.
 */
import { findKind } from '../checks/index.js';
import type { Direction } from '../checks/types.js';
import type { DirectedLimit, UploadedCheckResult } from '../model/check.js';

export interface MetricLimits {
  direction: Direction;
  warn?: number;
  fail?: number;
}

type Limit = number | DirectedLimit;

function readLimit(limit: Limit | undefined, kindDirection: () => Direction | undefined) {
  if (limit === undefined) return undefined;
  if (typeof limit === 'number') {
    const direction = kindDirection();
    return direction ? { direction, value: limit } : undefined;
  }
  return 'max' in limit
    ? { direction: 'max' as const, value: limit.max }
    : { direction: 'min' as const, value: limit.min };
}

export function metricLimits(r: UploadedCheckResult, metric: string): MetricLimits | undefined {
  const kindDirection = () => findKind(r.kind)?.thresholds?.[metric];
  const warn = readLimit(r.limits?.warn?.[metric], kindDirection);
  const fail = readLimit(r.limits?.fail?.[metric], kindDirection);
  const direction = fail?.direction ?? warn?.direction;
  if (!direction) return undefined;
  return {
    direction,
    ...(warn === undefined ? {} : { warn: warn.value }),
    ...(fail === undefined ? {} : { fail: fail.value }),
  };
}
