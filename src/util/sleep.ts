/**
 * Wait `ms`, or less when `signal` aborts. Resolves (never rejects) to true
 * when the whole time passed, false when it was cut short. Even `ms <= 0`
 * waits for the next turn of the event loop, so a loop that has fallen
 * behind its schedule still lets replies in.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
