/**
 * `confirm`: what no probe can see and a person must say — the backdrop
 * (maket) with the meeting's title, name plates, lights, the display on the
 * right input, the recording. On a terminal the technician is asked; in a
 * sweep, a script (`--no-input`) or a run off a terminal the check is
 * skipped, "needs a person on site", and never waits (docs/checks.md).
 */
import { Type } from '@sinclair/typebox';
import { cancelled, errored, failed, skipped } from './outcome.js';
import { type CheckOutcome, defineKind } from './types.js';

const Text = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, description });

export const confirm = defineKind({
  kind: 'confirm',
  remote: false,
  params: Type.Object({
    question: Text(500, 'The question, in Vietnamese (e.g. "Maket đã đúng tên cuộc họp?").'),
    question_en: Type.Optional(Text(500, 'The same question in English, for runs in English.')),
    note: Type.Optional(Text(1000, 'Shown under the question: what to look for.')),
  }),
  // A person may have to walk to the back of the room; the engine still stops it at `timeout`.
  defaultTimeoutMs: 600_000,
  async run(p, ctx): Promise<CheckOutcome> {
    const { t } = ctx;
    const question = ctx.locale === 'en' && p.question_en ? p.question_en : p.question;
    if (!ctx.ask)
      return skipped('NEEDS_PERSON', t('confirm.needs_person', { question }), {
        details: { question },
        hint: t('confirm.hint.needs_person'),
      });
    let answer: Awaited<ReturnType<typeof ctx.ask.confirm>>;
    try {
      answer = await ctx.ask.confirm({ text: question, ...(p.note ? { note: p.note } : {}) }, ctx.signal);
    } catch (err) {
      if (ctx.signal.aborted) return cancelled(t('confirm.not_answered', { question }));
      return errored('ASK_FAILED', t('confirm.ask_failed', { message: (err as Error).message }));
    }
    const by = ctx.profile.site.technician?.name;
    const details = {
      question,
      answer: answer.confirmed ? 'yes' : 'no',
      at: ctx.clock.now().toISOString(),
      ...(by ? { by } : {}),
      ...(answer.note ? { note: answer.note } : {}),
    };
    if (answer.confirmed)
      return {
        status: 'pass',
        summary: by ? t('confirm.yes_by', { question, by }) : t('confirm.yes', { question }),
        details,
      };
    return failed(
      'NOT_CONFIRMED',
      answer.note ? t('confirm.no_note', { question, note: answer.note }) : t('confirm.no', { question }),
      { details, hint: t('confirm.hint.no') },
    );
  },
});
