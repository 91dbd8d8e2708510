/**
 * `diemcau profile init`: questions on a terminal (inquirer, on stderr), or
 * everything from flags with --yes. Addresses are read the way a technician
 * types them (`127.0.0.1:18081`), the checks follow from what was entered
 * (the bridge's host and port, no DNS check of an IP address), the file is
 * validated before it is written, and the checklist can run at once
 * (docs/profiles.md).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { isKindName } from '../../checks/index.js';
import type { Context } from '../../cli/context.js';
import type { ProfileInitFlags } from '../../cli/wiring/profile.js';
import { DRIVERS, type DriverName, driverRow } from '../../drivers/table.js';
import { UsageError } from '../../errors.js';
import { loadProfile } from '../../profile/load.js';
import { writeOutput } from '../common.js';
import { inquirerPrompter, type Prompter } from '../incident/prompter.js';
import { isIp, parseBridge, parseHostPort, parsePort } from './address.js';

export type InitOptions = ProfileInitFlags & { file: string };

export interface InitAnswers {
  id: string;
  name: string;
  unit: string;
  level?: string;
  technician?: string;
  phone?: string;
  focalPoint?: string;
  focalPhone?: string;
  codec: DriverName;
  codecHost?: string;
  codecPort?: number;
  codecScheme?: 'http' | 'https';
  codecUser?: string;
  bridge?: string;
  mcuHost?: string;
  registry?: string;
  tokenVar?: string;
  /** A defaults file, as written in `extends:` (relative to the profile). */
  extends?: string;
  /** The defaults file already names a registry: the site file does not repeat it. */
  extendsHasRegistry?: boolean;
  locale: 'vi' | 'en';
}

export const CODEC_PASSWORD_VAR = 'CODEC_PASSWORD';
const DEFAULT_TOKEN_VAR = 'DIEMCAU_TOKEN';
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const UNIT = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A codec the tool talks to (over HTTP: it needs an address and an account), not `none`. */
const httpOf = (driver: DriverName) => driverRow(driver)?.http;

/** The port the driver uses when the profile has none: the vendor's, else the scheme's own. */
export function defaultCodecPort(driver: DriverName, scheme: 'http' | 'https'): number {
  const http = httpOf(driver);
  if (http?.port && scheme === http.scheme) return http.port;
  return scheme === 'https' ? 443 : 80;
}

/** The profile document for these answers; checks only of kinds this build has. */
export function buildProfile(a: InitAnswers): Record<string, unknown> {
  const bridge = a.bridge ? parseBridge(a.bridge) : undefined;
  const mcu = a.mcuHost ?? bridge?.host;
  const checks: Record<string, unknown>[] = [];
  const add = (check: Record<string, unknown>) => {
    if (isKindName(check.kind as string)) checks.push(check);
  };
  if (mcu) {
    add({ id: 'mcu-ping', kind: 'ping', target: mcu, count: 20 });
    // The bridge's own signalling port when the MCU is the bridge's host; SIP's otherwise.
    const port = bridge && bridge.host === mcu ? bridge.port : 5060;
    add({ id: 'sip-port', kind: 'tcp', target: mcu, port });
    if (!isIp(mcu)) add({ id: 'mcu-dns', kind: 'dns', name: mcu });
  }
  if (bridge?.protocol === 'sip') add({ id: 'mcu-sip', kind: 'sip-options', bridge: 'chinh' });
  const driver = driverRow(a.codec);
  const http = httpOf(a.codec);
  if (http) {
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
  const person = (name?: string, phone?: string) =>
    name ? { name, ...(phone ? { phone } : {}) } : undefined;
  const technician = person(a.technician, a.phone);
  const focal = person(a.focalPoint, a.focalPhone);
  const doc: Record<string, unknown> = {
    ...(a.extends ? { extends: a.extends } : {}),
    site: {
      id: a.id,
      name: a.name,
      unit: a.unit,
      ...(a.level ? { level: a.level } : {}),
      ...(technician ? { technician } : {}),
      ...(focal ? { focal_point: focal } : {}),
    },
    locale: a.locale,
  };
  if (a.registry) doc.registry = { url: a.registry, token: `\${${a.tokenVar ?? DEFAULT_TOKEN_VAR}}` };
  if (http) {
    const scheme = a.codecScheme ?? http.scheme;
    const port = a.codecPort;
    doc.codec = {
      driver: a.codec,
      scheme,
      host: a.codecHost ?? '192.0.2.10',
      ...(port !== undefined && port !== defaultCodecPort(a.codec, scheme) ? { port } : {}),
      username: a.codecUser ?? 'admin',
      password: `\${${CODEC_PASSWORD_VAR}}`,
    };
  } else doc.codec = { driver: 'none' };
  if (a.bridge)
    doc.bridges = [
      {
        id: 'chinh',
        name: 'Phòng họp trực tuyến',
        uri: a.bridge,
        protocol: bridge?.protocol ?? 'sip',
        rate_kbps: 1920,
      },
    ];
  doc.checks = checks;
  return doc;
}

/** Defaults files near the profile (its folder, `defaults/` beside it or above it, ./profiles/defaults). */
export async function nearbyDefaults(ctx: Context, file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const places = [
    path.join(dir, 'defaults'),
    path.join(dir, '..', 'defaults'),
    path.join(ctx.cwd, 'profiles', 'defaults'),
  ];
  const found = new Set<string>();
  for (const place of places) {
    const names = await fs.readdir(place).catch(() => [] as string[]);
    for (const n of names.sort()) if (/\.ya?ml$/i.test(n)) found.add(path.resolve(place, n));
  }
  return [...found];
}

/** `extends:` as written in the profile: relative to it, with forward slashes. */
const relativeTo = (file: string, target: string): string => {
  const rel = path.relative(path.dirname(file), target).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
};

async function readDefaults(ctx: Context, given: string): Promise<{ hasRegistry: boolean }> {
  const abs = path.resolve(ctx.cwd, given);
  const text = await fs.readFile(abs, 'utf8').catch(() => undefined);
  if (text === undefined) throw new UsageError(ctx.t('profile.init.err.extends', { file: given }));
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    doc = undefined;
  }
  const reg = (doc as { registry?: { url?: unknown } } | null | undefined)?.registry;
  return { hasRegistry: typeof reg?.url === 'string' };
}

