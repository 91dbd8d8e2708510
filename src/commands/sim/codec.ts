/**
 * `diemcau sim codec --driver <a driver with a simulator> --port N`: a simulated codec on
 * this machine for practice, the demo and tests, speaking the vendor's real
 * API. `--scenario asleep,lossy` or `--scenario-file` makes it misbehave;
 * `--generation group-series` (Poly) and `--cloud webex|teams` (Cisco) say
 * which kind of unit it plays.
 * Runs until Ctrl-C; prints its URL on stdout, one line per request on
 * stderr. The password comes from $DIEMCAU_SIM_PASSWORD (default
 * "diemcau") and is never printed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import type { SimCodecFlags } from '../../cli/wiring/sim.js';
import { UsageError } from '../../errors.js';
import type { CodecScenario } from '../../sim/scenario.js';
import { listenError, readScenarioFile, untilCancelled } from './scenario-file.js';

export type SimCodecOptions = SimCodecFlags;

export async function simCodecCommand(ctx: Context, opts: SimCodecOptions): Promise<number> {
  const { t } = ctx;
  const { namedScenario, validateScenario, ScenarioError, SCENARIO_NAMES } = await import(
    '../../sim/scenario.js'
  );
  let scenario: CodecScenario = {};
  try {
    if (opts.scenarioFile) scenario = validateScenario(await readScenarioFile(ctx, opts.scenarioFile));
    if (opts.scenario?.length) scenario = { ...scenario, ...namedScenario(opts.scenario) };
  } catch (err) {
    if (err instanceof ScenarioError)
      throw new UsageError(t('sim.err.scenario', { reason: err.message }), {
        hint: t('sim.hint.scenario', { names: SCENARIO_NAMES.join(', ') }),
      });
    throw err;
  }
  // --generation and --cloud say what the named scenarios group-series / teams-mode say, and win over them.
  if (opts.generation) {
    if (opts.driver !== 'poly')
      throw new UsageError(t('sim.err.flag_driver', { flag: '--generation', driver: 'poly' }));
    scenario = { ...scenario, generation: opts.generation };
  }
  if (opts.cloud) {
    if (opts.driver !== 'cisco')
      throw new UsageError(t('sim.err.flag_driver', { flag: '--cloud', driver: 'cisco' }));
    scenario = { ...scenario, cloud: opts.cloud };
  }
  if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new UsageError(t('sim.err.tls_pair'));
  const tls =
    opts.tlsCert && opts.tlsKey
      ? { cert: await readPem(ctx, opts.tlsCert), key: await readPem(ctx, opts.tlsKey) }
      : undefined;

  const { startCodecSim } = await import('../../sim/index.js');
  const log = (line: string) => ctx.io.stderr.write(`${line}\n`);
  let sim: Awaited<ReturnType<typeof startCodecSim>>;
  try {
    sim = await startCodecSim(opts.driver, {
      host: opts.host,
      port: opts.port,
      scenario,
      username: opts.username,
      // From the environment, never a flag: command lines show up in `ps`.
      password: ctx.env.DIEMCAU_SIM_PASSWORD || 'diemcau',
      ...(tls ? { tls } : {}),
      sipDial: opts.sipDial ? 'auto' : 'off',
      onLog: log,
    });
  } catch (err) {
    throw listenError(ctx, opts.host, opts.port, err);
  }
  const active = Object.keys(scenario).join(', ') || t('sim.scenario.normal');
  ctx.io.stderr.write(
    `${t('sim.codec.started', { driver: opts.driver, url: sim.url, user: opts.username, scenario: active })}\n`,
  );
  ctx.io.stdout.write(`${sim.url}\n`);
  await untilCancelled(ctx.signal);
  await sim.close();
  ctx.io.stderr.write(`${t('sim.stopped')}\n`);
  return 0;
}

async function readPem(ctx: Context, file: string): Promise<Buffer> {
  try {
    return await fs.readFile(path.resolve(ctx.cwd, file));
  } catch (err) {
    throw new UsageError(
      ctx.t('sim.err.scenario_read', { file, reason: (err as NodeJS.ErrnoException).code ?? String(err) }),
    );
  }
}
