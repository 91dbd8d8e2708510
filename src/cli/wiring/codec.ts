/** `diemcau dial|hangup|call|join`: flags only; the work is lazy-imported. */
import { type Command, Option } from 'commander';
import { durationFlag, intFlag, sharedOption } from '../flags.js';
import type { Wiring } from '../program.js';

export interface DialFlags {
  profile?: string;
  rate?: number;
  protocol?: 'sip' | 'h323' | 'auto';
  wait?: number;
  test?: number;
}

export interface CallFlags {
  profile?: string;
  watch?: boolean;
  interval?: number;
  count?: number;
  format?: 'table' | 'json';
}

export function register(program: Command, { t, act }: Wiring): void {
  program
    .command('dial')
    .description(t('codec.cmd.dial'))
    .argument('[bridge]', t('codec.arg.bridge'))
    .addOption(sharedOption('profile', t))
    .option('--rate <kbps>', t('codec.flag.rate'), intFlag(t, '--rate', 64))
    .addOption(new Option('--protocol <protocol>', t('codec.flag.protocol')).choices(['sip', 'h323', 'auto']))
    .option('--wait <duration>', t('codec.flag.wait'), durationFlag(t, '--wait'))
    .option('--test <duration>', t('codec.flag.test'), durationFlag(t, '--test'))
    .action(
      act(async (ctx, bridge: string | undefined, opts: DialFlags) => {
        const { dialCommand } = await import('../../commands/codec/dial.js');
        return dialCommand(ctx, { ...opts, target: bridge });
      }),
    );

  program
    .command('hangup')
    .description(t('codec.cmd.hangup'))
    .argument('[call-id]', t('codec.arg.call_id'))
    .addOption(sharedOption('profile', t))
    .option('--all', t('codec.flag.all'))
    .action(
      act(async (ctx, callId: string | undefined, opts: { profile?: string; all?: boolean }) => {
        const { hangupCommand } = await import('../../commands/codec/hangup.js');
        return hangupCommand(ctx, { ...opts, callId });
      }),
    );

  program
    .command('call')
    .description(t('codec.cmd.call'))
    .addOption(sharedOption('profile', t))
    .addOption(sharedOption('format', t, ['table', 'json']))
    .option('-w, --watch', t('codec.flag.watch'))
    .option('--interval <duration>', t('codec.flag.interval'), durationFlag(t, '--interval'))
    .option('-n, --count <n>', t('codec.flag.count'), intFlag(t, '--count', 1))
    .action(
      act(async (ctx, opts: CallFlags) => {
        const { callCommand } = await import('../../commands/codec/call.js');
        return callCommand(ctx, opts);
      }),
    );

  program
    .command('join')
    .description(t('codec.cmd.join'))
    .argument('[bridge]', t('codec.arg.bridge'))
    .addOption(sharedOption('profile', t))
    .option('--print', t('codec.flag.print'))
    .action(
      act(async (ctx, bridge: string | undefined, opts: { profile?: string; print?: boolean }) => {
        const { joinCommand } = await import('../../commands/codec/join.js');
        return joinCommand(ctx, { ...opts, target: bridge });
      }),
    );
}
