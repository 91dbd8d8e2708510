/** `diemcau registry serve|token create`, `diemcau sync`, `diemcau outbox`: flags only; the work is lazy-imported. */
import { type Command, Option } from '@commander-js/extra-typings';
import { UsageError } from '../../errors.js';
import type { Translator } from '../../i18n/index.js';
import { durationFlag, intFlag, sharedOption } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1024,
  k: 1024,
  mb: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
};

function sizeFlag(t: Translator, flag: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
    const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
    if (!m || unit === undefined || Number(m[1]) <= 0)
      throw new UsageError(t('registry.err.size', { flag, got: value }));
    return Math.round(Number(m[1]) * unit);
  };
}

const serve = (registry: Command, t: Translator) =>
  registry
    .command('serve')
    .description(t('registry.cmd.serve'))
    .option('--db <file|url>', t('registry.flag.db'))
    .option('--host <address>', t('registry.flag.host'))
    .option('--port <n>', t('registry.flag.port'), intFlag(t, '--port', 0))
    .option('--stale <duration>', t('registry.flag.stale'), durationFlag(t, '--stale'))
    .option('--body-limit <size>', t('registry.flag.body_limit'), sizeFlag(t, '--body-limit'))
    .option('--reflector-port <n>', t('registry.flag.reflector_port'), intFlag(t, '--reflector-port', 0))
    .addOption(
      new Option('--log-level <level>', t('registry.flag.log_level')).choices([
        'error',
        'warn',
        'info',
        'debug',
        'silent',
      ]),
    )
    .option('--trust-proxy', t('registry.flag.trust_proxy'))
    .option('--tls-cert <file>', t('registry.flag.tls_cert'))
    .option('--tls-key <file>', t('registry.flag.tls_key'))
    .option('--bridges <file>', t('meeting.flag.bridges'), (v: string, acc: string[] = []) => [...acc, v])
    .option('--meeting-tick <duration>', t('meeting.flag.tick'), durationFlag(t, '--meeting-tick'))
    .option('--alerts <file>', t('registry.flag.alerts'))
    .option(
      '--alert-timeout <duration>',
      t('registry.flag.alert_timeout'),
      durationFlag(t, '--alert-timeout'),
    );

const tokenCreate = (token: Command, t: Translator) =>
  token
    .command('create')
    .description(t('registry.cmd.token_create'))
    .addOption(
      new Option('--role <role>', t('registry.flag.role'))
        .choices(['technician', 'viewer', 'admin', 'coordinator'])
        .makeOptionMandatory(),
    )
    .option('--unit <path>', t('registry.flag.unit'))
    .option('--label <text>', t('registry.flag.label'))
    .option('--expires <duration>', t('registry.flag.expires'), durationFlag(t, '--expires'))
    .option('--db <file|url>', t('registry.flag.db'));

const tokenList = (token: Command, t: Translator) =>
  token
    .command('list')
    .description(t('registry.cmd.token_list'))
    .addOption(
      new Option('-f, --format <format>', t('cli.flag.format')).choices(['table', 'json']).default('table'),
    )
    .option('--db <file|url>', t('registry.flag.db'));

const tokenRevoke = (token: Command, t: Translator) =>
  token
    .command('revoke')
    .description(t('registry.cmd.token_revoke'))
    .argument('<id>', t('registry.arg.token_id'))
    .option('--db <file|url>', t('registry.flag.db'));

const sync = (program: Command, t: Translator) =>
  program
    .command('sync')
    .description(t('sync.cmd'))
    .addOption(sharedOption('profile', t))
    .option('--registry <url>', t('registry.flag.registry'))
    .addOption(
      new Option('-f, --format <format>', t('cli.flag.format')).choices(['text', 'json']).default('text'),
    );

const outbox = (program: Command, t: Translator) =>
  program
    .command('outbox')
    .description(t('outbox.cmd'))
    .addOption(
      new Option('-f, --format <format>', t('cli.flag.format')).choices(['table', 'json']).default('table'),
    );

export type ServeFlags = Flags<typeof serve>;
export type TokenCreateFlags = Flags<typeof tokenCreate>;
export type TokenListFlags = Flags<typeof tokenList>;
export type TokenRevokeFlags = Flags<typeof tokenRevoke>;
export type SyncFlags = Flags<typeof sync>;
export type OutboxFlags = Flags<typeof outbox>;

export function register(program: Command, { t, act }: Wiring): void {
  const registry = program.command('registry').description(t('registry.cmd'));

  serve(registry, t).action(
    act(async (ctx, opts) => {
      // SIGTERM (systemd, docker stop) stops the service like Ctrl-C does.
      const stop = new AbortController();
      const onTerm = () => stop.abort(new Error('SIGTERM'));
      process.once('SIGTERM', onTerm);
      try {
        const { serveCommand } = await import('../../commands/registry/serve.js');
        return await serveCommand(ctx, { ...opts, stop: stop.signal });
      } finally {
        process.off('SIGTERM', onTerm);
      }
    }),
  );

  const token = registry.command('token').description(t('registry.cmd.token'));
  tokenCreate(token, t).action(
    act(async (ctx, opts) => {
      const { tokenCreateCommand } = await import('../../commands/registry/token.js');
      return tokenCreateCommand(ctx, opts);
    }),
  );
  tokenList(token, t).action(
    act(async (ctx, opts) => {
      const { tokenListCommand } = await import('../../commands/registry/token.js');
      return tokenListCommand(ctx, opts);
    }),
  );
  tokenRevoke(token, t).action(
    act(async (ctx, id, opts) => {
      const { tokenRevokeCommand } = await import('../../commands/registry/token.js');
      return tokenRevokeCommand(ctx, { ...opts, id });
    }),
  );

  sync(program, t).action(
    act(async (ctx, opts) => {
      const { syncCommand } = await import('../../commands/sync.js');
      return syncCommand(ctx, opts);
    }),
  );

  const box = outbox(program, t).action(
    act(async (ctx, opts) => {
      const { outboxCommand } = await import('../../commands/outbox.js');
      return outboxCommand(ctx, opts);
    }),
  );
  box
    .command('retry')
    .description(t('outbox.cmd.retry'))
    .argument('<id>', t('outbox.arg.id'))
    .action(
      act(async (ctx, id) => {
        const { outboxRetryCommand } = await import('../../commands/outbox.js');
        return outboxRetryCommand(ctx, { id });
      }),
    );
}
