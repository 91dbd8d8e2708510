import type { SiteRun } from '../engine/run.js';
import type { RenderOptions, RunEnd, RunFormat, RunReport, RunStart, SiteStream } from './types.js';

export function renderJson(report: RunReport, _opts?: RenderOptions): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** A value as it sits `depth` levels down a document indented by two spaces. */
const nested = (value: unknown, depth: number) =>
  JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);

/**
 * A sweep's document, written as the sites finish: the same keys as
 * `renderJson`, but `durationMs` and `verdict`, known only at the end, come
 * after `sites` (docs/run-format.md, "Sweeps"). JSON.stringify escapes the
 * newlines inside strings, so re-indenting at each newline is safe.
 */
export function streamJson(start: RunStart): SiteStream {
  let n = 0;
  return {
    head: () =>
      `{\n  "schema": ${JSON.stringify(start.schema)},\n  "tool": ${nested(start.tool, 1)},\n  "startedAt": ${JSON.stringify(start.startedAt)},\n  "sites": [`,
    site: (run: SiteRun) => `${n++ === 0 ? '' : ','}\n    ${nested(run, 2)}`,
    tail: (end: RunEnd) =>
      `${n === 0 ? ']' : '\n  ]'},\n  "durationMs": ${JSON.stringify(end.durationMs)},\n  "verdict": ${JSON.stringify(end.verdict)}\n}\n`,
  };
}

export const format: RunFormat<'json'> = { name: 'json', render: renderJson, stream: streamJson };
