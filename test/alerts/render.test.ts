/** The one renderer every channel uses, and the cut that keeps letters whole. */
import { describe, expect, it } from 'vitest';
import { cutText, renderAlert } from '../../src/alerts/render.js';
import { sampleAlert } from './sample.js';

describe('renderAlert', () => {
  it('a maintenance notice: its own headline and subject, the window, no alert lines', () => {
    const r = renderAlert(
      sampleAlert({
        id: 'maintenance/7',
        rule: 'maintenance',
        event: 'maintenance',
        at: '2026-12-01T15:00:00.000Z',
        summary: 'Bảo trì đơn vị thanh-hoa từ 22:00 01/12/2026 đến 06:00 02/12/2026: thay MCU',
        details: ['Lý do: thay MCU'],
        meeting: null,
        maintenance: {
          id: '7',
          unit: 'thanh-hoa',
          site: null,
          from: '2026-12-01T15:00:00.000Z',
          to: '2026-12-01T23:00:00.000Z',
          endedAt: null,
          reason: 'thay MCU',
        },
      }),
    );
    expect(r.subject).toBe(
      '[diemcau] Bảo trì đơn vị thanh-hoa từ 22:00 01/12/2026 đến 06:00 02/12/2026: thay MCU',
    );
    expect(r.lines).toEqual([
      'THÔNG BÁO BẢO TRÌ: bắt đầu bảo trì (22:00 01/12/2026)',
      'Bảo trì đơn vị thanh-hoa từ 22:00 01/12/2026 đến 06:00 02/12/2026: thay MCU',
      'Lý do: thay MCU',
      'Thông báo bảo trì maintenance/7',
    ]);
  });

  it('English: what is wrong, whom to call, the next meeting, local times', () => {
    const r = renderAlert(
      sampleAlert({ lang: 'en', summary: 'Microphone picks up nothing', details: ['mic: −91 dB'] }),
    );
    expect(r.subject).toBe('[diemcau] UBND xã Đông Tiến <Phòng họp 2> & "A": Microphone picks up nothing');
    expect(r.lines).toEqual([
      'ALERT: the site is not ready for meetings (since 06:30 02/12/2026)',
      'Microphone picks up nothing',
      'mic: −91 dB',
      'Site: UBND xã Đông Tiến <Phòng họp 2> & "A" (xa-dong-tien), unit thanh-hoa/dong-son/dong-tien',
      'Technician: Lê Văn Tâm, tel. 0912 345 678',
      'Focal point: Nguyễn Thị Hoa, tel. 0987 654 321',
      'Next meeting: Họp trực tuyến UBND tỉnh, 07:30 02/12/2026',
      'Alert al_01J9ZK, rule not-ready-thanh-hoa',
    ]);
  });

  it('a recovery without a meeting, contacts missing or without a phone, in another zone', () => {
    const base = sampleAlert();
    const r = renderAlert(
      sampleAlert({
        state: 'resolved',
        event: 'site-stale',
        meeting: null,
        details: [],
        site: { ...base.site, technician: null, focalPoint: { name: 'Nguyễn Thị Hoa' } },
      }),
      'UTC',
    );
    expect(r.subject).toBe(
      '[diemcau] Đã bình thường trở lại: UBND xã Đông Tiến <Phòng họp 2> & "A": Micro không thu được tiếng; camera chưa cắm',
    );
    expect(r.lines[0]).toBe(
      'ĐÃ BÌNH THƯỜNG TRỞ LẠI: điểm cầu lâu rồi không gửi kết quả kiểm tra (lúc 23:30 01/12/2026)',
    );
    expect(r.lines).toContain('Cán bộ kỹ thuật: chưa đăng ký');
    expect(r.lines).toContain('Đầu mối: Nguyễn Thị Hoa');
    expect(r.lines.some((l) => l.startsWith('Cuộc họp'))).toBe(false);
  });

  it('a line break or control character from a site cannot forge a header or a line', () => {
    const base = sampleAlert();
    const r = renderAlert(
      sampleAlert({ summary: 'mất tiếng\r\nBcc: ai@do.vn', site: { ...base.site, name: 'Xã\u0007 A\nB' } }),
    );
    expect(r.subject).toBe('[diemcau] Xã A B: mất tiếng Bcc: ai@do.vn');
    expect(r.lines.every((l) => !/[\r\n\u0007]/.test(l))).toBe(true);
  });
});

describe('cutText', () => {
  it('leaves a short text alone and cuts a long one to exactly the limit or less, with an ellipsis', () => {
    expect(cutText('Xin chào', 8)).toBe('Xin chào');
    expect(cutText('Xin chào các bạn', 10)).toBe('Xin chào…');
    expect(cutText('abcdefghij', 5)).toBe('abcd…');
  });

  it('never splits a letter from its combining tone mark, an emoji sequence or a surrogate pair', () => {
    const decomposed = 'Tie\u0302\u0301ng'; // Tiếng with combining marks
    expect(cutText(decomposed, 4)).toBe('Ti…');
    const family = 'ab👨‍👩‍👧cd';
    expect(cutText(family, 6)).toBe('ab…');
    expect(cutText(family, 11)).toBe('ab👨‍👩‍👧…');
    expect(cutText('a😀b', 3)).toBe('a…');
  });
});
