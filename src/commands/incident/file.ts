import path from 'node:path';
import type { Context } from '../../cli/context.js';
import type { IncidentFileFlags } from '../../cli/wiring/incident.js';
import { RegistryError, UsageError } from '../../errors.js';
import { EFFECTS, INCIDENT_CATEGORIES, SEVERITIES } from '../../model/constants.js';
import type { Incident, IncidentInput } from '../../model/incident.js';
import type { RunInput } from '../../model/run.js';
import type { ResolvedProfile } from '../../profile/types.js';
import { UNADDRESSED } from '../../registry/outbox.js';
import {
  deliver,
  fateOf,
  faultText,
  outboxOf,
  reportBacklog,
  resolveTarget,
  stopWhy,
} from '../../registry/session.js';
import { runInputOf } from '../../registry/upload.js';
import { didYouMean } from '../../util/suggest.js';
import { LAST_RUN_DIR, lastRunFile, lastRunOf } from '../check/last-run.js';
import { optionalProfile } from '../common.js';
import { categoryLabel } from './common.js';
import { parseWhen } from './occurred.js';
import { inquirerPrompter, type Prompter } from './prompter.js';

/** attachRun true: attach (error if none saved); false: never; undefined: ask on a terminal, else no. */
export type FileOptions = IncidentFileFlags;

export interface FileDeps {
  prompter?: Prompter;
}

function oneOf<T extends string>(
  ctx: Context,
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    ctx.t('incident.err.bad_value', {
      flag,
      message:
        ctx.t('cli.err.format', { got: value, allowed: allowed.join(', ') }) +
        didYouMean(ctx.t, value, allowed),
    }),
  );
}

