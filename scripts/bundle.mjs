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
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

const banner = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";
// yaml is loaded through V8's code cache (src/util/code-cache.ts): bundled into its own
// CommonJS file, dist/bundle/yaml.cjs, that a vm.Script compiles with the bytecode this build
// leaves in yaml.cjs.cache, instead of into a chunk that every start parses and compiles
// (66 M instructions against 11 M, bench/README.md "startup"). The chunks import a small
// module in its place that re-exports the file's exports by name.
const require_ = createRequire(import.meta.url);
const yamlNames = Object.keys(require_('yaml'));
const codeCacheModule = path.resolve('dist/util/code-cache.js');
const cachedYaml = {
  name: 'cached-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'cached-yaml' }));
    b.onLoad({ filter: /.*/, namespace: 'cached-yaml' }, () => ({
      contents: [
        `import { loadCachedScript } from ${JSON.stringify(codeCacheModule)};`,
        "const yaml = loadCachedScript(new URL('./yaml.cjs', import.meta.url)).exports;",
        ...yamlNames.map((n) => `export const ${n} = yaml.${n};`),
      ].join('\n'),
      loader: 'js',
      resolveDir: path.dirname(codeCacheModule),
    }));
  },
};

// `node scripts/bundle.mjs --meta` also writes esbuild's metafile (what each chunk holds) to dist/bundle-meta.json.
const meta = process.argv.includes('--meta');
const result = await build({
  metafile: meta,
  plugins: [jsonCatalogues, lazySegmenter, cachedYaml],
  // The registry's two threads and the sweep's worker thread (`--workers`) are entries of their
  // own, started from the chunk beside them (routes/runs-batch-pool.ts, store/sqlite.ts,
  // commands/check/site-worker.ts).
  entryPoints: {
    main: 'dist/cli/main.js',
    'runs-batch-worker': 'dist/registry/routes/runs-batch-worker.js',
    'sqlite-checkpointer': 'dist/registry/store/sqlite-checkpointer.js',
    'site-worker': 'dist/commands/check/site-worker.js',
  },
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
  banner: { js: banner },
});
if (meta) writeFileSync('dist/bundle-meta.json', JSON.stringify(result.metafile));

// The banner makes a `require` in every chunk, and each createRequire costs some 0.1 M
// instructions (a one-check `check` loads ~55 chunks: 5.7 M). Only a chunk whose code names
// `require` (commander's, yaml's, esbuild's __require shim) keeps it; the others get an empty
// first line instead, so the source maps' lines stay where they were.
const BANNER_LINE = `${banner}\n`;
for (const name of readdirSync(outdir)) {
  if (!name.endsWith('.js')) continue;
  const file = path.join(outdir, name);
  const src = readFileSync(file, 'utf8');
  if (!src.startsWith(BANNER_LINE)) throw new Error(`${file}: no banner on its first line (esbuild changed?)`);
  if (!/\brequire\b/.test(src.slice(BANNER_LINE.length))) writeFileSync(file, `\n${src.slice(BANNER_LINE.length)}`);
}

// yaml's file and its code cache: the bytecode of what reading a profile runs (each shipped
// profile parsed as `diemcau check` parses one), taken after running it.
await build({
  entryPoints: [require_.resolve('yaml')],
  outfile: path.join(outdir, 'yaml.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
{
  const { loadCachedScript } = await import(codeCacheModule);
  const loaded = loadCachedScript(pathToFileURL(path.resolve(outdir, 'yaml.cjs')));
  if (loaded.cache !== 'none') throw new Error('yaml.cjs: a code cache was there before this build made one');
  const yaml = loaded.exports;
  const profiles = readdirSync('profiles', { recursive: true }).filter((f) => /\.ya?ml$/.test(f));
  if (profiles.length === 0) throw new Error('profiles/: no profile to warm the yaml code cache with');
  for (const f of profiles) {
    const lineCounter = new yaml.LineCounter();
    const doc = yaml.parseDocument(readFileSync(path.join('profiles', f), 'utf8'), {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      merge: false,
    });
    doc.toJS();
  }
  writeFileSync(path.join(outdir, 'yaml.cjs.cache'), loaded.produce());
}

const { catalogue } = await import(path.resolve('dist/i18n/catalogue.js'));
for (const locale of ['vi', 'en']) {
  writeFileSync(path.join(outdir, `messages.${locale}.json`), JSON.stringify(catalogue(locale)));
}
