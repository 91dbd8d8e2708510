/** An alert as the rules would write it, in Vietnamese, with a site name that needs escaping. */
import type { AlertMessage } from '../../src/model/alert.js';

export function sampleAlert(over: Partial<AlertMessage> = {}): AlertMessage {
  return {
    schema: 'diemcau/alert@1',
    id: 'al_01J9ZK',
    rule: 'not-ready-thanh-hoa',
    event: 'site-not-ready',
    state: 'firing',
    at: '2026-12-01T23:30:00Z',
    site: {
      id: 'xa-dong-tien',
      name: 'UBND xã Đông Tiến <Phòng họp 2> & "A"',
      unit: 'thanh-hoa/dong-son/dong-tien',
      technician: { name: 'Lê Văn Tâm', phone: '0912 345 678' },
      focalPoint: { name: 'Nguyễn Thị Hoa', phone: '0987 654 321' },
    },
    summary: 'Micro không thu được tiếng; camera chưa cắm',
    details: ['Kiểm tra micro: không có tín hiệu (−91 dB)', 'Kiểm tra camera: không thấy thiết bị'],
    meeting: { id: 'mt_7', title: 'Họp trực tuyến UBND tỉnh', start: '2026-12-02T00:30:00Z' },
    lang: 'vi',
    ...over,
  };
}

export const ctx = (timeoutMs = 3000) => ({ signal: new AbortController().signal, timeoutMs });

/** What renderAlert writes for sampleAlert(), line by line. */
export const SAMPLE_LINES_VI = [
  'CẢNH BÁO: điểm cầu chưa sẵn sàng cho cuộc họp (từ 06:30 02/12/2026)',
  'Micro không thu được tiếng; camera chưa cắm',
  'Kiểm tra micro: không có tín hiệu (−91 dB)',
  'Kiểm tra camera: không thấy thiết bị',
  'Điểm cầu: UBND xã Đông Tiến <Phòng họp 2> & "A" (xa-dong-tien), đơn vị thanh-hoa/dong-son/dong-tien',
  'Cán bộ kỹ thuật: Lê Văn Tâm, ĐT 0912 345 678',
  'Đầu mối: Nguyễn Thị Hoa, ĐT 0987 654 321',
  'Cuộc họp sắp tới: Họp trực tuyến UBND tỉnh, 07:30 02/12/2026',
  'Cảnh báo al_01J9ZK, quy tắc not-ready-thanh-hoa',
];
