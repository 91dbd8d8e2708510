/**
 * Live feedback on stderr, only on a terminal: one spinner line listing the
 * checks still running, a persisted line as each one finishes; for sweeps, a
 * progress bar (sites done / total, not ready so far, ETA).
 */

import type { CheckResult } from '../../checks/types.js';
import type { Context } from '../../cli/context.js';
import type { Verdict } from '../../engine/verdict.js';
import { formatDuration } from '../../profile/duration.js';
import { ICON, keyMetrics } from '../../report/human.js';

export interface Progress {
  checkStarted(id: string): void;
  checkDone(result: CheckResult): void;
  siteDone(verdict: Verdict): void;
  stop(): void;
}

/** No feedback (not a terminal, or --quiet). */
export const NO_PROGRESS: Progress = { checkStarted() {}, checkDone() {}, siteDone() {}, stop() {} };

export async function startProgress(ctx: Context, sites: number): Promise<Progress> {
  if (!ctx.io.stderrTTY) return NO_PROGRESS;
  const { default: ora } = await import('ora');
  const c = ctx.colors;
  const { t } = ctx;
  const spinner = ora({
    stream: ctx.io.stderr as NodeJS.WritableStream,
    isEnabled: true,
    discardStdin: false,
    color: 'cyan',
  });
  const running: string[] = [];
  let done = 0;
  let bad = 0;
  const t0 = ctx.clock.monotonic();
  const sweep = sites > 1;
  const text = () => {
    if (!sweep) return t('check.running', { ids: running.join(', ') });
    const width = 20;
    const filled = Math.round((done / sites) * width);
    const elapsed = ctx.clock.monotonic() - t0;
    const eta = done > 0 ? formatDuration((elapsed / done) * (sites - done)) : '…';
    return t('progress.sweep', {
      bar: `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`,
      done,
      total: sites,
      bad,
      eta,
    });
  };
  spinner.start(text());
  return {
    checkStarted(id) {
      running.push(id);
      spinner.text = text();
    },
    checkDone(r) {
      const i = running.indexOf(r.id);
      if (i >= 0) running.splice(i, 1);
      if (!sweep) {
        spinner.clear();
        const metrics = keyMetrics(r);
        ctx.io.stderr.write(
          `${c.status[r.status](`${ICON[r.status]} ${r.id}`)} ${c.dim(r.summary)}${metrics ? c.dim(` (${metrics})`) : ''}\n`,
        );
      }
      spinner.text = text();
      spinner.render();
    },
    siteDone(verdict) {
      done += 1;
      if (verdict === 'not-ready' || verdict === 'unknown') bad += 1;
      spinner.text = text();
    },
    stop() {
      spinner.stop();
    },
  };
}
