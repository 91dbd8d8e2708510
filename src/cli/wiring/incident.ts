/** `diemcau incident file|list|update`: flags only; the work is lazy-imported. */
import { type Command, Option } from '@commander-js/extra-typings';
import type { Translator } from '../../i18n/index.js';
import { INCIDENT_CATEGORIES } from '../../model/constants.js';
import { intFlag, sharedOption } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

const file = (incident: Command, t: Translator) =>
  incident
    .command('file')
    .description(t('incident.cmd.file'))
    .addOption(sharedOption('profile', t))
    .option('--registry <url>', t('registry.flag.registry'))
    .option('--site <id>', t('incident.flag.site'))
    .option('--unit <path>', t('incident.flag.unit'))
    .option('--site-name <name>', t('incident.flag.site_name'))
    .addOption(
      new Option('--category <code>', t('incident.flag.category', { codes: INCIDENT_CATEGORIES.join(', ') })),
    )
    .option('--severity <level>', t('incident.flag.severity'))
    .option('--summary <text>', t('incident.flag.summary'))
    .option('--details <text>', t('incident.flag.details'))
    .option('--occurred <time>', t('incident.flag.occurred'))
    .option('--meeting <text>', t('incident.flag.meeting'))
    .option('--action <text>', t('incident.flag.action'))
    .option('--effect <effect>', t('incident.flag.effect'))
    .option('--reporter <name>', t('incident.flag.reporter'))
    .option('--phone <phone>', t('incident.flag.phone'))
    .option('--attach-run', t('incident.flag.attach_run'))
    .option('--no-attach-run', t('incident.flag.no_attach_run'));

const list = (incident: Command, t: Translator) =>
  incident
    .command('list')
    .description(t('incident.cmd.list'))
    .addOption(sharedOption('profile', t))
    .option('--registry <url>', t('registry.flag.registry'))
    .option('--unit <path>', t('incident.flag.list_unit'))
    .option('--site <id>', t('incident.flag.list_site'))
    .addOption(
      new Option('--status <status>', t('incident.flag.status')).choices([
        'open',
        'acknowledged',
        'resolved',
      ]),
    )
    .addOption(new Option('--category <code>', t('incident.flag.list_category')).choices(INCIDENT_CATEGORIES))
    .option('--since <when>', t('incident.flag.since'))
    .option('--limit <n>', t('incident.flag.limit'), intFlag(t, '--limit', 1))
    .option('--cursor <cursor>', t('incident.flag.cursor'))
    .addOption(
      new Option('-f, --format <format>', t('cli.flag.format'))
        .choices(['table', 'json', 'csv'])
        .default('table'),
    )
    .option('--csv-raw', t('report.flag.csv_raw'))
    .addOption(sharedOption('output', t));

const update = (incident: Command, t: Translator) =>
  incident
    .command('update')
    .description(t('incident.cmd.update'))
    .argument('<id>', t('incident.arg.id'), intFlag(t, 'id', 1))
    .addOption(
      new Option('--status <status>', t('incident.flag.status_to'))
        .choices(['acknowledged', 'resolved'])
        .makeOptionMandatory(),
    )
    .option('--note <text>', t('incident.flag.note'))
    .option('--by <name>', t('incident.flag.by'))
    .addOption(sharedOption('profile', t))
    .option('--registry <url>', t('registry.flag.registry'));

export type IncidentFileFlags = Flags<typeof file>;
export type IncidentListFlags = Flags<typeof list>;
export type IncidentUpdateFlags = Flags<typeof update>;

export function register(program: Command, { t, act }: Wiring): void {
  const incident = program.command('incident').description(t('incident.cmd'));

  file(incident, t).action(
    act(async (ctx, opts) => {
      const { fileCommand } = await import('../../commands/incident/file.js');
      return fileCommand(ctx, opts);
    }),
  );
  list(incident, t).action(
    act(async (ctx, opts) => {
      const { listCommand } = await import('../../commands/incident/list.js');
      return listCommand(ctx, opts);
    }),
  );
  update(incident, t).action(
    act(async (ctx, id, opts) => {
      const { updateCommand } = await import('../../commands/incident/update.js');
      return updateCommand(ctx, { ...opts, id });
    }),
  );
}
