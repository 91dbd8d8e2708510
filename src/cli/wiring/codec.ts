/** `diemcau dial|hangup|call|join`: flags only; the work is lazy-imported. */
import { type Command, Option } from '@commander-js/extra-typings';
import type { Translator } from '../../i18n/index.js';
import { durationFlag, intFlag, meetingIdFlag, sharedOption } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

const dial = (program: Command, t: Translator) =>
  program
    .command('dial')
    .description(t('codec.cmd.dial'))
    .argument('[bridge]', t('codec.arg.bridge'))
    .addOption(sharedOption('profile', t))
    .option('--rate <kbps>', t('codec.flag.rate'), intFlag(t, '--rate', 64))
    .addOption(new Option('--protocol <protocol>', t('codec.flag.protocol')).choices(['sip', 'h323', 'auto']))
    // In ms once parsed; 0: print the call id at once.
    .option('--wait <duration>', t('codec.flag.wait'), durationFlag(t, '--wait'))
    .option('--test <duration>', t('codec.flag.test'), durationFlag(t, '--test'));

const hangup = (program: Command, t: Translator) =>
  program
    .command('hangup')
    .description(t('codec.cmd.hangup'))
    .argument('[call-id]', t('codec.arg.call_id'))
    .addOption(sharedOption('profile', t))
    .option('--all', t('codec.flag.all'));

const call = (program: Command, t: Translator) =>
  program
    .command('call')
    .description(t('codec.cmd.call'))
    .addOption(sharedOption('profile', t))
    .addOption(sharedOption('format', t, ['table', 'json']))
    .option('-w, --watch', t('codec.flag.watch'))
    .option('--interval <duration>', t('codec.flag.interval'), durationFlag(t, '--interval'))
    .option('-n, --count <n>', t('codec.flag.count'), intFlag(t, '--count', 1))
    .option('--upload', t('flag.call.upload'))
    .option('--meeting <id>', t('flag.call.meeting'), meetingIdFlag(t))
    // For --upload; default: the profile's registry.url, or DIEMCAU_REGISTRY.
    .option('--registry <url>', t('registry.flag.registry'));

const join = (program: Command, t: Translator) =>
  program
    .command('join')
    .description(t('codec.cmd.join'))
    .argument('[bridge]', t('codec.arg.bridge'))
    .addOption(sharedOption('profile', t))
    .option('--print', t('codec.flag.print'));

export type DialFlags = Flags<typeof dial>;
export type HangupFlags = Flags<typeof hangup>;
export type CallFlags = Flags<typeof call>;
export type JoinFlags = Flags<typeof join>;

export function register(program: Command, { t, act }: Wiring): void {
  dial(program, t).action(
    act(async (ctx, bridge, opts) => {
      const { dialCommand } = await import('../../commands/codec/dial.js');
      return dialCommand(ctx, { ...opts, target: bridge });
    }),
  );
  hangup(program, t).action(
    act(async (ctx, callId, opts) => {
      const { hangupCommand } = await import('../../commands/codec/hangup.js');
      return hangupCommand(ctx, { ...opts, callId });
    }),
  );
  call(program, t).action(
    act(async (ctx, opts) => {
      const { callCommand } = await import('../../commands/codec/call.js');
      return callCommand(ctx, opts);
    }),
  );
  join(program, t).action(
    act(async (ctx, bridge, opts) => {
      const { joinCommand } = await import('../../commands/codec/join.js');
      return joinCommand(ctx, { ...opts, target: bridge });
    }),
  );
}
