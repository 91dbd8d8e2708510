/**
 * `diemcau site …` in-process against a real registry on 127.0.0.1 (SQLite):
 * the IT centre's CSV (BOM, Vietnamese headers), a bad row refused per row and
 * column with nothing imported, an atomic refusal, push from profiles without
 * secrets, retire and move with their history, and what the readiness report
 * then shows (never reported, technician, phone, open incidents).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Readiness } from '../../src/model/report.js';
import type { Site, SiteList } from '../../src/model/site.js';
import { peopleTime } from '../../src/util/local-time.js';
import { run } from '../helpers/cli.js';
import { bearer, incidentBody, post } from '../registry/fixtures.js';
import { type LiveRegistry, startRegistry, tempDir } from '../registry/live.js';

let reg: LiveRegistry;
let dir: string;

const cli = (args: string[], env: Record<string, string> = {}, token?: string) =>
  run([...args, '--registry', reg.url], {
    env: { DIEMCAU_TOKEN: token ?? reg.tokens.admin, DIEMCAU_LANG: 'vi', ...env },
    cwd: dir,
    stateDir: path.join(dir, 'state'),
    columns: 80,
  });

const get = async <T>(url: string): Promise<T> =>
  (await reg.app.inject({ method: 'GET', url, headers: bearer(reg.tokens.admin) })).json() as T;

const CSV_VI = [
  'Mã điểm cầu,Tên điểm cầu,Đơn vị,Cấp,Địa chỉ,Kỹ thuật viên,Điện thoại kỹ thuật viên,Email kỹ thuật viên,Zalo kỹ thuật viên,Đầu mối,SĐT đầu mối,Loại codec,Model codec,Cầu MCU,Giờ họp',
  'th-xa-a,UBND xã A,thanh-hoa/xa-a,xa,"Số 1, đường Lê Lợi",Lê Văn C,0987 654 321,c@thanhhoa.gov.vn,0987654321,Trần Thị D,(0237) 385 0000,cisco,SX20,sip:8001@mcu.thanhhoa.gov.vn,"07:30-11:30, 13:30-17:00"',
  'th-xa-b,UBND xã B,thanh-hoa/xa-b,xa,,Phạm Văn E,+84 912 000 111,,,,,,,,',
].join('\r\n');

beforeAll(async () => {
  reg = await startRegistry();
  dir = tempDir('site-cmd');
});
afterAll(async () => {
  await reg?.close();
});

describe('site import', () => {
  it('imports a UTF-8 file with a BOM and Vietnamese headers, every field in its place', async () => {
    fs.writeFileSync(path.join(dir, 'sites.csv'), `\uFEFF${CSV_VI}\r\n`);
    const r = await cli(['site', 'import', 'sites.csv']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('sites.csv: đã nhập 2 điểm cầu\n');
    expect(r.code).toBe(0);
    const a = await get<Site>('/v1/sites/th-xa-a');
    expect(a).toMatchObject({
      name: 'UBND xã A',
      unit: 'thanh-hoa/xa-a',
      level: 'xa',
      address: 'Số 1, đường Lê Lợi',
      technician: { name: 'Lê Văn C', phone: '0987 654 321', email: 'c@thanhhoa.gov.vn', zalo: '0987654321' },
      focal_point: { name: 'Trần Thị D', phone: '(0237) 385 0000' },
      codec: { driver: 'cisco', model: 'SX20' },
      bridge: 'sip:8001@mcu.thanhhoa.gov.vn',
      meeting_hours: '07:30-11:30, 13:30-17:00',
    });
    expect((await get<Site>('/v1/sites/th-xa-b')).technician).toEqual({
      name: 'Phạm Văn E',
      phone: '+84 912 000 111',
    });
  });

  it('says each bad cell as file:ROW:COLUMN and imports nothing, English headers and no BOM', async () => {
    fs.writeFileSync(
      path.join(dir, 'bad.csv'),
      [
        'site_id,name,unit,technician,technician_phone,technician_email',
        'th-ok,OK,thanh-hoa/ok,Lê A,0912 345 678,a@x.vn',
        'th-bad,Bad,thanh-hoa/bad,Lê B,12345,not-an-email',
        'th-ok,Again,thanh-hoa/ok2,,0912 345 678,',
      ].join('\n'),
    );
    const r = await cli(['site', 'import', 'bad.csv'], { DIEMCAU_LANG: 'en' });
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n').slice(0, 4)).toEqual([
      'bad.csv:3:5: technician_phone: must be a Vietnamese phone number: 0 or +84 and 9 or 10 digits, e.g. 0912 345 678 (got "12345")',
      'bad.csv:3:6: technician_email: must be an e-mail address such as ktv@thanhhoa.gov.vn (got "not-an-email")',
      'bad.csv:4:4: a technician phone, e-mail or Zalo needs the name too',
      'bad.csv:4:1: site th-ok is also on row 2',
    ]);
    expect(r.stderr).toContain('bad.csv: 2 rows with errors; nothing imported');
    expect(
      (await reg.app.inject({ method: 'GET', url: '/v1/sites/th-ok', headers: bearer(reg.tokens.admin) }))
        .statusCode,
    ).toBe(404);
  });

  it('an unknown column is an error on the header row', async () => {
    fs.writeFileSync(path.join(dir, 'cols.csv'), 'id,name,unit,colour\nx,X,thanh-hoa/x,red\n');
    const r = await cli(['site', 'import', 'cols.csv'], { DIEMCAU_LANG: 'en' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^cols\.csv:1:4: unknown column colour; known: id, name, unit, /);
  });

  it('a row the registry refuses (a site of another unit) refuses the whole file', async () => {
    const held = await reg.app.inject({
      method: 'PUT',
      url: '/v1/sites/na-held',
      headers: bearer(reg.tokens.admin),
      payload: { name: 'Held', unit: 'nghe-an/held' },
    });
    expect(held.statusCode).toBe(201);
    fs.writeFileSync(
      path.join(dir, 'held.csv'),
      'id,name,unit\nth-new-1,New,thanh-hoa/bim-son/new\nna-held,Claimed,thanh-hoa/bim-son/held\n',
    );
    const r = await cli(['site', 'import', 'held.csv'], { DIEMCAU_LANG: 'en' }, reg.tokens.tech);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'held.csv:3: na-held: site na-held is registered under unit nghe-an/held, not thanh-hoa/bim-son/held',
    );
    expect(
      (await reg.app.inject({ method: 'GET', url: '/v1/sites/th-new-1', headers: bearer(reg.tokens.admin) }))
        .statusCode,
    ).toBe(404);
  });
});

describe('site push, list, show, retire, move', () => {
  it('pushes profiles of a folder, merged over the register, never a secret', async () => {
    const profiles = path.join(dir, 'profiles');
    fs.mkdirSync(profiles);
    fs.writeFileSync(
      path.join(profiles, 'a.yaml'),
      [
        'site:',
        '  id: th-xa-a',
        '  name: UBND xã A (mới)',
        '  unit: thanh-hoa/xa-a',
        '  technician: { name: Lê Văn C, phone: "0987 654 321" }',
        'codec: { driver: cisco, host: 10.0.0.5, username: admin, password: "${CODEC_PASSWORD}" }',
        'bridges: [{ id: mcu, uri: "sip:8002@mcu.thanhhoa.gov.vn" }]',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(profiles, 'c.yaml'),
      'site: { id: th-xa-c, name: UBND xã C, unit: thanh-hoa/xa-c }\n',
    );
    const dry = await cli(['site', 'push', 'profiles', '--dry-run'], { CODEC_PASSWORD: 'hunter2-secret' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).not.toContain('hunter2');
    expect(dry.stdout).not.toContain('10.0.0.5');
    const r = await cli(['site', 'push', 'profiles'], { CODEC_PASSWORD: 'hunter2-secret' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('danh bạ: đã ghi 2/2 điểm cầu\n');
    const a = await get<Site>('/v1/sites/th-xa-a');
    // From the profile: name, codec driver, bridge; from the import, kept: address, model, hours.
    expect(a).toMatchObject({
      name: 'UBND xã A (mới)',
      codec: { driver: 'cisco' },
      bridge: 'sip:8002@mcu.thanhhoa.gov.vn',
      address: 'Số 1, đường Lê Lợi',
      meeting_hours: '07:30-11:30, 13:30-17:00',
    });
    expect(JSON.stringify(a)).not.toContain('hunter2');
  });

  it('lists as a table of 80 columns or JSON, and shows one site', async () => {
    const r = await cli(['site', 'list', '--unit', 'thanh-hoa']);
    expect(r.code).toBe(0);
    for (const line of r.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(r.stdout).toContain('th-xa-a');
    const j = JSON.parse(
      (await cli(['site', 'list', '--unit', 'thanh-hoa', '--format', 'json'])).stdout,
    ) as SiteList;
    expect(j.items.map((s) => s.id)).toEqual(['th-xa-a', 'th-xa-b', 'th-xa-c']);
    const show = await cli(['site', 'show', 'th-xa-a']);
    // The profile's technician replaced the imported one (a field given replaces, whole).
    expect(show.stdout).toContain('Kỹ thuật viên: Lê Văn C · 0987 654 321\n');
    expect(show.stdout).toContain('Đầu mối: Trần Thị D · (0237) 385 0000\n');
    expect(show.stdout).toContain('chưa chuyển lần nào');
  });

  it('readiness shows the maintenance window in force over a site, in every format', async () => {
    const until = new Date(reg.now.ms + 3_600_000).toISOString();
    const w = await reg.store.alerts.addMaintenance(
      {
        unit: 'thanh-hoa/xa-a',
        from: new Date(reg.now.ms - 60_000).toISOString(),
        to: until,
        reason: 'thay codec',
      },
      'admin',
      reg.now.ms,
    );
    try {
      const rep = await get<Readiness>('/v1/reports/readiness?unit=thanh-hoa');
      const bySite = new Map(rep.sites.map((s) => [s.id, s.maintenance]));
      expect(bySite.get('th-xa-a')).toEqual({ id: w.id, until, reason: 'thay codec' });
      expect(bySite.get('th-xa-b')).toBeUndefined();
      const report = (format: string) =>
        cli(['report', 'readiness', '--unit', 'thanh-hoa', '--format', format]);
      const csv = (await report('csv')).stdout.split('\r\n');
      const row = csv.find((l) => l.startsWith('th-xa-a,')) as string;
      expect(row.endsWith(`,${until},thay codec`)).toBe(true);
      expect(csv.find((l) => l.startsWith('th-xa-b,'))?.endsWith(',,')).toBe(true);
      const tsv = (await report('tsv')).stdout.split('\n').map((l) => l.split('\t'));
      expect(tsv.find((r) => r[1] === 'th-xa-a')?.[9]).toBe(until);
      const table = (await report('table')).stdout;
      expect(table).toContain('BẢO TRÌ');
      expect(table).toMatch(/Lê Văn C +\d\d:\d\d \d\d\/12\/\d{4}/);
      expect((await report('html')).stdout).toMatch(/<td>đến [^<]*: thay codec/);
      expect(JSON.parse((await report('json')).stdout).readiness.sites[0]).toHaveProperty('maintenance');
    } finally {
      await reg.store.alerts.endMaintenance(w.id, reg.now.ms);
    }
  });

  it('retires a site (kept, out of readiness) and moves another (history kept)', async () => {
    const ret = await cli(['site', 'retire', 'th-xa-c', '--reason', 'sáp nhập vào xã A']);
    expect(ret.code).toBe(0);
    expect(ret.stdout).toMatch(/^đã ngừng sử dụng điểm cầu th-xa-c \(\d\d:\d\d \d\d\/\d\d\/\d{4}\)/);
    const mv = await cli(['site', 'move', 'th-xa-b', '--unit', 'thanh-hoa/xa-a/thon-b']);
    expect(mv.stdout).toBe('đã chuyển điểm cầu th-xa-b: thanh-hoa/xa-b → thanh-hoa/xa-a/thon-b\n');
    const show = JSON.parse((await cli(['site', 'show', 'th-xa-b', '--format', 'json'])).stdout);
    expect(show.moves).toEqual([
      expect.objectContaining({ from: 'thanh-hoa/xa-b', to: 'thanh-hoa/xa-a/thon-b', by: 'admin' }),
    ]);
    const retired = await get<Site>('/v1/sites/th-xa-c');
    expect(retired.retired).toMatchObject({ by: 'admin', reason: 'sáp nhập vào xã A' });
    const listed = await get<SiteList>('/v1/sites?unit=thanh-hoa&retired=only');
    expect(listed.items.map((s) => s.id)).toEqual(['th-xa-c']);
  });

  it("shows times in DIEMCAU_TZ's zone (Hà Nội's unless set), as retire does", async () => {
    const at = (await get<Site>('/v1/sites/th-xa-c')).retired?.at as string;
    const hanoi = peopleTime(at, 'Asia/Ho_Chi_Minh');
    const tokyo = peopleTime(at, 'Asia/Tokyo');
    expect(hanoi).not.toBe(tokyo);
    expect((await cli(['site', 'show', 'th-xa-c'])).stdout).toContain(hanoi);
    const shown = (await cli(['site', 'show', 'th-xa-c'], { DIEMCAU_TZ: 'Asia/Tokyo' })).stdout;
    expect(shown).toContain(tokyo);
    expect(shown).not.toContain(hanoi);
  });

  it('readiness: never reported as its own state, technician, phone and open incidents, in every format', async () => {
    const inc = await reg.app.inject({
      method: 'POST',
      url: '/v1/incidents',
      headers: post(reg.tokens.admin),
      payload: incidentBody({ site: { id: 'th-xa-a', name: 'UBND xã A', unit: 'thanh-hoa/xa-a' } }),
    });
    expect(inc.statusCode).toBe(201);
    const rep = await get<Readiness>('/v1/reports/readiness?unit=thanh-hoa');
    expect(rep.counts).toMatchObject({ sites: 2, never: 2, stale: 0 });
    expect(rep.sites.map((s) => [s.id, s.technician, s.phone, s.openIncidents])).toEqual([
      ['th-xa-a', 'Lê Văn C', '0987 654 321', 1],
      ['th-xa-b', 'Phạm Văn E', '+84 912 000 111', 0],
    ]);
    const report = (format: string) =>
      cli(['report', 'readiness', '--unit', 'thanh-hoa', '--format', format]);
    const tsv = (await report('tsv')).stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(tsv.map((r) => [r[0], r[1], r[6], r[7], r[8]])).toEqual([
      ['never', 'th-xa-a', 'Lê Văn C', '0987 654 321', '1'],
      ['never', 'th-xa-b', 'Phạm Văn E', '+84 912 000 111', '0'],
    ]);
    const csv = (await report('csv')).stdout.split('\r\n');
    expect(csv[0]).toBe(
      'site_id,site_name,unit,state,state_label,verdict,last_run_at,run_id,failing,stale,technician,phone,open_incidents,maintenance_until,maintenance_reason',
    );
    expect(csv[1]).toBe(
      'th-xa-a,UBND xã A (mới),thanh-hoa/xa-a,never,chưa từng báo cáo,,,,,true,Lê Văn C,0987 654 321,1,,',
    );
    const json = JSON.parse((await report('json')).stdout);
    expect(json.readiness.counts.never).toBe(2);
    const table = (await report('table')).stdout;
    // At 80 columns the unit gives way, the state wraps under itself, the technician's name and
    // phone share a column: a drawn table (columns two spaces apart), not words re-wrapped.
    expect(table).toMatch(/\n· chưa từng {2,}th-xa-a {2,}UBND xã A {2,}— {2,}Lê Văn C {2,}1\n/);
    expect(table).toMatch(/\nTÌNH TRẠNG {2,}ĐIỂM CẦU {2,}TÊN {2,}/);
    expect(table).toContain('Lê Văn C');
    expect(table.replace(/\n/g, ' ')).toContain(
      '2 điểm cầu: 0 sẵn sàng, 0 có cảnh báo, 0 chưa sẵn sàng, 0 không báo cáo, 2 chưa từng báo cáo',
    );
    for (const line of table.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const html = (await report('html')).stdout;
    expect(html).toContain('data-state="never"><span class="n">2</span>');
    expect(html).toContain('<td>Lê Văn C<td>0987 654 321<td class="num">1');
    expect(html).not.toContain('th-xa-c');
  });
});
