/** `diemcau report readiness|incidents|site <id>`: flags only; the work is lazy-imported. */
import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { Translator } from '../../i18n/index.js';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../model/constants.js';
import { REPORT_FORMATS } from '../../report/fleet/index.js';
import { intFlag, sharedOption } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

/** Flags every report takes, after its own; the parsed options keep commander's camelCase names. */
const common = <A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
  t: Translator,
) =>
  cmd
    // Not DIEMCAU_FORMAT: that one is for `check` (junit, prometheus...), which reports do not speak.
    .addOption(
      new Option('-f, --format <format>', t('report.flag.format')).choices(REPORT_FORMATS).default('table'),
    )
    .addOption(sharedOption('output', t))
    .option('--bom', t('report.flag.bom'))
    .option('--csv-raw', t('report.flag.csv_raw'))
    .addOption(sharedOption('profile', t))
    .option('--registry <url>', t('registry.flag.registry'));

const readiness = (report: Command, t: Translator) =>
  common(
    report
      .command('readiness')
      .description(t('report.cmd.readiness'))
      .option('--unit <prefix>', t('report.flag.unit'))
      .option('--since <when>', t('report.flag.stale_since'))
      .option('--days <n>', t('report.flag.days'), intFlag(t, '--days', 0)),
    t,
  );

const incidents = (report: Command, t: Translator) =>
  common(
    report
      .command('incidents')
      .description(t('report.cmd.incidents'))
      .option('--unit <prefix>', t('report.flag.unit'))
      .option('--site <id>', t('report.flag.site'))
      .addOption(new Option('--status <status>', t('report.flag.status')).choices(INCIDENT_STATUSES))
      .addOption(new Option('--category <code>', t('report.flag.category')).choices(INCIDENT_CATEGORIES))
      .option('--since <when>', t('report.flag.since')),
    t,
  );

const site = (report: Command, t: Translator) =>
  common(
    report
      .command('site')
      .description(t('report.cmd.site'))
      .argument('<id>', t('report.arg.site'))
      .option('--since <when>', t('report.flag.site_since')),
    t,
  );

/** `report meeting <id>` and `report meetings` (docs/meetings.md): their own formats, the same registry flags. */
const meetingFlags = <A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
  t: Translator,
  formats: readonly string[],
) =>
  cmd
    .addOption(new Option('-f, --format <format>', t('report.flag.format')).choices(formats).default('table'))
    .addOption(sharedOption('output', t))
    .option('--bom', t('report.flag.bom'))
    .option('--csv-raw', t('report.flag.csv_raw'))
    .addOption(sharedOption('profile', t))
    .option('--registry <url>', t('registry.flag.registry'));

const meeting = (report: Command, t: Translator) =>
  meetingFlags(
    report
      .command('meeting')
      .description(t('meeting.report.cmd'))
      .argument('<id>', t('meeting.arg.id'), intFlag(t, 'id', 1))
      .option('--snapshot', t('meeting.report.flag_snapshot')),
    t,
    ['table', 'csv', 'json', 'html'],
  );

const meetings = (report: Command, t: Translator) =>
  meetingFlags(
    report
      .command('meetings')
      .description(t('meeting.reports.cmd'))
      .option('--since <when>', t('meeting.flag.since'))
      .option('--unit <prefix>', t('report.flag.unit')),
    t,
    ['table', 'csv', 'json', 'html'],
  );

/** The flags every report shares (what `openSession` and `emit` read). */
export type ReportFlags = Flags<typeof common<[], Record<never, never>, OptionValues>>;
export type ReadinessFlags = Flags<typeof readiness>;
export type IncidentsFlags = Flags<typeof incidents>;
export type SiteFlags = Flags<typeof site>;
export type MeetingReportFlags = Flags<typeof meeting>;
export type MeetingsReportFlags = Flags<typeof meetings>;

export function register(program: Command, { t, act }: Wiring): void {
  const report = program.command('report').description(t('report.cmd'));

  readiness(report, t).action(
    act(async (ctx, opts) => {
      const { readinessCommand } = await import('../../commands/report/readiness.js');
      return readinessCommand(ctx, opts);
    }),
  );
  incidents(report, t).action(
    act(async (ctx, opts) => {
      const { incidentsCommand } = await import('../../commands/report/incidents.js');
      return incidentsCommand(ctx, opts);
    }),
  );
  site(report, t).action(
    act(async (ctx, id, opts) => {
      const { siteCommand } = await import('../../commands/report/site.js');
      return siteCommand(ctx, { ...opts, id });
    }),
  );
  meeting(report, t).action(
    act(async (ctx, id, opts) =>
      (await import('../../commands/report/meeting.js')).meetingReportCommand(ctx, { ...opts, id }),
    ),
  );
  meetings(report, t).action(
    act(async (ctx, opts) =>
      (await import('../../commands/report/meeting.js')).meetingsReportCommand(ctx, opts),
    ),
  );
}
