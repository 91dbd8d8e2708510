/**
 * The limits a check was judged against, each with its direction: a `max`
 * limit breaks when the figure goes above it, a `min` limit when it drops
 * below (the kind's `thresholds`, see docs/checks.md). A limit on a metric
 * whose kind gives no direction is not judged, so it has none here either.
 */
import { findKind } from '../checks/index.js';
import type { Direction } from '../checks/types.js';
import type { CheckResult } from '../model/check.js';

export interface MetricLimits {
  direction: Direction;
  warn?: number;
  fail?: number;
}

export function metricLimits(r: CheckResult, metric: string): MetricLimits | undefined {
  const warn = r.limits?.warn?.[metric];
  const fail = r.limits?.fail?.[metric];
  if (warn === undefined && fail === undefined) return undefined;
  const direction = findKind(r.kind)?.thresholds?.[metric];
  if (!direction) return undefined;
  return {
    direction,
    ...(warn === undefined ? {} : { warn }),
    ...(fail === undefined ? {} : { fail }),
  };
}
