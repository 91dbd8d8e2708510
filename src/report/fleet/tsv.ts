/**
 * Tab-separated rows of codes and ISO times for scripts (`--format tsv`): the
 * table format's piped form, asked for by name, so `--format table` is a table
 * even in a pipe or a file (docs/reports.md).
 */
import { format as table } from './table.js';
import type { FleetRenderOptions, ReportFormatOf } from './types.js';

const rows = (o: FleetRenderOptions): FleetRenderOptions => ({ ...o, tty: false, color: false });

export const format: ReportFormatOf<'tsv'> = {
  name: 'tsv',
  render: {
    readiness: (data, o) => table.render.readiness(data, rows(o)),
    incidents: (data, o) => table.render.incidents(data, rows(o)),
    site: (data, o) => table.render.site(data, rows(o)),
  },
};
