/**
 * A worker thread of a sweep run with `--workers N` (src/commands/check/lanes.ts):
 * it runs the sites the main thread hands it, with the engine of an
 * in-process run, and sends back each site's run (and, when a progress bar is
 * drawn, each check's start and result). Nothing here writes output: the main
 * thread writes every format, the sites' last runs and the history in site order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createContext } from '../../cli/context.js';
import { type EngineOptions, runSite } from '../../engine/run.js';
import type { ResolvedProfile } from '../../profile/types.js';
import type { LaneInit, ToLane } from './lanes.js';

const init = workerData as LaneInit;
const port = parentPort;
if (!port) throw new Error('site-worker.js runs as a worker thread only');
const controller = new AbortController();
const ctx = createContext({
  io: {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: undefined,
    stdoutTTY: false,
    stderrTTY: false,
    interactive: false,
    color: false,
    columns: 80,
  },
  locale: init.locale,
  localeFixed: init.localeFixed,
  env: init.env,
  cwd: init.cwd,
  stateDir: init.stateDir,
  version: init.version,
  signal: controller.signal,
});
const engine: EngineOptions = {
  ...init.engine,
  // The main thread's deadline, on this thread's clock (each thread's performance.now() has its own origin).
  deadline: init.deadlineEpoch === undefined ? undefined : init.deadlineEpoch - performance.timeOrigin,
  ...(init.progress
    ? {
        onStart: (site, spec) => port.postMessage({ site: site.id, start: spec.id }),
        onResult: (site, result) => port.postMessage({ site: site.id, result }),
      }
    : {}),
};

port.on('message', (msg: ToLane) => {
  if ('cancel' in msg) {
    controller.abort();
    return;
  }
  const { n, profile } = msg as { n: number; profile: ResolvedProfile };
  runSite(profile, ctx, engine).then(
    (run) => port.postMessage({ n, run }),
    (err: unknown) =>
      port.postMessage({ n, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
