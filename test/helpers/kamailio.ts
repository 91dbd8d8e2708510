/**
 * A real SIP proxy for tests: Kamailio (Debian package `kamailio`) on a free
 * loopback UDP port, record-routing, with digest auth against one fixed
 * user (test/fixtures/kamailio/kamailio.cfg), relaying to a far end on
 * 127.0.0.1. It runs in the foreground (-DD -E) with its pid file and
 * runtime dir in a temp dir, drops to `nobody` when the tests run as root,
 * and is stopped by the test with bounded waits (SIGTERM, then SIGKILL to
 * its process group).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeOptions } from '../../src/sip/options.js';
import { freePort } from '../sim/sip-peers.js';
import { which } from './peers.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/kamailio');

export function kamailioProgram(): string | undefined {
  return which('/usr/sbin/kamailio') ?? which('kamailio');
}

/** The directory holding Kamailio's modules (tm.so...), which differs per architecture. */
export function kamailioModules(): string | undefined {
  const candidates = ['/usr/lib/kamailio/modules', '/usr/local/lib64/kamailio/modules'];
  try {
    for (const d of fs.readdirSync('/usr/lib')) candidates.unshift(`/usr/lib/${d}/kamailio/modules`);
  } catch {
    // no /usr/lib
  }
  return candidates.find(
    (d) => fs.existsSync(path.join(d, 'tm.so')) && fs.existsSync(path.join(d, 'auth.so')),
  );
}

export interface KamailioOptions {
  /** The far end the proxy relays initial INVITEs to (127.0.0.1). */
  uasPort: number;
  user: string;
  password: string;
  algorithm: 'MD5' | 'SHA-256';
}

export interface Kamailio {
  port: number;
  dir: string;
  /** Everything Kamailio logged so far (stderr). */
  log(): string;
  /** Wait until the log matches (bounded). */
  waitForLog(re: RegExp, ms?: number): Promise<boolean>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL to the whole process group after 3 s; resolves when the main process is gone. */
export function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, 3_000);
    const done = setTimeout(resolve, 5_000);
    child.once('exit', () => {
      clearTimeout(hard);
      clearTimeout(done);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function config(opts: KamailioOptions, port: number, mpath: string): string {
  const fill: Record<string, string> = {
    PORT: String(port),
    UAS_PORT: String(opts.uasPort),
    USER: opts.user,
    PASSWORD: opts.password,
    ALGORITHM: opts.algorithm,
    MPATH: `${mpath}/`,
  };
  return fs
    .readFileSync(path.join(FIXTURES, 'kamailio.cfg'), 'utf8')
    .replace(/@([A-Z_]+)@/g, (m, k: string) => fill[k] ?? m);
}

async function startOnce(
  opts: KamailioOptions,
  program: string,
  mpath: string,
): Promise<Kamailio | undefined> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-kamailio-'));
  const cfg = path.join(dir, 'kamailio.cfg');
  fs.writeFileSync(cfg, config(opts, port, mpath));
  const args = [
    '-f',
    cfg,
    '-DD',
    '-E',
    '-P',
    path.join(dir, 'kamailio.pid'),
    '-Y',
    dir,
    '-m',
    '32',
    '-M',
    '8',
  ];
  if (process.getuid?.() === 0) {
    // Do not run a network daemon as root: the runtime dir must then belong to the user it drops to.
    fs.chmodSync(dir, 0o777);
    args.push('-u', 'nobody');
  }
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    log += d;
  });
  const k: Kamailio = {
    port,
    dir,
    log: () => log,
    async waitForLog(re, ms = 5_000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (re.test(log)) return true;
        await sleep(50);
      }
      return re.test(log);
    },
    async stop() {
      await stopGroup(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < 40 && child.exitCode === null; i++) {
    const r = await probeOptions({
      uri: `sip:127.0.0.1:${port}`,
      host: '127.0.0.1',
      port,
      transport: 'udp',
      timeoutMs: 150,
    });
    if (r.outcome === 'answered' && r.status === 200) return k;
    await sleep(50);
  }
  await k.stop();
  if (/bind|Address already in use/i.test(log)) return undefined;
  throw new Error(`kamailio did not come up on udp ${port}:\n${log.slice(-3000)}`);
}

/** Start Kamailio (a new port on a lost race for the port, at most 3 tries). */
export async function startKamailio(opts: KamailioOptions): Promise<Kamailio> {
  const program = kamailioProgram();
  const mpath = kamailioModules();
  if (!program || !mpath) throw new Error('kamailio or its modules (tm.so, auth.so) not found');
  for (let i = 0; i < 3; i++) {
    const k = await startOnce(opts, program, mpath);
    if (k) return k;
  }
  throw new Error('kamailio: no free port after 3 tries');
}

export interface SippScenario {
  port: number;
  /** What sipp sent and received, and its errors (for a failing test's message). */
  trace(): string;
  /** sipp's exit code once it ran its calls (null: killed at the deadline). */
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

/** sipp as a UAS playing a scenario file from test/fixtures/kamailio for `calls` calls, then exiting. */
export async function startSippScenario(file: string, calls = 1, deadlineMs = 30_000): Promise<SippScenario> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-sipp-'));
  const messages = path.join(dir, 'messages.log');
  // Its own RTP port, not sipp's default 6000 that a sipp beside it may hold.
  const media = await freePort();
  const args = [
    '-sf',
    path.join(FIXTURES, file),
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-mp',
    String(media),
  ];
  args.push(
    '-trace_msg',
    '-message_file',
    messages,
    '-trace_err',
    '-error_file',
    path.join(dir, 'errors.log'),
  );
  args.push('-m', String(calls), '-nostdin', '-timeout', String(Math.round(deadlineMs / 1000)));
  const proc = spawn('sipp', args, { stdio: 'ignore', detached: true });
  const exited = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve(null);
    }, deadlineMs + 5_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  // Up when it holds the port (a UAS scenario answers nothing until called).
  for (let i = 0; i < 50 && proc.exitCode === null; i++) {
    if (await udpPortTaken(port)) {
      const trace = () =>
        ['messages.log', 'errors.log']
          .map((f) => {
            try {
              return fs.readFileSync(path.join(dir, f), 'utf8');
            } catch {
              return '';
            }
          })
          .join('\n');
      const kill = async () => {
        await stopGroup(proc);
        fs.rmSync(dir, { recursive: true, force: true });
      };
      return { port, exited, trace, kill };
    }
    await sleep(50);
  }
  await stopGroup(proc);
  throw new Error(`sipp did not come up on udp ${port}`);
}

function udpPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      try {
        s.close();
      } catch {
        // never bound
      }
      resolve(true);
    });
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(false)));
  });
}
