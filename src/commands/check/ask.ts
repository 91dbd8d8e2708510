/**
 * The person at the site, for `confirm` checks: one question at a time on
 * stderr through inquirer, in the run's language (the prompter's theme),
 * with the live progress paused while a question is on screen. A question
 * gives up when its check's signal aborts (timeout, deadline, Ctrl-C).
 */
import type { PersonAnswer, PersonAsker } from '../../checks/types.js';
import type { Context } from '../../cli/context.js';
import { inquirerPrompter } from '../incident/prompter.js';
import type { Progress } from './progress.js';

export function terminalAsker(ctx: Context, progress: Progress): PersonAsker {
  let turn: Promise<unknown> = Promise.resolve();
  const ask = async (q: { text: string; note?: string }, signal: AbortSignal): Promise<PersonAnswer> => {
    signal.throwIfAborted();
    const prompter = await inquirerPrompter({ ...ctx, signal });
    progress.pause?.();
    try {
      if (q.note) ctx.io.stderr.write(`  ${q.note}\n`);
      // No answer by default would be "yes" to a room nobody looked at: Enter means no.
      const confirmed = await prompter.confirm(q.text, false);
      if (confirmed) return { confirmed };
      const note = (await prompter.input(ctx.t('confirm.prompt.note'), {})).trim();
      return { confirmed, ...(note ? { note } : {}) };
    } finally {
      progress.resume?.();
    }
  };
  return {
    confirm(q, signal) {
      // Checks run in parallel; questions wait their turn.
      const mine = turn.then(() => ask(q, signal));
      turn = mine.catch(() => {});
      return mine;
    },
  };
}
