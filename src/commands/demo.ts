/**
 * `diemcau demo`: the whole tool on one machine. Starts, on 127.0.0.1, a
 * registry (SQLite in a temp folder) with its UDP reflector, a simulated
 * codec and a simulated MCU bridge; writes a demo profile; runs the full
 * checklist and uploads it; files a sample incident with the run attached;
 * prints the readiness report; stops everything (also on Ctrl-C). Checks
 * that need a program this machine lacks (ping, ffmpeg) are shown as skipped
 * with the reason, so it works with nothing but Node and npm.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../cli/context.js';
import type { DemoFlags } from '../cli/wiring/demo.js';
import { DiemcauError } from '../errors.js';
import { fitLines } from '../util/table.js';

export type DemoOptions = DemoFlags;

interface Services {
  registryUrl: string;
  token: string;
  reflectorPort: number;
  codecUrl: string;
  codecPort: number;
  password: string;
  bridgeUri: string;
  bridgePort: number;
}

const yamlString = (s: string) => JSON.stringify(s);

/** The demo site's profile: every check kind, pointed at the services on loopback. */
export function demoProfile(
  ctx: Context,
  s: Services,
  driver: string,
  skips: { ping?: string; ffmpeg?: string; ups: string },
): string {
  const skip = (reason: string | undefined) => (reason ? `, skip: ${yamlString(reason)}` : '');
  return `# diemcau demo profile: every service here is on 127.0.0.1 and simulated.
site:
  id: demo-xa-mau
  name: ${yamlString(ctx.locale === 'vi' ? 'UBND xã Mẫu (chạy thử)' : 'Mau commune hall (demo)')}
  unit: demo/xa-mau
  level: xa
  technician: { name: ${yamlString(ctx.locale === 'vi' ? 'Cán bộ kỹ thuật' : 'Site technician')}, phone: "0900 000 000" }
  focal_point: { name: ${yamlString(ctx.locale === 'vi' ? 'Trung tâm CNTT tỉnh (chạy thử)' : 'Provincial IT centre (demo)')}, phone: "0200 000 000" }
locale: ${ctx.locale}
registry: { url: ${yamlString(s.registryUrl)}, token: "\${DIEMCAU_TOKEN}" }
codec: { driver: ${driver}, scheme: http, host: 127.0.0.1, port: ${s.codecPort}, username: admin, password: "\${CODEC_PASSWORD}" }
bridges:
  - { id: tinh, name: ${yamlString(ctx.locale === 'vi' ? 'Phòng họp trực tuyến tỉnh (mô phỏng)' : 'Province meeting room (simulated)')}, uri: ${yamlString(s.bridgeUri)}, rate_kbps: 1920 }
meeting: { length: 2h }
checks:
  - { id: mcu-ping, kind: ping, target: 127.0.0.1, count: 5${skip(skips.ping)} }
  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${s.bridgePort} }
  - { id: mcu-dns, kind: dns, name: localhost }
  - { id: portal, kind: http, url: ${yamlString(`${s.registryUrl}/v1/health`)}, expect_status: 200 }
  - { id: mcu-sip, kind: sip-options, bridge: tinh }
  - { id: codec, kind: codec-status }
  - { id: codec-reg, kind: codec-registration, needs: [codec] }
  - { id: av, kind: codec-peripherals, expect: { cameras: 1, microphones: 2 }, needs: [codec] }
  - { id: codec-diag, kind: codec-diagnostics, needs: [codec], required: false }
  - { id: vc-network, kind: udp-quality, target: "127.0.0.1:${s.reflectorPort}", duration: 3s }
  - { id: bandwidth, kind: throughput, duration: 1s, min_down_mbps: 2, min_up_mbps: 2 }
  - { id: power, kind: power, required: false }
  - { id: ups, kind: ups, name: ups${skip(skips.ups)} }
  # A test tone and a test pattern stand in for the room's microphone and camera.
  - { id: mic, kind: microphone, input: "lavfi:sine=frequency=440:sample_rate=48000", capture: 2s${skip(skips.ffmpeg)} }
  - { id: cam, kind: camera, input: "lavfi:testsrc=size=640x360:rate=15", grab: true${skip(skips.ffmpeg)} }
  - { id: test-call, kind: test-call, bridge: tinh, duration: 5s, needs: [codec, mcu-sip] }
`;
}

