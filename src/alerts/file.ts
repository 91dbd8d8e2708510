/**
 * `registry serve --alerts FILE`: rules and channels from YAML, checked like a
 * profile (docs/alerts.md): every error names file:line:col, the field and
 * what is allowed. ${ENV} references stay as written (they are resolved when
 * a message is sent, never stored resolved), but each must be set now.
 */
import path from 'node:path';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { ProfileError } from '../errors.js';
import type { Translator } from '../i18n/index.js';
import type { AlertsFile } from '../model/alert-rule.js';
import { describe, pickError, pointerToPath } from '../profile/errors.js';
import { readLayer } from '../profile/load.js';
import { formatPath, type Layer, locate, type PathSegment } from '../profile/position.js';
import type { ChannelKind } from './channel.js';
import { checkConfig, fileShapeError } from './config.js';
import type { ChannelLookup } from './lookup.js';
import type { AlertConfig } from './rules.js';

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface FileOptions {
  t: Translator;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  lookup: ChannelLookup;
}

function fail(layer: Layer, at: PathSegment[], message: string, atKey = false): never {
  throw new ProfileError(message, { ...locate([layer], layer.data, at, atKey), path: formatPath(at) });
}

export async function loadAlertsFile(file: string, opts: FileOptions): Promise<AlertConfig> {
  const { t } = opts;
  const layer = await readLayer(path.resolve(opts.cwd, file), { t, env: opts.env, cwd: opts.cwd });
  const shape = fileShapeError(layer.data);
  if (shape) {
    const e = pickError(shape) ?? shape[0];
    if (e)
      fail(
        layer,
        pointerToPath(e.path),
        describe(e, t),
        e.type === ValueErrorType.ObjectAdditionalProperties,
      );
  }
  const doc = layer.data as AlertsFile;
  const config: AlertConfig = { channels: doc.channels ?? [], rules: doc.rules ?? [] };
  const kinds = new Map<string, ChannelKind<unknown> | undefined>();
  for (const ch of config.channels) if (!kinds.has(ch.kind)) kinds.set(ch.kind, await opts.lookup(ch.kind));
  const problem = checkConfig(config, kinds);
  if (problem) fail(layer, problem.path, t(problem.key, problem.params));
  for (const [i, ch] of config.channels.entries())
    for (const [field, value] of Object.entries(ch))
      if (typeof value === 'string')
        for (const m of value.matchAll(ENV_REF))
          if (opts.env[m[1] as string] === undefined)
            fail(layer, ['channels', i, field], t('alerting.err.env_missing', { name: m[1] as string }));
  return config;
}
