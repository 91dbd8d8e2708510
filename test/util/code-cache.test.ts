// A CommonJS file loaded through V8's code cache (src/util/code-cache.ts): the cache is
// taken when it fits this node, compiled anew when it does not, and the module is the same.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCachedScript } from '../../src/util/code-cache.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-code-cache-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SOURCE = `'use strict';
const { sep } = require('node:path');
exports.where = () => [__filename, __dirname + sep];
exports.words = (s) => s.split(/\\s+/).filter(Boolean).map((w) => w.toUpperCase());
module.exports.strict = (function () { return this === undefined; })();
`;

describe('loadCachedScript', () => {
  const file = path.join(dir, 'lib.cjs');
  fs.writeFileSync(file, SOURCE);
  const url = pathToFileURL(file);

  it('runs the file as a CommonJS module: exports, require, __filename, __dirname, strict mode', () => {
    const loaded = loadCachedScript(url);
    expect(loaded.cache).toBe('none');
    const lib = loaded.exports as { where(): string[]; words(s: string): string[]; strict: boolean };
    expect(lib.where()).toEqual([file, `${dir}${path.sep}`]);
    expect(lib.words(' điểm  cầu ')).toEqual(['ĐIỂM', 'CẦU']);
    expect(lib.strict).toBe(true);
  });

  // In a fresh process each: within one, V8 finds a source it compiled in its own cache and
  // never looks at the one given (a CLI loads each file once).
  const loadInChild = () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { loadCachedScript } from ${JSON.stringify(pathToFileURL(path.join(root, 'dist/util/code-cache.js')).href)};
         const r = loadCachedScript(new URL(process.argv[1]));
         console.log(JSON.stringify({ cache: r.cache, words: r.exports.words('a b') }));`,
        url.href,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as { cache: string; words: string[] };
  };

  it('takes the cache it produced, and gives the same module', () => {
    const first = loadCachedScript(url);
    (first.exports.words as (s: string) => string[])('warm the function up');
    const cache = first.produce();
    expect(cache.length).toBeGreaterThan(100);
    fs.writeFileSync(`${file}.cache`, cache);
    expect(loadInChild()).toEqual({ cache: 'used', words: ['A', 'B'] });
  });

  it('compiles anew when the cache does not fit (another node, another file, garbage)', () => {
    fs.writeFileSync(`${file}.cache`, Buffer.from('not a V8 code cache at all, just bytes'));
    expect(loadInChild()).toEqual({ cache: 'rejected', words: ['A', 'B'] });
    // The cache of another source.
    const other = path.join(dir, 'other.cjs');
    fs.writeFileSync(other, 'exports.n = 1 + 1;');
    fs.writeFileSync(`${file}.cache`, loadCachedScript(pathToFileURL(other)).produce());
    expect(loadInChild()).toEqual({ cache: 'rejected', words: ['A', 'B'] });
    fs.rmSync(`${file}.cache`);
    expect(loadInChild()).toEqual({ cache: 'none', words: ['A', 'B'] });
  });
});

describe('the built yaml', () => {
  const built = path.join(root, 'dist', 'bundle', 'yaml.cjs');

  it('has a cache this node takes, and parses as the yaml package does', async () => {
    // Taken by this node (in a child: this process may have compiled the file already).
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { loadCachedScript } from ${JSON.stringify(pathToFileURL(path.join(root, 'dist/util/code-cache.js')).href)};
         console.log(loadCachedScript(new URL(process.argv[1])).cache);`,
        pathToFileURL(built).href,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stdout).toBe('used\n');
    const loaded = loadCachedScript(pathToFileURL(built));
    const yaml = await import('yaml');
    const text = 'site: { id: xa-a, name: "UBND xã A" }\nchecks:\n  - { id: sip, kind: tcp, port: 5060 }\n';
    const parse = loaded.exports.parse as (s: string) => unknown;
    expect(parse(text)).toEqual(yaml.parse(text));
    // The built program reads a profile through it (a duplicate key is still the yaml error).
    const profile = path.join(dir, 'dup.yaml');
    fs.writeFileSync(profile, 'site: { id: xa-a, name: A, unit: u/a }\nsite: { id: xa-b }\nchecks: []\n');
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'bin', 'diemcau.js'), 'profile', 'validate', profile],
      {
        encoding: 'utf8',
        env: { ...process.env, DIEMCAU_LANG: 'en' },
      },
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/dup\.yaml:2:1: .*duplicate/i);
  });
});
