import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { colorScheme } from '../../src/util/colors.js';

describe('colour scheme', () => {
  const c = new Chalk({ level: 1 });
  const on = colorScheme(true);
  it('writes the bytes chalk writes at level 1', () => {
    for (const text of ['sẵn sàng', 'two\nlines', 'crlf\r\nend', ''])
      expect([
        on.bold(text),
        on.dim(text),
        on.cyan(text),
        on.status.pass(text),
        on.status.warn(text),
        on.status.fail(text),
        on.status.skip(text),
        on.state.unknown(text),
        on.verdict.ready(text),
        on.verdict['not-ready'](text),
      ]).toEqual([
        c.bold(text),
        c.dim(text),
        c.cyan(text),
        c.green(text),
        c.yellow(text),
        c.red(text),
        c.gray(text),
        c.magenta(text),
        c.green.bold(text),
        c.red.bold(text),
      ]);
    expect(on.bold(`a ${on.status.fail('b')} c`)).toBe(c.bold(`a ${c.red('b')} c`));
    expect(on.dim(`a ${on.bold('b')} c`)).toBe(c.dim(`a ${c.bold('b')} c`));
  });
  it('paints nothing without colour, and is one object per choice', () => {
    const off = colorScheme(false);
    expect(off.verdict.unknown('x')).toBe('x');
    expect(off.status.pass('x')).toBe('x');
    expect(colorScheme(true)).toBe(on);
    expect(colorScheme(false)).toBe(off);
  });
});
