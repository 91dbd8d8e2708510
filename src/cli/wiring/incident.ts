/** `diemcau incident file|list|update`: flags only; the work is lazy-imported. */
import { type Command, Option } from 'commander';
import { INCIDENT_CATEGORIES } from '../../model/constants.js';
import { intFlag, sharedOption } from '../flags.js';
import type { Wiring } from '../program.js';

export function register(program: Command, { t, act }: Wiring): void {
  const incident = program.command('incident').description(t('incident.cmd'));

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
    .option('--no-attach-run', t('incident.flag.no_attach_run'))
    .action(
      act(async (ctx, opts: Record<string, string | boolean | undefined>) => {
        const { fileCommand } = await import('../../commands/incident/file.js');
        return fileCommand(ctx, opts);
      }),
    );

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
    .addOption(sharedOption('output', t))
    .action(
      act(async (ctx, opts: Record<string, string | number | undefined>) => {
        const { listCommand } = await import('../../commands/incident/list.js');
        return listCommand(ctx, opts);
      }),
    );

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
    .option('--registry <url>', t('registry.flag.registry'))
    .action(
      act(
        async (
          ctx,
          id: number,
          opts: {
            status: 'acknowledged' | 'resolved';
            note?: string;
            by?: string;
            profile?: string;
            registry?: string;
          },
        ) => {
          const { updateCommand } = await import('../../commands/incident/update.js');
          return updateCommand(ctx, { ...opts, id });
        },
      ),
    );
}
