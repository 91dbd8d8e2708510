/**
 * The run formats (`diemcau check --format`), by name. Each format is one
 * module exporting `format = { name, render }`; this table only says where
 * each one lives, so `--help` and `--format` validation load none of them and
 * a run imports only the ones it writes.
 */
import { formatNames, formatTable, hasFormat } from './format-table.js';
import type { Renderer, RunFormat, StreamRenderer } from './types.js';

export const RUN_FORMATS = formatTable<Renderer>()({
  human: () => import('./human.js'),
  json: () => import('./json.js'),
  junit: () => import('./junit.js'),
  nagios: () => import('./nagios.js'),
  prometheus: () => import('./prometheus.js'),
  tap: () => import('./tap.js'),
});

export type CheckFormat = keyof typeof RUN_FORMATS;
export const isCheckFormat = (name: string): name is CheckFormat => hasFormat(RUN_FORMATS, name);
export const CHECK_FORMATS = formatNames(RUN_FORMATS);

/** Lazy: only the chosen renderers are loaded. */
export async function loadRenderer(format: CheckFormat): Promise<Renderer> {
  return (await RUN_FORMATS[format]()).format.render;
}

/** The format's site-by-site writer, for the formats that have one (json, junit, tap). */
export async function loadStreamRenderer(format: CheckFormat): Promise<StreamRenderer | undefined> {
  const mod: RunFormat<CheckFormat> = (await RUN_FORMATS[format]()).format;
  return mod.stream;
}
