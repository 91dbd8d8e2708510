/**
 * Shared flags, defined once: commander options, help text and environment
 * fallbacks come from this table (docs/design.md §9).
 */
import { Option } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import type { MessageKey, Translator } from '../i18n/index.js';
import { ID_PATTERN } from '../model/constants.js';
import { parseDuration } from '../profile/duration.js';

interface SharedFlag {
  flags: string;
  desc: MessageKey;
  env?: string;
}

export const sharedFlags = {
  profile: { flags: '-p, --profile <file>', desc: 'cli.flag.profile', env: 'DIEMCAU_PROFILE' },
  format: { flags: '-f, --format <format>', desc: 'cli.flag.format', env: 'DIEMCAU_FORMAT' },
  output: { flags: '-o, --output <file>', desc: 'cli.flag.output' },
} as const satisfies Record<string, SharedFlag>;

type SharedName = keyof typeof sharedFlags;
type SharedUsage<N extends SharedName> = (typeof sharedFlags)[N]['flags'];

/** A shared flag as a commander option; its literal flags let commander infer the option's type. */
export function sharedOption<N extends SharedName>(name: N, t: Translator): Option<SharedUsage<N>>;
export function sharedOption<N extends SharedName, const C extends readonly string[]>(
  name: N,
  t: Translator,
  choices: C,
): Option<SharedUsage<N>, undefined, undefined, undefined, false, C[number]>;
export function sharedOption(name: SharedName, t: Translator, choices?: readonly string[]): Option<string> {
  const def: SharedFlag = sharedFlags[name];
  const opt = new Option(def.flags, t(def.desc));
  if (def.env) opt.env(def.env);
  return choices ? opt.choices(choices) : opt;
}

/** Global flags are read before commander runs (the help text needs the language). */
export interface GlobalFlags {
  lang?: string;
  color: boolean;
  debug: boolean;
  /** --ca FILE: the CA for an https:// registry; main passes it on as DIEMCAU_CA. */
  ca?: string;
}

export function preparseGlobals(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): GlobalFlags {
  let lang: string | undefined;
  let color = !env.NO_COLOR;
  let debug = env.DIEMCAU_DEBUG === '1';
  let ca: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') break;
    if (a === '--lang') lang = argv[i + 1];
    else if (a.startsWith('--lang=')) lang = a.slice(7);
    else if (a === '--no-color') color = false;
    else if (a === '--debug') debug = true;
    else if (a === '--ca') ca = argv[i + 1];
    else if (a.startsWith('--ca=')) ca = a.slice(5);
  }
  return { lang, color, debug, ...(ca ? { ca } : {}) };
}

export function intFlag(t: Translator, flag: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min)
      throw new UsageError(t('cli.err.not_a_number', { flag, min, got: value }));
    return n;
  };
}

export function durationFlag(t: Translator, flag: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === undefined) throw new UsageError(t('cli.err.duration', { flag, got: value }));
    return ms;
  };
}

/** Repeatable flag: collects values into a list (also splits on commas). */
export function listFlag(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** A meeting id (check --meeting, call --meeting): the pattern of every id. */
export function meetingIdFlag(t: Translator) {
  const pattern = new RegExp(ID_PATTERN);
  return (value: string): string => {
    if (!pattern.test(value)) throw new UsageError(t('check.err.meeting_id', { got: value }));
    return value;
  };
}
