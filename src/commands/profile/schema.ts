import type { Context } from '../../cli/context.js';
import { exportJsonSchema } from '../../profile/schema.js';

export async function schemaCommand(ctx: Context): Promise<number> {
  ctx.io.stdout.write(`${JSON.stringify(await exportJsonSchema(ctx.version), null, 2)}\n`);
  return 0;
}
