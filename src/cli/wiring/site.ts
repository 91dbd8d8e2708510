/** `diemcau site push|list|show|import|retire|move` (docs/sites.md): flags only; the work is lazy-imported. */
import { type Command, Option } from '@commander-js/extra-typings';
import type { Translator } from '../../i18n/index.js';
import { intFlag, sharedOption } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

const FORMATS = ['table', 'json'] as const;

const common = (cmd: Command, t: Translator) =>
  cmd
    .addOption(sharedOption('profile', t))
    .option('--registry <url>', t('registry.flag.registry'))
    .addOption(new Option('-f, --format <format>', t('cli.flag.format')).choices(FORMATS).default('table'));

const push = (site: Command, t: Translator) =>
  common(site.command('push').description(t('site.cmd.push')), t)
    .argument('[profiles...]', t('site.arg.profiles'))
    .option('--dry-run', t('site.flag.dry_run'));

const list = (site: Command, t: Translator) =>
  common(site.command('list').description(t('site.cmd.list')), t)
    .option('--unit <path>', t('site.flag.unit'))
    .addOption(
      new Option('--retired <which>', t('site.flag.retired')).choices([
        'exclude',
        'include',
        'only',
      ] as const),
    )
    .option('--limit <n>', t('incident.flag.limit'), intFlag(t, '--limit', 1))
    .option('--cursor <cursor>', t('incident.flag.cursor'))
    .addOption(sharedOption('output', t));

const show = (site: Command, t: Translator) =>
  common(site.command('show').description(t('site.cmd.show')), t).argument('<id>', t('site.arg.id'));

const importCsv = (site: Command, t: Translator) =>
  common(site.command('import').description(t('site.cmd.import')), t)
    .argument('<file>', t('site.arg.file'))
    .option('--dry-run', t('site.flag.dry_run'));

const retire = (site: Command, t: Translator) =>
  common(site.command('retire').description(t('site.cmd.retire')), t)
    .argument('<id>', t('site.arg.id'))
    .option('--reason <text>', t('site.flag.reason'));

const move = (site: Command, t: Translator) =>
  common(site.command('move').description(t('site.cmd.move')), t)
    .argument('<id>', t('site.arg.id'))
    .requiredOption('--unit <path>', t('site.flag.to_unit'));

export type SitePushFlags = Flags<typeof push>;
export type SiteListFlags = Flags<typeof list>;
export type SiteShowFlags = Flags<typeof show>;
export type SiteImportFlags = Flags<typeof importCsv>;
export type SiteRetireFlags = Flags<typeof retire>;
export type SiteMoveFlags = Flags<typeof move>;

export function register(program: Command, { t, act }: Wiring): void {
  const site = program.command('site').description(t('site.cmd'));
  push(site, t).action(
    act(async (ctx, profiles, opts) => {
      const { pushCommand } = await import('../../commands/site/push.js');
      return pushCommand(ctx, { ...opts, profiles });
    }),
  );
  list(site, t).action(
    act(async (ctx, opts) => {
      const { listCommand } = await import('../../commands/site/list.js');
      return listCommand(ctx, opts);
    }),
  );
  show(site, t).action(
    act(async (ctx, id, opts) => {
      const { showCommand } = await import('../../commands/site/list.js');
      return showCommand(ctx, { ...opts, id });
    }),
  );
  importCsv(site, t).action(
    act(async (ctx, file, opts) => {
      const { importCommand } = await import('../../commands/site/import.js');
      return importCommand(ctx, { ...opts, file });
    }),
  );
  retire(site, t).action(
    act(async (ctx, id, opts) => {
      const { retireCommand } = await import('../../commands/site/change.js');
      return retireCommand(ctx, { ...opts, id });
    }),
  );
  move(site, t).action(
    act(async (ctx, id, opts) => {
      const { moveCommand } = await import('../../commands/site/change.js');
      return moveCommand(ctx, { ...opts, id });
    }),
  );
}