/**
 * A meeting in 65 minutes with the demo site taking part (emergency: the
 * notice rule does not hold it back; docs/meetings.md), then `meeting next`,
 * `report meeting` and the site's calendar as an .ics file.
 */
async function demoMeeting(
  dctx: Context,
  file: string,
  services: Services,
  dir: string,
  out: (line?: string) => void,
): Promise<void> {
  const { t } = dctx;
  const quiet: Context = { ...dctx, io: { ...dctx.io, interactive: false } };
  const startMs = Math.ceil((Date.now() + 65 * 60_000) / 60_000) * 60_000;
  out();
  out(t('demo.step.meeting'));
  const [{ addCommand }, { nextCommand }, { icsCommand }, { meetingReportCommand }] = await Promise.all([
    import('./meeting/add.js'),
    import('./meeting/next.js'),
    import('./meeting/ics.js'),
    import('./report/meeting.js'),
  ]);
  await addCommand(quiet, {
    profile: file,
    title: t('demo.meeting.title'),
    host: 'demo',
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + 2 * 60 * 60_000).toISOString(),
    bridge: services.bridgeUri,
    site: ['demo-xa-mau'],
    kind: 'emergency',
    format: 'table',
  });
  out();
  await nextCommand(quiet, { profile: file, format: 'table' });
  out();
  await meetingReportCommand(quiet, { profile: file, id: 1, format: 'table' });
  const ics = path.join(dir, 'demo-xa-mau.ics');
  await icsCommand(quiet, { profile: file, site: 'demo-xa-mau', output: ics });
}

