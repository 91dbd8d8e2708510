/**
 * The ping kind: argv per platform, every exit path through judgePing, and
 * the real ping on loopback (127.0.0.1, ::1), a missing ping, a ping whose
 * network is down and one whose replies are all dropped (the last two in a
 * network namespace of their own, so nothing leaves this machine).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgePing, type PingRunInfo, ping } from '../../src/checks/ping.js';
import { flavorFor, isIPv6Literal, planPing } from '../../src/checks/ping-command.js';
import type { ProgramResult } from '../../src/checks/program.js';
import { translator } from '../../src/i18n/index.js';
import { kindContext } from '../helpers/kind-context.js';
import { haveCapability, havePeer, which } from '../helpers/peers.js';
import { pingFixture } from './ping-fixtures.js';

const en = translator('en');
const vi = translator('vi');

describe('planPing: argv per flavour (the target is one argv element, no shell)', () => {
  const o = { target: 'mcu.example.vn', count: 10, intervalMs: 200 };
  it('iputils: numeric, count, interval, reply wait, whole-run deadline', () => {
    expect(planPing('iputils', o)).toEqual({
      program: 'ping',
      args: ['-n', '-c', '10', '-i', '0.2', '-W', '2', '-w', '5', 'mcu.example.vn'],
      flavor: 'iputils',
      needMs: 3800,
      ttlLess: false,
    });
  });
  it('iputils, IPv6 literal in brackets, payload size, interval below 200 ms raised', () => {
    expect(
      planPing('iputils', { target: '[2001:db8::1]', count: 3, intervalMs: 50, size: 1200, family: 'ipv6' })
        .args,
    ).toEqual(['-n', '-c', '3', '-i', '0.2', '-W', '2', '-w', '4', '-s', '1200', '-6', '2001:db8::1']);
  });
  it('busybox has no -n', () => {
    expect(planPing('busybox', { ...o, family: 'ipv4' }).args).toEqual([
      '-c',
      '10',
      '-i',
      '0.2',
      '-W',
      '2',
      '-w',
      '5',
      '-4',
      'mcu.example.vn',
    ]);
  });
  it('macOS: ping with -t, ping6 for IPv6 (it has no -t)', () => {
    expect(planPing('bsd', o)).toMatchObject({
      program: 'ping',
      args: ['-n', '-c', '10', '-i', '0.2', '-t', '5', 'mcu.example.vn'],
    });
    expect(planPing('bsd', { ...o, target: '::1', family: 'ipv6' })).toMatchObject({
      program: 'ping6',
      args: ['-n', '-c', '10', '-i', '0.2', '::1'],
    });
  });
  it('Windows: -n count, -w per-reply wait in ms, -l size; IPv6 replies have no TTL', () => {
    expect(planPing('windows', { ...o, size: 64, family: 'ipv6' })).toEqual({
      program: 'ping',
      args: ['-n', '10', '-w', '2000', '-l', '64', '-6', 'mcu.example.vn'],
      flavor: 'windows',
      needMs: 11000,
      ttlLess: true,
    });
  });
  it('flavour from platform and the real file behind ping', () => {
    expect(flavorFor('linux', '/usr/bin/ping')).toBe('iputils');
    expect(flavorFor('linux', '/bin/busybox')).toBe('busybox');
    expect(flavorFor('darwin')).toBe('bsd');
    expect(flavorFor('win32')).toBe('windows');
  });
  it('IPv6 literals', () => {
    expect(['::1', '[::1]', 'fe80::1%eth0', '2001:db8::5'].map(isIPv6Literal)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['127.0.0.1', 'mcu.example.vn'].map(isIPv6Literal)).toEqual([false, false]);
  });
});

describe('judgePing: exit status and output to a result', () => {
  const result = (stdout: string, code: number | null, stderr = ''): ProgramResult => ({
    code,
    signal: null,
    stdout,
    stderr,
    aborted: false,
  });
  const linux = { flavor: 'iputils' as const, ttlLess: false, program: '/usr/bin/ping', args: ['-n', 'x'] };
  const windows = { flavor: 'windows' as const, ttlLess: false, program: 'ping', args: ['-n', '4', 'x'] };
  const info = (
    target: string,
    count: number,
    platform: string,
    extra: Partial<PingRunInfo> = {},
  ): PingRunInfo => ({
    target,
    count,
    askedMs: 200,
    intervalMs: 200,
    platform,
    ...extra,
  });

  it('all replies, fast: pass, all seven metrics, summary in English and Vietnamese', () => {
    const f = pingFixture('linux-iputils-en.txt');
    const r = judgePing(result(f.text, f.exit), linux, info('127.0.0.1', 5, 'linux'), en);
    expect(r.status).toBe('pass');
    expect(r.metrics).toEqual({
      sent: 5,
      received: 5,
      loss_pct: 0,
      rtt_ms: 0.041,
      rtt_min_ms: 0.037,
      rtt_max_ms: 0.05,
      jitter_ms: 0.004,
    });
    expect(r.summary).toBe(
      '5/5 replies from 127.0.0.1, RTT avg 0.041 ms (min 0.037, max 0.05), jitter 0.004 ms, loss 0%',
    );
    expect(r.hint).toBeUndefined();
    const rv = judgePing(result(f.text, f.exit), linux, info('127.0.0.1', 5, 'linux'), vi);
    expect(rv.summary).toBe(
      '5/5 gói phản hồi từ 127.0.0.1, độ trễ TB 0.041 ms (thấp nhất 0.037, cao nhất 0.05), độ dao động (jitter) 0.004 ms, mất gói 0%',
    );
    expect(r.details).toMatchObject({ command: '/usr/bin/ping -n x', exit_code: 0 });
    expect((r.details as { probes: unknown[] }).probes).toHaveLength(5);
  });

  it('loss above the default fail limit (3 %): fail with the loss hint, in both languages', () => {
    const f = pingFixture('linux-iputils-de.txt');
    const r = judgePing(result(f.text, f.exit), linux, info('10.10.1.5', 5, 'linux'), en);
    expect(r.status).toBe('fail');
    expect(r.metrics).toMatchObject({ loss_pct: 20, rtt_ms: 25.75, jitter_ms: 4.145 });
    expect(r.summary).toBe(
      '4/5 replies from 10.10.1.5, RTT avg 25.75 ms (min 22.95, max 31.53), jitter 4.145 ms, loss 20%; over the limit: loss_pct 20 (fail limit 3)',
    );
    expect(r.hint).toBe(en('net.ping.hint.loss'));
    const rv = judgePing(result(f.text, f.exit), linux, info('10.10.1.5', 5, 'linux'), vi);
    expect(rv.summary.endsWith('; vượt ngưỡng: loss_pct 20 (ngưỡng không đạt 3)')).toBe(true);
    expect(rv.hint).toBe(vi('net.ping.hint.loss'));
  });

  it('profile limits win metric by metric over the defaults', () => {
    const f = pingFixture('linux-iputils-loss.txt'); // 25 % loss, RTT 0.06 ms
    const r = judgePing(
      result(f.text, f.exit),
      linux,
      info('127.0.0.1', 8, 'linux', { warn: { rtt_ms: 0.01 }, fail: { loss_pct: 30 } }),
      en,
    );
    // fail loss 30 (given) is not broken; warn loss 1 (default) and warn rtt 0.01 (given) are.
    expect(r.status).toBe('warn');
    expect(
      r.summary.endsWith('; over the limit: rtt_ms 0.06 (warning limit 0.01), loss_pct 25 (warning limit 1)'),
    ).toBe(true);
    expect(r.hint).toBe(`${en('net.ping.hint.rtt')} ${en('net.ping.hint.loss')}`);
    expect(r.details).toMatchObject({ extra_replies: 2 });
  });

  it('exit 1 with no reply: fail NO_REPLY, loss 100 %', () => {
    const f = pingFixture('linux-iputils-noreply.txt');
    const r = judgePing(result(f.text, f.exit), linux, info('127.0.0.1', 3, 'linux'), en);
    expect(r).toMatchObject({
      status: 'fail',
      summary: 'no reply from 127.0.0.1 to 3 probes (100% loss)',
      metrics: { sent: 3, received: 0, loss_pct: 100 },
      error: { code: 'NO_REPLY' },
      hint: en('net.ping.hint.no_reply'),
    });
  });

  it('exit 1 with only "Destination Host Unreachable" lines: fail NO_REPLY', () => {
    const f = pingFixture('linux-iputils-unreachable-replies.txt');
    expect(judgePing(result(f.text, f.exit), linux, info('192.168.1.50', 3, 'linux'), en)).toMatchObject({
      status: 'fail',
      error: { code: 'NO_REPLY' },
    });
  });

  it('exit 2 (name does not resolve): error PING_FAILED with the first line of stderr', () => {
    const f = pingFixture('linux-iputils-unknown-host.stderr.txt');
    const r = judgePing(result('', f.exit, f.text), linux, info('nohost.invalid', 3, 'linux'), en);
    expect(r).toMatchObject({
      status: 'error',
      summary: 'ping could not run: ping: nohost.invalid: Temporary failure in name resolution',
      error: { code: 'PING_FAILED', hint: en('net.ping.hint.failed') },
    });
    expect(r.metrics).toBeUndefined();
  });

  it('exit 2 (network unreachable), in Vietnamese', () => {
    const f = pingFixture('linux-iputils-unreachable.stderr.txt');
    const r = judgePing(result('', f.exit, f.text), linux, info('127.0.0.1', 3, 'linux'), vi);
    expect(r.status).toBe('error');
    expect(r.summary).toBe('không chạy được ping: ping: connect: Network is unreachable');
    expect(r.error?.code).toBe('PING_FAILED');
  });

  it('exit 0 but no reply line could be read: error PING_UNPARSED, never a false 100 % loss', () => {
    const r = judgePing(result('PING x\nsomething we do not know\n', 0), linux, info('x', 3, 'linux'), en);
    expect(r).toMatchObject({ status: 'error', error: { code: 'PING_UNPARSED' } });
    expect(r.metrics).toBeUndefined();
  });

  it('Windows exits 0 on "Destination host unreachable": still fail NO_REPLY', () => {
    const f = pingFixture('windows-en-unreachable.txt');
    expect(f.exit).toBe(0);
    expect(judgePing(result(f.text, f.exit), windows, info('192.168.1.50', 4, 'win32'), en)).toMatchObject({
      status: 'fail',
      metrics: { loss_pct: 100, received: 0 },
      error: { code: 'NO_REPLY' },
    });
  });

  it('Windows "could not find host" (exit 1, stdout): fail NO_REPLY', () => {
    const f = pingFixture('windows-en-unknown-host.txt');
    expect(
      judgePing(result(f.text, f.exit), windows, info('mcu.example.invalid', 4, 'win32'), en).error?.code,
    ).toBe('NO_REPLY');
  });

  it('Windows German <1ms replies: pass, flagged in details', () => {
    const f = pingFixture('windows-de.txt');
    const r = judgePing(result(f.text, f.exit), windows, info('127.0.0.1', 4, 'win32'), en);
    expect(r.status).toBe('pass');
    expect(r.metrics).toEqual({
      sent: 4,
      received: 4,
      loss_pct: 0,
      rtt_ms: 1.25,
      rtt_min_ms: 1,
      rtt_max_ms: 2,
      jitter_ms: 0.667,
    });
    expect(r.details).toMatchObject({ below_1ms: 3 });
  });

  it('killed on abort: error CANCELLED', () => {
    const r = judgePing(
      { code: null, signal: 'SIGKILL', stdout: '', stderr: '', aborted: true },
      linux,
      info('x', 3, 'linux'),
      en,
    );
    expect(r).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
  });
});

describe('ping.run without running ping', () => {
  it('no ping on PATH: error PING_MISSING with the install hint', async () => {
    const r = await ping.run(
      { target: '127.0.0.1', count: 1 },
      kindContext({ env: { PATH: '/nonexistent-diemcau' } }),
    );
    expect(r).toMatchObject({
      status: 'error',
      summary: 'the ping program was not found',
      error: { code: 'PING_MISSING', hint: expect.stringContaining('apt install iputils-ping') },
    });
  });

  it('count × interval longer than the timeout: error PING_TOO_LONG before anything is sent', async () => {
    const r = await ping.run(
      { target: '127.0.0.1', count: 100, interval: '1s' },
      kindContext({ timeoutMs: 5000 }),
    );
    expect(r).toMatchObject({
      status: 'error',
      summary: '100 probes every 1.0 s need about 101.0 s, more than the timeout of 5.0 s',
      error: { code: 'PING_TOO_LONG' },
    });
  });
});

const havePing = havePeer('ping', 'apt install iputils-ping');

describe.skipIf(!havePing)('ping.run with the real ping on loopback', () => {
  it('127.0.0.1, 3 probes every 0.2 s: pass, 0 % loss, an RTT per probe', async () => {
    const r = await ping.run({ target: '127.0.0.1', count: 3, interval: '0.2s' }, kindContext());
    expect(r.status).toBe('pass');
    expect(r.metrics).toMatchObject({ sent: 3, received: 3, loss_pct: 0 });
    expect(r.metrics?.rtt_ms).toBeGreaterThan(0);
    expect(r.metrics?.rtt_min_ms).toBeLessThanOrEqual(r.metrics?.rtt_max_ms as number);
    expect(r.metrics?.jitter_ms).toBeGreaterThanOrEqual(0);
    const details = r.details as { probes: Array<{ seq: number; rtt_ms: number }>; exit_code: number };
    expect(details.probes.map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(details.exit_code).toBe(0);
  });

  it('an interval below 0.2 s is raised to 0.2 s and says so', async () => {
    const r = await ping.run(
      { target: '127.0.0.1', count: 2, interval: '50ms' },
      kindContext({ locale: 'vi' }),
    );
    expect(r.status).toBe('pass');
    expect(r.details).toMatchObject({ interval_raised_ms: { asked: 50, used: 200 } });
    expect(r.summary.startsWith('2/2 gói phản hồi từ 127.0.0.1')).toBe(true);
  });

  let v6 = false;
  try {
    v6 = /inet6 ::1\//.test(execFileSync('ip', ['-6', 'addr', 'show', 'lo'], { encoding: 'utf8' }));
  } catch {
    v6 = false;
  }
  // Many containers run with IPv6 disabled: that is the machine, not a missing peer, so skip even in CI.
  if (!v6) process.stderr.write('[skip] ping ::1: no ::1 on the loopback interface (ip -6 addr show lo)\n');
  it.skipIf(!v6)('::1 (IPv6 literal → ping -6): pass', async () => {
    const r = await ping.run({ target: '::1', count: 2 }, kindContext());
    expect(r.status).toBe('pass');
    expect(r.metrics).toMatchObject({ sent: 2, received: 2, loss_pct: 0 });
    expect((r.details as { command: string }).command).toMatch(/ -6 ::1$/);
  });

  it('aborting the signal kills ping at once: error CANCELLED', async () => {
    const controller = new AbortController();
    const ctx = kindContext({ signal: controller.signal, timeoutMs: 30_000 });
    const started = performance.now();
    setTimeout(() => controller.abort(), 300);
    const r = await ping.run({ target: '127.0.0.1', count: 50 }, ctx);
    expect(r).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
    // 50 probes take 10 s; a generous bound only proves ping did not run to its end.
    expect(performance.now() - started).toBeLessThan(8000);
  });
});

// A real ping in a network namespace of its own: `unshare -n` gives it a loopback that is down
// (connect fails, exit 2) or, with the firewall dropping ICMP, one that never answers (exit 1).
const canNamespace = (() => {
  if (!havePing || !which('unshare') || !which('iptables') || !which('ip')) return false;
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(
  !haveCapability(
    'network namespaces',
    canNamespace,
    'unshare -n needs root (or CAP_SYS_ADMIN), iptables and iproute2',
  ),
)('ping.run with a real ping whose network fails', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diemcau-ping-'));
  const realPing = which('ping') as string;
  const wrapper = (name: string, setup: string) => {
    const bin = path.join(dir, name);
    mkdirSync(bin, { recursive: true });
    const file = path.join(bin, 'ping');
    writeFileSync(file, `#!/bin/sh\nexec unshare -n sh -c '${setup} exec ${realPing} "$@"' ping "$@"\n`);
    chmodSync(file, 0o755);
    return bin;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loopback down: ping exits 2, error PING_FAILED with its message', async () => {
    const bin = wrapper('down', '');
    const r = await ping.run(
      { target: '127.0.0.1', count: 2 },
      kindContext({ env: { PATH: `${bin}:${process.env.PATH}` } }),
    );
    expect(r).toMatchObject({ status: 'error', error: { code: 'PING_FAILED' } });
    // The wrapper execs ping by its full path, so ping names itself that way.
    expect(r.summary).toBe(`ping could not run: ${realPing}: connect: Network is unreachable`);
    expect(r.details).toMatchObject({ exit_code: 2 });
  });

  it('every echo dropped: ping exits 1, fail NO_REPLY with loss 100 %', async () => {
    const bin = wrapper('drop', 'ip link set lo up && iptables -A INPUT -p icmp -j DROP &&');
    const r = await ping.run(
      { target: '127.0.0.1', count: 2 },
      kindContext({ env: { PATH: `${bin}:${process.env.PATH}` } }),
    );
    expect(r).toMatchObject({
      status: 'fail',
      metrics: { sent: 2, received: 0, loss_pct: 100 },
      error: { code: 'NO_REPLY' },
    });
    expect(r.details).toMatchObject({ exit_code: 1 });
  });
});
