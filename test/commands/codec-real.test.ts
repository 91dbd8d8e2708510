/**
 * Every capture set in test/fixtures/codec-real (sources in its SOURCES.md)
 * through the whole CLI: `diemcau check`, `call` and `dial` in-process
 * against the captures served on 127.0.0.1 (test/helpers/codec-real.ts) by
 * a site profile pointing at them. Exact stdout, stderr and exit codes;
 * every command ends its codec session; a refused dial asks nothing to be
 * dialled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import {
  ciscoFixture,
  ciscoSipFailed,
  fixture,
  GROUP_500,
  group500Idle,
  polyFixture,
  type Served,
  X30,
} from '../helpers/codec-real.js';
import { siteProfile } from './codec-site.js';

const servers: Served[] = [];
afterEach(async () => {
  // Whatever the command did, it logged out.
  for (const s of servers) expect(s.open()).toBe(0);
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const keep = (served: Served) => {
  servers.push(served);
  return served;
};

/** The four codec checks of a room, as a site profile lists them. */
const ALL_CHECKS = `  - { id: codec, kind: codec-status }
  - { id: codec-reg, kind: codec-registration, needs: [codec] }
  - { id: codec-diag, kind: codec-diagnostics, needs: [codec], required: false }
  - { id: codec-periph, kind: codec-peripherals, needs: [codec] }`;

async function site(served: Served, driver: 'cisco' | 'poly', checks = ALL_CHECKS) {
  return siteProfile({ driver, port: served.port, checks });
}

/** One line of the piped (tab-separated) check output. */
const row = (...cols: string[]) => `th-xa-a\t${cols.join('\t')}\n`;
const verdict = (word: string, label: string) => row('-', '-', word, label, '', '');

/** Requests that would place a call. */
const dialled = (s: Served) =>
  s.requests.filter((r) => r === 'POST /putxml' || r === 'POST /rest/conferences');

/** `diemcau check` on a profile pointing at `served`: the exit code and the piped lines, nothing on stderr. */
async function expectCheck(
  served: Served,
  driver: 'cisco' | 'poly',
  expected: { code: number; stdout: string; lang?: 'vi'; checks?: string },
) {
  const { file, env } = await site(served, driver, expected.checks);
  const lang = expected.lang ? ['--lang', expected.lang] : [];
  expect(await run([...lang, 'check', '-p', file], { env })).toEqual({
    code: expected.code,
    stderr: '',
    stdout: expected.stdout,
  });
}

const CALL_HEADER = 'ID\tREMOTE\tSTATE\tPROTOCOL\tCALL KBPS\tSECONDS\tRX KBPS\tLOSS %\tJITTER MS\n';

/** `call` lists the one call (its table row); `dial` refuses, naming it, and asks nothing to be dialled. */
async function expectInCall(
  served: Served,
  driver: 'cisco' | 'poly',
  call: { row: string; remote: string; id: string },
) {
  const { file, env } = await site(served, driver);
  expect(await run(['call', '-p', file], { env })).toEqual({
    code: 0,
    stderr: '',
    stdout: `${CALL_HEADER}${call.row}\n`,
  });
  expect(await run(['dial', '-p', file], { env })).toEqual({
    code: 2,
    stdout: '',
    stderr: `diemcau: error: the codec is already in a call with ${call.remote} (call ${call.id})\n${HINT_IN_CALL(call.id)}`,
  });
  expect(dialled(served)).toEqual([]);
}

/** `call` shows none; `dial --wait 0` is not refused: it places the call and prints its id. */
async function expectIdle(served: Served, driver: 'cisco' | 'poly') {
  const { file, env } = await site(served, driver);
  expect(await run(['call', '-p', file], { env })).toEqual({
    code: 0,
    stdout: 'No active call.\n',
    stderr: '',
  });
  expect(await run(['dial', '--wait', '0', '-p', file], { env })).toEqual({
    code: 0,
    stdout: '1\n',
    stderr: '',
  });
  expect(dialled(served)).toEqual(['POST /rest/conferences']);
}

