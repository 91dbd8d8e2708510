/** Real SIP peers for tests: sipp as a UAS or UAC on loopback, started and killed by the test. */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { probeOptions } from '../../src/sip/options.js';

/** A port free for both UDP and TCP on 127.0.0.1 (bounded retries). */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const udp = dgram.createSocket('udp4');
    const port = await new Promise<number>((r) => udp.bind(0, '127.0.0.1', () => r(udp.address().port)));
    const ok = await new Promise<boolean>((r) => {
      const s = net.createServer();
      s.once('error', () => r(false));
      s.listen(port, '127.0.0.1', () => s.close(() => r(true)));
    });
    await new Promise<void>((r) => udp.close(() => r()));
    if (ok) return port;
  }
  throw new Error('no free port');
}

export interface SippUas {
  port: number;
  proc: ChildProcess;
  kill(): void;
}

/** `sipp -sn uas -aa` (answers OPTIONS; without -aa it drops them) on 127.0.0.1; resolves once it answers. */
export async function startSippUas(transport: 'udp' | 'tcp'): Promise<SippUas> {
  // A sipp that exits at once (its port, or its RTP port, taken meanwhile by a
  // test running beside it) is started again on other ports, three times at most.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startSippUasOnce(transport);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

async function startSippUasOnce(transport: 'udp' | 'tcp'): Promise<SippUas> {
  const port = await freePort();
  const media = await freePort();
  const args = [
    '-sn',
    'uas',
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-aa',
    '-mp',
    String(media),
    '-nostdin',
    ...(transport === 'tcp' ? ['-t', 't1'] : []),
  ];
  const proc = spawn('sipp', args, { stdio: 'ignore' });
  const kill = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  try {
    for (let i = 0; i < 50; i++) {
      const r = await probeOptions({
        uri: `sip:127.0.0.1:${port}`,
        host: '127.0.0.1',
        port,
        transport,
        timeoutMs: 200,
      });
      if (r.outcome === 'answered') return { port, proc, kill };
      if (proc.exitCode !== null) break;
    }
  } catch (err) {
    // Never leave sipp running behind a failed start.
    kill();
    throw err;
  }
  kill();
  throw new Error(`sipp UAS did not come up on ${transport} ${port}`);
}

/** One full call with sipp's built-in UAC (INVITE, ACK, pause, BYE) against a target; resolves to sipp's exit code. */
export async function sippCall(
  target: string,
  transport: 'udp' | 'tcp',
): Promise<{ code: number | null; kill(): void }> {
  const port = await freePort();
  const args = [
    '-sn',
    'uac',
    target,
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-m',
    '1',
    '-d',
    '200',
    // Its own RTP port, not sipp's default 6000 that a sipp beside it may hold.
    '-mp',
    String(await freePort()),
    '-nostdin',
    '-timeout',
    '10',
    '-timeout_error',
    ...(transport === 'tcp' ? ['-t', 't1'] : []),
  ];
  const proc = spawn('sipp', args, { stdio: 'ignore' });
  const kill = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      kill();
      resolve(null);
    }, 15_000);
    proc.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, kill };
}
