/** What the alert and maintenance commands share: one registry call with the admin token, read or thrown. */
import type { Context } from '../../cli/context.js';
import type { RequestOptions } from '../../registry/client.js';
import { clientFor, readOrThrow, resolveTarget } from '../../registry/session.js';
import { readerTime } from '../../util/local-time.js';

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

/** An ISO time as people read it ("07:30 25/11/2026"), in the sites' zone (DIEMCAU_TZ, else Asia/Ho_Chi_Minh). */
export const shortTime = (ctx: Context, iso: string | null): string => (iso ? readerTime(ctx.env, iso) : '-');
