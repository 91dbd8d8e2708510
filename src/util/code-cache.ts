/**
 * Load a CommonJS bundle through V8's code cache. Node 20 keeps no compile
 * cache for ES modules (nor `module.enableCompileCache`), so every start
 * parses and compiles what it loads; a `vm.Script` takes the bytecode that a
 * run at build time left (`cachedData`) and skips both. scripts/bundle.mjs
 * writes `<name>.cjs` and `<name>.cjs.cache` beside the chunks for yaml (a
 * CommonJS package, loaded by every command that reads a profile: 66 M
 * instructions compiled, 11 M from the cache; bench/README.md "startup").
 *
 * The cache holds for the very node binary, V8 flags and source that made
 * it. Otherwise V8 rejects it and compiles the source as it would without,
 * so the result is the same either way, only slower. (Within one process V8
 * may also find the source in its own compilation cache and not look at
 * this one: a CLI loads each file once.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

export interface CachedScript {
  exports: Record<string, unknown>;
  /** The compiled form of the file: the cache as taken, or compiled anew (none, or rejected). */
  cache: 'used' | 'rejected' | 'none';
  /** The bytecode as it is now (after the caller ran what it needs), to write as the cache. */
  produce(): Buffer;
}

export function loadCachedScript(file: URL): CachedScript {
  const filename = fileURLToPath(file);
  const source = readFileSync(filename, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${filename}.cache`);
  } catch {
    // No cache beside it: compiled from the source.
  }
  // The same wrapper as Node's own CommonJS loader, so the file runs as a module would.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(filename), module, filename, path.dirname(filename));
  return {
    exports: module.exports,
    cache: !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used',
    produce: () => script.createCachedData(),
  };
}
