/**
 * The client half of POST /v1/runs:batch (docs/registry-api.md): queued run
 * uploads go in one request, and each run's answer is turned back into the
 * outcome its own POST /v1/runs would have had, so the outbox treats it the
 * same way. A registry without the route (an older one: a 404) gets single
 * uploads for the rest of the flush.
 */
import type { RegistryApi } from '../cli/context.js';
import type { RunBatchAnswer, RunBatchResult } from '../model/batch.js';
import { RUN_BATCH_PATH } from '../model/constants.js';
import type { Outcome } from './client.js';
import type { BatchOutcome, BatchSend, OutboxItem } from './outbox.js';

function outcomeOf(r: RunBatchResult): Outcome {
  if (r.status >= 200 && r.status < 300)
    return { kind: 'ok', status: r.status, body: r.run, replayed: r.replayed === true };
  return {
    kind: 'http-error',
    status: r.status,
    code: r.error?.code ?? `http_${r.status}`,
    message: r.error?.message ?? `HTTP ${r.status}`,
    ...(r.error?.field ? { field: r.error.field } : {}),
    ...(r.error?.params ? { params: r.error.params } : {}),
  };
}

/** The answer names each run it was sent, in order: else it confirms none of them. */
function answersAll(body: unknown, items: OutboxItem[]): body is RunBatchAnswer {
  const results = (body as { results?: unknown } | null)?.results;
  return (
    Array.isArray(results) &&
    results.length === items.length &&
    results.every(
      (r, i) =>
        typeof r === 'object' &&
        r !== null &&
        (r as RunBatchResult).key === items[i]?.key &&
        Number.isInteger((r as RunBatchResult).status),
    )
  );
}

export function batchSender(client: RegistryApi): BatchSend {
  let unsupported = false;
  return async (items): Promise<BatchOutcome> => {
    if (unsupported) return { single: true };
    const outcome = await client.send<RunBatchAnswer>('POST', RUN_BATCH_PATH, {
      body: { runs: items.map((item) => ({ key: item.key, run: item.body })) },
    });
    if (outcome.kind === 'http-error' && !outcome.foreign) {
      // The registry's own 404 for the route: an older registry. Single uploads from now on.
      if (outcome.status === 404) {
        unsupported = true;
        return { single: true };
      }
      // It would not take this batch whole (a smaller body limit, say): each run on its own.
      if (outcome.status === 413 || outcome.status === 400) return { single: true };
    }
    if (outcome.kind !== 'ok') return { whole: outcome };
    if (!answersAll(outcome.body, items))
      return {
        whole: {
          kind: 'http-error',
          status: outcome.status,
          code: 'no_id',
          message: `HTTP ${outcome.status}: the answer does not name each run sent`,
          foreign: true,
        },
      };
    return { each: outcome.body.results.map(outcomeOf) };
  };
}
