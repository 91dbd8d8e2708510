import type { RenderOptions, RunReport } from './types.js';

export function renderJson(report: RunReport, _opts?: RenderOptions): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
