// Start-up time: Node 20 has no compile cache, and every ESM module and the
// CommonJS bridge cost milliseconds. So the CLI is shipped as one bundle of our
// own code plus commander (the only package `--help` needs), split at the
// lazy `import()` of each command; every other package stays external and is
// loaded only by the command that uses it. bench/startup.bench.mjs measures it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = 'dist/bundle';
rmSync(outdir, { recursive: true, force: true });
const external = [
  '@fastify/*',
  '@inquirer/*',
  '@sinclair/*',
  'better-sqlite3',
  'chalk',
  'fast-xml-parser',
  'fastify',
  'open',
  'ora',
  'pg',
  'string-width',
  'systeminformation',
  'undici',
  'yaml',
];
await build({
  entryPoints: ['dist/cli/main.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
  // commander is CommonJS: give the bundle a real `require` for its node: imports.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
