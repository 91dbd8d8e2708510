/** `diemcau alert rule|channel|log` and `diemcau maintenance`: flags only; the work is lazy-imported. */
import { type Command, Option } from '@commander-js/extra-typings';
import type { Translator } from '../../i18n/index.js';
import { ALERT_EVENTS, CHANNEL_KINDS, DELIVERY_STATES, SEVERITIES } from '../../model/constants.js';
import { intFlag, listFlag } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

const format = (t: Translator) =>
  new Option('-f, --format <format>', t('cli.flag.format')).choices(['table', 'json']).default('table');

const ruleAdd = (rule: Command, t: Translator) =>
  rule
    .command('add')
    .description(t('alerting.cmd.rule_add'))
    .argument('<id>', t('alerting.arg.id'))
    .addOption(
      new Option('--event <event>', t('alerting.flag.event')).choices(ALERT_EVENTS).makeOptionMandatory(),
    )
    .option('--unit <path>', t('alerting.flag.unit'))
    .option('--site <id>', t('alerting.flag.site'))
    .option('--channel <id>', t('alerting.flag.channel'), listFlag)
    .addOption(new Option('--severity <level>', t('alerting.flag.severity')).choices(SEVERITIES))
    .option('--after <duration>', t('alerting.flag.after'))
    .option('--repeat <duration>', t('alerting.flag.repeat'))
    .option('--quiet <hours>', t('alerting.flag.quiet'))
    .option('--digest <HH:MM>', t('alerting.flag.digest'))
    .option('--registry <url>', t('registry.flag.registry'));

const channelAdd = (channel: Command, t: Translator) =>
  channel
    .command('add')
    .description(t('alerting.cmd.channel_add'))
    .argument('<id>', t('alerting.arg.id'))
    .addOption(
      new Option('--kind <kind>', t('alerting.flag.kind')).choices(CHANNEL_KINDS).makeOptionMandatory(),
    )
    .option('--set <name=value>', t('alerting.flag.set'), listFlag)
    .addOption(new Option('--message-lang <lang>', t('alerting.flag.lang')).choices(['vi', 'en']))
    .option('--digest <HH:MM>', t('alerting.flag.digest'))
    .option('--registry <url>', t('registry.flag.registry'));

const list = (parent: Command, t: Translator, what: 'rule' | 'channel') =>
  parent
    .command('list')
    .description(t(what === 'rule' ? 'alerting.cmd.rule_list' : 'alerting.cmd.channel_list'))
    .addOption(format(t))
    .option('--registry <url>', t('registry.flag.registry'));

const remove = (parent: Command, t: Translator, what: 'rule' | 'channel') =>
  parent
    .command('remove')
    .description(t(what === 'rule' ? 'alerting.cmd.rule_remove' : 'alerting.cmd.channel_remove'))
    .argument('<id>', t('alerting.arg.id'))
    .option('--registry <url>', t('registry.flag.registry'));

const test = (parent: Command, t: Translator, what: 'rule' | 'channel') =>
  parent
    .command('test')
    .description(t(what === 'rule' ? 'alerting.cmd.rule_test' : 'alerting.cmd.channel_test'))
    .argument('<id>', t('alerting.arg.id'))
    .option('--site <id>', t('alerting.flag.test_site'))
    .addOption(format(t))
    .option('--registry <url>', t('registry.flag.registry'));

const log = (alert: Command, t: Translator) =>
  alert
    .command('log')
    .description(t('alerting.cmd.log'))
    .option('--unit <path>', t('alerting.flag.unit'))
    .option('--site <id>', t('alerting.flag.site'))
    .option('--rule <id>', t('alerting.arg.id'))
    .addOption(new Option('--delivery <state>', t('alerting.flag.delivery')).choices(DELIVERY_STATES))
    .option('--limit <n>', t('alerting.flag.limit'), intFlag(t, '--limit', 1))
    .addOption(format(t))
    .option('--registry <url>', t('registry.flag.registry'));

