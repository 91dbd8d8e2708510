/** What the alert and maintenance commands share: one registry call with the admin token, read or thrown. */
import type { Context } from '../../cli/context.js';
import type { RequestOptions } from '../../registry/client.js';
import { clientFor, readOrThrow, resolveTarget } from '../../registry/session.js';

export async function call<T>(
  ctx: Context,
  registry: string | undefined,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  ro: RequestOptions = {},
): Promise<T> {
  const target = resolveTarget(ctx, { flag: registry });
  const client = clientFor(ctx, target);
  try {
    return readOrThrow(ctx, target, await client.send<T>(method, path, ro));
  } finally {
    await client.close();
  }
}

export const json = (ctx: Context, value: unknown): number => {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  return 0;
};

/** Local time of an ISO time, for tables ("2026-11-25 07:30"). */
export const shortTime = (iso: string | null): string => {
  if (!iso) return '-';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};
