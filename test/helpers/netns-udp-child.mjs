// Runs inside a network namespace (ip netns exec ... node this-file): starts
// the registry's reflector on 127.0.0.1:<port> and runs the real udp-quality
// check against it, then prints the check's outcome as JSON on stdout.
// argv: <dir of transpiled src> <port> <pps> <duration>
const [dir, port, pps, duration] = process.argv.slice(2);
const { startReflector } = await import(`${dir}/src/registry/reflector.js`);
const { udpQuality } = await import(`${dir}/src/checks/udp-quality.js`);
const { translator } = await import(`${dir}/src/i18n/index.js`);

const reflector = await startReflector({ host: '127.0.0.1', port: Number(port) });
const timeoutMs = 30_000;
const ctx = {
  t: translator('en'),
  locale: 'en',
  signal: AbortSignal.timeout(timeoutMs),
  clock: { now: () => new Date(), monotonic: () => performance.now() },
  env: {},
  cwd: process.cwd(),
  profile: {
    file: 'x',
    files: [],
    site: { id: 'x', name: 'x', unit: 'x' },
    bridges: [],
    checks: [],
    secretPaths: [],
    document: {},
  },
  timeoutMs,
};
try {
  const outcome = await udpQuality.run({ target: `127.0.0.1:${port}`, pps: Number(pps), duration }, ctx);
  process.stdout.write(`${JSON.stringify({ outcome, reflector: reflector.stats() })}\n`);
} finally {
  await reflector.close();
}
