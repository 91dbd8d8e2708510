/**
 * Program wiring: global flags, localized help, commander errors turned into
 * UsageError (exit 3). Each command group registers its flags from a light
 * file in src/cli/wiring/ and lazy-imports its work, so `diemcau --help`
 * loads commander and nothing else.
 */
import { Command, CommanderError, type CommandUnknownOpts, Option } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import type { Translator } from '../i18n/index.js';
import { didYouMean } from '../util/suggest.js';
import type { Context } from './context.js';
import { register as alertCommands } from './wiring/alert.js';
import { register as checkCommands } from './wiring/check.js';
import { register as codecCommands } from './wiring/codec.js';
import { register as demoCommands } from './wiring/demo.js';
import { register as incidentCommands } from './wiring/incident.js';
import { register as meetingCommands } from './wiring/meeting.js';
import { register as profileCommands } from './wiring/profile.js';
import { register as registryCommands } from './wiring/registry.js';
import { register as reportCommands } from './wiring/report.js';
import { register as schemaCommands } from './wiring/schema.js';
import { register as simCommands } from './wiring/sim.js';
import { register as siteCommands } from './wiring/site.js';

/**
 * The options commander parses for a command, as extra-typings infers them from
 * its `.option()` calls: `Flags<typeof define>` for a function that defines one.
 */
export type Flags<Define extends (...args: never[]) => { opts(): object }> = ReturnType<
  ReturnType<Define>['opts']
>;

export type Body<A extends unknown[]> = (ctx: Context, ...args: A) => Promise<number>;

export interface Wiring {
  t: Translator;
  /** Turn a command body into a commander action; its return value is the exit code. */
  act<A extends unknown[]>(body: Body<A>): (...args: A) => Promise<void>;
}

/**
 * Each wiring file and the top-level commands it adds, in the order of the help's list
 * (test/commands/cli-wiring.test.ts holds the names to what each file really adds).
 */
export const registrations: ReadonlyArray<
  readonly [names: readonly string[], register: (program: Command, w: Wiring) => void]
> = [
  [['check'], checkCommands],
  [['profile'], profileCommands],
  [['incident'], incidentCommands],
  [['meeting'], meetingCommands],
  [['site'], siteCommands],
  [['registry', 'sync', 'outbox'], registryCommands],
  [['dial', 'hangup', 'call', 'join'], codecCommands],
  [['sim'], simCommands],
  [['report'], reportCommands],
  [['schema'], schemaCommands],
  [['demo'], demoCommands],
  [['alert', 'maintenance'], alertCommands],
];

/** Global flags that take a value: the word after them is not the command's name. */
const GLOBAL_VALUE_FLAGS = new Set(['--lang', '--ca']);

/**
 * The top-level command the command line names (`check` for `diemcau --lang en check x.yaml`,
 * `report` for `diemcau help report`), or undefined: none, an unknown word, or a command line
 * whose first word commander would read otherwise (`--`, an option it does not know).
 */
export function namedCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (GLOBAL_VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (a === '--no-color' || a === '--debug' || a.startsWith('--lang=') || a.startsWith('--ca=')) continue;
    if (a === 'help') return namedCommand(argv.slice(i + 1));
    if (a.startsWith('-')) return undefined;
    return registrations.some(([names]) => names.includes(a)) ? a : undefined;
  }
  return undefined;
}

/**
 * The program for a command line. Only the wiring file of the command it names is run (the
 * other ~40 commands and their flags cost every start some 30 M instructions, bench/README.md
 * "startup"); with no command named, an unknown one or an option first, every file is, for
 * the full help and the suggestions. The help a command prints depends on its own wiring and
 * the global flags only, so it is the same either way (test/commands/cli-wiring.test.ts).
 */
