/**
 * The questions of `incident file`, behind a small interface so tests can
 * answer them; the real one is @inquirer/prompts on stderr (prompts never go
 * to stdout), cancelled by Ctrl-C through ctx.signal.
 */
import type { Context } from '../../cli/context.js';

export interface Prompter {
  select<T extends string>(message: string, choices: Array<{ value: T; name: string }>): Promise<T>;
  input(
    message: string,
    opts: { default?: string; validate?: (value: string) => true | string },
  ): Promise<string>;
  confirm(message: string, dflt: boolean): Promise<boolean>;
}

export async function inquirerPrompter(ctx: Context): Promise<Prompter> {
  const { select, input, confirm } = await import('@inquirer/prompts');
  const context = {
    input: ctx.io.stdin as NodeJS.ReadableStream,
    output: ctx.io.stderr as unknown as NodeJS.WritableStream,
    signal: ctx.signal,
  };
  return {
    select: (message, choices) => select({ message, choices, pageSize: 12 }, context),
    input: (message, opts) =>
      input(
        {
          message,
          ...(opts.default !== undefined ? { default: opts.default } : {}),
          ...(opts.validate ? { validate: opts.validate } : {}),
        },
        context,
      ),
    confirm: (message, dflt) => confirm({ message, default: dflt }, context),
  };
}