const SILENT_DIAG_EN =
  'This is not a pass: look on the codec itself (its web page or touch panel) and check its software version; run again with --debug to see the reply.';
const SILENT_DIAG_VI =
  'Chưa thể coi là đạt: xem trực tiếp trên codec (trang web hoặc màn hình cảm ứng) và kiểm tra phiên bản phần mềm; chạy lại với --debug để xem câu trả lời.';
/** A Cisco status with no Diagnostics node: unknown (warn), never a pass. */
const NO_DIAGNOSTICS = row(
  'codec-diag',
  'codec-diagnostics',
  'warn',
  'the codec said nothing about diagnostics (its reply has no Diagnostics)',
  '',
  SILENT_DIAG_EN,
);
const HINT_IN_CALL = (id: string) =>
  `  hint: It may be a meeting in progress: nothing was dialled. Hang it up first if you are sure (diemcau hangup ${id}), then try again.\n`;

describe('Cisco Room Bar on RoomOS 11.19 in a Teams call, no <Call> node (c1)', () => {
  const start = async () => keep(await ciscoFixture(fixture('cisco/c1-roombar-11.19-teams-call-status.xml')));

  it('check: Teams is a registration, no Diagnostics node is a warning, not a pass', async () => {
    await expectCheck(await start(), 'cisco', {
      code: 1,
      stdout:
        row(
          'codec',
          'codec-status',
          'pass',
          'Cisco Room Bar, software RoomOS 11.19.1.6 76526b1b094: awake',
          'uptime 37224 s · active_calls 1',
          '',
        ) +
        row(
          'codec-reg',
          'codec-registration',
          'pass',
          'registered via Microsoft Teams; Microsoft Teams MicrosoftTeams (-); H.323 not applicable on this product',
          'registered 1 · configured 1',
          '',
        ) +
        NO_DIAGNOSTICS +
        row(
          'codec-periph',
          'codec-peripherals',
          'pass',
          '1 of 1 camera(s) and 1 of 2 microphone(s) connected',
          'cameras 1 · microphones 1',
          '',
        ) +
        verdict('degraded', 'READY WITH WARNINGS'),
    });
  });

  it('call: says the codec is in a call it does not list, with what (en, json)', async () => {
    const served = await start();
    const { file, env } = await site(served, 'cisco');
    expect(await run(['call', '-p', file], { env })).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'In a call the codec does not list (NumberOfActiveCalls 1, System InCall, MicrosoftTeams InCall True): a Teams or Webex meeting, or a call being set up.\n',
    });
    const json = await run(['call', '--format', 'json', '-p', file], { env });
    expect(JSON.parse(json.stdout)).toEqual({
      calls: [],
      busy: 'NumberOfActiveCalls 1, System InCall, MicrosoftTeams InCall True',
    });
  });

  it('dial: refuses and says with what, in Vietnamese; nothing dialled', async () => {
    const served = await start();
    const { file, env } = await site(served, 'cisco');
    expect(await run(['--lang', 'vi', 'dial', '-p', file], { env })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'diemcau: lỗi: thiết bị codec đang trong cuộc gọi (NumberOfActiveCalls 1, System InCall, MicrosoftTeams InCall True) dù không liệt kê cuộc gọi nào\n' +
        '  gợi ý: Có thể đang có cuộc họp Teams hoặc Webex: chưa quay số. Nếu chắc chắn, kết thúc cuộc họp trên màn hình cảm ứng rồi thử lại.\n',
    });
    expect(dialled(served)).toEqual([]);
  });
});

