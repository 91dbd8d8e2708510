/** YAML syntax errors in the technician's words, with the fix; English keeps the parser's reason. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileError } from '../../src/errors.js';
import { translator } from '../../src/i18n/index.js';
import { loadProfile } from '../../src/profile/load.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-yaml-'));

async function errorOf(text: string, locale: 'vi' | 'en'): Promise<ProfileError> {
  const file = path.join(dir, `${locale}-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, text);
  const err = await loadProfile(file, { t: translator(locale), env: {}, cwd: dir }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProfileError);
  return err as ProfileError;
}

describe('YAML syntax errors', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a Tab as indentation', 'site:\n\tid: a\n', /^dòng này thụt lề bằng phím Tab: YAML chỉ nhận dấu cách/],
    ['an unclosed {', 'site: {id: a, name: b, unit: c\n', /^thiếu dấu đóng: mỗi \{, \[ hoặc dấu nháy/],
    [
      'a key indented too far',
      'site:\n  id: a\n   name: b\n',
      /^thụt lề không đúng: các mục cùng cấp phải thẳng hàng/,
    ],
    ['an alias to no anchor', 'site: *x\n', /^có tham chiếu \*tên mà không có mục nào đặt &tên/],
  ];
  for (const [what, text, vi] of cases) {
    it(`${what}: Vietnamese words with the fix, no English; English keeps the parser's reason`, async () => {
      const v = await errorOf(text, 'vi');
      expect(v.message).toMatch(vi);
      expect(v.message).not.toMatch(/\b(the|must|not|allowed|indentation)\b/i);
      const e = await errorOf(text, 'en');
      expect(e.message).toMatch(/^not valid YAML: [A-Z]/);
    });
  }
});
