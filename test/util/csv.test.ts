import { describe, expect, it } from 'vitest';
import { BOM, csvDocument } from '../../src/util/csv.js';

describe('csvDocument', () => {
  it('quotes what RFC 4180 says, CRLF line ends, empty for null and undefined', () => {
    expect(
      csvDocument(
        ['a', 'b,c'],
        [
          ['x "y"', 'line\nbreak'],
          [1, null],
          [true, undefined],
        ],
      ),
    ).toBe('a,"b,c"\r\n"x ""y""","line\nbreak"\r\n1,\r\ntrue,\r\n');
  });
  it('starts with a byte-order mark only when asked', () => {
    expect(csvDocument(['a'], [], true)).toBe(`${BOM}a\r\n`);
    expect(csvDocument(['a'], [])).toBe('a\r\n');
  });
});
