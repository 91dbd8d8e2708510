/**
 * The questions of `incident file` and `profile init`, behind a small
 * interface so tests can answer them; the real one is @inquirer/prompts on
 * stderr (prompts never go to stdout), cancelled by Ctrl-C through
 * ctx.signal. inquirer's own words (key help, `(Y/n)`, "You must answer…")
 * are replaced by the user's language through its `theme`.
 */
import type { Context } from '../../cli/context.js';

export interface Prompter {
  select<T extends string>(message: string, choices: Array<{ value: T; name: string }>, dflt?: T): Promise<T>;
  input(
    message: string,
    opts: { default?: string; validate?: (value: string) => true | string },
  ): Promise<string>;
  confirm(message: string, dflt: boolean): Promise<boolean>;
}

export async function inquirerPrompter(ctx: Context): Promise<Prompter> {
  const { select, input, confirm } = await import('@inquirer/prompts');
  const { t } = ctx;
  const context = {
    input: ctx.io.stdin as NodeJS.ReadableStream,
    output: ctx.io.stderr as unknown as NodeJS.WritableStream,
    signal: ctx.signal,
    clearPromptOnDone: false,
  };
  const actions: Record<string, string> = {
    navigate: t('prompt.key.navigate'),
    select: t('prompt.key.select'),
  };
  const listTheme = {
    style: {
      keysHelpTip: (keys: [string, string][]) => keys.map(([k, a]) => `${k} ${actions[a] ?? a}`).join(' • '),
    },
  };
  const yes = t('prompt.yes');
  const no = t('prompt.no');
  const confirmTheme = {
    keywords: { yes, no, error: () => t('prompt.yes_no', { yes, no }) },
  };
  return {
    select: (message, choices, dflt) =>
      select(
        {
          message,
          choices,
          pageSize: 12,
          theme: listTheme,
          ...(dflt !== undefined ? { default: dflt } : {}),
        },
        context,
      ),
    input: (message, opts) =>
      input(
        {
          message,
          ...(opts.default !== undefined ? { default: opts.default } : {}),
          ...(opts.validate ? { validate: opts.validate } : {}),
        },
        context,
      ),
    confirm: (message, dflt) => confirm({ message, default: dflt, theme: confirmTheme }, context),
  };
}
