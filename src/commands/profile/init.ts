/**
 * `diemcau profile init`: questions on a terminal (inquirer, on stderr), or
 * everything from flags with --yes. Writes the file atomically and validates
 * it before saying it is done.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { findKind } from '../../checks/index.js';
import type { Context } from '../../cli/context.js';
import type { ProfileInitFlags } from '../../cli/wiring/profile.js';
import { DRIVERS, type DriverName, driverRow } from '../../drivers/table.js';
import { UsageError } from '../../errors.js';
import { loadProfile } from '../../profile/load.js';
import { writeOutput } from '../common.js';

export type InitOptions = ProfileInitFlags & { file: string };

export interface InitAnswers {
  id: string;
  name: string;
  unit: string;
  level?: string;
  technician?: string;
  phone?: string;
  codec: DriverName;
  codecHost?: string;
  bridge?: string;
  mcuHost?: string;
  locale: 'vi' | 'en';
}

/** The host part of a SIP URI, for the network checks against the MCU. */
function hostOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /^(?:sips?:|h323:)?(?:[^@]*@)?([^:;>/]+)/.exec(uri);
  return m?.[1];
}

/** A codec the tool talks to (over HTTP: it needs an address and an account), not `none`. */
const reachable = (driver: DriverName): boolean => driverRow(driver)?.http !== undefined;

/** The profile document for these answers; checks only of kinds this build has. */
export function buildProfile(a: InitAnswers): Record<string, unknown> {
  const mcu = a.mcuHost ?? hostOf(a.bridge);
  const checks: Record<string, unknown>[] = [];
  const add = (check: Record<string, unknown>) => {
    if (findKind(check.kind as string)) checks.push(check);
  };
  if (mcu) {
    add({ id: 'mcu-ping', kind: 'ping', target: mcu, count: 20 });
    add({ id: 'sip-port', kind: 'tcp', target: mcu, port: 5060 });
    add({ id: 'mcu-dns', kind: 'dns', name: mcu });
  }
  if (a.bridge) add({ id: 'mcu-sip', kind: 'sip-options', bridge: 'chinh' });
  const driver = driverRow(a.codec);
  if (reachable(a.codec)) {
    const can = (cap: string) => driver?.capabilities.some((c) => c === cap) === true;
    add({ id: 'codec', kind: 'codec-status' });
    if (can('registration')) add({ id: 'codec-reg', kind: 'codec-registration', needs: ['codec'] });
    if (can('peripherals'))
      add({ id: 'av', kind: 'codec-peripherals', expect: { cameras: 1, microphones: 1 }, needs: ['codec'] });
  } else {
    add({ id: 'mic', kind: 'microphone', capture: '3s' });
    add({ id: 'cam', kind: 'camera', grab: true });
    add({ id: 'power', kind: 'power', required: false });
  }
  const doc: Record<string, unknown> = {
    site: {
      id: a.id,
      name: a.name,
      unit: a.unit,
      ...(a.level ? { level: a.level } : {}),
      ...(a.technician ? { technician: { name: a.technician, ...(a.phone ? { phone: a.phone } : {}) } } : {}),
    },
    locale: a.locale,
  };
  if (reachable(a.codec)) {
    doc.codec = {
      driver: a.codec,
      host: a.codecHost ?? '192.0.2.10',
      username: 'admin',
      password: '${CODEC_PASSWORD}',
    };
  } else doc.codec = { driver: 'none' };
  if (a.bridge)
    doc.bridges = [
      { id: 'chinh', name: 'Phòng họp trực tuyến', uri: a.bridge, protocol: 'sip', rate_kbps: 1920 },
    ];
  doc.checks = checks;
  return doc;
}

