/** `diemcau demo`: flags only; the work is lazy-imported. */
import { type Command, Option } from 'commander';
import type { Wiring } from '../program.js';

export function register(program: Command, { t, act }: Wiring): void {
  program
    .command('demo')
    .description(t('cmd.demo'))
    .option('--keep', t('flag.demo.keep'))
    .addOption(
      new Option('--driver <driver>', t('flag.demo.driver')).choices(['cisco', 'poly']).default('cisco'),
    )
    .option('--scenario <names>', t('flag.demo.scenario'))
    .action(
      act(async (ctx, opts: { keep?: boolean; driver: 'cisco' | 'poly'; scenario?: string }) => {
        const { demoCommand } = await import('../../commands/demo.js');
        return demoCommand(ctx, opts);
      }),
    );
}
