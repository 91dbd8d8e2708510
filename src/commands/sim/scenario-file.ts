/** Reading `--scenario-file` (YAML or JSON) for the simulators: errors name the file and what is allowed. */
import fs from 'node:fs/promises';
import path from 'node:path';
// A static import: yaml is bundled (scripts/bundle.mjs) as CommonJS, whose
// dynamic import() gives no named exports in the bundle.
import { parse } from 'yaml';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';

export async function readScenarioFile(ctx: Context, file: string): Promise<unknown> {
  const abs = path.resolve(ctx.cwd, file);
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (err) {
    throw new UsageError(
      ctx.t('sim.err.scenario_read', { file, reason: (err as NodeJS.ErrnoException).code ?? String(err) }),
    );
  }
  try {
    return parse(text) as unknown;
  } catch (err) {
    throw new UsageError(
      ctx.t('sim.err.scenario_parse', {
        file,
        reason: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err),
      }),
    );
  }
}

/** Run until Ctrl-C (ctx.signal), then stop the simulator. */
export function untilCancelled(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** A simulator that cannot listen (port taken, no permission): a usage error naming where. */
export function listenError(ctx: Context, host: string, port: number, err: unknown): UsageError {
  return new UsageError(
    ctx.t('sim.err.listen', {
      where: `${host}:${port}`,
      reason: (err as NodeJS.ErrnoException).code ?? String(err),
    }),
  );
}