describe('Cisco SX20 on CE 9.1.4 in a SIP call (c2)', () => {
  const start = async () => keep(await ciscoFixture(fixture('cisco/c2-sx20-ce9.1.4-incall-status.xml')));

  it('check: both registrations, no Diagnostics node, both microphones NotConnected (not ready)', async () => {
    await expectCheck(await start(), 'cisco', {
      code: 2,
      stdout:
        row(
          'codec',
          'codec-status',
          'pass',
          'Cisco TelePresence SX20, software ce 9.1.4 3ae3106 2017-08-30: awake',
          'uptime 344379 s · active_calls 1',
          '',
        ) +
        row(
          'codec-reg',
          'codec-registration',
          'pass',
          'registered via SIP, H.323; SIP Registered (NH-SX20@nh.vnoc1.com); H.323 Registered (172.31.254.64)',
          'registered 2 · configured 2',
          '',
        ) +
        NO_DIAGNOSTICS +
        row(
          'codec-periph',
          'codec-peripherals',
          'fail',
          '1 of 1 camera(s) and 0 of 2 microphone(s) connected: need 1 microphone(s), 0 connected',
          'cameras 1 · microphones 0',
          'Check the microphone cables and the mixer, and that the microphones are powered (battery / PoE). Not connected: 1, 2.',
        ) +
        verdict('not-ready', 'NOT READY'),
    });
  });

  it('call: the 7-hour call with its media figures; dial refuses, naming it', async () => {
    await expectInCall(await start(), 'cisco', {
      row: '26\t6251234567@vnoc1.com\tconnected\tSIP\t3381\t25195\t2548\t0.00\t4',
      remote: '6251234567@vnoc1.com',
      id: '26',
    });
  });
});

describe('Cisco CE 9.6.1 fragments (c3, c4, c7)', () => {
  it('check, diagnostics (c3): two errors and two warnings, each named', async () => {
    await expectCheck(
      keep(await ciscoFixture(fixture('cisco/c3-ce9.6.1-diagnostics-with-warnings.xml'))),
      'cisco',
      {
        code: 2,
        checks: '  - { id: codec-diag, kind: codec-diagnostics }',
        stdout:
          row(
            'codec-diag',
            'codec-diagnostics',
            'fail',
            '2 error(s), 2 warning(s): ValidPasswords: There is one or more users without a passphrase set',
            'errors 2 · warnings 2',
            "Open the codec's web page (Issues and diagnostics) and fix what it lists; call the supplier if it is a hardware fault.",
          ) + verdict('not-ready', 'NOT READY'),
      },
    );
  });

  it('call and dial, an incoming call (c4): listed, no media figures made up where no channel is listed; dial refuses', async () => {
    await expectInCall(
      keep(await ciscoFixture(fixture('cisco/c4-ce9.6.1-call-incoming-unanswered.xml'))),
      'cisco',
      {
        row: '80\ttestcall@video.mividas.com\tconnected\tSIP\t3072\t4\t-\t-\t-',
        remote: 'testcall@video.mividas.com',
        id: '80',
      },
    );
  });

  it('check, SIP registration failed (c7): fails with the codec’s own reason', async () => {
    await expectCheck(keep(await ciscoFixture(ciscoSipFailed())), 'cisco', {
      code: 2,
      checks: '  - { id: codec-reg, kind: codec-registration }',
      stdout:
        row(
          'codec-reg',
          'codec-registration',
          'fail',
          'not registered (none up): SIP Failed (ftt18330017@cisco-device); H.323 not applicable on this product',
          'registered 0 · configured 1',
          'Check the SIP registrar / H.323 gatekeeper address, the account and its password on the codec, and that the registrar is reachable (ports 5060/5061 or 1719). The codec says: DNS lookup failed.',
        ) + verdict('not-ready', 'NOT READY'),
    });
  });
});

/** What a Poly answers to POST /rest/conferences: the new connection's href (the shape AVI-SPL's adapter reads, docs/drivers.md). */
const DIAL_REPLY = JSON.stringify([{ href: '/rest/conferences/1/connections/1' }]);

