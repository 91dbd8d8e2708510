/**
 * A real NUT server for tests: Debian's dummy-ups driver reading a .dev file
 * in a temp dir, and upsd on a free loopback port, started without systemd
 * (docs/references.md §6). The .dev file can be
 * rewritten to move the UPS through OL → OB → OB LB; dummy-ups re-reads it
 * when its mtime changes.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CANDIDATES = ['/lib/nut', '/usr/lib/nut', '/usr/libexec/nut', '/usr/sbin', '/sbin'];

/** Full path of a NUT program (upsd, dummy-ups), or undefined. */
export function nutProgram(name: 'upsd' | 'dummy-ups'): string | undefined {
  for (const dir of CANDIDATES) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      // /usr/sbin/upsd on Debian is a wrapper that reads /etc/nut/nut.conf; skip it.
      if (fs.readFileSync(p).subarray(0, 2).toString() === '#!') continue;
      return p;
    } catch {
      // not there
    }
  }
  return undefined;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export type DevVars = Record<string, string | number>;

export interface NutServer {
  port: number;
  dir: string;
  /** Rewrite the .dev file (dummy-ups picks it up within its poll interval). */
  writeDev(vars: DevVars): void;
  /** Kill the driver (upsd then answers ERR DRIVER-NOT-CONNECTED). */
  killDriver(): Promise<void>;
  /** Freeze / thaw the driver (SIGSTOP / SIGCONT): after MAXAGE upsd answers ERR DATA-STALE. */
  pauseDriver(paused: boolean): void;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function devText(vars: DevVars): string {
  return `${Object.entries(vars)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n`;
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** One raw exchange with upsd, for readiness polling. */
function ask(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let text = '';
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(text);
    };
    const timer = setTimeout(done, 1000);
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      text += d;
      if (text.includes('\n')) done();
    });
    sock.on('error', done);
    sock.on('connect', () => sock.write(`${command}\n`));
  });
}

export async function startNutServer(
  initial: DevVars,
  opts: { upsName?: string; maxAge?: number } = {},
): Promise<NutServer> {
  const upsd = nutProgram('upsd');
  const driver = nutProgram('dummy-ups');
  if (!upsd || !driver) throw new Error('upsd / dummy-ups not found (apt install nut-server)');
  const name = opts.upsName ?? 'dummy';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-nut-'));
  const etc = path.join(dir, 'etc');
  const state = path.join(dir, 'state');
  fs.mkdirSync(etc);
  fs.mkdirSync(state);
  const port = await freePort();
  const devFile = path.join(etc, 'dummy.dev');
  fs.writeFileSync(
    path.join(etc, 'ups.conf'),
    `[${name}]\n driver = dummy-ups\n port = dummy.dev\n desc = "Simulated UPS for tests"\n pollinterval = 1\n`,
  );
  fs.writeFileSync(path.join(etc, 'upsd.conf'), `LISTEN 127.0.0.1 ${port}\nMAXAGE ${opts.maxAge ?? 15}\n`);
  fs.writeFileSync(
    path.join(etc, 'upsd.users'),
    '[admin]\n password = secret\n actions = SET\n instcmds = ALL\n',
  );
  fs.writeFileSync(devFile, devText(initial));
  fs.chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) {
    // The programs drop to user nut when started as root: let it read etc and write state.
    const uid = Number(execFileSync('id', ['-u', 'nut'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'nut'], { encoding: 'utf8' }).trim());
    fs.chownSync(etc, 0, gid);
    fs.chmodSync(etc, 0o750);
    for (const f of fs.readdirSync(etc)) {
      fs.chownSync(path.join(etc, f), 0, gid);
      fs.chmodSync(path.join(etc, f), 0o640);
    }
    fs.chownSync(state, uid, gid);
    fs.chmodSync(state, 0o770);
  }
  const env = { ...process.env, NUT_CONFPATH: etc, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  let driverProc: ChildProcess | undefined = spawn(driver, ['-a', name, '-F'], { env, stdio: 'ignore' });
  let upsdProc: ChildProcess | undefined;
  let lastMtime = Math.floor(fs.statSync(devFile).mtimeMs / 1000);
  const server: NutServer = {
    port,
    dir,
    writeDev(vars) {
      fs.writeFileSync(devFile, devText(vars));
      // dummy-ups re-reads when the mtime changes, to the second: step it a whole second each time.
      lastMtime = Math.max(lastMtime + 1, Math.ceil(Date.now() / 1000) + 1);
      fs.utimesSync(devFile, lastMtime, lastMtime);
    },
    async killDriver() {
      await stopChild(driverProc);
      driverProc = undefined;
    },
    pauseDriver(paused) {
      driverProc?.kill(paused ? 'SIGSTOP' : 'SIGCONT');
    },
    async stop() {
      // A stopped process ignores SIGTERM until continued.
      driverProc?.kill('SIGCONT');
      await Promise.all([stopChild(upsdProc), stopChild(driverProc)]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // The driver must have made its socket before upsd starts, or upsd waits for it.
    for (let i = 0; i < 50 && !fs.readdirSync(state).some((f) => f.startsWith('dummy-ups')); i += 1)
      await sleep(100);
    upsdProc = spawn(upsd, ['-F'], { env, stdio: 'ignore' });
    for (let i = 0; i < 50; i += 1) {
      const reply = await ask(port, `GET VAR ${name} ups.status`);
      // dummy-ups says WAIT until it has read the .dev file.
      if (reply.startsWith('VAR ') && !reply.includes('"WAIT"')) return server;
      await sleep(100);
    }
    throw new Error(`upsd on 127.0.0.1:${port} did not come up`);
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Poll upsd until ups.status equals `status` (bounded: at most `tries` × 200 ms). */
export async function waitForStatus(
  port: number,
  upsName: string,
  status: string,
  tries = 50,
): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    const reply = await ask(port, `GET VAR ${upsName} ups.status`);
    if (reply.trim() === `VAR ${upsName} ups.status "${status}"`) return;
    await sleep(200);
  }
  throw new Error(`ups.status did not become "${status}" within ${tries * 200} ms`);
}
