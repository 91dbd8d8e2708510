/** `diemcau check`: flags only; the work is lazy-imported. */
import type { Command } from 'commander';
import type { CheckOptions } from '../../commands/check/check.js';
import { durationFlag, intFlag, listFlag, sharedOption } from '../flags.js';
import type { Wiring } from '../program.js';

// Type-only: erased at build, so --help still loads nothing of the command.
type CheckFlags = Omit<CheckOptions, 'profiles'>;

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