describe('Poly Studio X30 on VideoOS 3.12, idle and asleep (p1–p9)', () => {
  it('check: asleep is a warning; SIP and H.323 up, nothing to report, a touch panel', async () => {
    await expectCheck(keep(await polyFixture(X30)), 'poly', {
      code: 1,
      stdout:
        row(
          'codec',
          'codec-status',
          'warn',
          'Poly StudioX30, software 3.12.0: asleep (ASLEEP)',
          'uptime 693845 s',
          'Wake the codec (touch panel or remote) and check that the screens come on; it also wakes when a call comes in.',
        ) +
        row(
          'codec-reg',
          'codec-registration',
          'pass',
          'registered via SIP, H.323; SIP UP (172.31.254.64); H.323 UP (172.31.254.64)',
          'registered 2 · configured 2',
          '',
        ) +
        row(
          'codec-diag',
          'codec-diagnostics',
          'pass',
          'no error-level diagnostics (0 message(s))',
          'errors 0 · warnings 0',
          '',
        ) +
        row(
          'codec-periph',
          'codec-peripherals',
          'pass',
          '1 of 1 camera(s) and 1 of 1 microphone(s) connected',
          'cameras 1 · microphones 1',
          '',
        ) +
        verdict('degraded', 'READY WITH WARNINGS'),
    });
  });

  it('call shows no call; dial is not refused', async () => {
    await expectIdle(keep(await polyFixture({ ...X30, 'POST /rest/conferences': DIAL_REPLY })), 'poly');
  });
});

describe('Poly RealPresence Group 500 on 6.2.2 (p10, p11, p14)', () => {
  const start = async (routes: Record<string, string> = GROUP_500) =>
    keep(await polyFixture(routes, { loginPath: '/rest/session' }));

  it('check, in Vietnamese: provisioning down fails diagnostics; cameras not reported is a warning', async () => {
    await expectCheck(await start(), 'poly', {
      code: 1,
      lang: 'vi',
      stdout:
        row(
          'codec',
          'codec-status',
          'warn',
          'Poly RealPresence Group 500, phần mềm Release - 6.2.2.8-670021: đang ngủ (ASLEEP)',
          'uptime 324968 s',
          'Đánh thức codec (màn hình cảm ứng hoặc điều khiển) và kiểm tra màn hình sáng; codec cũng tự thức khi có cuộc gọi đến.',
        ) +
        row(
          'codec-reg',
          'codec-registration',
          'pass',
          'đã đăng ký qua SIP; SIP up (-)',
          'registered 1 · configured 1',
          '',
        ) +
        row(
          'codec-diag',
          'codec-diagnostics',
          'fail',
          '1 lỗi, 0 cảnh báo: system.status.provisioning: PROVISIONING: down',
          'errors 1 · warnings 0',
          'Mở trang web của codec (Issues and diagnostics) và xử lý các mục được liệt kê; báo nhà cung cấp nếu là lỗi phần cứng.',
        ) +
        row(
          'codec-periph',
          'codec-peripherals',
          'warn',
          '0/0 camera và 1/1 micro đang kết nối: codec không báo camera',
          'cameras 0 · microphones 1',
          SILENT_DIAG_VI,
        ) +
        verdict('degraded', 'SẴN SÀNG, CÓ CẢNH BÁO'),
    });
  });

  it('call shows the call ringing in on the PENDING placeholder; dial refuses and says with whom', async () => {
    await expectInCall(await start(), 'poly', {
      row: '2\thdx9000@video.mividas.com\tringing\tSIP\t3796\t37\t-\t-\t-',
      remote: 'hdx9000@video.mividas.com',
      id: '2',
    });
  });

  it('idle, only the PENDING placeholder: call shows no call (also in Vietnamese), dial is not refused', async () => {
    const served = await start({ ...group500Idle(), 'POST /rest/conferences': DIAL_REPLY });
    await expectIdle(served, 'poly');
    const { file, env } = await site(served, 'poly');
    expect(await run(['--lang', 'vi', 'call', '-p', file], { env })).toEqual({
      code: 0,
      stdout: 'Không có cuộc gọi nào.\n',
      stderr: '',
    });
  });
});
