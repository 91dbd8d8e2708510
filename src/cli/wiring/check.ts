/** `diemcau check`: flags only; the work is lazy-imported. */
import type { Command } from 'commander';
import { durationFlag, intFlag, listFlag, sharedOption } from '../flags.js';
import type { Wiring } from '../program.js';

export interface CheckFlags {
  profile?: string;
  format?: string[];
  output?: string;
  only?: string[];
  skip?: string[];
  remote?: boolean;
  concurrency?: number;
  parallel?: number;
  deadline?: number;
  upload?: boolean;
  history?: string;
  registry?: string;
}

export function register(program: Command, { t, act }: Wiring): void {
  program
    .command('check')
    .description(t('cmd.check'))
    .argument('[profiles...]', t('arg.check_profiles'))
    .addOption(sharedOption('profile', t))
    .addOption(sharedOption('format', t).argParser(listFlag))
    .addOption(sharedOption('output', t))
    .option('--only <ids>', t('flag.check.only'), listFlag)
    .option('--skip <ids>', t('flag.check.skip'), listFlag)
    .option('--remote', t('flag.check.remote'))
    .option('-c, --concurrency <n>', t('flag.check.concurrency'), intFlag(t, '--concurrency', 1))
    .option('--parallel <n>', t('flag.check.parallel'), intFlag(t, '--parallel', 1))
    .option('--deadline <duration>', t('flag.check.deadline'), durationFlag(t, '--deadline'))
    .option('--history <dir>', t('flag.check.history'))
    .option('--upload', t('registry.flag.upload'))
    .option('--registry <url>', t('registry.flag.registry'))
    .action(
      act(async (ctx, profiles: string[], opts: CheckFlags) => {
        const { checkCommand } = await import('../../commands/check/check.js');
        return checkCommand(ctx, { ...opts, profiles });
      }),
    );
}
