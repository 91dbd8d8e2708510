/**
 * Live feedback on stderr, only on a terminal: one spinner line listing the
 * checks still running and a line as each one finishes; for sweeps, a
 * progress bar (sites done / total, not ready so far, ETA). When the final
 * table goes to the same terminal (stdout a TTY too), the finished lines are
 * part of the live frame and vanish with it, so the table does not repeat
 * them; when stdout is piped they stay on stderr as the only thing on screen.
 */

import type { Context } from '../../cli/context.js';
import type { CheckResult } from '../../model/check.js';
import type { Verdict } from '../../model/verdict.js';
import { formatDuration } from '../../profile/duration.js';

export interface Progress {
  checkStarted(id: string): void;
  checkDone(result: CheckResult): void;
  siteDone(verdict: Verdict): void;
  stop(): void;
  /** Off the screen while a question is asked (a `confirm` check), and back. */
  pause?(): void;
  resume?(): void;
}

/** No feedback (not a terminal, or --quiet). */
export const NO_PROGRESS: Progress = { checkStarted() {}, checkDone() {}, siteDone() {}, stop() {} };

export async function startProgress(ctx: Context, sites: number): Promise<Progress> {
  if (!ctx.io.stderrTTY) return NO_PROGRESS;
  // A terminal that reports no width (a pty nobody sized): ora could not count the lines to redraw.
  if (!((ctx.io.stderr as { columns?: number }).columns ?? 0)) return NO_PROGRESS;
  // Loaded only for a terminal: a run piped to Nagios or a file never pays for the spinner, chalk or tables.
  const [{ default: ora }, { ICON, keyMetrics }, { colorScheme }] = await Promise.all([
    import('ora'),
    import('../../report/human.js'),
    import('../../util/colors.js'),
  ]);
  const c = colorScheme(ctx.io.color);
  const { t } = ctx;
  const spinner = ora({
    stream: ctx.io.stderr as NodeJS.WritableStream,
    isEnabled: true,
    discardStdin: false,
    color: 'cyan',
  });
  const running: string[] = [];
  const finished: string[] = [];
  const transient = ctx.io.stdoutTTY;
  let done = 0;
  let paused = false;
  // Lines that finished while a question was on screen, written once it is answered.
  const held: string[] = [];
  let bad = 0;
  const t0 = ctx.clock.monotonic();
  const sweep = sites > 1;
  const text = () => {
    if (!sweep) {
      const now = t('check.running', { ids: running.join(', ') });
      return transient && finished.length ? `${finished.join('\n')}\n${now}` : now;
    }
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
    // A sweep's line counts sites, not checks: a check starting or ending changes nothing on it,
    // and redrawing it 20,000 times in a 10,000-site sweep cost more than the bar is worth.
    checkStarted(id) {
      if (sweep) return;
      running.push(id);
      spinner.text = text();
    },
    checkDone(r) {
      if (sweep) return;
      const i = running.indexOf(r.id);
      if (i >= 0) running.splice(i, 1);
      const metrics = keyMetrics(r, t);
      const line = `${c.status[r.status](`${ICON[r.status]} ${r.id}`)} ${c.dim(r.summary)}${metrics ? c.dim(` (${metrics})`) : ''}`;
      if (transient) finished.push(line);
      else if (paused) held.push(line);
      else {
        spinner.clear();
        ctx.io.stderr.write(`${line}\n`);
      }
      spinner.text = text();
      if (!paused) spinner.render();
    },
    siteDone(verdict) {
      done += 1;
      if (verdict === 'not-ready' || verdict === 'unknown') bad += 1;
      spinner.text = text();
    },
    stop() {
      spinner.stop();
    },
    pause() {
      if (paused) return;
      paused = true;
      spinner.stop();
    },
    resume() {
      if (!paused) return;
      paused = false;
      for (const line of held.splice(0)) ctx.io.stderr.write(`${line}\n`);
      spinner.start(text());
    },
  };
}
