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
