/**
 * `registry serve --bridges FILE`: the bridges a meeting may name by id,
 * read from a YAML file with a `bridges:` list — the province's defaults
 * file (profiles/defaults/*.yaml) is one (docs/meetings.md).
 */
import fs from 'node:fs';
import path from 'node:path';
// A static import: yaml is bundled (scripts/bundle.mjs) as CommonJS, whose
// dynamic import() gives no named exports in the bundle.
import { parse } from 'yaml';
import type { Context } from '../../cli/context.js';
import { FileError } from '../../errors.js';
import type { BridgeConfig } from '../../model/bridge.js';

export async function loadBridges(ctx: Context, files: readonly string[]): Promise<BridgeConfig[]> {
  if (files.length === 0) return [];
  const [{ TypeCompiler }, { BridgeConfig: schema }] = await Promise.all([
    import('@sinclair/typebox/compiler'),
    import('../../model/bridge.js'),
  ]);
  const check = TypeCompiler.Compile(schema);
  const out: BridgeConfig[] = [];
  for (const file of files) {
    const fail = (reason: string) => new FileError(ctx.t('meeting.err.bridges', { file, reason }));
    let doc: unknown;
    try {
      doc = parse(fs.readFileSync(path.resolve(ctx.cwd, file), 'utf8'));
    } catch (err) {
      throw fail((err as Error).message);
    }
    const list = (doc as { bridges?: unknown } | null)?.bridges;
    if (!Array.isArray(list)) throw fail('no bridges: list');
    for (const [i, b] of list.entries()) {
      if (!check.Check(b)) throw fail(`bridges[${i}]: ${check.Errors(b).First()?.message ?? 'invalid'}`);
      if (!out.some((x) => x.id === b.id)) out.push(b);
    }
  }
  return out;
}