/** Each answer's check: true, or the reason in the user's language (inquirer shows it under the question). */
function validators(ctx: Context) {
  const { t } = ctx;
  return {
    required: (v: string) => v.trim().length > 0 || t('profile.err.empty'),
    id: (v: string) => ID.test(v) || t('profile.allowed.id', { got: JSON.stringify(v) }),
    unit: (v: string) => UNIT.test(v) || t('profile.allowed.unit', { got: JSON.stringify(v) }),
    host: (v: string) => parseHostPort(v) !== undefined || t('profile.init.err.host', { got: v }),
    port: (v: string) => parsePort(v) !== undefined || t('profile.init.err.port', { got: v }),
    bridge: (v: string) =>
      v.trim() === '' || parseBridge(v) !== undefined || t('profile.init.err.bridge', { got: v }),
    url: (v: string) =>
      v.trim() === '' || /^https?:\/\/[^\s/]+/.test(v.trim()) || t('profile.init.err.url', { got: v }),
    envName: (v: string) => ENV_NAME.test(v) || t('profile.init.err.env_name', { got: v }),
  };
}

type Check = (v: string) => true | string;

/** A flag's value through the same check as the question; a bad one is exit 3 naming the flag. */
function flagValue(flag: string, value: string | undefined, check: Check): string | undefined {
  if (value === undefined) return undefined;
  const ok = check(value);
  if (ok !== true) throw new UsageError(`${flag}: ${ok}`);
  return value.trim();
}

/** The answers the flags already give, each checked. */
function fromFlags(ctx: Context, opts: InitOptions): Partial<InitAnswers> {
  const v = validators(ctx);
  const host = flagValue('--codec-host', opts.codecHost, v.host);
  const parsed = host ? parseHostPort(host) : undefined;
  const port = flagValue('--codec-port', opts.codecPort, v.port);
  return {
    id: flagValue('--id', opts.id, v.id),
    name: flagValue('--name', opts.name, v.required),
    unit: flagValue('--unit', opts.unit, v.unit),
    level: opts.level,
    technician: opts.technician,
    phone: opts.phone,
    focalPoint: opts.focalPoint,
    focalPhone: opts.focalPhone,
    codec: opts.codec as DriverName | undefined,
    codecHost: parsed?.host,
    codecPort: port !== undefined ? parsePort(port) : parsed?.port,
    codecScheme: (opts.codecScheme as 'http' | 'https' | undefined) ?? parsed?.scheme,
    codecUser: opts.codecUser,
    bridge: flagValue('--bridge', opts.bridge, v.bridge) || undefined,
    mcuHost: parseHostPort(flagValue('--mcu-host', opts.mcuHost, v.host) ?? '')?.host,
    registry: flagValue('--registry', opts.registry, v.url) || undefined,
    tokenVar: flagValue('--token-var', opts.tokenVar, v.envName),
    locale: opts.locale as 'vi' | 'en' | undefined,
  };
}

function complete(ctx: Context, a: Partial<InitAnswers>): InitAnswers {
  const missing = (['id', 'name', 'unit'] as const).filter((k) => !a[k]).map((k) => `--${k}`);
  if (missing.length)
    throw new UsageError(ctx.t('profile.init.missing_flags', { flags: missing.join(', ') }));
  return { ...a, codec: a.codec ?? 'none', locale: a.locale ?? ctx.locale } as InitAnswers;
}