export async function demoCommand(ctx: Context, opts: DemoOptions): Promise<number> {
  const { t, io } = ctx;
  // The demo's own one-line messages wrap at words on a terminal (fitLines), never mid-word at
  // the edge; tables and reports (several lines) come already fitted.
  const out = (line = '') =>
    io.stdout.write(
      `${io.stdoutTTY && !line.includes('\n') ? fitLines([line], io.columns).join('\n') : line}\n`,
    );
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-demo-'));
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const [{ openStore }, { buildApp }, { createToken }, { startReflector }, sim] = await Promise.all([
      import('../registry/store/open.js'),
      import('../registry/server.js'),
      import('../registry/auth.js'),
      import('../registry/reflector.js'),
      import('../sim/index.js'),
    ]);
    let services: Services;
    try {
      const store = await openStore(path.join(dir, 'registry.db'));
      const { token } = await createToken(store, {
        role: 'admin',
        unit: '',
        label: 'demo',
        nowMs: Date.now(),
      });
      const app = await buildApp({ store, version: ctx.version, logLevel: 'silent' });
      stops.push(() => app.close());
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const registryPort = typeof address === 'object' && address ? address.port : 0;
      const reflector = await startReflector({ host: '127.0.0.1', port: 0 });
      stops.push(() => reflector.close());
      const bridge = await sim.startBridgeSim({ host: '127.0.0.1' });
      stops.push(() => bridge.close());
      const password = randomBytes(9).toString('base64url');
      const scenario = sim.namedScenario(opts.scenario ? opts.scenario.split(',').map((s) => s.trim()) : []);
      const codec = await sim.startCodecSim(opts.driver, { host: '127.0.0.1', password, scenario });
      stops.push(() => codec.close());
      services = {
        registryUrl: `http://127.0.0.1:${registryPort}`,
        token,
        reflectorPort: reflector.port,
        codecUrl: codec.url,
        codecPort: codec.port,
        password,
        bridgeUri: `sip:8001@127.0.0.1:${bridge.port}`,
        bridgePort: bridge.port,
      };
    } catch (err) {
      throw new DiemcauError(t('demo.err.start', { reason: (err as Error).message }), { cause: err });
    }

    // What this machine lacks is skipped with the reason, not failed.
    const { findOnPath } = await import('../checks/program.js');
    const { locateFfmpeg, installHint } = await import('../checks/ffmpeg.js');
    const file = path.join(dir, 'diemcau-demo.yaml');
    const ffmpeg = await locateFfmpeg({ profileFile: file, env: ctx.env });
    const skips = {
      ping: findOnPath('ping', ctx.env.PATH) ? undefined : t('demo.skip.ping'),
      ffmpeg: ffmpeg.path ? undefined : t('demo.skip.ffmpeg', { hint: installHint(t) }),
      ups: t('demo.skip.no_ups'),
    };
    await fs.writeFile(file, demoProfile(ctx, services, opts.driver, skips));

    // The demo's own secrets and state: nothing touches the user's outbox.
    const dctx: Context = {
      ...ctx,
      env: {
        ...ctx.env,
        DIEMCAU_TOKEN: services.token,
        CODEC_PASSWORD: services.password,
        DIEMCAU_PROFILE: file,
      },
      stateDir: path.join(dir, 'state'),
    };
    out(t('demo.title', { driver: opts.driver }));
    out(
      t('demo.started', {
        registry: services.registryUrl,
        dir,
        reflector: services.reflectorPort,
        codec: services.codecUrl,
        bridge: services.bridgeUri,
      }),
    );
    out();
    out(t('demo.step.check', { file }));
    const { checkCommand } = await import('./check/check.js');
    const verdictCode = await checkCommand(dctx, { profiles: [file], upload: true, format: ['human'] });
    if (ctx.signal.aborted) return 130;
    out();
    out(t('demo.step.incident'));
    const { fileCommand } = await import('./incident/file.js');
    // Everything comes from here: no questions, even on a terminal.
    await fileCommand(
      { ...dctx, io: { ...dctx.io, interactive: false } },
      {
        profile: file,
        category: 'chap_chon',
        severity: 'minor',
        summary: t('demo.incident.summary'),
        action: t('demo.incident.action'),
        effect: 'none',
        attachRun: true,
      },
    );
    if (ctx.signal.aborted) return 130;
    out();
    out(t('demo.step.report'));
    const { readinessCommand } = await import('./report/readiness.js');
    // Piped (scripts, CI): the rows scripts read, as before `table` became a table everywhere.
    await readinessCommand(dctx, { profile: file, format: dctx.io.stdoutTTY ? 'table' : 'tsv' });
    if (ctx.signal.aborted) return 130;
    await demoMeeting(dctx, file, services, dir, out);

    if (opts.keep) {
      out();
      out(t('demo.keep.title'));
      // Secrets go to a file only its owner can read, never to the screen.
      const envFile = path.join(dir, 'demo.env');
      await fs.writeFile(
        envFile,
        `export DIEMCAU_TOKEN=${services.token}\nexport CODEC_PASSWORD=${services.password}\nexport DIEMCAU_PROFILE=${file}\n`,
        { mode: 0o600 },
      );
      out(t('demo.keep.registry', { url: services.registryUrl, file: envFile }));
      out(t('demo.keep.codec', { url: services.codecUrl, driver: opts.driver }));
      out(t('demo.keep.bridge', { uri: services.bridgeUri }));
      out();
      out(t('demo.keep.try'));
      out(`  . ${envFile}`);
      out('  diemcau check');
      out('  diemcau dial --test 10s');
      out('  diemcau incident list');
      out('  diemcau report readiness --format html -o readiness.html');
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) return resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    return verdictCode;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
    if (!opts.keep || ctx.signal.aborted) {
      const line = t('demo.stopped', { dir });
      io.stderr.write(`${io.stderrTTY ? fitLines([line], io.columns).join('\n') : line}\n`);
    }
  }
}
