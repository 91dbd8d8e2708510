/** `diemcau sim codec|bridge`: simulated gear for practice, tests and the demo. Flags only; the work is lazy-imported. */
import { type Command, Option } from '@commander-js/extra-typings';
import { SIMULATED_DRIVERS } from '../../drivers/table.js';
import type { Translator } from '../../i18n/index.js';
import { intFlag, listFlag } from '../flags.js';
import type { Flags, Wiring } from '../program.js';

// The values of the scenario fields `generation` and `cloud` (src/sim/scenario.ts), which this file must not import.
const GENERATIONS = ['videoos', 'group-series'] as const;
const CLOUDS = ['webex', 'teams'] as const;

const codec = (sim: Command, t: Translator) =>
  sim
    .command('codec')
    .description(t('sim.cmd.codec'))
    .addOption(
      new Option('--driver <driver>', t('sim.flag.driver')).choices(SIMULATED_DRIVERS).default('cisco'),
    )
    .option('--host <address>', t('sim.flag.host'), '127.0.0.1')
    .option('--port <n>', t('sim.flag.port'), intFlag(t, '--port', 0), 8080)
    .option('--scenario <names>', t('sim.flag.scenario'), listFlag)
    .option('--scenario-file <file>', t('sim.flag.scenario_file'))
    .addOption(new Option('--generation <generation>', t('sim.flag.generation')).choices(GENERATIONS))
    .addOption(new Option('--cloud <cloud>', t('sim.flag.cloud')).choices(CLOUDS))
    .option('--username <name>', t('sim.flag.username'), 'admin')
    .option('--tls-cert <file>', t('sim.flag.tls_cert'))
    .option('--tls-key <file>', t('sim.flag.tls_key'))
    .option('--no-sip-dial', t('sim.flag.no_sip_dial'));

const bridge = (sim: Command, t: Translator) =>
  sim
    .command('bridge')
    .description(t('sim.cmd.bridge'))
    .option('--host <address>', t('sim.flag.host'), '127.0.0.1')
    .option('--port <n>', t('sim.flag.port'), intFlag(t, '--port', 0), 5060)
    .addOption(
      new Option('--transport <transport>', t('sim.flag.transport'))
        .choices(['udp', 'tcp', 'both'])
        .default('both'),
    )
    .option('--scenario <names>', t('sim.flag.bridge_scenario'), listFlag)
    .option('--scenario-file <file>', t('sim.flag.scenario_file'));

export type SimCodecFlags = Flags<typeof codec>;
export type SimBridgeFlags = Flags<typeof bridge>;

export function register(program: Command, { t, act }: Wiring): void {
  const sim = program.command('sim').description(t('sim.cmd'));

  codec(sim, t).action(
    act(async (ctx, opts) => {
      const { simCodecCommand } = await import('../../commands/sim/codec.js');
      return simCodecCommand(ctx, opts);
    }),
  );
  bridge(sim, t).action(
    act(async (ctx, opts) => {
      const { simBridgeCommand } = await import('../../commands/sim/bridge.js');
      return simBridgeCommand(ctx, opts);
    }),
  );
}