/** Build the incident from flags, the profile and (on a terminal) answers. */
export async function draftIncident(
  ctx: Context,
  opts: FileOptions,
  profile: ResolvedProfile | undefined,
  prompter: Prompter | undefined,
): Promise<IncidentInput> {
  const { t } = ctx;
  const site = profile?.site;
  let siteId = opts.site ?? site?.id;
  let unit = opts.unit ?? (opts.site === undefined || opts.site === site?.id ? site?.unit : undefined);
  const siteName = opts.siteName ?? (siteId === site?.id ? site?.name : undefined);
  let category = oneOf(ctx, '--category', opts.category, INCIDENT_CATEGORIES);
  let severity = oneOf(ctx, '--severity', opts.severity, SEVERITIES);
  let effect = oneOf(ctx, '--effect', opts.effect, EFFECTS);
  let summary = opts.summary;
  let details = opts.details;
  let meeting = opts.meeting;
  let action = opts.action;
  let occurred: string | undefined;
  if (opts.occurred !== undefined) {
    occurred = parseWhen(opts.occurred, ctx.clock.now());
    if (!occurred)
      throw new UsageError(t('incident.err.bad_time', { flag: '--occurred', got: opts.occurred }));
  }

  if (!prompter) {
    const missing = [
      siteId ? undefined : '--site',
      unit ? undefined : '--unit',
      category ? undefined : '--category',
      severity ? undefined : '--severity',
      summary ? undefined : '--summary',
    ].filter((x): x is string => x !== undefined);
    if (missing.length)
      throw new UsageError(t('incident.err.missing', { flags: missing.join(', ') }), {
        hint: t('incident.cmd.file'),
      });
  } else {
    const required = (v: string) => (v.trim() ? true : t('incident.q.required'));
    siteId ??= (await prompter.input(t('incident.q.site'), { validate: required })).trim();
    unit ??= (await prompter.input(t('incident.q.unit'), { validate: required })).trim();
    category ??= await prompter.select(
      t('incident.q.category'),
      INCIDENT_CATEGORIES.map((c) => ({ value: c, name: categoryLabel(ctx, c) })),
    );
    severity ??= await prompter.select(
      t('incident.q.severity'),
      SEVERITIES.map((s) => ({ value: s, name: t(`incident.severity.${s}`) })),
    );
    summary ??= (await prompter.input(t('incident.q.summary'), { validate: required })).trim();
    details ??= (await prompter.input(t('incident.q.details'), {})).trim() || undefined;
    if (occurred === undefined) {
      const now = ctx.clock.now();
      const hhmm = `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
      const answer = await prompter.input(t('incident.q.occurred'), {
        default: hhmm,
        validate: (v) => (parseWhen(v, now) ? true : t('incident.q.bad_time')),
      });
      occurred = parseWhen(answer, now);
    }
    effect ??= await prompter.select(
      t('incident.q.effect'),
      EFFECTS.map((e) => ({ value: e, name: t(`incident.effect.${e}`) })),
    );
    meeting ??= (await prompter.input(t('incident.q.meeting'), {})).trim() || undefined;
    action ??= (await prompter.input(t('incident.q.action'), {})).trim() || undefined;
  }

  const reporterName = opts.reporter ?? site?.technician?.name;
  const phone = opts.phone ?? (opts.reporter === undefined ? site?.technician?.phone : undefined);
  let run: RunInput | undefined;
  if (opts.attachRun !== false) {
    const last = await lastRunOf(ctx, siteId as string);
    if (opts.attachRun === true && !last) {
      throw new UsageError(
        t('incident.err.no_last_run', {
          site: siteId as string,
          file: lastRunFile(ctx.stateDir, siteId as string) ?? path.join(ctx.stateDir, LAST_RUN_DIR),
        }),
      );
    }
    const attach =
      last &&
      (opts.attachRun === true ||
        (prompter !== undefined &&
          (await prompter.confirm(
            t('incident.q.attach', { when: last.startedAt, verdict: t(`verdict.${last.verdict}`) }),
            true,
          ))));
    if (attach && last) run = runInputOf(last, { name: 'diemcau', version: ctx.version });
  }
  return {
    site: { id: siteId as string, ...(siteName ? { name: siteName } : {}), unit: unit as string },
    category: category as IncidentInput['category'],
    severity: severity as IncidentInput['severity'],
    summary: summary as string,
    ...(details ? { details } : {}),
    occurredAt: occurred ?? ctx.clock.now().toISOString(),
    ...(meeting ? { meeting } : {}),
    ...(action ? { action } : {}),
    effect: effect ?? 'none',
    ...(reporterName ? { reporter: { name: reporterName, ...(phone ? { phone } : {}) } } : {}),
    ...(run ? { run } : {}),
  };
}

/** The same schema the registry uses: bad input fails here, offline, naming the field. */
async function assertValid(ctx: Context, body: IncidentInput): Promise<void> {
  const [{ TypeCompiler }, { IncidentInput: schema }, { firstError }] = await Promise.all([
    import('@sinclair/typebox/compiler'),
    import('../../model/incident.js'),
    import('../../registry/validation.js'),
  ]);
  const check = TypeCompiler.Compile(schema);
  if (check.Check(body)) return;
  const err = firstError(check, 'body', body);
  throw new UsageError(ctx.t('incident.err.bad_value', { flag: err.field ?? 'body', message: err.message }));
}

export async function fileCommand(ctx0: Context, opts: FileOptions, deps: FileDeps = {}): Promise<number> {
  const { profile, ctx } = await optionalProfile(ctx0, opts.profile);
  // No registry anywhere: the report is still kept (the one moment a fault must be recorded).
  const hasRegistry = Boolean(opts.registry || ctx.env.DIEMCAU_REGISTRY || profile?.registry?.url);
  const target = hasRegistry ? resolveTarget(ctx, { flag: opts.registry, profile }) : undefined;
  const prompter = ctx.io.interactive ? (deps.prompter ?? (await inquirerPrompter(ctx))) : undefined;
  const body = await draftIncident(ctx, opts, profile, prompter);
  await assertValid(ctx, body);
  // Shown in outbox and sync lines: the category in words, not its code.
  const label = `${body.site.id}: ${categoryLabel(ctx, body.category)}: ${body.summary}`;
  const item = { kind: 'incident', method: 'POST', path: '/v1/incidents', body, label } as const;
  const { t } = ctx;
  if (!target) {
    const outbox = outboxOf(ctx);
    await outbox.add({ ...item, registry: UNADDRESSED }, ctx.clock.now());
    ctx.io.stdout.write(`${t('incident.kept', { label, dir: outbox.dir })}\n`);
    ctx.io.stderr.write(`  ${t('cli.hint')}: ${t('incident.hint.kept')}\n`);
    return 0;
  }
  const { report, added } = await deliver(ctx, target, [{ ...item, registry: target.url }]);
  reportBacklog(ctx, report, added);
  const fate = fateOf(report, added[0] as (typeof added)[number]);
  if (fate.state === 'sent') {
    const inc = fate.response as Incident;
    ctx.io.stdout.write(
      `${t('incident.filed', { id: inc.id, site: inc.site.id, category: categoryLabel(ctx, inc.category) })}\n`,
    );
    return 0;
  }
  if (fate.state === 'queued') {
    ctx.io.stdout.write(`${t('outbox.queued', { label, why: stopWhy(ctx, report.stopped) })}\n`);
    if (report.stopped?.reason === 'no-token')
      ctx.io.stderr.write(`  ${t('cli.hint')}: ${t('registry.hint.no_token')}\n`);
    return 0;
  }
  throw new RegistryError(t('registry.err.rejected', { message: faultText(ctx, fate.rejection) }), {
    status: fate.status,
    code: fate.code,
  });
}