async function ask(ctx: Context, opts: InitOptions): Promise<InitAnswers> {
  const { input, select } = await import('@inquirer/prompts');
  const { t, io } = ctx;
  const context = { input: io.stdin, output: io.stderr as NodeJS.WritableStream, clearPromptOnDone: false };
  const required = (v: string) => v.trim().length > 0 || t('profile.err.empty');
  // inquirer's key help is English; say it in the user's language.
  const actions: Record<string, string> = {
    navigate: t('profile.init.key.navigate'),
    select: t('profile.init.key.select'),
  };
  const theme = {
    style: {
      keysHelpTip: (keys: [string, string][]) => keys.map(([k, a]) => `${k} ${actions[a] ?? a}`).join(' • '),
    },
  };
  const id =
    opts.id ??
    (await input(
      {
        message: t('profile.init.q.id'),
        validate: (v) =>
          /^[a-z0-9][a-z0-9._-]{0,63}$/.test(v) || t('profile.allowed.id', { got: JSON.stringify(v) }),
      },
      context,
    ));
  const name = opts.name ?? (await input({ message: t('profile.init.q.name'), validate: required }, context));
  const unit =
    opts.unit ??
    (await input(
      {
        message: t('profile.init.q.unit'),
        validate: (v) =>
          /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/.test(v) ||
          t('profile.allowed.unit', { got: JSON.stringify(v) }),
      },
      context,
    ));
  const levels = ['xa', 'tinh', 'so_nganh', 'trung_uong', 'huyen'] as const;
  const level =
    opts.level ??
    (await select(
      {
        theme,
        message: t('profile.init.q.level'),
        choices: levels.map((l) => ({ value: l, name: t(`profile.init.level.${l}`) })),
      },
      context,
    ));
  const technician =
    opts.technician ?? ((await input({ message: t('profile.init.q.technician') }, context)) || undefined);
  const phone =
    opts.phone ??
    (technician ? (await input({ message: t('profile.init.q.phone') }, context)) || undefined : undefined);
  const codec =
    (opts.codec as InitAnswers['codec'] | undefined) ??
    (await select(
      {
        theme,
        message: t('profile.init.q.driver'),
        choices: DRIVERS.map((d) => ({ value: d.name, name: t(d.label) })),
      },
      context,
    ));
  const codecHost = !reachable(codec)
    ? undefined
    : (opts.codecHost ??
      (await input({ message: t('profile.init.q.codec_host'), validate: required }, context)));
  const bridge =
    opts.bridge ?? ((await input({ message: t('profile.init.q.bridge_uri') }, context)) || undefined);
  const locale = (opts.locale as 'vi' | 'en' | undefined) ?? ctx.locale;
  return {
    id,
    name,
    unit,
    level,
    technician,
    phone,
    codec,
    codecHost,
    bridge,
    mcuHost: opts.mcuHost,
    locale,
  };
}

function fromFlags(ctx: Context, opts: InitOptions): InitAnswers {
  const missing = (['id', 'name', 'unit'] as const).filter((k) => !opts[k]).map((k) => `--${k}`);
  if (missing.length)
    throw new UsageError(ctx.t('profile.init.missing_flags', { flags: missing.join(', ') }));
  return {
    id: opts.id as string,
    name: opts.name as string,
    unit: opts.unit as string,
    level: opts.level,
    technician: opts.technician,
    phone: opts.phone,
    codec: (opts.codec as InitAnswers['codec'] | undefined) ?? 'none',
    codecHost: opts.codecHost,
    bridge: opts.bridge,
    mcuHost: opts.mcuHost,
    locale: (opts.locale as 'vi' | 'en' | undefined) ?? ctx.locale,
  };
}

export async function initCommand(ctx: Context, opts: InitOptions): Promise<number> {
  const { t } = ctx;
  const file = path.resolve(ctx.cwd, opts.file);
  const exists = await fs.stat(file).then(
    () => true,
    () => false,
  );
  if (exists && !opts.force) throw new UsageError(t('profile.init.exists', { file: opts.file }));
  const answers = opts.yes || !ctx.io.interactive ? fromFlags(ctx, opts) : await ask(ctx, opts);
  const body = stringify(buildProfile(answers), { lineWidth: 0 });
  const header =
    '# yaml-language-server: $schema=./diemcau.schema.json\n# diemcau site profile: see docs/profiles.md. Secrets stay in ${ENV} variables.\n';
  const text = header + body;
  // Validate what we are about to write, in a scratch copy, so a bad flag never leaves a bad file.
  const scratch = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.yaml`,
  );
  await fs.writeFile(scratch, text);
  try {
    await loadProfile(scratch, { t, env: ctx.env, cwd: ctx.cwd, env_mode: 'lenient' });
  } finally {
    await fs.rm(scratch, { force: true });
  }
  await writeOutput(ctx, opts.file, text);
  ctx.io.stderr.write(`${t('profile.init.written', { file: opts.file })}\n`);
  return 0;
}
