/** `diemcau meeting add|list|show|update|cancel|postpone|next|dial|ics|notice`: flags only; the work is lazy-imported. */
import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { Translator } from '../../i18n/index.js';
import { MEETING_KINDS, MEETING_STATUSES } from '../../model/constants.js';
import { durationFlag, intFlag, listFlag, sharedOption } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

/** A repeatable flag whose values keep their commas (a question may have some). */
const repeatFlag = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Registry, token and profile, as for `incident`. */
const reach = <A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
  t: Translator,
) => cmd.addOption(sharedOption('profile', t)).option('--registry <url>', t('registry.flag.registry'));

const format = (t: Translator) =>
  new Option('-f, --format <format>', t('cli.flag.format'))
    .choices(['table', 'json'] as const)
    .default('table');

const fields = <A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
  t: Translator,
) =>
  cmd
    .option('--title <text>', t('meeting.flag.title'))
    .option('--start <time>', t('meeting.flag.start'))
    .option('--end <time>', t('meeting.flag.end'))
    .option('--bridge <id|uri>', t('meeting.flag.bridge'))
    .option('--site <id>', t('meeting.flag.site'), listFlag)
    .option('--unit <prefix>', t('meeting.flag.unit'), listFlag)
    .addOption(new Option('--kind <kind>', t('meeting.flag.kind')).choices(MEETING_KINDS))
    .option('--allow-clash', t('meeting.flag.allow_clash'))
    .option('--room <name>', t('meeting.flag.room'))
    .option('--contact <name>', t('meeting.flag.contact'))
    .option('--phone <phone>', t('meeting.flag.phone'))
    .option('--notes <text>', t('meeting.flag.notes'))
    .option('--confirm <question>', t('meeting.flag.confirm'), repeatFlag)
    .option('--confirm-advisory <question>', t('meeting.flag.confirm_advisory'), repeatFlag);

const add = (meeting: Command, t: Translator) =>
  reach(
    fields(meeting.command('add').description(t('meeting.cmd.add')), t)
      .option('--host <unit>', t('meeting.flag.host'))
      .option('--record', t('meeting.flag.record'))
      .addOption(format(t)),
    t,
  );

const list = (meeting: Command, t: Translator) =>
  reach(
    meeting
      .command('list')
      .description(t('meeting.cmd.list'))
      .option('--unit <prefix>', t('meeting.flag.list_unit'))
      .option('--site <id>', t('meeting.flag.list_site'))
      .option('--from <when>', t('meeting.flag.from'))
      .option('--to <when>', t('meeting.flag.to'))
      .addOption(new Option('--status <status>', t('meeting.flag.status')).choices(MEETING_STATUSES))
      .option('--limit <n>', t('meeting.flag.limit'), intFlag(t, '--limit', 1))
      .option('--cursor <cursor>', t('meeting.flag.cursor'))
      .addOption(format(t)),
    t,
  );

const show = (meeting: Command, t: Translator) =>
  reach(
    meeting
      .command('show')
      .description(t('meeting.cmd.show'))
      .argument('<id>', t('meeting.arg.id'), intFlag(t, 'id', 1))
      .addOption(format(t)),
    t,
  );

const update = (meeting: Command, t: Translator) =>
  reach(
    fields(meeting.command('update').description(t('meeting.cmd.update')), t)
      .argument('<id>', t('meeting.arg.id'), intFlag(t, 'id', 1))
      .option('--note <text>', t('meeting.flag.note'))
      .option('--clear-confirm', t('meeting.flag.clear_confirm'))
      .addOption(format(t)),
    t,
  );

const statusMove = (meeting: Command, t: Translator, name: 'cancel' | 'postpone') =>
  reach(
    meeting
      .command(name)
      .description(t(`meeting.cmd.${name}`))
      .argument('<id>', t('meeting.arg.id'), intFlag(t, 'id', 1))
      .option('--note <text>', t('meeting.flag.note'))
      .option('--start <time>', t('meeting.flag.start'))
      .option('--end <time>', t('meeting.flag.end'))
      .addOption(format(t)),
    t,
  );

