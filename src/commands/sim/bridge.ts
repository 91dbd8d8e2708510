/**
 * `diemcau sim bridge --port N`: a simulated meeting bridge (SIP, UDP and
 * TCP) that answers OPTIONS and INVITE. `--scenario` makes it misbehave:
 * reject (486), never-answer, silent, error (503), hangup (BYE after 30 s).
 * Runs until Ctrl-C; prints its SIP URI on stdout, one line per message on
 * stderr.
 */
import type { Context } from '../../cli/context.js';
import type { SimBridgeFlags } from '../../cli/wiring/sim.js';
import { UsageError } from '../../errors.js';
import type { BridgeScenario } from '../../sim/bridge.js';
import { listenError, readScenarioFile, untilCancelled } from './scenario-file.js';

export type SimBridgeOptions = SimBridgeFlags;

export const BRIDGE_SCENARIOS: Record<string, BridgeScenario> = {
  normal: {},
  reject: { invite_status: 486 },
  'never-answer': { never_answer: true },
  silent: { silent: true },
  error: { options_status: 503, invite_status: 503 },
  hangup: { hangup_after_ms: 30_000 },
  slow: { slow_ms: 1_500 },
};

const FIELDS: Record<keyof BridgeScenario, 'number' | 'boolean'> = {
  options_status: 'number',
  invite_status: 'number',
  never_answer: 'boolean',
  silent: 'boolean',
  ring_ms: 'number',
  slow_ms: 'number',
  hangup_after_ms: 'number',
};

export function bridgeScenario(names: readonly string[], file: unknown): BridgeScenario {
  const out: BridgeScenario = {};
  if (file !== undefined) {
    if (typeof file !== 'object' || file === null || Array.isArray(file))
      throw new Error('a scenario file holds a mapping of fields');
    for (const [k, v] of Object.entries(file)) {
      const type = FIELDS[k as keyof BridgeScenario];
      if (!type) throw new Error(`unknown field "${k}" (known: ${Object.keys(FIELDS).join(', ')})`);
      if (typeof v !== type) throw new Error(`${k}: ${type === 'number' ? 'a number' : 'true or false'}`);
      (out as Record<string, unknown>)[k] = v;
    }
  }
  for (const name of names) {
    const s = BRIDGE_SCENARIOS[name];
    if (!s)
      throw new Error(`unknown scenario "${name}" (known: ${Object.keys(BRIDGE_SCENARIOS).join(', ')})`);
    Object.assign(out, s);
  }
  return out;
}

export async function simBridgeCommand(ctx: Context, opts: SimBridgeOptions): Promise<number> {
  const { t } = ctx;
  let scenario: BridgeScenario;
  try {
    scenario = bridgeScenario(
      opts.scenario ?? [],
      opts.scenarioFile ? await readScenarioFile(ctx, opts.scenarioFile) : undefined,
    );
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(t('sim.err.scenario', { reason: (err as Error).message }), {
      hint: t('sim.hint.scenario', { names: Object.keys(BRIDGE_SCENARIOS).join(', ') }),
    });
  }
  const { startBridgeSim } = await import('../../sim/bridge.js');
  let bridge: Awaited<ReturnType<typeof startBridgeSim>>;
  try {
    bridge = await startBridgeSim({
      host: opts.host,
      port: opts.port,
      transport: opts.transport,
      scenario,
      onLog: (line) => ctx.io.stderr.write(`${line}\n`),
    });
  } catch (err) {
    throw listenError(ctx, opts.host, opts.port, err);
  }
  const active = Object.keys(scenario).join(', ') || t('sim.scenario.normal');
  ctx.io.stderr.write(
    `${t('sim.bridge.started', { uri: bridge.uri, transport: opts.transport.toUpperCase(), scenario: active })}\n`,
  );
  ctx.io.stdout.write(`${bridge.uri}\n`);
  await untilCancelled(ctx.signal);
  await bridge.close();
  ctx.io.stderr.write(`${t('sim.stopped')}\n`);
  return 0;
}