const maintenanceAdd = (m: Command, t: Translator) =>
  m
    .command('add')
    .description(t('maintenance.cmd.add'))
    .option('--unit <path>', t('maintenance.flag.unit'))
    .option('--site <id>', t('maintenance.flag.site'))
    .option('--from <time>', t('maintenance.flag.from'))
    .requiredOption('--to <time>', t('maintenance.flag.to'))
    .requiredOption('--reason <text>', t('maintenance.flag.reason'))
    .option('--notify <channel>', t('maintenance.flag.notify'), listFlag)
    .addOption(format(t))
    .option('--registry <url>', t('registry.flag.registry'));

const maintenanceList = (m: Command, t: Translator) =>
  m
    .command('list')
    .description(t('maintenance.cmd.list'))
    .option('--unit <path>', t('maintenance.flag.unit'))
    .option('--all', t('maintenance.flag.all'))
    .addOption(format(t))
    .option('--registry <url>', t('registry.flag.registry'));

const maintenanceEnd = (m: Command, t: Translator) =>
  m
    .command('end')
    .description(t('maintenance.cmd.end'))
    .argument('<id>', t('maintenance.arg.id'), intFlag(t, 'id', 1))
    .option('--registry <url>', t('registry.flag.registry'));

export type RuleAddFlags = Flags<typeof ruleAdd>;
export type ChannelAddFlags = Flags<typeof channelAdd>;
export type AlertListFlags = Flags<typeof list>;
export type AlertRemoveFlags = Flags<typeof remove>;
export type AlertTestFlags = Flags<typeof test>;
export type AlertLogFlags = Flags<typeof log>;
export type MaintenanceAddFlags = Flags<typeof maintenanceAdd>;
export type MaintenanceListFlags = Flags<typeof maintenanceList>;
export type MaintenanceEndFlags = Flags<typeof maintenanceEnd>;

export function register(program: Command, { t, act }: Wiring): void {
  const cmds = () => import('../../commands/alert/manage.js');
  const alert = program.command('alert').description(t('alerting.cmd'));
  const rule = alert.command('rule').description(t('alerting.cmd.rule'));
  ruleAdd(rule, t).action(act(async (ctx, id, opts) => (await cmds()).ruleAdd(ctx, { ...opts, id })));
  list(rule, t, 'rule').action(act(async (ctx, opts) => (await cmds()).configList(ctx, opts, 'rules')));
  remove(rule, t, 'rule').action(
    act(async (ctx, id, opts) => (await cmds()).remove(ctx, { ...opts, id }, 'rules')),
  );
  test(rule, t, 'rule').action(
    act(async (ctx, id, opts) => (await cmds()).sendTest(ctx, { ...opts, id }, 'rules')),
  );
  const channel = alert.command('channel').description(t('alerting.cmd.channel'));
  channelAdd(channel, t).action(
    act(async (ctx, id, opts) => (await cmds()).channelAdd(ctx, { ...opts, id })),
  );
  list(channel, t, 'channel').action(
    act(async (ctx, opts) => (await cmds()).configList(ctx, opts, 'channels')),
  );
  remove(channel, t, 'channel').action(
    act(async (ctx, id, opts) => (await cmds()).remove(ctx, { ...opts, id }, 'channels')),
  );
  test(channel, t, 'channel').action(
    act(async (ctx, id, opts) => (await cmds()).sendTest(ctx, { ...opts, id }, 'channels')),
  );
  log(alert, t).action(act(async (ctx, opts) => (await cmds()).alertLog(ctx, opts)));

  const mcmds = () => import('../../commands/alert/maintenance.js');
  const m = program.command('maintenance').description(t('maintenance.cmd'));
  maintenanceAdd(m, t).action(act(async (ctx, opts) => (await mcmds()).maintenanceAdd(ctx, opts)));
  maintenanceList(m, t).action(act(async (ctx, opts) => (await mcmds()).maintenanceList(ctx, opts)));
  maintenanceEnd(m, t).action(
    act(async (ctx, id, opts) => (await mcmds()).maintenanceEnd(ctx, { ...opts, id })),
  );
}
