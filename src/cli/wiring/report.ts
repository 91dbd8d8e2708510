/** `diemcau report readiness|incidents|site <id>`: flags only; the work is lazy-imported. */
import { type Command, Option } from 'commander';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../model/constants.js';
import { intFlag, sharedOption } from '../flags.js';
import type { Wiring } from '../program.js';

/** Flags every report takes; the parsed options keep commander's camelCase names. */
export interface ReportFlags {
  profile?: string;
  registry?: string;
  format?: 'table' | 'csv' | 'json' | 'html';
  output?: string;
  bom?: boolean;
}

const FORMATS = ['table', 'csv', 'json', 'html'] as const;

export function register(program: Command, { t, act }: Wiring): void {
  const report = program.command('report').description(t('report.cmd'));
  const common = (cmd: Command) =>
    cmd
      // Not DIEMCAU_FORMAT: that one is for `check` (junit, prometheus...), which reports do not speak.
      .addOption(
        new Option('-f, --format <format>', t('report.flag.format')).choices(FORMATS).default('table'),
      )
      .addOption(sharedOption('output', t))
      .option('--bom', t('report.flag.bom'))
      .addOption(sharedOption('profile', t))
      .option('--registry <url>', t('registry.flag.registry'));

  common(
    report
      .command('readiness')
      .description(t('report.cmd.readiness'))
      .option('--unit <prefix>', t('report.flag.unit'))
      .option('--since <when>', t('report.flag.stale_since'))
      .option('--days <n>', t('report.flag.days'), intFlag(t, '--days', 0)),
  ).action(
    act(async (ctx, opts: ReportFlags & { unit?: string; since?: string; days?: number }) => {
      const { readinessCommand } = await import('../../commands/report/readiness.js');
      return readinessCommand(ctx, opts);
    }),
  );

  common(
    report
      .command('incidents')
      .description(t('report.cmd.incidents'))
      .option('--unit <prefix>', t('report.flag.unit'))
      .option('--site <id>', t('report.flag.site'))
      .addOption(new Option('--status <status>', t('report.flag.status')).choices(INCIDENT_STATUSES))
      .addOption(new Option('--category <code>', t('report.flag.category')).choices(INCIDENT_CATEGORIES))
      .option('--since <when>', t('report.flag.since')),
  ).action(
    act(
      async (
        ctx,
        opts: ReportFlags & {
          unit?: string;
          site?: string;
          status?: string;
          category?: string;
          since?: string;
        },
      ) => {
        const { incidentsCommand } = await import('../../commands/report/incidents.js');
        return incidentsCommand(ctx, opts);
      },
    ),
  );

  common(
    report
      .command('site')
      .description(t('report.cmd.site'))
      .argument('<id>', t('report.arg.site'))
      .option('--since <when>', t('report.flag.site_since')),
  ).action(
    act(async (ctx, id: string, opts: ReportFlags & { since?: string }) => {
      const { siteCommand } = await import('../../commands/report/site.js');
      return siteCommand(ctx, { ...opts, id });
    }),
  );
}
