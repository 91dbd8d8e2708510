// A test-only UDP relay in front of the registry's reflector, in its own
// process (its timers must not share an event loop with the probe being
// measured). It adds delay, jitter, loss, reordering and duplicates, drawn
// from a seeded generator, on the way to the reflector only, and records
// what it actually did: the truth the measurement is checked against.
//
// argv: <dir of transpiled src> <options JSON>
// stdout: {"port": N} once listening; after "end" on stdin, the record:
//   {"released": [[seq, inAt, outAt], ...] (release order, first copy only),
//    "dropped", "duplicated", "reordered"}
import dgram from 'node:dgram';

const [dir, optsJson] = process.argv.slice(2);
const opts = JSON.parse(optsJson);
const { startReflector } = await import(`${dir}/src/registry/reflector.js`);
const reflector = await startReflector({ host: '127.0.0.1', port: 0, maxPps: 100_000 });

// mulberry32: small, fast, repeatable.
let state = (opts.seed ?? 1) >>> 0;
const rnd = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const front = dgram.createSocket('udp4');
const back = dgram.createSocket('udp4');
const released = [];
let dropped = 0;
let duplicated = 0;
let reordered = 0;
let client;
let n = 0;
let held;

const forward = (msg, seq, inAt, copies) => {
  released.push([seq, inAt, performance.now()]);
  if (copies > 1) duplicated += 1;
  for (let i = 0; i < copies; i += 1) back.send(msg, reflector.port, '127.0.0.1');
};

front.on('message', (msg, rinfo) => {
  const inAt = performance.now();
  client = rinfo;
  const seq = msg.length >= 20 ? msg.readUInt32BE(16) : -1;
  n += 1;
  if (opts.loss && rnd() < opts.loss) {
    dropped += 1;
    return;
  }
  const copies = opts.duplicateEvery && n % opts.duplicateEvery === 0 ? 2 : 1;
  if (opts.reorderEvery) {
    if (held) {
      // The held packet goes out right after this one: this one overtakes it.
      const h = held;
      held = undefined;
      clearTimeout(h.timer);
      forward(msg, seq, inAt, copies);
      forward(h.msg, h.seq, h.inAt, h.copies);
      reordered += 1;
      return;
    }
    if (n % opts.reorderEvery === 0) {
      const timer = setTimeout(() => {
        if (held?.msg === msg) {
          held = undefined;
          forward(msg, seq, inAt, copies);
        }
      }, 200);
      held = { msg, seq, inAt, copies, timer };
      return;
    }
  }
  const extra = opts.jitterMs ? (rnd() * 2 - 1) * opts.jitterMs : 0;
  const delay = Math.max(0, (opts.delayMs ?? 0) + extra);
  if (delay === 0) forward(msg, seq, inAt, copies);
  else setTimeout(() => forward(msg, seq, inAt, copies), delay);
});
back.on('message', (msg) => {
  if (client) front.send(msg, client.port, client.address);
});

await new Promise((r) => back.bind(0, '127.0.0.1', r));
await new Promise((r) => front.bind(0, '127.0.0.1', r));
process.stdout.write(`${JSON.stringify({ port: front.address().port })}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', async () => {
  process.stdout.write(`${JSON.stringify({ released, dropped, duplicated, reordered })}\n`);
  front.close();
  back.close();
  await reflector.close();
  process.exit(0);
});
// The parent went away: do not linger.
process.stdin.on('end', () => process.exit(0));