const next = (meeting: Command, t: Translator) =>
  reach(
    meeting
      .command('next')
      .description(t('meeting.cmd.next'))
      .option('--site <id>', t('meeting.flag.next_site'))
      .addOption(format(t)),
    t,
  );

const dial = (meeting: Command, t: Translator) =>
  reach(
    meeting
      .command('dial')
      .description(t('meeting.cmd.dial'))
      .argument('<id>', t('meeting.arg.id'), intFlag(t, 'id', 1))
      .option('--wait <duration>', t('codec.flag.wait'), durationFlag(t, '--wait')),
    t,
  );

const ics = (meeting: Command, t: Translator) =>
  reach(
    meeting
      .command('ics')
      .description(t('meeting.cmd.ics'))
      .option('--site <id>', t('meeting.flag.list_site'))
      .option('--unit <prefix>', t('meeting.flag.list_unit'))
      .option('--from <when>', t('meeting.flag.from'))
      .requiredOption('-o, --output <file>', t('meeting.flag.output')),
    t,
  );

const notice = (meeting: Command, t: Translator) =>
  reach(
    meeting
      .command('notice')
      .description(t('meeting.cmd.notice'))
      .requiredOption('--unit <prefix>', t('meeting.flag.notice_unit'))
      .requiredOption('--hours <n>', t('meeting.flag.notice_hours'), intFlag(t, '--hours', 0)),
    t,
  );

export type MeetingAddFlags = Flags<typeof add>;
export type MeetingListFlags = Flags<typeof list>;
export type MeetingShowFlags = Flags<typeof show>;
export type MeetingUpdateFlags = Flags<typeof update>;
export type MeetingMoveFlags = Flags<typeof statusMove>;
export type MeetingNextFlags = Flags<typeof next>;
export type MeetingDialFlags = Flags<typeof dial>;
export type MeetingIcsFlags = Flags<typeof ics>;
export type MeetingNoticeFlags = Flags<typeof notice>;

export function register(program: Command, { t, act }: Wiring): void {
  const meeting = program.command('meeting').description(t('meeting.cmd'));
  add(meeting, t).action(
    act(async (ctx, opts) => (await import('../../commands/meeting/add.js')).addCommand(ctx, opts)),
  );
  list(meeting, t).action(
    act(async (ctx, opts) => (await import('../../commands/meeting/list.js')).listCommand(ctx, opts)),
  );
  show(meeting, t).action(
    act(async (ctx, id, opts) =>
      (await import('../../commands/meeting/list.js')).showCommand(ctx, { ...opts, id }),
    ),
  );
  update(meeting, t).action(
    act(async (ctx, id, opts) =>
      (await import('../../commands/meeting/update.js')).updateCommand(ctx, { ...opts, id }),
    ),
  );
  for (const name of ['cancel', 'postpone'] as const)
    statusMove(meeting, t, name).action(
      act(async (ctx, id, opts) =>
        (await import('../../commands/meeting/update.js')).moveCommand(ctx, { ...opts, id, move: name }),
      ),
    );
  next(meeting, t).action(
    act(async (ctx, opts) => (await import('../../commands/meeting/next.js')).nextCommand(ctx, opts)),
  );
  dial(meeting, t).action(
    act(async (ctx, id, opts) =>
      (await import('../../commands/meeting/dial.js')).dialMeetingCommand(ctx, { ...opts, id }),
    ),
  );
  ics(meeting, t).action(
    act(async (ctx, opts) => (await import('../../commands/meeting/ics.js')).icsCommand(ctx, opts)),
  );
  notice(meeting, t).action(
    act(async (ctx, opts) => (await import('../../commands/meeting/update.js')).noticeCommand(ctx, opts)),
  );
}
