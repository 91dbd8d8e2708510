/** Run `work` over `items`, at most `limit` at once; the results keep the items' order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Run `work` over `items`, at most `limit` at once, and hand each result to
 * `emit` in the items' order as soon as it and every earlier one are done:
 * nothing is kept once emitted, so a long sweep holds only the results that
 * finished ahead of a slower, earlier item (docs/run-format.md, "Sweeps").
 * `emit` calls never overlap. When emitting falls behind (a slow reader),
 * workers wait for it once `limit * 4` results are waiting, so a slow
 * output slows the work instead of filling memory. An `emit` that throws
 * stops new work and rejects.
 */
export async function poolInOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  emit: (result: R, index: number) => Promise<void>,
): Promise<void> {
  const done = new Map<number, R>();
  let next = 0;
  let emitted = 0;
  let failure: { err: unknown } | undefined;
  let flushing: Promise<void> | undefined;
  const flush = async () => {
    while (done.has(emitted) && !failure) {
      const r = done.get(emitted) as R;
      done.delete(emitted);
      try {
        await emit(r, emitted);
      } catch (err) {
        failure = { err };
      }
      emitted += 1;
    }
  };
  const kick = (): Promise<void> => {
    flushing ??= flush().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      done.set(i, await work(items[i] as T, i));
      const writing = kick();
      if (done.size > limit * 4 && flushing) await writing;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  // A flush that was running when the last result came in may have missed it.
  while (flushing) await flushing;
  await kick();
  if (failure) throw failure.err;
}
