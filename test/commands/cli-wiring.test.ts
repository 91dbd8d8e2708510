// The program wires only the command the command line names (src/cli/program.ts): every
// help and every usage error must read as they do with all of them wired.
import { Command, CommanderError, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { errorToExit } from '../../src/cli/exit.js';
import { buildProgram, namedCommand, registrations, translateCommanderError } from '../../src/cli/program.js';
import type { Locale } from '../../src/i18n/index.js';
import { run } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

const VERSION = '0.0.0-test';

/** What runCli does, with every wiring file run whatever the command line says. */
async function runFullyWired(argv: string[], locale: Locale) {
  const ctx = testContext({ locale });
  let exitCode = 0;
  const program = buildProgram(
    ctx,
    (c) => {
      exitCode = c;
    },
    VERSION,
  );
  let code: number;
  try {
    await program.parseAsync(argv, { from: 'user' });
    code = exitCode;
  } catch (err) {
    const mapped = err instanceof CommanderError ? translateCommanderError(err, ctx.t, argv, program) : err;
    code = typeof mapped === 'number' ? mapped : errorToExit(mapped, ctx);
  }
  return { code, stdout: ctx.out.text, stderr: ctx.err.text };
}

/** The real runCli: only the named command wired. */
const runNamed = (argv: string[], locale: Locale) => run(argv, { env: { DIEMCAU_LANG: locale } });

/** Every command path of the fully wired program: ['check'], ['profile'], ['profile', 'validate'], … */
function commandPaths(): string[][] {
  const program = buildProgram(testContext(), () => {}, VERSION);
  const out: string[][] = [];
  const walk = (cmd: CommandUnknownOpts, path: string[]) => {
    for (const sub of cmd.commands) {
      if (sub.name() === 'help') continue;
      out.push([...path, sub.name()]);
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return out;
}

describe('wiring only the named command', () => {
  const paths = commandPaths();

  it('the table names exactly the top-level commands each wiring file adds, in the help order', () => {
    const added = registrations.map(([, register]) => {
      const program = new Command('diemcau');
      register(program, { t: testContext().t, act: () => async () => {} });
      return program.commands.map((c) => c.name());
    });
    expect(added).toEqual(registrations.map(([names]) => [...names]));
    const full = buildProgram(testContext(), () => {}, VERSION).commands.map((c) => c.name());
    expect(full.filter((n) => n !== 'help')).toEqual(registrations.flatMap(([names]) => names));
    expect(paths.length).toBeGreaterThan(40);
  });

  it('names the command after the global flags and their values, and after help', () => {
    expect(namedCommand(['check', 'site.yaml'])).toBe('check');
    expect(namedCommand(['--lang', 'en', '--ca', 'report', 'report', 'readiness'])).toBe('report');
    expect(namedCommand(['--lang=en', '--no-color', '--debug', '--ca=x.pem', 'sync'])).toBe('sync');
    expect(namedCommand(['help', 'meeting', 'add'])).toBe('meeting');
    expect(namedCommand(['maintenance', 'list'])).toBe('maintenance');
    // Nothing named, an unknown word, or an option commander reads first: everything is wired.
    expect(namedCommand([])).toBeUndefined();
    expect(namedCommand(['help'])).toBeUndefined();
    expect(namedCommand(['chek'])).toBeUndefined();
    expect(namedCommand(['--help', 'check'])).toBeUndefined();
    expect(namedCommand(['--', 'check'])).toBeUndefined();
    expect(namedCommand(['--bogus', 'check'])).toBeUndefined();
  });

  for (const locale of ['vi', 'en'] as const) {
    it(`every command's help is byte for byte the fully wired program's (${locale})`, async () => {
      for (const path of [[], ...paths]) {
        for (const argv of [
          [...path, '--help'],
          ['help', ...path],
        ]) {
          const full = await runFullyWired(argv, locale);
          const named = await runNamed(argv, locale);
          expect({ argv, ...named }).toEqual({ argv, ...full });
          expect(named.stdout.length).toBeGreaterThan(100);
        }
      }
    });

    it(`usage errors read the same, suggestions included (${locale})`, async () => {
      for (const argv of [
        ['check', '--onyl', 'ping'],
        ['report', 'readines'],
        ['profile', 'validat'],
        ['meeting', 'add', '--bogus'],
        ['registry', 'token', 'revok'],
        ['site', 'show'],
        ['incident', 'list', '--status', 'opne'],
        ['chek'],
        ['--bogus', 'check'],
      ]) {
        const full = await runFullyWired(argv, locale);
        const named = await runNamed(argv, locale);
        expect({ argv, ...named }).toEqual({ argv, ...full });
        expect(named.code).not.toBe(0);
      }
    });
  }
});
