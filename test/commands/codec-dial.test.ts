/**
 * `diemcau dial`, `dial --test`, `hangup` and `call` through the whole CLI
 * (buffer streams) against a simulated Cisco codec: exact stdout, stderr and
 * exit codes, Ctrl-C, and no call or codec session left behind.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodecSim, startCiscoSim } from '../../src/sim/cisco.js';
import { run } from '../helpers/cli.js';
import { PASSWORD, siteProfile } from './codec-site.js';

let sim: CodecSim;
let file: string;
let env: Record<string, string>;

const until = async (fn: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const HINT_REJECTED =
  '  hint: Check the bridge address and meeting number with the provincial IT centre (MCU operator), that the codec is registered, and that the firewall lets SIP (5060/5061) or H.323 (1720) through.\n';

beforeAll(async () => {
  sim = await startCiscoSim({ password: PASSWORD, sipDial: 'off', scenario: { answer_after_ms: 50 } });
  ({ file, env } = await siteProfile({ driver: 'cisco', port: sim.port }));
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  sim.update({ call: 'answer', busy: false, loss_pct: 0, jitter_ms: 3 });
  if (sim.calls().length) await run(['hangup', '--all', '-p', file], { env });
  expect(sim.calls()).toEqual([]);
  // Every command ended its codec session, whatever happened.
  expect(sim.sessions()).toBe(0);
});

describe('diemcau dial', () => {
  it('dials the first bridge and prints the call id once connected', async () => {
    const r = await run(['dial', '-p', file], { env });
    expect(r).toEqual({ code: 0, stdout: expect.stringMatching(/^\d+\n$/), stderr: '' });
    const call = sim.calls().find((c) => String(c.id) === r.stdout.trim());
    expect(call).toMatchObject({
      remote: '8001@mcu.example.gov.vn',
      protocol: 'Sip',
      rateKbps: 1920,
      state: 'Connected',
    });
  });

  it('on a terminal shows the call coming up on stderr, then the call id on stdout', async () => {
    const r = await run(['dial', '-p', file], { env, tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\n$/);
    const id = r.stdout.trim();
    expect(r.stderr).toContain('Dialling 8001@mcu.example.gov.vn (1920 kbps)…');
    expect(r.stderr).toMatch(
      new RegExp(
        `Connected to 8001@mcu\\.example\\.gov\\.vn in [\\d.]+ s \\(call ${id}\\); end it with: diemcau hangup ${id}\\n`,
      ),
    );
  });

  it('takes a URI, --rate and --protocol', async () => {
    const r = await run(['dial', 'sip:9000@10.0.0.5', '--rate', '768', '--protocol', 'h323', '-p', file], {
      env,
    });
    expect(r.code).toBe(0);
    expect(sim.calls()[0]).toMatchObject({ remote: '9000@10.0.0.5', protocol: 'H323', rateKbps: 768 });
  });

  it('with --wait 0 prints the call id without waiting', async () => {
    sim.update({ call: 'never_answer' });
    const r = await run(['dial', '--wait', '0', '-p', file], { env });
    expect(r.code).toBe(0);
    expect(sim.calls()[0]?.state).not.toBe('Connected');
  });

  it('exits 2 with a plain message when the bridge refuses the call', async () => {
    sim.update({ call: 'reject' });
    const r = await run(['dial', '-p', file], { env });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `diemcau: error: the bridge refused the call to 8001@mcu.example.gov.vn, or it ended before it connected\n${HINT_REJECTED}`,
    });
  });

  it('says why the bridge refused: the category, the SIP code and the codec cause, and what to do', async () => {
    sim.update({ call: 'reject', reject_status: 480 });
    try {
      const r = await run(['dial', '-p', file], { env });
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'diemcau: error: the bridge cannot take the call to 8001@mcu.example.gov.vn right now (SIP 480, Rejected)\n' +
          '  hint: The meeting room on the MCU is not open yet, or the MCU is overloaded or in maintenance: ask the MCU operator, then call again later.\n',
      });
      sim.update({ reject_status: 486 });
      const vi = await run(['--lang', 'vi', 'dial', '-p', file], { env });
      expect(vi.stderr).toMatch(
        /^diemcau: lỗi: 8001@mcu\.example\.gov\.vn đang bận \(SIP 486, RemoteBusy\)\n {2}gợi ý: /,
      );
    } finally {
      sim.update({ reject_status: undefined });
    }
  });

  it('exits 2 and hangs up when nobody answers within --wait', async () => {
    sim.update({ call: 'never_answer' });
    const r = await run(['dial', '--wait', '400ms', '-p', file], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^diemcau: error: the call to 8001@mcu\.example\.gov\.vn did not connect within 0\.4 s; it was hung up\n/,
    );
    expect(sim.calls()).toEqual([]);
  });

  it('exits 2 and does not dial when the codec is in a call', async () => {
    sim.update({ busy: true });
    const meeting = sim.calls()[0];
    const r = await run(['dial', '-p', file], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `diemcau: error: the codec is already in a call with hop-tinh@mcu.example.gov.vn (call ${meeting?.id})\n  hint: It may be a meeting in progress: nothing was dialled. Hang it up first if you are sure (diemcau hangup ${meeting?.id}), then try again.\n`,
    );
    expect(sim.calls()).toEqual([meeting]);
  });

  it('exits 2 when the codec refuses the credentials, never printing the password', async () => {
    const r = await run(['dial', '-p', file], { env: { ...env, CODEC_PASSWORD: 'wrong-pass-123' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `diemcau: error: the codec at 127.0.0.1:${sim.port} refused the user name or password (user admin)\n  hint: Check \`codec.username\` and the password the profile takes from the environment (e.g. \${CODEC_PASSWORD}); the account must be a local administrator on the codec.\n`,
    );
    expect(r.stderr + r.stdout).not.toContain('wrong-pass-123');
  });

  it('exits 2 when the codec cannot be reached', async () => {
    const down = await siteProfile({ driver: 'cisco', port: 9 });
    const r = await run(['dial', '-p', down.file], { env: down.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^diemcau: error: cannot reach the codec at 127\.0\.0\.1:9 \(ECONNREFUSED\)\n {2}hint: Check that the codec is powered on/,
    );
  });

  it('exits 3 for a bridge that is not in the profile, and for bad flags', async () => {
    const r = await run(['dial', 'xa', '-p', file], { env });
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: 'diemcau: error: no bridge "xa" in the profile (bridges: tinh)\n',
    });
    expect((await run(['dial', '--rate', 'fast', '-p', file], { env })).code).toBe(3);
    expect((await run(['dial', '--protocol', 'isdn', '-p', file], { env })).code).toBe(3);
  });

  it('exits 3 on a site without a controllable codec', async () => {
    const pc = await siteProfile({ driver: 'none' });
    const r = await run(['dial', '-p', pc.file], { env: pc.env });
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'diemcau: error: this site has no controllable codec (driver: none): nothing to ask\n  hint: Join from the soft client on this PC, or use: diemcau join\n',
    });
  });

  it('Ctrl-C while waiting: exit 130 and the attempt is hung up', async () => {
    sim.update({ call: 'never_answer' });
    const ac = new AbortController();
    const running = run(['dial', '-p', file], { env, signal: ac.signal });
    await until(() => sim.calls().length === 1);
    ac.abort();
    const r = await running;
    expect(r).toEqual({ code: 130, stdout: '', stderr: 'cancelled (Ctrl-C)\n' });
    expect(sim.calls()).toEqual([]);
  });

  it('speaks Vietnamese with --lang vi', async () => {
    sim.update({ call: 'reject' });
    const r = await run(['--lang', 'vi', 'dial', '-p', file], { env });
    expect(r.stderr).toMatch(/^diemcau: lỗi: MCU từ chối cuộc gọi tới 8001@mcu\.example\.gov\.vn/);
  });
});

describe('diemcau dial --test', () => {
  it('runs a test call, hangs up and prints the media table (piped: tab-separated)', async () => {
    const r = await run(['dial', '--test', '1s', '-p', file], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'DIRECTION\tMEDIA\tCODEC\tKBPS\tJITTER MS\tLOSS %',
      'received\taudio\tOpus\t64\t3\t0',
      'received\tvideo\tH264\t1856\t3\t0',
      'sent\taudio\tOpus\t64\t0\t0',
      'sent\tvideo\tH264\t1856\t0\t0',
    ]);
    expect(lines[6]).toMatch(
      /^test call to 8001@mcu\.example\.gov\.vn: [\d.]+ s, loss 0%, jitter 3 ms, received 1920 kbps — pass$/,
    );
    expect(sim.calls()).toEqual([]);
  });

  it('exits 2 on lossy media, with the breach and a hint', async () => {
    sim.update({ loss_pct: 6, jitter_ms: 70 });
    const r = await run(['dial', '--test', '1500ms', '-p', file], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/loss_pct [\d.]+ \(fail 3\), jitter_ms 70 \(fail 50\) — fail\n$/);
    expect(r.stderr).toMatch(/^hint: The line is not clean enough for a meeting/);
  });

  it('Ctrl-C during the test call: exit 130 and the call is hung up', async () => {
    const ac = new AbortController();
    const running = run(['dial', '--test', '20s', '-p', file], { env, signal: ac.signal });
    await until(() => sim.calls().some((c) => c.state === 'Connected'));
    ac.abort();
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(sim.calls()).toEqual([]);
  });
});

describe('diemcau hangup and call', () => {
  it('call shows no call, then the call with its figures; hangup ends it', async () => {
    expect(await run(['call', '-p', file], { env })).toEqual({
      code: 0,
      stdout: 'No active call.\n',
      stderr: '',
    });
    const id = (await run(['dial', '-p', file], { env })).stdout.trim();
    const r = await run(['call', '-p', file], { env });
    expect(r.code).toBe(0);
    const [header, row] = r.stdout.trimEnd().split('\n');
    expect(header).toBe('ID\tREMOTE\tSTATE\tPROTOCOL\tCALL KBPS\tSECONDS\tRX KBPS\tLOSS %\tJITTER MS');
    expect(row).toMatch(
      new RegExp(
        `^${id}\\t8001@mcu\\.example\\.gov\\.vn\\tconnected\\tSIP\\t1920\\t\\d+\\t1920\\t(0|-)\\t3$`,
      ),
    );
    expect(await run(['hangup', '-p', file], { env })).toEqual({
      code: 0,
      stdout: '',
      stderr: `hung up call ${id} (8001@mcu.example.gov.vn)\n`,
    });
    expect(await run(['hangup', '-p', file], { env })).toEqual({
      code: 0,
      stdout: '',
      stderr: 'no call to hang up\n',
    });
  });

  it('call --format json', async () => {
    const id = (await run(['dial', '-p', file], { env })).stdout.trim();
    const r = await run(['call', '--format', 'json', '-p', file], { env });
    const data = JSON.parse(r.stdout) as {
      calls: Array<{ id: string; state: string; media: { rx_rate_kbps: number } }>;
    };
    expect(data.calls).toEqual([
      expect.objectContaining({
        id,
        state: 'connected',
        media: expect.objectContaining({ rx_rate_kbps: 1920, jitter_ms: 3 }),
      }),
    ]);
  });

  it('call --watch --count 2 prints two timestamped snapshots when piped', async () => {
    const r = await run(['call', '--watch', '--count', '2', '--interval', '50ms', '-p', file], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^# \d{4}-\d\d-\d\dT[\d:.]+Z\nNo active call\.\n\n# \d{4}-\d\d-\d\dT[\d:.]+Z\nNo active call\.\n$/,
    );
  });

  it('call --count without --watch is a usage error', async () => {
    expect((await run(['call', '--count', '2', '-p', file], { env })).code).toBe(3);
  });

  it('hangup asks which call when several are up, and --all ends them', async () => {
    await run(['dial', 'a@10.0.0.1', '-p', file], { env });
    await run(['dial', 'b@10.0.0.2', '--wait', '0', '-p', file], { env }).catch(() => {});
    sim.update({ busy: false });
    const ids = sim.calls().map((c) => c.id);
    if (ids.length < 2) {
      // The second dial was refused as busy (the first call is up): place it on the codec directly.
      await fetch(`${sim.url}/putxml`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
        body: '<Command><Dial><Number>b@10.0.0.2</Number></Dial></Command>',
      });
    }
    const several = await run(['hangup', '-p', file], { env });
    expect(several.code).toBe(3);
    expect(several.stderr).toMatch(
      /^diemcau: error: several calls are up: \d+ \(a@10\.0\.0\.1\), \d+ \(b@10\.0\.0\.2\)\n {2}hint: Say which one/,
    );
    const all = await run(['hangup', '--all', '-p', file], { env });
    expect(all.code).toBe(0);
    expect(all.stderr.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('hangup of a call that is not there exits 2', async () => {
    const r = await run(['hangup', '99', '-p', file], { env });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'diemcau: error: there is no call 99 on the codec\n' });
  });
});

describe('dial and hangup on a Poly codec', () => {
  let poly: CodecSim;
  let polyFile: string;
  beforeAll(async () => {
    const { startPolySim } = await import('../../src/sim/poly.js');
    poly = await startPolySim({ password: PASSWORD, sipDial: 'off', scenario: { answer_after_ms: 50 } });
    polyFile = (await siteProfile({ driver: 'poly', port: poly.port })).file;
  });
  afterAll(async () => {
    await poly.close();
  });

  it('runs a test call and logs out after every command', async () => {
    const r = await run(['dial', '--test', '1s', '-p', polyFile], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('received\taudio\tG.722.1C\t64\t3\t0');
    expect(poly.calls()).toEqual([]);
    const id = (await run(['dial', '-p', polyFile], { env })).stdout.trim();
    expect(await run(['hangup', id, '-p', polyFile], { env })).toEqual({
      code: 0,
      stdout: '',
      stderr: `hung up call ${id} (8001@mcu.example.gov.vn)\n`,
    });
    expect(poly.sessions()).toBe(0);
  });

  it('a refused call keeps the general message: the Poly API says nothing of why (docs/drivers.md)', async () => {
    poly.update({ call: 'reject', reject_status: 486 });
    try {
      expect(await run(['dial', '-p', polyFile], { env })).toEqual({
        code: 2,
        stdout: '',
        stderr: `diemcau: error: the bridge refused the call to 8001@mcu.example.gov.vn, or it ended before it connected\n${HINT_REJECTED}`,
      });
    } finally {
      poly.update({ call: 'answer', reject_status: undefined });
    }
    expect(poly.calls()).toEqual([]);
    expect(poly.sessions()).toBe(0);
  });
});