async function ask(
  ctx: Context,
  file: string,
  given: Partial<InitAnswers>,
  p: Prompter,
): Promise<InitAnswers> {
  const { t } = ctx;
  const v = validators(ctx);
  const text = async (key: Parameters<typeof t>[0], validate?: Check, dflt?: string) =>
    (await p.input(t(key), { ...(validate ? { validate } : {}), ...(dflt ? { default: dflt } : {}) })).trim();
  const a: Partial<InitAnswers> = { ...given };
  a.id ??= await text('profile.init.q.id', v.id);
  a.name ??= await text('profile.init.q.name', v.required);
  a.unit ??= await text('profile.init.q.unit', v.unit);
  a.level ??= await p.select(
    t('profile.init.q.level'),
    (['xa', 'tinh', 'so_nganh', 'trung_uong', 'huyen'] as const).map((l) => ({
      value: l,
      name: t(`profile.init.level.${l}`),
    })),
  );
  if (a.extends === undefined) {
    const found = await nearbyDefaults(ctx, file);
    if (found.length) {
      const none = '';
      const picked = await p.select(t('profile.init.q.extends'), [
        ...found.map((f) => ({ value: f, name: path.relative(ctx.cwd, f) || f })),
        { value: none, name: t('profile.init.extends.none') },
      ]);
      if (picked !== none) {
        a.extends = relativeTo(file, picked);
        a.extendsHasRegistry = (await readDefaults(ctx, picked)).hasRegistry;
      }
    }
  }
  a.technician ??= (await text('profile.init.q.technician')) || undefined;
  if (a.technician) a.phone ??= (await text('profile.init.q.phone')) || undefined;
  a.focalPoint ??= (await text('profile.init.q.focal_point')) || undefined;
  if (a.focalPoint) a.focalPhone ??= (await text('profile.init.q.focal_phone')) || undefined;
  a.codec ??= await p.select(
    t('profile.init.q.driver'),
    DRIVERS.map((d) => ({ value: d.name, name: t(d.label) })),
  );
  const http = httpOf(a.codec);
  if (http) {
    if (!a.codecHost) {
      const parsed = parseHostPort(await text('profile.init.q.codec_host', v.host)) ?? { host: '' };
      a.codecHost = parsed.host;
      a.codecPort ??= parsed.port;
      a.codecScheme ??= parsed.scheme;
    }
    a.codecScheme ??= await p.select(
      t('profile.init.q.codec_scheme'),
      (['https', 'http'] as const).map((s) => ({ value: s, name: t(`profile.init.scheme.${s}`) })),
      http.scheme,
    );
    a.codecPort ??= parsePort(
      await text('profile.init.q.codec_port', v.port, String(defaultCodecPort(a.codec, a.codecScheme))),
    );
    a.codecUser ??= await text('profile.init.q.codec_user', v.required, 'admin');
  }
  if (a.bridge === undefined) a.bridge = (await text('profile.init.q.bridge_uri', v.bridge)) || undefined;
  if (a.registry === undefined && !a.extendsHasRegistry)
    a.registry = (await text('profile.init.q.registry', v.url)) || undefined;
  if (a.registry) a.tokenVar ??= await text('profile.init.q.token_var', v.envName, DEFAULT_TOKEN_VAR);
  return complete(ctx, a);
}

/** The variables the written profile reads, and which of them this environment lacks. */
function secretsOf(a: InitAnswers): string[] {
  const vars: string[] = [];
  if (httpOf(a.codec)) vars.push(CODEC_PASSWORD_VAR);
  if (a.registry) vars.push(a.tokenVar ?? DEFAULT_TOKEN_VAR);
  return vars;
}

export async function initCommand(ctx: Context, opts: InitOptions): Promise<number> {
  const { t } = ctx;
  const file = path.resolve(ctx.cwd, opts.file);
  const exists = await fs.stat(file).then(
    () => true,
    () => false,
  );
  if (exists && !opts.force) throw new UsageError(t('profile.init.exists', { file: opts.file }));
  const given = fromFlags(ctx, opts);
  if (opts.extends !== undefined) {
    given.extends = relativeTo(file, path.resolve(ctx.cwd, opts.extends));
    given.extendsHasRegistry = (await readDefaults(ctx, opts.extends)).hasRegistry;
  }
  const prompter = opts.yes || !ctx.io.interactive ? undefined : await inquirerPrompter(ctx);
  const answers = prompter ? await ask(ctx, file, given, prompter) : complete(ctx, given);
  const body = stringify(buildProfile(answers), { lineWidth: 0 });
  const header =
    '# yaml-language-server: $schema=./diemcau.schema.json\n# diemcau site profile: see docs/profiles.md. Secrets stay in ${ENV} variables.\n';
  const text = header + body;
  // Validate what we are about to write, in a scratch copy beside it (extends: resolves the same), so a bad flag never leaves a bad file.
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
  const lacking = secretsOf(answers).filter((name) => !ctx.env[name]);
  if (lacking.length)
    ctx.io.stderr.write(
      `${t('profile.init.set_env', { vars: lacking.map((n) => `export ${n}=…`).join('; ') })}\n`,
    );

  // Run the checklist now: --check, or a yes on a terminal (only when its secrets are set).
  const runNow =
    opts.check === true ||
    (prompter !== undefined &&
      lacking.length === 0 &&
      (await prompter.confirm(t('profile.init.q.run_now'), true)));
  if (!runNow) return 0;
  const { checkCommand } = await import('../check/check.js');
  return checkCommand(ctx, { profiles: [file] });
}
