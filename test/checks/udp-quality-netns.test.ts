/**
 * Real kernel packet loss: inside a network namespace made for this test
 * (loopback only), iptables drops packets with its statistic match on both
 * directions, and the reflector and the real udp-quality check run in there
 * (a child node process under `ip netns exec`). iptables' own counters are
 * the truth. Goal: loss within ±0.5 percentage points over 2,000 packets.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveCapability, which } from '../helpers/peers.js';
import { ROOT, transpileForNode } from '../helpers/transpile.js';

const NS = `diemcau-q${process.pid}`;
const PORT = 5004;

/** Can this machine make a namespace and run iptables in it? Says why not. */
function probeNetns(): { ok: boolean; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'network namespaces are Linux only' };
  if (!which('ip') || !which('iptables'))
    return { ok: false, why: 'needs ip and iptables (apt install iproute2 iptables)' };
  const probe = `${NS}-probe`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
  } catch (err) {
    return {
      ok: false,
      why: `ip netns add failed (root or CAP_SYS_ADMIN needed): ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`,
    };
  }
  try {
    execFileSync('ip', ['netns', 'exec', probe, 'iptables', '-w', '-L', 'INPUT', '-n'], { stdio: 'pipe' });
    return { ok: true, why: '' };
  } catch (err) {
    return {
      ok: false,
      why: `iptables does not work in a namespace: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`,
    };
  } finally {
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  }
}

const netns = probeNetns();
const ns = (...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', NS, ...args], { encoding: 'utf8', stdio: 'pipe' });

/** Packet counters of the INPUT rules that match our port, by direction. */
function dropCounters(): { forward: number; back: number } {
  const text = ns('iptables', '-w', '-nvx', '-L', 'INPUT');
  let forward = 0;
  let back = 0;
  for (const line of text.split('\n')) {
    const pkts = Number(line.trim().split(/\s+/)[0]);
    if (!Number.isFinite(pkts)) continue;
    if (line.includes(`dpt:${PORT}`)) forward += pkts;
    if (line.includes(`spt:${PORT}`)) back += pkts;
  }
  return { forward, back };
}

function runChild(
  dir: string,
  pps: number,
  duration: string,
): Promise<{
  outcome: { status: string; metrics: Record<string, number>; details: Record<string, number> };
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        NS,
        process.execPath,
        path.join(ROOT, 'test/helpers/netns-udp-child.mjs'),
        dir,
        String(PORT),
        String(pps),
        duration,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      else resolve(JSON.parse(out));
    });
  });
}

describe.skipIf(!haveCapability('network namespaces with iptables', netns.ok, netns.why))(
  'udp-quality under real kernel loss (netns + iptables statistic)',
  () => {
    let js: ReturnType<typeof transpileForNode> | undefined;
    beforeAll(() => {
      execFileSync('ip', ['netns', 'add', NS]);
      execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
      // Towards the reflector: exactly every 25th packet (4.00 %). Back: 2 % at random.
      ns(
        'iptables',
        '-w',
        '-A',
        'INPUT',
        '-p',
        'udp',
        '--dport',
        String(PORT),
        '-m',
        'statistic',
        '--mode',
        'nth',
        '--every',
        '25',
        '--packet',
        '0',
        '-j',
        'DROP',
      );
      ns(
        'iptables',
        '-w',
        '-A',
        'INPUT',
        '-p',
        'udp',
        '--sport',
        String(PORT),
        '-m',
        'statistic',
        '--mode',
        'random',
        '--probability',
        '0.02',
        '-j',
        'DROP',
      );
      js = transpileForNode(['src/checks/udp-quality.ts', 'src/registry/reflector.ts', 'src/i18n/index.ts']);
    });
    afterAll(() => {
      try {
        execFileSync('ip', ['netns', 'del', NS], { stdio: 'pipe' });
      } catch {
        // not made
      }
      js?.cleanup();
    });

    it('measures the loss iptables made, within ±0.5 percentage points over 2,000 packets', async () => {
      const { outcome } = await runChild(js?.dir as string, 500, '4s');
      const drops = dropCounters();
      const sent = outcome.details.sent as number;
      expect(sent).toBe(2000);
      // nth every 25 drops exactly 80 of 2,000 on the way there.
      expect(drops.forward).toBe(80);
      expect(drops.back).toBeGreaterThan(0);
      const truth = (100 * (drops.forward + drops.back)) / sent;
      expect(Math.abs((outcome.metrics.loss_pct as number) - truth)).toBeLessThanOrEqual(0.5);
      // About 6 % lost: over the 3 % default fail limit.
      expect(outcome.status).toBe('fail');
    });
  },
);
