/**
 * Plain-JS copies of a few src/ modules (and what they import, relatively),
 * for a child `node` process that cannot load TypeScript: the netns tests run
 * the real check inside a network namespace through `ip netns exec node`.
 * Uses the TypeScript compiler's transpileModule (no type check), into a
 * temp dir whose node_modules links to the project's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g;

/** Transpile `entries` (paths relative to the repo, e.g. src/checks/udp-quality.ts) and their relative imports. */
export function transpileForNode(entries: string[]): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-js-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  const queue = entries.map((e) => path.join(ROOT, e));
  const done = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (done.has(file)) continue;
    done.add(file);
    const source = fs.readFileSync(file, 'utf8');
    const out = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const target = path.join(dir, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
    for (const m of source.matchAll(RELATIVE_IMPORT)) {
      queue.push(path.resolve(path.dirname(file), `${m[1]}.ts`));
    }
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
