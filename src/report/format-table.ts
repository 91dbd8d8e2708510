/**
 * A table of formats: name → lazy import of the module that renders it. The
 * compiler checks that every module's `format.name` is the name it is listed
 * under and that its renderer has the table's type.
 */

/** What a format module exports: its name and its renderer(s). */
export interface FormatModule<N extends string, R> {
  format: { name: N; render: R };
}

/** A table of lazily loaded format modules, each under its own name. */
export type FormatTable<T, R> = { [K in keyof T & string]: () => Promise<FormatModule<K, R>> };

/** Checks a table of formats against the renderer type `R` (the first call fixes R). */
export const formatTable =
  <R>() =>
  <T extends FormatTable<T, R>>(table: T): T =>
    table;

/** `name` is listed in `table` (own keys only: not "toString"). */
export function hasFormat<T extends object>(table: T, name: string): name is Extract<keyof T, string> {
  return Object.hasOwn(table, name);
}

/** The names in a table, in the order listed (the order of --help and of error messages). */
export function formatNames<T extends object>(table: T): ReadonlyArray<Extract<keyof T, string>> {
  return Object.keys(table).filter((name) => hasFormat(table, name));
}
