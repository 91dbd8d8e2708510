/** `--format X`, `--format X=FILE` (repeatable) and `-o FILE`: which renderer goes where. */
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import { CHECK_FORMATS, type CheckFormat, isCheckFormat } from '../../report/formats.js';

export interface OutputSpec {
  format: CheckFormat;
  /** undefined: stdout. */
  file?: string;
}

export function parseOutputs(
  ctx: Context,
  formats: readonly string[] | undefined,
  output: string | undefined,
): OutputSpec[] {
  const list = formats?.length ? formats : ['human'];
  const specs: OutputSpec[] = list.map((entry) => {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    const file = eq < 0 ? undefined : entry.slice(eq + 1);
    if (!isCheckFormat(name)) {
      throw new UsageError(ctx.t('cli.err.format', { got: name, allowed: CHECK_FORMATS.join(', ') }));
    }
    return { format: name, ...(file ? { file } : {}) };
  });
  const toStdout = specs.filter((s) => !s.file);
  if (output) {
    if (toStdout.length === 1) (toStdout[0] as OutputSpec).file = output;
    else if (toStdout.length > 1)
      throw new UsageError(ctx.t('cli.err.two_stdout', { format: toStdout[1]?.format ?? '' }));
  } else if (toStdout.length > 1) {
    throw new UsageError(ctx.t('cli.err.two_stdout', { format: toStdout[1]?.format ?? '' }));
  }
  return specs;
}
