/**
 * `diemcau check --workers N`: a sweep's sites run on N lanes, the main
 * thread and N − 1 worker threads (src/commands/check/site-worker.ts), each
 * site on the lane with the fewest sites under way, so a loopback or LAN
 * sweep that is CPU-bound uses more than one core (docs/run-format.md,
 * "Sweeps"). The main thread still loads the profiles, and writes every
 * output, the sites' last runs and the history in site order: the bytes are those
 * of a one-lane run.
 */
import { Worker } from 'node:worker_threads';
import type { Context } from '../../cli/context.js';
import type { EngineOptions, SiteRun } from '../../engine/run.js';
import type { Locale } from '../../i18n/index.js';
import type { CheckResult } from '../../model/check.js';
import type { ResolvedProfile } from '../../profile/types.js';
import type { Progress } from './progress.js';

/** What a worker is started with (its `workerData`). */
export interface LaneInit {
  locale: Locale;
  localeFixed: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  stateDir: string;
  version: string;
  engine: Pick<EngineOptions, 'only' | 'skip' | 'remote' | 'parallel'>;
  /** The run's deadline as epoch milliseconds (performance.timeOrigin + monotonic). */
  deadlineEpoch?: number;
  /** Send each check's start and result (a progress bar is drawn). */
  progress: boolean;
}

export type ToLane = { n: number; profile: ResolvedProfile } | { cancel: true };
type FromLane =
  | { site: string; start: string }
  | { site: string; result: CheckResult }
  | { n: number; run: SiteRun }
  | { n: number; error: string };

export interface Lanes {
  run(profile: ResolvedProfile): Promise<SiteRun>;
  close(): Promise<void>;
}

interface Pending {
  resolve(run: SiteRun): void;
  reject(err: Error): void;
}

export function openLanes(
  count: number,
  ctx: Context,
  engine: EngineOptions,
  local: (profile: ResolvedProfile) => Promise<SiteRun>,
  /** The bar the workers' checks are drawn on; undefined: none is drawn. */
  bar: Pick<Progress, 'checkStarted' | 'checkDone'> | undefined,
): Lanes {
  const init: LaneInit = {
    locale: ctx.locale,
    localeFixed: ctx.localeFixed,
    env: { ...ctx.env },
    cwd: ctx.cwd,
    stateDir: ctx.stateDir,
    version: ctx.version,
    engine: { only: engine.only, skip: engine.skip, remote: engine.remote, parallel: engine.parallel },
    ...(engine.deadline === undefined ? {} : { deadlineEpoch: performance.timeOrigin + engine.deadline }),
    progress: bar !== undefined,
  };
  const pending = new Map<number, Pending>();
  let next = 0;
  const workers = Array.from({ length: count - 1 }, () => {
    const worker = new Worker(new URL('./site-worker.js', import.meta.url), { workerData: init });
    const lane = { worker, busy: 0 };
    worker.on('message', (msg: FromLane) => {
      if ('start' in msg) bar?.checkStarted(msg.start);
      else if ('result' in msg) bar?.checkDone(msg.result);
      else {
        const p = pending.get(msg.n);
        pending.delete(msg.n);
        lane.busy -= 1;
        if ('run' in msg) p?.resolve(msg.run);
        else p?.reject(new Error(msg.error));
      }
    });
    // A worker that dies takes its sites with it: the sweep stops on the error, as on a crash in-process.
    const fail = (err: Error) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (pending.size) fail(new Error(`site worker exited (${code})`));
    });
    return lane;
  });
  const cancel = () => {
    for (const l of workers) l.worker.postMessage({ cancel: true } satisfies ToLane);
  };
  ctx.signal.addEventListener('abort', cancel, { once: true });
  let localBusy = 0;
  return {
    async run(profile) {
      const lane = workers.reduce(
        (a, b) => (b.busy < a.busy ? b : a),
        workers[0] as (typeof workers)[number],
      );
      if (!lane || localBusy < lane.busy) {
        localBusy += 1;
        try {
          return await local(profile);
        } finally {
          localBusy -= 1;
        }
      }
      const n = next++;
      lane.busy += 1;
      return new Promise<SiteRun>((resolve, reject) => {
        pending.set(n, { resolve, reject });
        lane.worker.postMessage({ n, profile } satisfies ToLane);
      });
    },
    async close() {
      ctx.signal.removeEventListener('abort', cancel);
      await Promise.all(workers.map((l) => l.worker.terminate()));
    },
  };
}
