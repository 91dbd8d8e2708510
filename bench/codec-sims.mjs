// Helper for codec.bench.mjs (not a benchmark itself): hosts N simulated
// codecs, each on its own loopback port, in a separate process so that the
// benchmark measures the checking side only. Talks over IPC:
//   parent → {start: {driver, count, scenario}} ; child → {ports: [...]}
//   parent → {sessions: true}         ; child → {open: n, begun: n}
//   parent → {cpu: true}              ; child → {cpuMs: n}
//   parent → {stop: true}             ; child exits
import { startCodecSim } from '../dist/sim/index.js';

let sims = [];
process.on('message', async (msg) => {
  if (msg.start) {
    for (const s of sims) await s.close();
    sims = [];
    for (let i = 0; i < msg.start.count; i++) {
      sims.push(
        await startCodecSim(msg.start.driver, {
          password: 'bench-pass',
          sipDial: 'off',
          scenario: msg.start.scenario ?? {},
        }),
      );
    }
    process.send({ ports: sims.map((s) => s.port) });
  } else if (msg.sessions) {
    process.send({
      open: sims.reduce((a, s) => a + s.sessions(), 0),
      begun: sims.reduce((a, s) => a + s.sessionsBegun(), 0),
    });
  } else if (msg.cpu) {
    const u = process.cpuUsage();
    process.send({ cpuMs: (u.user + u.system) / 1000 });
  } else if (msg.stop) {
    for (const s of sims) await s.close();
    process.exit(0);
  }
});
