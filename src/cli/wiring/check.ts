/** `diemcau check`: flags only; the work is lazy-imported. */
import type { Command } from '@commander-js/extra-typings';
import type { Translator } from '../../i18n/index.js';
import { durationFlag, intFlag, listFlag, meetingIdFlag, sharedOption } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

const check = (program: Command, t: Translator) =>
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
    .option('--workers <n>', t('flag.check.workers'), intFlag(t, '--workers', 1))
    .option('--deadline <duration>', t('flag.check.deadline'), durationFlag(t, '--deadline'))
    .option('--history <dir>', t('flag.check.history'))
    .option('--history-keep <age>', t('flag.check.history_keep'), durationFlag(t, '--history-keep'))
    .option(
      '--nagios-max-bytes <n>',
      t('flag.check.nagios_max_bytes'),
      intFlag(t, '--nagios-max-bytes', 1024),
    )
    .option('--sweep <name>', t('flag.check.sweep'))
    .option('-q, --quiet', t('flag.check.quiet'))
    .option('--lock <file>', t('flag.check.lock'))
    .option('--lock-wait <duration>', t('flag.check.lock_wait'), durationFlag(t, '--lock-wait'))
    .option('--meeting <id>', t('flag.check.meeting'), meetingIdFlag(t))
    .option('--no-input', t('flag.check.no_input'))
    .option('--upload', t('registry.flag.upload'))
    // For --upload; default: each profile's registry.url, or DIEMCAU_REGISTRY.
    .option('--registry <url>', t('registry.flag.registry'));

export type CheckFlags = Flags<typeof check>;

export function register(program: Command, { t, act }: Wiring): void {
  check(program, t).action(
    act(async (ctx, profiles, opts) => {
      const { checkCommand } = await import('../../commands/check/check.js');
      return checkCommand(ctx, { ...opts, profiles });
    }),
  );
}
