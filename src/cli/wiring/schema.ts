/** `diemcau schema run`: flags only; the work is lazy-imported. */
import { Argument, type Command } from '@commander-js/extra-typings';
import type { Wiring } from '../program.js';

/** The documents with a published JSON Schema (docs/run-format.md). */
const DOCUMENTS = ['run'] as const;

export function register(program: Command, { t, act }: Wiring): void {
  program
    .command('schema')
    .description(t('cmd.schema'))
    .addArgument(new Argument('<document>', t('arg.schema_document')).choices(DOCUMENTS))
    .action(
      act(async (ctx) => {
        const { runDocumentSchema } = await import('../../model/run.js');
        ctx.io.stdout.write(`${JSON.stringify(runDocumentSchema(), null, 2)}\n`);
        return 0;
      }),
    );
}
