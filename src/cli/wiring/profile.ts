/** `diemcau profile validate|show|schema|init`: flags only; the work is lazy-imported. */
import { type Command, Option } from '@commander-js/extra-typings';
import { DRIVER_NAMES } from '../../drivers/table.js';
import type { Translator } from '../../i18n/index.js';
import type { Flags, Wiring } from '../program.js';

const show = (profile: Command, t: Translator) =>
  profile
    .command('show')
    .description(t('cmd.profile.show'))
    .argument('[file]', t('arg.profile_file'))
    .addOption(
      new Option('-f, --format <format>', t('cli.flag.format')).choices(['yaml', 'json']).default('yaml'),
    );

const init = (profile: Command, t: Translator) =>
  profile
    .command('init')
    .description(t('cmd.profile.init'))
    .argument('[file]', t('arg.profile_out'), 'diemcau.yaml')
    .option('-y, --yes', t('flag.init.yes'))
    .option('--force', t('flag.init.force'))
    .option('--id <id>', t('profile.init.q.id'))
    .option('--name <name>', t('profile.init.q.name'))
    .option('--unit <path>', t('profile.init.q.unit'))
    .addOption(
      new Option('--level <level>', t('profile.init.q.level')).choices([
        'trung_uong',
        'tinh',
        'huyen',
        'xa',
        'so_nganh',
      ]),
    )
    .option('--technician <name>', t('profile.init.q.technician'))
    .option('--phone <phone>', t('profile.init.q.phone'))
    .option('--focal-point <name>', t('profile.init.q.focal_point'))
    .option('--focal-phone <phone>', t('profile.init.q.focal_phone'))
    .addOption(new Option('--codec <driver>', t('profile.init.q.driver')).choices(DRIVER_NAMES))
    .option('--codec-host <host[:port]>', t('profile.init.q.codec_host'))
    .option('--codec-port <port>', t('profile.init.q.codec_port'))
    .addOption(
      new Option('--codec-scheme <scheme>', t('profile.init.q.codec_scheme')).choices(['https', 'http']),
    )
    .option('--codec-user <name>', t('profile.init.q.codec_user'))
    .option('--bridge <uri>', t('profile.init.q.bridge_uri'))
    .option('--mcu-host <host>', t('profile.init.q.mcu_host'))
    .option('--registry <url>', t('profile.init.q.registry'))
    .option('--token-var <name>', t('profile.init.q.token_var'))
    .option('--extends <file>', t('profile.init.q.extends'))
    .option('--check', t('flag.init.check'))
    .addOption(new Option('--locale <locale>', t('profile.init.q.locale')).choices(['vi', 'en']));

export type ProfileShowFlags = Flags<typeof show>;
export type ProfileInitFlags = Flags<typeof init>;

export function register(program: Command, { t, act }: Wiring): void {
  const profile = program.command('profile').description(t('cmd.profile'));

  profile
    .command('validate')
    .description(t('cmd.profile.validate'))
    .argument('<files...>', t('arg.profile_files'))
    .action(
      act(async (ctx, files) => {
        const { validateCommand } = await import('../../commands/profile/validate.js');
        return validateCommand(ctx, { files });
      }),
    );

  show(profile, t).action(
    act(async (ctx, file, opts) => {
      const { showCommand } = await import('../../commands/profile/show.js');
      return showCommand(ctx, { file, format: opts.format });
    }),
  );

  profile
    .command('schema')
    .description(t('cmd.profile.schema'))
    .action(
      act(async (ctx) => {
        const { schemaCommand } = await import('../../commands/profile/schema.js');
        return schemaCommand(ctx);
      }),
    );

  init(profile, t).action(
    act(async (ctx, file, opts) => {
      const { initCommand } = await import('../../commands/profile/init.js');
      return initCommand(ctx, { file, ...opts });
    }),
  );
}
