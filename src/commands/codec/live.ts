/**
 * Live status on stderr while dialling or sampling — only on a terminal
 * (nothing at all when stderr is piped, so scripts see only their data).
 */
import type { Context } from '../../cli/context.js';

export interface Live {
  update(text: string): void;
  /** Leave a final line (✓ or ✗) and stop. */
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

const NOOP: Live = { update() {}, succeed() {}, fail() {}, stop() {} };

export async function startLive(ctx: Context): Promise<Live> {
  if (!ctx.io.stderrTTY) return NOOP;
  const { default: ora } = await import('ora');
  const spinner = ora({
    stream: ctx.io.stderr as NodeJS.WritableStream,
    isEnabled: true,
    discardStdin: false,
    color: 'cyan',
  });
  let started = false;
  return {
    update(text) {
      if (!started) {
        started = true;
        spinner.start(text);
      } else spinner.text = text;
    },
    succeed(text) {
      spinner.succeed(text);
      started = false;
    },
    fail(text) {
      spinner.fail(text);
      started = false;
    },
    stop() {
      if (started) spinner.stop();
      started = false;
    },
  };
}
