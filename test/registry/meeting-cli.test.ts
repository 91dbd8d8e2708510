/**
 * The meeting commands against a registry on loopback (docs/meetings.md):
 * book, clash and bad input (one line, exit 3), list/show in 80 columns and
 * JSON, next with the countdown to T−60, cancel, the .ics file, report
 * meeting in table/csv/json/html, in English and Vietnamese; the TTY form.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/commands/incident/prompter.js';
import { draftMeeting } from '../../src/commands/meeting/add.js';
import { parseMeetingTime } from '../../src/commands/meeting/common.js';
import type { MeetingList } from '../../src/model/meeting.js';
import { width } from '../../src/util/table.js';
import { run } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';
import { tempDir, writeProfile } from './live.js';
import { at, DAY, HOUR, type MeetingApp, meetingApp } from './meetings-fixtures.js';

let t: MeetingApp;
let url: string;
let dir: string;
let profile: string;

beforeAll(async () => {
  t = await meetingApp();
  t.now.ms = Date.now();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
  dir = tempDir('meeting-cli');
  profile = writeProfile(dir, url);
});
afterAll(() => t.app.close());

const cli = (args: string[], token = t.tokens.coord, env: Record<string, string> = {}) =>
  run(args, {
    env: { DIEMCAU_TOKEN: token, DIEMCAU_REGISTRY: url, DIEMCAU_TZ: 'Asia/Ho_Chi_Minh', ...env },
    cwd: dir,
    stateDir: path.join(dir, 'state'),
    columns: 80,
  });
const fits = (text: string) => text.split('\n').every((l) => width(l) <= 80);

describe('meeting commands', () => {
  const start = new Date(Date.now() + 4 * DAY);
  start.setUTCMinutes(30, 0, 0);
  const startIso = start.toISOString();
  const endIso = new Date(start.getTime() + 3 * HOUR).toISOString();
  const add = [
    'meeting',
    'add',
    '--title',
    'Kỳ họp HĐND tỉnh',
    '--host',
    'thanh-hoa/hdnd',
    '--start',
    startIso,
    '--end',
    endIso,
    '--bridge',
    'tinh',
    '--unit',
    'thanh-hoa/bim-son',
  ];

  it('books; a clash is one line naming the other meeting, exit 3; --allow-clash books it flagged', async () => {
    const r = await cli(add);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Booked meeting no\. 1: Kỳ họp HĐND tỉnh, \d\d:30 \d\d\/\d\d\/\d{4} – \d\d:30\.\n$/,
    );
    const clash = await cli([...add.slice(0, 3), 'Giao ban', ...add.slice(4)]);
    expect(clash.code).toBe(3);
    expect(clash.stderr.split('\n')[0]).toMatch(
      /^diemcau: error: the registry refused it: meeting 1 “Kỳ họp HĐND tỉnh” already holds the same bridge \(tinh\) from \d\d:30 \d\d\/\d\d\/\d{4} to \d\d:30 \d\d\/\d\d\/\d{4}; book with --allow-clash/,
    );
    const viClash = await cli(['--lang', 'vi', ...add.slice(0, 3), 'Giao ban', ...add.slice(4)]);
    expect(viClash.stderr.split('\n')[0]).toMatch(
      /^diemcau: lỗi: máy chủ tổng hợp từ chối: trùng cuộc họp: cuộc họp 1 “Kỳ họp HĐND tỉnh” đã dùng cùng phòng họp MCU \(tinh\)/,
    );
    const forced = await cli([
      ...add.slice(0, 3),
      'Giao ban',
      ...add.slice(4),
      '--allow-clash',
      '--format',
      'json',
    ]);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ id: 2, flags: ['clash_allowed'], clashesWith: [1] });
  });

  it('bad input: missing flags, a time that is not one, end before start, a technician token — exit 3', async () => {
    const missing = await cli(['meeting', 'add', '--title', 'x']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('missing --start, --end, --bridge, --site/--unit');
    const bad = await cli([...add.slice(0, 7), '07:30 mai', ...add.slice(8)]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--start: "07:30 mai" is not a time');
    const order = await cli([...add.slice(0, 7), endIso, '--end', startIso, ...add.slice(10)]);
    expect(order.code).toBe(3);
    expect(order.stderr).toContain('end is before the start');
    const tech = await cli(
      [...add.slice(0, 3), 'Khác', ...add.slice(4), '--bridge', 'tinh-2'],
      t.tokens.tech,
    );
    expect(tech.code).toBe(3);
    expect(tech.stderr).toContain(
      'a technician token cannot book or change meetings; a coordinator or admin token can',
    );
  });

  it('list and show: a table within 80 columns, or JSON', async () => {
    const table = await cli(['meeting', 'list']);
    expect(table.code).toBe(0);
    expect(fits(table.stdout)).toBe(true);
    expect(table.stdout).toContain('Kỳ họp HĐND tỉnh');
    const list = JSON.parse((await cli(['meeting', 'list', '--format', 'json'])).stdout) as MeetingList;
    expect(list.items.map((m) => m.id)).toEqual([1, 2]);
    const show = await cli(['meeting', 'show', '1']);
    expect(show.stdout).toContain('Host unit  thanh-hoa/hdnd');
    expect(show.stdout).toContain('tinh (sip:8001@mcu.thanhhoa.gov.vn)');
    expect(fits(show.stdout)).toBe(true);
  });

  it("next: this site's next meeting, when in local time, and the countdown to T−60 (English, Vietnamese)", async () => {
    const r = await cli(['meeting', 'next', '-p', profile], t.tokens.tech);
    expect(r.code).toBe(0);
    const local = new Date(start.getTime() + 7 * HOUR);
    const p = (n: number) => String(n).padStart(2, '0');
    const when = `${p(local.getUTCHours())}:30 ${p(local.getUTCDate())}/${p(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`;
    expect(r.stdout).toContain('Next meeting: no. 1 Kỳ họp HĐND tỉnh');
    expect(r.stdout).toContain(`When:    ${when} (Asia/Ho_Chi_Minh)`);
    expect(r.stdout).toContain('Host:    thanh-hoa/hdnd');
    expect(r.stdout).toMatch(/T−60 in 3 d 2\d h/);
    const vi = await cli(['--lang', 'vi', 'meeting', 'next', '-p', profile], t.tokens.tech);
    expect(vi.stdout).toContain('Cuộc họp tới: số 1 Kỳ họp HĐND tỉnh');
    expect(vi.stdout).toMatch(/Còn 3 ngày 2\d giờ đến T−60/);
    const other = await cli(['meeting', 'next', '--site', 'na-vinh'], t.tokens.admin);
    expect(other.stdout).toBe('No meeting ahead for site na-vinh.\n');
  });

  it('report meeting: table in 80 columns, csv, json, html', async () => {
    const table = await cli(['report', 'meeting', '1'], t.tokens.viewer);
    expect(table.code).toBe(0);
    expect(fits(table.stdout)).toBe(true);
    expect(table.stdout).toContain('Readiness of meeting no. 1: Kỳ họp HĐND tỉnh');
    expect(table.stdout.replace(/\s+/g, ' ')).toContain(
      '2 sites: 0 ready, 0 with warnings, 0 not ready, 0 could not check, 2 not checked since T−60',
    );
    expect(table.stdout).toContain('KTV th-bimson-ubnd');
    expect(table.stdout).toContain('0912 000 000');
    const csv = await cli(['report', 'meeting', '1', '--format', 'csv'], t.tokens.viewer);
    expect(csv.stdout.split(/\r?\n/)[0]).toBe(
      'site,name,unit,state,last_run_at,last_verdict,in_window,failing,open_incidents,technician,technician_phone,focal_point,focal_point_phone,overlaps,connected,connected_since,minutes_connected,confirmations',
    );
    const json = JSON.parse(
      (await cli(['report', 'meeting', '1', '--format', 'json'], t.tokens.viewer)).stdout,
    );
    expect(json).toMatchObject({ schema: 'diemcau/report-meeting@1', counts: { sites: 2, notChecked: 2 } });
    const html = await cli(
      ['report', 'meeting', '1', '--format', 'html', '-o', path.join(dir, 'm.html')],
      t.tokens.viewer,
    );
    expect(html.code).toBe(0);
    const page = fs.readFileSync(path.join(dir, 'm.html'), 'utf8');
    expect(page).toContain('<table id="meeting-1">');
    expect(page).toContain('not checked since T−60');
  });

  it('ics: the meetings ahead of a site in one file a real parser reads', async () => {
    const file = path.join(dir, 'bimson.ics');
    const r = await cli(['meeting', 'ics', '--site', 'th-bimson-ubnd', '-o', file], t.tokens.tech);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Wrote 2 meeting(s) to ${file}.`);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(text).toContain('TRIGGER:-PT1H');
    expect(text).toContain('TRIGGER:-PT15M');
    try {
      const n = execFileSync(
        '/usr/bin/python3',
        [
          '-c',
          'import sys,icalendar;print(len(icalendar.Calendar.from_ical(open(sys.argv[1],"rb").read()).walk("VEVENT")))',
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(n.trim()).toBe('2');
    } catch (err) {
      if (fs.existsSync('/usr/bin/python3')) throw err;
    }
  });

  it('cancel and postpone: the status in words, refused when done; notice set by an admin', async () => {
    const r = await cli(['meeting', 'cancel', '2', '--note', 'Trùng lịch']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Meeting no. 2: cancelled.');
    const again = await cli(['meeting', 'cancel', '2']);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('meeting 2 is cancelled; it can no longer be changed');
    const notice = await cli(['meeting', 'notice', '--unit', 'thanh-hoa', '--hours', '48'], t.tokens.admin);
    expect(notice.stdout).toBe('Notice for thanh-hoa: 48 h.\n');
  });
});

describe('report meetings and the coordinator role', () => {
  it('report meetings --since 30d lists the meetings of the period with their counts', async () => {
    const start = Date.now() - 2 * DAY;
    const rec = await cli([
      'meeting',
      'add',
      '--title',
      'Giao ban tháng',
      '--host',
      'thanh-hoa/ubnd',
      '--start',
      at(start),
      '--end',
      at(start + HOUR),
      '--bridge',
      'tinh-2',
      '--site',
      'th-quangphu',
      '--record',
    ]);
    expect(rec.code).toBe(0);
    const r = await cli(['report', 'meetings', '--since', '30d'], t.tokens.viewer);
    expect(r.code).toBe(0);
    expect(fits(r.stdout)).toBe(true);
    expect(r.stdout).toContain('Giao ban tháng');
    expect(r.stdout).toContain('0/1');
    const json = JSON.parse(
      (await cli(['report', 'meetings', '--since', '30d', '--format', 'json'], t.tokens.viewer)).stdout,
    );
    expect(json).toMatchObject({
      schema: 'diemcau/report-meetings@1',
      meetings: [
        { meeting: { title: 'Giao ban tháng', status: 'done', flags: ['recorded'] }, counts: { sites: 1 } },
      ],
    });
  });

  it('registry token create --role coordinator --unit makes a coordinator token', async () => {
    const db = path.join(dir, 'tokens.db');
    const r = await run(
      ['registry', 'token', 'create', '--role', 'coordinator', '--unit', 'thanh-hoa', '--db', db],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dct_/);
    const list = await run(['registry', 'token', 'list', '--format', 'json', '--db', db], { cwd: dir });
    expect(JSON.parse(list.stdout)).toMatchObject({ tokens: [{ role: 'coordinator', unit: 'thanh-hoa' }] });
  });
});

describe('times people type', () => {
  it('a wall time in the site zone, or RFC 3339 with a zone; nonsense is undefined', () => {
    expect(parseMeetingTime('2026-12-03 07:30', 'Asia/Ho_Chi_Minh')).toBe('2026-12-03T00:30:00.000Z');
    expect(parseMeetingTime('2026-12-03T07:30+07:00', 'UTC')).toBe('2026-12-03T00:30:00.000Z');
    expect(parseMeetingTime('2026-02-30 07:30', 'Asia/Ho_Chi_Minh')).toBeUndefined();
    expect(parseMeetingTime('mai 7h30', 'Asia/Ho_Chi_Minh')).toBeUndefined();
  });
});

describe('the form on a terminal', () => {
  it('asks what the flags did not give, in Vietnamese', async () => {
    const ctx = testContext({ locale: 'vi', env: { DIEMCAU_TZ: 'Asia/Ho_Chi_Minh' } });
    const asked: string[] = [];
    const answers: Record<string, string> = {
      'Tên cuộc họp': 'Giao ban trực tuyến',
      'Giờ bắt đầu (2026-12-03 07:30)': '2026-12-10 07:30',
      'Giờ kết thúc (2026-12-03 11:30)': '2026-12-10 09:00',
      'Cầu (mã hoặc địa chỉ sip:)': 'tinh',
      'Điểm cầu tham dự (mã, cách nhau bằng dấu phẩy)': 'th-bimson-ubnd, th-quangphu',
      'Đơn vị tham dự (cách nhau bằng dấu phẩy)': '',
      'Phòng họp chủ trì (có thể bỏ trống)': '',
    };
    const prompter: Prompter = {
      input: async (message) => {
        asked.push(message);
        return answers[message] ?? '';
      },
      select: async (message, choices) => {
        asked.push(`${message}: ${choices.map((c) => c.name).join('/')}`);
        return choices[1]?.value as never;
      },
      confirm: async () => true,
    };
    const body = await draftMeeting(ctx, { format: 'table' }, 'thanh-hoa/ubnd', prompter);
    expect(asked).toContain('Loại cuộc họp: thường/khẩn cấp');
    expect(body).toEqual({
      title: 'Giao ban trực tuyến',
      hostUnit: 'thanh-hoa/ubnd',
      start: at(Date.parse('2026-12-10T00:30:00Z')),
      end: at(Date.parse('2026-12-10T02:00:00Z')),
      kind: 'emergency',
      bridge: 'tinh',
      participants: { sites: ['th-bimson-ubnd', 'th-quangphu'] },
    });
  });
});
