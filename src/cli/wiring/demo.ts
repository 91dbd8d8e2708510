/** `diemcau demo`: flags only; the work is lazy-imported. */
import { type Command, Option } from 'commander';
import type { DemoOptions } from '../../commands/demo.js';
import { SIMULATED_DRIVERS } from '../../drivers/table.js';
import type { Wiring } from '../program.js';

export function register(program: Command, { t, act }: Wiring): void {
  program
    .command('demo')
    .description(t('cmd.demo'))
    .option('--keep', t('flag.demo.keep'))
    .addOption(
      new Option('--driver <driver>', t('flag.demo.driver')).choices(SIMULATED_DRIVERS).default('cisco'),
    )
    .option('--scenario <names>', t('flag.demo.scenario'))
    .action(
      act(async (ctx, opts: DemoOptions) => {
        const { demoCommand } = await import('../../commands/demo.js');
        return demoCommand(ctx, opts);
      }),
    );
}
