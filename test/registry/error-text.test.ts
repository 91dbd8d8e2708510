import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { type ApiFault, apiErrorText } from '../../src/registry/error-text.js';

const vi = translator('vi');
const en = translator('en');

// What the registry really sends (src/registry/auth.ts, validation.ts, routes), with params.
const faults: Array<[ApiFault, string, string]> = [
  [
    {
      status: 403,
      code: 'forbidden',
      message: 'this token may read unit a only, not b',
      params: { why: 'read_scope', scope: 'a', unit: 'b' },
    },
    'mã truy cập này chỉ được xem đơn vị a, không được xem đơn vị b',
    'this token may read unit a only, not unit b',
  ],
  [
    { status: 403, code: 'forbidden', message: 'x', params: { why: 'write_scope', scope: '', unit: 'b' } },
    'mã truy cập này chỉ được gửi cho mọi đơn vị, không được gửi cho đơn vị b',
    'this token may send for every unit only, not for unit b',
  ],
  [
    { status: 401, code: 'token_expired', message: 'x', params: { at: '2026-12-01T00:30:00.000Z' } },
    'mã truy cập này đã hết hạn lúc 07:30 01/12/2026',
    'this token expired at 07:30 01/12/2026',
  ],
  [
    { status: 404, code: 'not_found', message: 'no site x', params: { what: 'site', id: 'th-x' } },
    'máy chủ tổng hợp không có điểm cầu th-x',
    'the registry has no site th-x',
  ],
  [
    {
      status: 400,
      code: 'bad_request',
      message: 'days: must be at most 62',
      field: 'days',
      params: { why: 'maximum', n: '62' },
    },
    'days không được quá 62',
    'days must be at most 62',
  ],
  [
    { status: 409, code: 'invalid_transition', message: 'x', params: { id: '7', status: 'resolved' } },
    'sự cố 7 đã ở trạng thái đã khắc phục; thứ tự là mới báo → đã tiếp nhận → đã khắc phục (hoặc mới báo → đã khắc phục)',
    'incident 7 is already resolved; it goes open → acknowledged → resolved (or open → resolved)',
  ],
  // A code this client does not know: named, never the server's English.
  [
    { status: 409, code: 'meeting_clash_v9', message: 'clashes with meeting 12' },
    'máy chủ tổng hợp từ chối (mã meeting_clash_v9)',
    'the registry refused it (code meeting_clash_v9)',
  ],
  [
    { status: 502, code: 'http_502', message: 'Bad Gateway' },
    'máy chủ tổng hợp gặp lỗi nội bộ (HTTP 502)',
    'the registry had an internal error (HTTP 502)',
  ],
];

describe('the registry refusals in the user words', () => {
  it.each(faults)('%# in Vietnamese and English, without the server message', (fault, viText, enText) => {
    expect(apiErrorText(vi, fault)).toBe(viText);
    expect(apiErrorText(en, fault)).toBe(enText);
  });

  it('adds the server message only with --debug, made safe for a terminal', () => {
    const f: ApiFault = { status: 409, code: 'odd', message: 'bad\u001b[31m thing' };
    expect(apiErrorText(en, f, { debug: true })).toBe(
      'the registry refused it (code odd) [409 odd: bad thing]',
    );
  });
});