export function buildProgram(
  ctx: Context,
  setExit: (code: number) => void,
  version: string,
  argv?: readonly string[],
): Command {
  const { t, io } = ctx;
  const titles: Record<string, string> = {
    'Usage:': t('cli.help.usage'),
    'Options:': t('cli.help.options'),
    'Commands:': t('cli.help.commands'),
    'Arguments:': t('cli.help.arguments'),
    'Global Options:': t('cli.help.global'),
  };
  // commander's "(default: …)", "(choices: …)" and "(env: …)" notes, in the user's language.
  const describeOption = (option: Option): string => {
    const extra: string[] = [];
    if (option.argChoices) extra.push(t('cli.help.choices', { values: option.argChoices.join(', ') }));
    if (option.defaultValue !== undefined && option.defaultValue !== false && !option.negate) {
      extra.push(
        t('cli.help.default', { value: option.defaultValueDescription ?? String(option.defaultValue) }),
      );
    }
    if (option.envVar) extra.push(t('cli.help.env', { name: option.envVar }));
    return extra.length ? `${option.description} (${extra.join('; ')})` : option.description;
  };
  const program = new Command('diemcau');
  const configure = (cmd: CommandUnknownOpts) => {
    cmd
      .exitOverride()
      .showSuggestionAfterError(false)
      .helpOption('-h, --help', t('cli.flag.help'))
      .configureHelp({
        styleTitle: (s) => titles[s] ?? s,
        // The usage line's placeholders in the user's language (commander writes them in English).
        styleOptionText: (s) => (s === '[options]' ? t('cli.help.usage_options') : s),
        styleSubcommandText: (s) => (s === '[command]' ? t('cli.help.usage_command') : s),
        showGlobalOptions: true,
        optionDescription: describeOption,
      })
      .configureOutput({
        writeOut: (s) => io.stdout.write(s),
        writeErr: (s) => io.stderr.write(s),
        outputError: () => {},
      });
  };
  configure(program);
  program
    .description(t('cli.description'))
    .version(version, '-V, --version', t('cli.flag.version'))
    .addOption(new Option('--lang <lang>', t('cli.flag.lang')).choices(['vi', 'en']))
    .option('--no-color', t('cli.flag.no_color'))
    .option('--debug', t('cli.flag.debug'))
    .option('--ca <file>', t('cli.flag.ca'));

  const wiring: Wiring = {
    t,
    act:
      (body) =>
      async (...args) => {
        setExit(await body(ctx, ...args));
      },
  };
  const named = argv && namedCommand(argv);
  for (const [names, register] of registrations)
    if (named === undefined || names.includes(named)) register(program, wiring);
  const walk = (cmd: CommandUnknownOpts) => {
    // `help [command]` only where there are commands to ask about.
    if (cmd.commands.length > 0) cmd.helpCommand('help [command]', t('cli.cmd.help'));
    else cmd.helpCommand(false);
    for (const sub of cmd.commands) {
      configure(sub);
      walk(sub);
    }
  };
  walk(program);
  return program;
}

/** The subcommand path the user typed (`check`, `profile validate`), for messages, and the command it names. */
function commandPath(program: CommandUnknownOpts, argv: readonly string[]) {
  const names: string[] = [];
  let cmd: CommandUnknownOpts = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const sub: CommandUnknownOpts | undefined = cmd.commands.find(
      (c) => c.name() === word || c.aliases().includes(word),
    );
    // Not a command: an option's value (`--lang en`) or an argument; the path goes on after it.
    if (!sub) continue;
    names.push(word);
    cmd = sub;
  }
  return { path: names.join(' '), cmd };
}

/** The long and short flags a command takes, its parents' too (global flags). */
function flagsOf(cmd: CommandUnknownOpts | null): string[] {
  const out: string[] = [];
  for (let c = cmd; c; c = c.parent)
    for (const o of c.options) out.push(...[o.long, o.short].filter((f) => f !== undefined));
  return [...out, '--help'];
}

const commandNames = (cmd: CommandUnknownOpts) =>
  cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');

/** Commander's own errors, in the user's language, as UsageError (exit 3). */

export function translateCommanderError(
  err: CommanderError,
  t: Translator,
  argv: readonly string[],
  program: CommandUnknownOpts,
): UsageError | number {
  if (
    err.code === 'commander.helpDisplayed' ||
    err.code === 'commander.version' ||
    err.code === 'commander.help'
  )
    return 0;
  if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
  const token = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  const { path: command, cmd } = commandPath(program, argv);
  switch (err.code) {
    case 'commander.unknownOption': {
      const suggestion = didYouMean(t, token.split('=')[0] as string, flagsOf(cmd));
      return new UsageError(t('cli.err.unknown_option', { token, command, suggestion }));
    }
    case 'commander.unknownCommand': {
      const names = commandNames(cmd);
      const suggestion = didYouMean(t, token, names);
      if (!command) return new UsageError(t('cli.err.unknown_command', { token, suggestion }));
      return new UsageError(
        t('cli.err.unknown_subcommand', { token, command, suggestion, commands: names.join(', ') }),
      );
    }
    case 'commander.missingArgument':
      return new UsageError(t('cli.err.missing_argument', { token }));
    case 'commander.optionMissingArgument':
    case 'commander.missingMandatoryOptionValue':
      return new UsageError(t('cli.err.option_missing_value', { token }));
    case 'commander.excessArguments':
      return new UsageError(t('cli.err.excess_arguments', { command }));
    case 'commander.conflictingOption':
      return new UsageError(t('cli.err.conflict', { token }));
    case 'commander.invalidArgument': {
      // A value outside the option's choices: commander's English list, said our way with a suggestion.
      const choices = /Allowed choices are (.+)\.$/.exec(err.message)?.[1]?.split(', ');
      const got = /argument '([^']*)' is invalid/.exec(err.message)?.[1] ?? '';
      if (choices)
        return new UsageError(
          t('cli.err.invalid_value', {
            token,
            reason: t('cli.err.format', { got, allowed: choices.join(', ') }) + didYouMean(t, got, choices),
          }),
        );
      const reason = err.message.replace(/^error: option '[^']+' argument '[^']+' is invalid\.\s*/, '');
      return new UsageError(t('cli.err.invalid_value', { token, reason }));
    }
    default:
      return new UsageError(err.message.replace(/^error: /, ''));
  }
}

export { CommanderError };
