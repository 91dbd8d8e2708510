/**
 * The meeting scheduler inside `registry serve` (docs/meetings.md): every
 * tick it takes the T−15 readiness snapshot of each meeting that is due,
 * marks meetings started (freezing their sites) and done. Restart-safe: what
 * is due is read from the database (a snapshot due while the registry was
 * down is taken on the first tick), and with several registries on one
 * PostgreSQL each meeting is claimed by one of them (FOR UPDATE SKIP
 * LOCKED in the store, no leader election).
 */
import { meetingReadiness, meetingSites } from './meeting-readiness.js';
import { SNAPSHOT_LEAD_MS } from './meeting-rules.js';
import type { Store } from './store/types.js';

export interface TickResult {
  snapshots: number[];
  started: number[];
  ended: number[];
}

export async function schedulerTick(store: Store, nowMs: number): Promise<TickResult> {
  const snapshots = await store.takeDue('snapshot', nowMs, SNAPSHOT_LEAD_MS, async (m) =>
    JSON.stringify(await meetingReadiness(store, m, nowMs)),
  );
  const frozen = async (m: Parameters<typeof meetingSites>[1]) =>
    JSON.stringify((await meetingSites(store, m)).map((s) => s.id));
  const started = await store.takeDue('start', nowMs, 0, frozen);
  const ended = await store.takeDue('end', nowMs, 0, frozen);
  return { snapshots, started, ended };
}

export const DEFAULT_TICK_MS = 30_000;

export interface Scheduler {
  /** Stop after the tick in progress, if any. */
  stop(): Promise<void>;
}

export function startMeetingScheduler(o: {
  store: Store;
  now: () => number;
  tickMs?: number;
  onTick?: (r: TickResult) => void;
  onError: (err: unknown) => void;
}): Scheduler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const loop = () => {
    running = schedulerTick(o.store, o.now())
      .then((r) => o.onTick?.(r), o.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, o.tickMs ?? DEFAULT_TICK_MS);
      });
  };
  // The first tick at once: whatever fell due while the registry was down.
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
