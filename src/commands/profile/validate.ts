import type { Context } from '../../cli/context.js';
import { location } from '../../cli/exit.js';
import { ProfileError } from '../../errors.js';
import { displayPath, loadProfile } from '../../profile/load.js';

export interface ValidateOptions {
  files: string[];
}

export interface ValidateResult {
  file: string;
  ok: boolean;
  checks?: number;
  isDefaults?: boolean;
  missingEnv?: string[];
  error?: ProfileError;
}

/** Validate each file; an invalid one does not stop the others. */
export async function runValidate(ctx: Context, opts: ValidateOptions): Promise<ValidateResult[]> {
  const results: ValidateResult[] = [];
  for (const file of opts.files) {
    const shown = displayPath(file, ctx.cwd);
    try {
      const r = await loadProfile(file, {
        t: ctx.t,
        env: ctx.env,
        cwd: ctx.cwd,
        env_mode: 'lenient',
        allowDefaults: true,
      });
      results.push({
        file: shown,
        ok: true,
        checks: r.profile?.checks.length ?? 0,
        isDefaults: r.isDefaults,
        missingEnv: r.missingEnv,
      });
    } catch (err) {
      if (!(err instanceof ProfileError)) throw err;
      results.push({ file: shown, ok: false, error: err });
    }
  }
  return results;
}

export async function validateCommand(ctx: Context, opts: ValidateOptions): Promise<number> {
  const { t, io } = ctx;
  const results = await runValidate(ctx, opts);
  for (const r of results) {
    if (r.ok) {
      const line = r.isDefaults
        ? t('profile.validate.ok_defaults', { file: r.file })
        : r.missingEnv?.length
          ? t('profile.validate.needs_env', {
              file: r.file,
              checks: r.checks ?? 0,
              names: r.missingEnv.join(', '),
            })
          : t('profile.validate.ok', { file: r.file, checks: r.checks ?? 0 });
      io.stdout.write(`${line}\n`);
    } else if (r.error) {
      io.stderr.write(`diemcau: ${t('cli.error')}: ${location(r.error)}: ${r.error.message}\n`);
    }
  }
  const ok = results.filter((r) => r.ok).length;
  if (results.length > 1)
    io.stderr.write(`${t('profile.validate.summary', { ok, total: results.length })}\n`);
  return ok === results.length ? 0 : 3;
}
