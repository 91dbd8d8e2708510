/**
 * `diemcau site import FILE.csv`: the IT centre's spreadsheet into the
 * register, every row or none (docs/sites.md). Every row is checked first
 * (`file.csv:ROW:COLUMN: message`, each error on its own line); only a file
 * without errors is sent, as one atomic PUT /v1/sites (one transaction: a
 * row the registry refuses refuses them all).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import type { SiteImportFlags } from '../../cli/wiring/site.js';
import { FileError, UsageError } from '../../errors.js';
import { SITE_BATCH_MAX, type SiteBatchItem } from '../../model/site.js';
import { displayPath } from '../../profile/load.js';
import { type CsvRecord, CsvSyntaxError, readCsv } from '../../util/csv-read.js';
import { json, openSiteSession, print, putBatches } from './common.js';
import {
  CSV_FIELDS,
  CSV_HEADERS,
  type CsvField,
  ENTRY_PATH,
  entryOfCells,
  fieldOfHeader,
} from './csv-columns.js';
import { entryErrors } from './entry.js';

export type ImportOptions = SiteImportFlags & { file: string };

interface Row {
  line: number;
  entry: SiteBatchItem;
}

interface Parsed {
  rows: Row[];
  /** `ROW:COLUMN: message`, in file order. */
  errors: string[];
}

const REQUIRED: readonly CsvField[] = ['id', 'name', 'unit'];

/** The header: which field each column fills; errors for unknown, repeated or missing columns. */
function readHeader(ctx: Context, head: CsvRecord, errors: string[]): Array<CsvField | undefined> {
  const { t } = ctx;
  const known = CSV_FIELDS.map((f) => CSV_HEADERS[f][0] ?? f).join(', ');
  const seen = new Map<CsvField, number>();
  const fields = head.cells.map((name, i) => {
    const field = fieldOfHeader(name);
    if (!field) {
      if (name.trim())
        errors.push(`${head.line}:${i + 1}: ${t('site.import.unknown_column', { name, known })}`);
      return undefined;
    }
    if (seen.has(field)) errors.push(`${head.line}:${i + 1}: ${t('site.import.duplicate_column', { name })}`);
    seen.set(field, i);
    return field;
  });
  for (const f of REQUIRED)
    if (!seen.has(f))
      errors.push(`${head.line}:1: ${t('site.import.missing_column', { name: CSV_HEADERS[f][0] ?? f })}`);
  return fields;
}

/** Check every row (nothing is sent while any row is wrong). */
export function parseSiteCsv(ctx: Context, text: string): Parsed {
  const { t } = ctx;
  const errors: string[] = [];
  let records: CsvRecord[];
  try {
    records = readCsv(text);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    return {
      rows: [],
      errors: [`${err.line}:${err.column}: ${t('site.import.bad_csv', { reason: err.message })}`],
    };
  }
  const [head, ...data] = records;
  if (!head) return { rows: [], errors: [`1:1: ${t('site.import.no_header')}`] };
  const fields = readHeader(ctx, head, errors);
  if (errors.length) return { rows: [], errors };
  if (data.length === 0) return { rows: [], errors: [`${head.line}:1: ${t('site.import.empty')}`] };
  if (data.length > SITE_BATCH_MAX)
    return {
      rows: [],
      errors: [`${data[SITE_BATCH_MAX]?.line}:1: ${t('site.import.too_many', { max: SITE_BATCH_MAX })}`],
    };
  const columnOf = new Map<string, number>();
  fields.forEach((f, i) => {
    if (f) columnOf.set(ENTRY_PATH[f], i + 1);
  });
  const firstLine = new Map<string, number>();
  const rows: Row[] = [];
  for (const rec of data) {
    const cells: Partial<Record<CsvField, string>> = {};
    rec.cells.forEach((cell, i) => {
      const f = fields[i];
      const v = cell.trim();
      if (f && v) cells[f] = v;
    });
    const entry = entryOfCells(cells);
    for (const e of entryErrors(entry, t)) {
      // A person's phone without a name: the error names the person's name column, or else the phone's.
      const who = e.path.split('.')[0] as string;
      const col = columnOf.get(e.path) ?? columnOf.get(`${who}.name`) ?? columnOf.get(`${who}.phone`) ?? 1;
      const header = head.cells[col - 1] ?? e.path;
      const message =
        e.path.endsWith('.name') && !cells[who as CsvField]
          ? t('site.import.need_name', { person: header })
          : `${header}: ${e.message}`;
      errors.push(`${rec.line}:${col}: ${message}`);
    }
    const prior = entry.id ? firstLine.get(entry.id) : undefined;
    if (prior !== undefined)
      errors.push(
        `${rec.line}:${columnOf.get('id') ?? 1}: ${t('site.import.duplicate_id', { id: entry.id, row: prior })}`,
      );
    else if (entry.id) firstLine.set(entry.id, rec.line);
    rows.push({ line: rec.line, entry });
  }
  return { rows, errors };
}

async function readText(ctx: Context, file: string): Promise<string> {
  const bytes = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new FileError(`${file}: ${err.message}`);
  });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileError(`${file}: ${ctx.t('site.import.not_utf8')}`);
  }
}

export async function importCommand(ctx: Context, opts: ImportOptions): Promise<number> {
  const { t } = ctx;
  const abs = path.resolve(ctx.cwd, opts.file);
  const name = displayPath(abs, ctx.cwd);
  const { rows, errors } = parseSiteCsv(ctx, await readText(ctx, abs));
  if (errors.length) {
    for (const e of errors) ctx.io.stderr.write(`${name}:${e}\n`);
    throw new UsageError(
      t('site.import.bad_rows', { file: name, n: new Set(errors.map((e) => e.split(':')[0])).size }),
    );
  }
  if (opts.dryRun) {
    if (opts.format === 'json') await print(ctx, undefined, json({ items: rows.map((r) => r.entry) }));
    else ctx.io.stdout.write(`${t('site.import.dry', { file: name, n: rows.length })}\n`);
    return 0;
  }
  const s = await openSiteSession(ctx, opts);
  let answers: Awaited<ReturnType<typeof putBatches>>;
  try {
    answers = await putBatches(
      s,
      rows.map((r) => r.entry),
      true,
    );
  } finally {
    await s.client.close();
  }
  const refused = answers.flatMap((a, i) =>
    a.error && a.error.code !== 'not_written'
      ? [{ line: rows[i]?.line, id: a.id, reason: a.error.message }]
      : [],
  );
  if (refused.length) {
    for (const r of refused)
      ctx.io.stderr.write(
        `${t('site.import.row_refused', { file: name, row: r.line ?? 0, id: r.id, reason: r.reason })}\n`,
      );
    throw new UsageError(t('site.import.refused', { file: name, n: refused.length }));
  }
  if (opts.format === 'json') await print(ctx, undefined, json({ items: answers }));
  else ctx.io.stdout.write(`${t('site.import.ok', { file: name, n: answers.length })}\n`);
  return 0;
}
