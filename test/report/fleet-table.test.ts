import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { renderIncidentsTable, renderReadinessTable, renderSiteTable } from '../../src/report/fleet/table.js';
import type { FleetRenderOptions } from '../../src/report/fleet/types.js';
import { drawTable, truncate, width } from '../../src/util/table.js';
import { incidentData, readiness, readinessData, siteData, ZONE } from './fleet-sample.js';

const vi: FleetRenderOptions = {
  t: translator('vi'),
  locale: 'vi',
  color: false,
  tty: true,
  columns: 140,
  timeZone: ZONE,
};
const en: FleetRenderOptions = { ...vi, t: translator('en'), locale: 'en' };

/** Display column where `needle` starts in `line`. */
const col = (line: string, needle: string) => stringWidth(line.slice(0, line.indexOf(needle)));

describe('readiness table', () => {
  it('Vietnamese: worst first, aligned with diacritics, summary line and the stale rule', () => {
    expect(renderReadinessTable(readinessData, vi)).toMatchInlineSnapshot(`
      "Báo cáo tình trạng sẵn sàng của các điểm cầu · đơn vị thanh-hoa · lập lúc 08:30 08/07/2025 (UTC+07:00)
      TÌNH TRẠNG             ĐIỂM CẦU             TÊN                             ĐƠN VỊ                  KIỂM TRA LẦN CUỐI  MỤC KHÔNG ĐẠT
      ✗ chưa sẵn sàng        th-xa-quang-phu      UBND xã Quảng Phú               thanh-hoa/quang-phu     07:40 08/07/2025   mcu-ping, codec-reg
      ? không kiểm tra được  th-xa-nga-son        UBND xã Nga Sơn                 thanh-hoa/nga-son       06:45 08/07/2025
      ! có cảnh báo          th-so-khcn           Sở Khoa học và Công nghệ        thanh-hoa/so-khcn       08:00 08/07/2025   ups
      – không báo cáo        th-xa-muong-lat      UBND xã Mường Lát               thanh-hoa/muong-lat     09:00 05/07/2025   mcu-sip
      · chưa từng báo cáo    th-xa-hoang-hoa      UBND xã Hoằng Hoá               thanh-hoa/hoang-hoa     —
      ✓ sẵn sàng             th-bimson-ubnd       Hội trường UBND thị xã Bỉm Sơn  thanh-hoa/bim-son/ubnd  07:55 08/07/2025
      ✓ sẵn sàng             th-phuong-hac-thanh  Phường Hạc Thành                thanh-hoa/hac-thanh     07:50 08/07/2025

      7 điểm cầu: 2 sẵn sàng, 1 có cảnh báo, 1 chưa sẵn sàng, 1 không kiểm tra được, 1 không báo cáo, 1 chưa từng báo cáo
      "không báo cáo": không nhận được kết quả kiểm tra nào từ 06:30 07/07/2025
      "
    `);
  });
  it('English', () => {
    expect(renderReadinessTable(readinessData, en)).toMatchInlineSnapshot(`
      "Site readiness report · unit thanh-hoa · generated 08:30 08/07/2025 (UTC+07:00)
      STATE              SITE                 NAME                            UNIT                    LAST CHECK        FAILING CHECKS
      ✗ not ready        th-xa-quang-phu      UBND xã Quảng Phú               thanh-hoa/quang-phu     07:40 08/07/2025  mcu-ping, codec-reg
      ? could not check  th-xa-nga-son        UBND xã Nga Sơn                 thanh-hoa/nga-son       06:45 08/07/2025
      ! with warnings    th-so-khcn           Sở Khoa học và Công nghệ        thanh-hoa/so-khcn       08:00 08/07/2025  ups
      – no report        th-xa-muong-lat      UBND xã Mường Lát               thanh-hoa/muong-lat     09:00 05/07/2025  mcu-sip
      · never reported   th-xa-hoang-hoa      UBND xã Hoằng Hoá               thanh-hoa/hoang-hoa     —
      ✓ ready            th-bimson-ubnd       Hội trường UBND thị xã Bỉm Sơn  thanh-hoa/bim-son/ubnd  07:55 08/07/2025
      ✓ ready            th-phuong-hac-thanh  Phường Hạc Thành                thanh-hoa/hac-thanh     07:50 08/07/2025

      7 sites: 2 ready, 1 with warnings, 1 not ready, 1 could not check, 1 no report, 1 never reported
      "no report": no check result received since 06:30 07/07/2025
      "
    `);
  });
  it('every column starts at the same display column on every line, whatever the diacritics', () => {
    const lines = renderReadinessTable(readinessData, vi).split('\n');
    const head = lines[1] as string;
    const rows = lines.slice(2, 9);
    for (const [i, s] of readiness.sites.entries())
      expect(
        rows.some((r) => r.includes(s.id)),
        `row ${i}`,
      ).toBe(true);
    const unitCol = col(head, 'ĐƠN VỊ');
    const lastCol = col(head, 'KIỂM TRA LẦN CUỐI');
    for (const row of rows) {
      expect(col(row, 'thanh-hoa/'), row).toBe(unitCol);
      expect(
        col(row, row.includes('—') ? '—' : (/\d\d:\d\d \d\d\/\d\d\/2025/.exec(row)?.[0] ?? '?')),
        row,
      ).toBe(lastCol);
    }
  });
  it('decomposed (NFD) Vietnamese lines up like precomposed (NFC)', () => {
    const nfd = {
      ...readinessData,
      readiness: {
        ...readiness,
        sites: readiness.sites.map((s) => ({ ...s, name: s.name.normalize('NFD') })),
      },
    };
    const lines = renderReadinessTable(nfd, vi).split('\n');
    expect(lines.some((l) => l.includes('Hoằng'.normalize('NFD')))).toBe(true);
    const unitCol = col(lines[1] as string, 'ĐƠN VỊ');
    for (const row of lines.slice(2, 9)) expect(col(row, 'thanh-hoa/'), row).toBe(unitCol);
  });
  it('fits a narrow terminal by shrinking names and units first', () => {
    const text = renderReadinessTable(readinessData, { ...vi, columns: 110 });
    const table = text.split('\n').slice(1, 9);
    for (const line of table) expect(stringWidth(line), line).toBeLessThanOrEqual(110);
    expect(text).toContain('mcu-ping, codec-reg');
    expect(text).toContain('…');
  });
  it('cuts units from the left on a narrow terminal, so the place stays readable', () => {
    const lines = renderReadinessTable(readinessData, { ...en, columns: 96 }).split('\n');
    for (const s of readiness.sites) {
      const line = lines.find((l) => l.includes(s.id)) as string;
      expect(line, s.id).toContain(`  …${s.unit.slice(-9)}  `);
      expect(stringWidth(line), line).toBeLessThanOrEqual(96);
    }
  });
  it('at 80 columns with whom to call and open incidents, the unit gives way: every line fits, none re-wrapped', () => {
    const withContacts = {
      ...readinessData,
      readiness: {
        ...readiness,
        sites: readiness.sites.map((s, i) => ({
          ...s,
          technician: `Cán bộ kỹ thuật ${i}`,
          phone: '0912 345 678',
          openIncidents: i % 2,
        })),
      },
    };
    for (const o of [vi, en]) {
      const lines = renderReadinessTable(withContacts, { ...o, columns: 80 }).split('\n');
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
      const head = lines.find((l) => l.startsWith(o === vi ? 'TÌNH TRẠNG' : 'STATE')) as string;
      // The header is a drawn row (two spaces between columns), not words re-wrapped into one line.
      expect(head).toMatch(o === vi ? /^TÌNH TRẠNG {2,}ĐIỂM CẦU {2,}TÊN/ : /^STATE {2,}SITE {2,}NAME/);
      expect(head).toContain(o === vi ? 'SỰ CỐ MỞ' : 'OPEN');
      expect(head).not.toContain(o === vi ? 'ĐƠN VỊ' : 'UNIT');
    }
    // Wide enough, the unit is there again.
    const wide = renderReadinessTable(withContacts, { ...vi, columns: 120 }).split('\n');
    expect(wide.find((l) => l.startsWith('TÌNH TRẠNG'))).toContain('ĐƠN VỊ');
  });
  it('colours the state only when colour is allowed and stdout is a terminal', () => {
    const ansi = /\u001b\[/;
    expect(renderReadinessTable(readinessData, { ...vi, color: true })).toMatch(ansi);
    expect(renderReadinessTable(readinessData, vi)).not.toMatch(ansi);
    expect(renderReadinessTable(readinessData, { ...vi, color: true, tty: false })).not.toMatch(ansi);
  });
  it('prints tab-separated codes and ISO times when piped, no header, no summary', () => {
    expect(renderReadinessTable(readinessData, { ...vi, tty: false })).toMatchInlineSnapshot(`
      "not-ready	th-xa-quang-phu	UBND xã Quảng Phú	thanh-hoa/quang-phu	2025-07-08T00:40:00.000Z	mcu-ping,codec-reg				
      unknown	th-xa-nga-son	UBND xã Nga Sơn	thanh-hoa/nga-son	2025-07-07T23:45:00.000Z					
      degraded	th-so-khcn	Sở Khoa học và Công nghệ	thanh-hoa/so-khcn	2025-07-08T01:00:00.000Z	ups				
      stale	th-xa-muong-lat	UBND xã Mường Lát	thanh-hoa/muong-lat	2025-07-05T02:00:00.000Z	mcu-sip				
      never	th-xa-hoang-hoa	UBND xã Hoằng Hoá	thanh-hoa/hoang-hoa						
      ready	th-bimson-ubnd	Hội trường UBND thị xã Bỉm Sơn	thanh-hoa/bim-son/ubnd	2025-07-08T00:55:00.000Z					
      ready	th-phuong-hac-thanh	Phường Hạc Thành	thanh-hoa/hac-thanh	2025-07-08T00:50:00.000Z					
      "
    `);
  });
  it('says so when there are no sites', () => {
    const empty = {
      readiness: {
        ...readiness,
        sites: [],
        counts: { sites: 0, ready: 0, degraded: 0, notReady: 0, unknown: 0, stale: 0 },
      },
    };
    expect(renderReadinessTable(empty, en)).toContain('no sites under this unit');
    expect(renderReadinessTable(empty, { ...en, tty: false })).toBe('');
  });
});

describe('incident table', () => {
  it('Vietnamese: totals, time to resolve, counts by category and unit, the list newest first', () => {
    expect(renderIncidentsTable(incidentData, vi)).toMatchInlineSnapshot(`
      "Báo cáo sự cố · đơn vị thanh-hoa · từ 00:00 01/07/2025 · lập lúc 08:30 08/07/2025 (UTC+07:00)
      6 sự cố: 1 mới báo, 1 đã tiếp nhận, 4 đã khắc phục
      Thời gian khắc phục trung bình: 7 giờ 0 phút (trung vị 1 giờ 0 phút, lâu nhất 1 ngày 2 giờ; 4 sự cố đã khắc phục)
      2 sự cố chưa khắc phục; sự cố lâu nhất đã 2 ngày 23 giờ
      thời gian khắc phục: từ lúc xảy ra sự cố đến lúc ghi nhận đã khắc phục trên hệ thống

      THEO LOẠI SỰ CỐ     SỐ LƯỢNG
      Mất kết nối                2
      Không có tiếng             1
      Tiếng vọng                 1
      Sự cố đường truyền         1
      Mất điện                   1

      THEO ĐƠN VỊ          SỐ LƯỢNG
      thanh-hoa/quang-phu         2
      thanh-hoa/bim-son           1
      thanh-hoa/hac-thanh         1
      thanh-hoa/muong-lat         1
      thanh-hoa/so-khcn           1

      Danh sách sự cố, mới nhất trước
      SỐ  ĐIỂM CẦU             LOẠI SỰ CỐ          MỨC ĐỘ        TRẠNG THÁI    PHÁT HIỆN LÚC     KHẮC PHỤC SAU  TÓM TẮT
       5  th-xa-quang-phu      Sự cố đường truyền  ảnh hưởng     mới báo       06:00 08/07/2025  —              Đường truyền TSLCD chập chờn
       6  th-phuong-hac-thanh  Không có tiếng      ảnh hưởng     đã khắc phục  08:00 06/07/2025  0 phút         Micro bàn chủ toạ "chết", phải
                                                                                                                thay đã thay micro dự phòng
       4  th-xa-muong-lat      Mất kết nối         nghiêm trọng  đã tiếp nhận  09:00 05/07/2025  —              Đứt cáp quang, chờ VNPT
       3  th-so-khcn           Mất điện            ảnh hưởng     đã khắc phục  07:00 03/07/2025  1 ngày 2 giờ   Mất điện cả toà nhà, UPS hết pin
       2  th-bimson-ubnd       Tiếng vọng          nhẹ           đã khắc phục  14:00 02/07/2025  30 phút        Tiếng vọng ở loa phòng họp
       1  th-xa-quang-phu      Mất kết nối         nghiêm trọng  đã khắc phục  08:00 01/07/2025  1 giờ 30 phút  Mất kết nối tới MCU tỉnh giữa
                                                                                                                phiên thử
      "
    `);
  });
  it('English', () => {
    expect(renderIncidentsTable(incidentData, en)).toMatchInlineSnapshot(`
      "Incident report · unit thanh-hoa · since 00:00 01/07/2025 · generated 08:30 08/07/2025 (UTC+07:00)
      6 incidents: 1 open, 1 acknowledged, 4 resolved
      Mean time to resolve: 7 h 0 min (median 1 h 0 min, longest 1 d 2 h; 4 resolved)
      2 not resolved; the oldest has been open 2 d 23 h
      time to resolve: from when the fault occurred to when it was marked resolved in the registry

      BY CATEGORY              COUNT
      Connection lost              2
      No sound                     1
      Echo                         1
      Transmission-line fault      1
      Power cut                    1

      BY UNIT              COUNT
      thanh-hoa/quang-phu      2
      thanh-hoa/bim-son        1
      thanh-hoa/hac-thanh      1
      thanh-hoa/muong-lat      1
      thanh-hoa/so-khcn        1

      Incidents, newest first
      #  SITE                 CATEGORY                 SEVERITY  STATUS        OCCURRED          RESOLVED IN  SUMMARY
      5  th-xa-quang-phu      Transmission-line fault  major     open          06:00 08/07/2025  —            Đường truyền TSLCD chập chờn
      6  th-phuong-hac-thanh  No sound                 major     resolved      08:00 06/07/2025  0 min        Micro bàn chủ toạ "chết", phải thay
                                                                                                              đã thay micro dự phòng
      4  th-xa-muong-lat      Connection lost          critical  acknowledged  09:00 05/07/2025  —            Đứt cáp quang, chờ VNPT
      3  th-so-khcn           Power cut                major     resolved      07:00 03/07/2025  1 d 2 h      Mất điện cả toà nhà, UPS hết pin
      2  th-bimson-ubnd       Echo                     minor     resolved      14:00 02/07/2025  30 min       Tiếng vọng ở loa phòng họp
      1  th-xa-quang-phu      Connection lost          critical  resolved      08:00 01/07/2025  1 h 30 min   Mất kết nối tới MCU tỉnh giữa phiên
                                                                                                              thử
      "
    `);
  });
  it('piped: one line per incident, newlines in the summary flattened', () => {
    const lines = renderIncidentsTable(incidentData, { ...vi, tty: false })
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe(
      '6\tth-phuong-hac-thanh\tthanh-hoa/hac-thanh\tkhong_tieng\tmajor\tresolved\t2025-07-06T01:00:00.000Z\t0\tMicro bàn chủ toạ "chết", phải thay đã thay micro dự phòng',
    );
  });
  it('an empty list is one line', () => {
    expect(
      renderIncidentsTable({ ...incidentData, incidents: [] }, en)
        .split('\n')
        .slice(1),
    ).toEqual(['0 incidents: 0 open, 0 acknowledged, 0 resolved', '']);
  });
});

describe('site table', () => {
  it('Vietnamese: runs newest first and the site incidents', () => {
    expect(renderSiteTable(siteData, vi)).toMatchInlineSnapshot(`
      "Lịch sử điểm cầu th-xa-quang-phu · UBND xã Quảng Phú (thanh-hoa/quang-phu) · lập lúc 08:30 08/07/2025 (UTC+07:00)
      4 lần kiểm tra: 1 sẵn sàng, 1 có cảnh báo, 2 chưa sẵn sàng

      Các lần kiểm tra, mới nhất trước
      KIỂM TRA LÚC      KẾT LUẬN         THỜI GIAN CHẠY  MỤC KHÔNG ĐẠT
      07:40 08/07/2025  ✗ chưa sẵn sàng          12.3 s  mcu-ping, codec-reg
      16:00 07/07/2025  ✗ chưa sẵn sàng          12.3 s  mcu-ping
      07:30 06/07/2025  ! có cảnh báo            12.3 s  ups
      07:30 05/07/2025  ✓ sẵn sàng               12.3 s

      Sự cố
      SỐ  ĐIỂM CẦU         LOẠI SỰ CỐ          MỨC ĐỘ        TRẠNG THÁI    PHÁT HIỆN LÚC     KHẮC PHỤC SAU  TÓM TẮT
       5  th-xa-quang-phu  Sự cố đường truyền  ảnh hưởng     mới báo       06:00 08/07/2025  —              Đường truyền TSLCD chập chờn
       1  th-xa-quang-phu  Mất kết nối         nghiêm trọng  đã khắc phục  08:00 01/07/2025  1 giờ 30 phút  Mất kết nối tới MCU tỉnh giữa phiên
                                                                                                            thử
      "
    `);
  });
});

describe('drawTable', () => {
  it('cuts with an ellipsis by display width and never splits a wide character', () => {
    expect(truncate('Hội trường UBND', 8)).toBe('Hội trư…');
    expect(truncate('điểm cầu', 20)).toBe('điểm cầu');
    expect(truncate('会议室会议室', 6)).toBe('会议…');
    expect(stringWidth(truncate('会议室会议室', 6))).toBeLessThanOrEqual(6);
  });
  it('pads numbers on the left and leaves the last column unpadded', () => {
    expect(
      drawTable(
        [{ head: 'A' }, { head: 'N', right: true }, { head: 'Z' }],
        [
          ['x', '5', 'end'],
          ['yy', '12', ''],
        ],
        { columns: 80 },
      ),
    ).toEqual(['A    N  Z', 'x    5  end', 'yy  12']);
  });
});

describe('width', () => {
  it('agrees with string-width on Vietnamese (NFC and NFD), ASCII, wide and emoji text', () => {
    const samples = [
      'Hội trường UBND thị xã Bỉm Sơn',
      'Hội trường UBND thị xã Bỉm Sơn'.normalize('NFD'),
      'ĐIỂM CẦU · KIỂM TRA LẦN CUỐI',
      'Phường Hạc Thành – ✓ sẵn sàng',
      'plain ascii 123',
      'Ưu tiên: ữ ự ỹ ỵ ẫ ậ ặ ẵ',
      '会议室',
      'ready ✔ ⚠',
      'soft\u00adhyphen',
      '',
    ];
    for (const s of samples) expect(width(s), s).toBe(stringWidth(s));
  });
});
