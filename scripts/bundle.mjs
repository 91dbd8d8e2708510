// Start-up time: Node 20 has no compile cache, and every ESM module and the
// CommonJS bridge cost milliseconds. So the CLI is shipped as one bundle of our
// own code plus commander (the only package `--help` needs; the wiring imports
// it through @commander-js/extra-typings, a thin re-export that gives the
// option types, bundled with it), split at the lazy `import()` of each
// command. TypeBox is bundled too: its ESM build is some 900 small modules,
// which cost ~80 ms to load one by one on every command that reads a profile.
// chalk is bundled as well, though only the modules that print load it.
// yaml too: its CommonJS build is some 40 files, about 100 M instructions to
// load one by one on every command that reads a profile, against 15 M bundled.
// undici stays external: bundled it would load in 120 M instructions
// instead of 380 M, but a codec check through the bundled copy failed
// (test/commands/profile.test.ts, "against the simulators"); bench/README.md. Only the
// codec drivers and the http checks load it now: the registry client is on node:http.
// Every other package stays external and is
// loaded only by the command that uses it. bench/startup.bench.mjs measures it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const outdir = 'dist/bundle';
rmSync(outdir, { recursive: true, force: true });
const external = [
  '@fastify/*',
  '@inquirer/*',
  'better-sqlite3',
  'fast-xml-parser',
  'fastify',
  'open',
  'ora',
  'pg',
  'systeminformation',
  'undici',
];
// The catalogues: one JSON file per language instead of every message compiled into the start-up chunk.
const jsonCatalogues = {
  name: 'json-catalogues',
  setup(b) {
    b.onResolve({ filter: /^\.\/catalogue\.js$/ }, (args) =>
      args.importer.endsWith(path.join('dist', 'i18n', 'index.js'))
        ? { path: path.resolve(path.dirname(args.importer), 'catalogue-bundled.js') }
        : undefined,
    );
  },
};

// string-width is bundled (its four packages loaded one by one cost ~70 M instructions), and
// the Intl.Segmenter its module makes at load (~90 M: ICU's break data) is made on its first
// call instead: a piped table (tab-separated, docs/architecture.md) loads the table code and
// never measures a width. The same function, so the same widths.
const SEGMENTER = 'const segmenter = new Intl.Segmenter();';
const lazySegmenter = {
  name: 'lazy-segmenter',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      if (!src.includes(SEGMENTER)) throw new Error(`${args.path}: no "${SEGMENTER}" to defer (a new string-width?)`);
      const lazy =
        'let segmenter_; const segmenter = { segment: (s) => (segmenter_ ??= new Intl.Segmenter()).segment(s) };';
      return { contents: src.replace(SEGMENTER, lazy), loader: 'js' };
    });
  },
};

// `node scripts/bundle.mjs --meta` also writes esbuild's metafile (what each chunk holds) to dist/bundle-meta.json.
const meta = process.argv.includes('--meta');
const result = await build({
  metafile: meta,
  plugins: [jsonCatalogues, lazySegmenter],
  // The sweep's worker thread (`--workers`) is started from its own file, beside the chunks.
  entryPoints: { main: 'dist/cli/main.js', 'site-worker': 'dist/commands/check/site-worker.js' },
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
if (meta) writeFileSync('dist/bundle-meta.json', JSON.stringify(result.metafile));

const { catalogue } = await import(path.resolve('dist/i18n/catalogue.js'));
for (const locale of ['vi', 'en']) {
  writeFileSync(path.join(outdir, `messages.${locale}.json`), JSON.stringify(catalogue(locale)));
}
