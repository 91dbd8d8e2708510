/**
 * `codec-diagnostics`: the codec's own self-diagnosis has nothing at error
 * level. Critical and Error messages fail, Warnings warn; `ignore` lists
 * message types a province has decided to live with (e.g. ValidPasswords).
 */
import { Type } from '@sinclair/typebox';
import { withCodec } from './codec-common.js';
import { defineKind } from './types.js';

export const codecDiagnostics = defineKind({
  kind: 'codec-diagnostics',
  remote: true,
  params: Type.Object({
    ignore: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Diagnostic types to leave out (e.g. ValidPasswords).',
      }),
    ),
  }),
  defaultTimeoutMs: 15_000,
  async run(params, ctx) {
    const { t } = ctx;
    const ignore = new Set((params.ignore ?? []).map((s) => s.toLowerCase()));
    return withCodec(ctx, ['diagnostics'], 'error', async (driver) => {
      const all = await driver.diagnostics!();
      const kept = all.filter((d) => !ignore.has(d.type.toLowerCase()));
      const errors = kept.filter((d) => d.level === 'critical' || d.level === 'error');
      const warnings = kept.filter((d) => d.level === 'warning');
      const metrics = { errors: errors.length, warnings: warnings.length };
      const details = { messages: kept, ignored: all.length - kept.length };
      const first = errors[0] ?? warnings[0];
      if (!first)
        return { status: 'pass', summary: t('codec.diag.clean', { n: kept.length }), metrics, details };
      return {
        status: errors.length ? 'fail' : 'warn',
        summary: t('codec.diag.found', {
          errors: errors.length,
          warnings: warnings.length,
          first: `${first.type}: ${first.description}`,
        }),
        metrics,
        details,
        hint: t('codec.diag.hint'),
      };
    });
  },
});
