/**
 * A meeting's own confirm items through the whole program
 * (docs/meetings.md#the-meetings-own-confirm-items): `meeting add|update
 * --confirm`, `meeting show`; `check --meeting ID` at a site taking part
 * adds them to the profile's checks, skipped with --no-input, answered on a
 * real terminal (`script` around the built binary), uploaded; a site not
 * taking part is not asked; `report meeting` shows who confirmed what and when.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmItemId } from '../../src/commands/meeting/confirm-items.js';
import type { Meeting, MeetingReadiness } from '../../src/model/meeting.js';
import { run } from '../helpers/cli.js';
import { walk } from '../helpers/terminal.js';
import { tempDir } from '../registry/live.js';
import { DAY, HOUR, hanoiHhmm as hhmm, type MeetingApp, meetingApp } from '../registry/meetings-fixtures.js';

const MAKET = 'Maket đã treo đúng nội dung: «Kỳ họp thứ 12 HĐND tỉnh khóa XV»?';
const DEN = 'Đèn sân khấu đã bật?';

let t: MeetingApp;
let url: string;
let dir: string;
let server: net.Server;

function profile(name: string, id: string, unit: string, port: number): void {
  fs.writeFileSync(
    path.join(dir, name),
    [
      'site:',
      `  id: ${id}`,
      '  name: UBND thị xã Bỉm Sơn',
      `  unit: ${unit}`,
      '  technician: { name: Lê Văn C, phone: "0987 654 321" }',
      'locale: vi',
      'checks:',
      `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${port} }`,
      '',
    ].join('\n'),
  );
}

beforeAll(async () => {
  t = await meetingApp();
  t.now.ms = Date.now();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
  server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  dir = tempDir('meeting-confirm');
  profile('site.yaml', 'th-bimson-ubnd', 'thanh-hoa/bim-son/ubnd', port);
  profile('other.yaml', 'th-quangphu', 'thanh-hoa/quang-phu', port);
});
afterAll(async () => {
  server.close();
  await t.app.close();
});

const env = (token: string) => ({
  DIEMCAU_TOKEN: token,
  DIEMCAU_REGISTRY: url,
  DIEMCAU_TZ: 'Asia/Ho_Chi_Minh',
  DIEMCAU_STATE_DIR: path.join(dir, 'state'),
  LANG: 'vi_VN.UTF-8',
});
const cli = (args: string[], token: string, columns = 80) =>
  run(args, { env: env(token), cwd: dir, stateDir: path.join(dir, 'state'), columns });

describe("a meeting's own confirm items from the CLI", () => {
  const start = new Date(Date.now() + 4 * DAY);
  start.setUTCMinutes(30, 0, 0);
  let id = 0;
  const makId = confirmItemId(MAKET);
  const denId = confirmItemId(DEN);

  it('meeting add --confirm / --confirm-advisory books them; meeting show lists them; update replaces them', async () => {
    expect(makId).toMatch(/^maket-da-treo-[0-9a-f]{4}$/);
    expect(denId).toMatch(/^den-san-khau-da-[0-9a-f]{4}$/);
    const add = await cli(
      [
        'meeting',
        'add',
        '--title',
        'Kỳ họp thứ 12 HĐND tỉnh',
        '--host',
        'thanh-hoa/hdnd',
        '--start',
        start.toISOString(),
        '--end',
        new Date(start.getTime() + 3 * HOUR).toISOString(),
        '--bridge',
        'tinh',
        '--unit',
        'thanh-hoa/bim-son',
        '--confirm',
        MAKET,
        '--confirm-advisory',
        DEN,
        '--format',
        'json',
      ],
      t.tokens.coord,
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const m = JSON.parse(add.stdout) as Meeting;
    id = m.id;
    expect(m.confirm).toEqual([
      { id: makId, question: MAKET },
      { id: denId, question: DEN, required: false },
    ]);
    const show = await cli(['meeting', 'show', String(id)], t.tokens.tech);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Cần xác nhận tại điểm cầu  ${MAKET}\n`);
    expect(show.stdout).toMatch(new RegExp(`\\n {27}${DEN.replace('?', '\\?')} \\(khuyến nghị\\)\\n`));

    // Replaced by another list, then back; --clear-confirm with --confirm is a usage error.
    const upd = await cli(
      ['meeting', 'update', String(id), '--confirm', MAKET, '--format', 'json'],
      t.tokens.coord,
    );
    expect(upd.code).toBe(0);
    const u = JSON.parse(upd.stdout) as Meeting;
    expect(u.confirm).toEqual([{ id: makId, question: MAKET }]);
    expect(u.history.at(-1)?.changes?.confirm?.to).toEqual([{ id: makId, question: MAKET }]);
    const both = await cli(
      ['meeting', 'update', String(id), '--clear-confirm', '--confirm', 'x'],
      t.tokens.coord,
    );
    expect(both.code).toBe(3);
    expect(both.stderr).toBe('diemcau: lỗi: --clear-confirm bỏ các câu hỏi: không dùng cùng --confirm\n');
    const clear = await cli(
      ['meeting', 'update', String(id), '--clear-confirm', '--format', 'json'],
      t.tokens.coord,
    );
    expect((JSON.parse(clear.stdout) as Meeting).confirm).toBeUndefined();
    const again = await cli(
      ['meeting', 'update', String(id), '--confirm', MAKET, '--confirm-advisory', DEN, '--format', 'json'],
      t.tokens.coord,
    );
    expect((JSON.parse(again.stdout) as Meeting).confirm).toHaveLength(2);
  });

  it('check --meeting --no-input at a site taking part: the items skipped, "needs a person on site", uploaded', async () => {
    const r = await cli(
      ['check', 'site.yaml', '--meeting', String(id), '--no-input', '--format', 'json', '--upload'],
      t.tokens.tech,
    );
    expect(r.code).toBe(0);
    const checks = JSON.parse(r.stdout).sites[0].checks as Array<Record<string, unknown>>;
    expect(checks.map((c) => [c.id, c.kind, c.status, c.required])).toEqual([
      ['sip-port', 'tcp', 'pass', true],
      [`meeting-confirm-${makId}`, 'confirm', 'skip', true],
      [`meeting-confirm-${denId}`, 'confirm', 'skip', false],
    ]);
    expect(checks[1]).toMatchObject({
      summary: `chưa hỏi: cần người tại điểm cầu xác nhận: ${MAKET}`,
      error: { code: 'NEEDS_PERSON' },
    });
    // A site not taking part is not asked the meeting's questions.
    const other = await cli(
      ['check', 'other.yaml', '--meeting', String(id), '--no-input', '--format', 'json'],
      t.tokens.tech,
    );
    expect(other.code).toBe(0);
    expect(JSON.parse(other.stdout).sites[0].checks.map((c: { id: string }) => c.id)).toEqual(['sip-port']);

    const rep = await cli(['report', 'meeting', String(id), '--format', 'json'], t.tokens.viewer);
    expect(rep.code).toBe(0);
    const body = JSON.parse(rep.stdout) as MeetingReadiness;
    const ubnd = body.sites.find((s) => s.id === 'th-bimson-ubnd');
    expect(ubnd?.meetingConfirm?.map((c) => [c.id, c.answer, c.by])).toEqual([
      [makId, 'skipped', null],
      [denId, 'skipped', null],
    ]);
    expect(body.sites.find((s) => s.id === 'th-bimson-xa')?.meetingConfirm?.map((c) => c.answer)).toEqual([
      'not-asked',
      'not-asked',
    ]);
  }, 30_000);

  it('on a real terminal the technician answers in Vietnamese; the report shows who and when, in local time', async () => {
    const script: Array<[string, string]> = [
      ['Maket đã treo đúng nội dung', 'c\r'],
      [DEN, 'k\r'],
      ['Chưa đạt ở điểm nào?', 'Hỏng một bóng\r'],
    ];
    const { out, step, code } = await walk(
      dir,
      env(t.tokens.tech),
      script,
      30_000,
      `check site.yaml --meeting ${id} --upload -f human -f json=tty.json`,
    );
    expect(step, out).toBe(script.length);
    // The advisory "no" only degrades the site.
    expect(code).toBe(1);
    expect(out).toContain('Câu hỏi của cuộc họp số');
    expect(out).toContain('(c/K)');
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'tty.json'), 'utf8'));
    const [maket, den] = doc.sites[0].checks.slice(1);
    expect(maket).toMatchObject({
      id: `meeting-confirm-${makId}`,
      status: 'pass',
      summary: `Lê Văn C đã xác nhận: ${MAKET}`,
      details: { answer: 'yes', by: 'Lê Văn C' },
    });
    expect(den).toMatchObject({ status: 'fail', details: { answer: 'no', note: 'Hỏng một bóng' } });

    const rep = await cli(['report', 'meeting', String(id), '--format', 'json'], t.tokens.viewer);
    const body = JSON.parse(rep.stdout) as MeetingReadiness;
    const ubnd = body.sites.find((s) => s.id === 'th-bimson-ubnd');
    expect(ubnd?.meetingConfirm?.map((c) => [c.answer, c.by, c.at])).toEqual([
      ['confirmed', 'Lê Văn C', maket.details.at],
      ['not-confirmed', 'Lê Văn C', den.details.at],
    ]);
    const table = await cli(['report', 'meeting', String(id)], t.tokens.viewer);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n').every((l) => l.length <= 80)).toBe(true);
    const wide = (await cli(['report', 'meeting', String(id)], t.tokens.viewer, 200)).stdout;
    expect(wide).toContain('Câu hỏi xác nhận của cuộc họp: 1/2 điểm cầu đã xác nhận đủ các câu bắt buộc');
    // The cell wraps at its column's width: compared with the spaces run together.
    const flat = wide.replace(/\s+/g, ' ');
    expect(flat).toContain(`[1] đã xác nhận (Lê Văn C ${hhmm(maket.details.at)}); [2] chưa`);
    expect(flat).toContain(`đạt: Hỏng một bóng (Lê Văn C ${hhmm(den.details.at)})`);
    expect(wide).toMatch(/th-bimson-xa .*\[1\] chưa kiểm tra; \[2\] chưa kiểm tra/);
  }, 40_000);
});
