/**
 * The report formats (`diemcau report … --format`), by name. Each is one
 * module exporting `format = { name, render }` with a renderer per report;
 * this table only says where each lives, so `--help` loads none of them and a
 * report imports only the one it prints. Every renderer is a pure
 * `(data, opts) → string`.
 */
import { formatNames, formatTable } from '../format-table.js';
import type { ReportFormatOf, ReportKind, ReportRenderer } from './types.js';

export const REPORT_FORMAT_MODULES = formatTable<ReportFormatOf<string>['render']>()({
  table: () => import('./table.js'),
  tsv: () => import('./tsv.js'),
  csv: () => import('./csv.js'),
  json: () => import('./json.js'),
  html: () => import('./html.js'),
});

export type ReportFormat = keyof typeof REPORT_FORMAT_MODULES;

export const REPORT_FORMATS = formatNames(REPORT_FORMAT_MODULES);

export async function loadReportRenderer<K extends ReportKind>(
  kind: K,
  format: ReportFormat,
): Promise<ReportRenderer<K>> {
  return (await REPORT_FORMAT_MODULES[format]()).format.render[kind];
}
