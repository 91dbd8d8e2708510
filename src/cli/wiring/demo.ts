/** `diemcau demo`: flags only; the work is lazy-imported. */
import { type Command, Option } from '@commander-js/extra-typings';
import { SIMULATED_DRIVERS } from '../../drivers/table.js';
import type { Translator } from '../../i18n/index.js';
import type { Flags, Wiring } from '../program.js';

const demo = (program: Command, t: Translator) =>
  program
    .command('demo')
    .description(t('cmd.demo'))
    .option('--keep', t('flag.demo.keep'))
    .addOption(
      new Option('--driver <driver>', t('flag.demo.driver')).choices(SIMULATED_DRIVERS).default('cisco'),
    )
    .option('--scenario <names>', t('flag.demo.scenario'));

export type DemoFlags = Flags<typeof demo>;

export function register(program: Command, { t, act }: Wiring): void {
  demo(program, t).action(
    act(async (ctx, opts) => {
      const { demoCommand } = await import('../../commands/demo.js');
      return demoCommand(ctx, opts);
    }),
  );
}
