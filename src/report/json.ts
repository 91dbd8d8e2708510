import type { RenderOptions, RunFormat, RunReport } from './types.js';

export function renderJson(report: RunReport, _opts?: RenderOptions): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const format: RunFormat<'json'> = { name: 'json', render: renderJson };
