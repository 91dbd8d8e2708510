import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { drawTable, fitLines, simpleTable, truncateLeft, width, wrap } from '../../src/util/table.js';

describe('truncateLeft', () => {
  it('keeps the end of a unit, the part that names the place', () => {
    expect(truncateLeft('thanh-hoa/xa-quang-phu', 14)).toBe('…/xa-quang-phu');
    expect(truncateLeft('thanh-hoa/xa-quang-phu', 40)).toBe('thanh-hoa/xa-quang-phu');
  });
  it('measures display columns: wide glyphs count two and are never split', () => {
    const cut = truncateLeft('会议室会议室', 6);
    expect(cut).toBe('…议室');
    expect(stringWidth(cut)).toBeLessThanOrEqual(6);
  });
  it('never starts on a combining mark cut from its letter (NFD)', () => {
    const nfd = 'thanh-hoa/hoằng-hoá'.normalize('NFD');
    for (let w = 2; w < 20; w++) {
      const cut = truncateLeft(nfd, w);
      expect(stringWidth(cut), cut).toBeLessThanOrEqual(w);
      expect(cut.codePointAt(1) ?? 0, cut).not.toSatisfy((c: number) => c >= 0x300 && c <= 0x36f);
    }
  });
});

describe('drawTable', () => {
  it('cuts a column marked cut: left from the left, others from the right', () => {
    const lines = drawTable(
      [
        { head: 'NAME', flex: true, min: 6 },
        { head: 'UNIT', flex: true, min: 12, cut: 'left' },
        { head: 'N' },
      ],
      [['UBND xã Quảng Phú', 'thanh-hoa/xa-quang-phu', '1']],
      { columns: 27 },
    );
    expect(lines).toEqual(['NAME        UNIT          N', 'UBND xã Q…  …a-quang-phu  1']);
  });
  it('keeps a fixed-width column at its width, padded or cut', () => {
    expect(
      drawTable(
        [{ head: 'A' }, { head: 'B', width: 5 }, { head: 'C' }],
        [
          ['x', 'ab', 'end'],
          ['y', 'abcdefgh', 'end'],
        ],
        { columns: 80, indent: '  ' },
      ),
    ).toEqual(['  A  B      C', '  x  ab     end', '  y  abcd…  end']);
  });
});

describe('simpleTable', () => {
  it('aligns Vietnamese by display width on a terminal', () => {
    const text = simpleTable(
      ['ID', 'TÊN', 'X'],
      [
        ['1', 'Hội trường', 'a'],
        ['2', 'Hội trường'.normalize('NFD'), 'b'],
      ],
      true,
    );
    const [head, ...rows] = text.trimEnd().split('\n');
    const col = (line: string, needle: string) => stringWidth(line.slice(0, line.lastIndexOf(needle)));
    expect(col(head as string, 'X')).toBe(col(rows[0] as string, 'a'));
    expect(col(rows[1] as string, 'b')).toBe(col(rows[0] as string, 'a'));
  });
  it('is tab-separated with the header first when piped, one line per row', () => {
    expect(simpleTable(['A', 'B'], [['x\ty', 'line\nbreak']], false)).toBe('A\tB\nx y\tline break\n');
  });
});

describe('wrap', () => {
  it('breaks between words within the width', () => {
    expect(wrap('một hai ba bốn năm', 8)).toEqual(['một hai', 'ba bốn', 'năm']);
  });
});

describe('fitLines after a table wider than the terminal', () => {
  // Minimums that add up to more than 80 columns (a readiness table with every optional
  // column): a wrapped cell past the 80th column goes on under itself, its line starting with
  // more spaces than the terminal is wide. Kept under its indent, it was broken one character
  // per line.
  const cols = [
    { head: 'STATE', wrap: true, min: 12 },
    { head: 'SITE', wrap: true, min: 10 },
    { head: 'NAME', wrap: true, min: 10 },
    { head: 'UNIT', flex: true, min: 10, cut: 'left' as const },
    { head: 'LAST RUN', wrap: true, min: 10 },
    { head: 'FAILING', wrap: ', ', min: 8 },
    { head: 'MAINTENANCE', min: 16 },
    { head: 'TECHNICIAN', wrap: ' · ', min: 10 },
  ];
  // Every other cell fits on one line: the technician's goes on alone, past the 80th column.
  const row = [
    '✗ not ready',
    'th-bimson1',
    'UBND xã A',
    'thanh-hoa/bim-son',
    'chưa chạy',
    'sip-port',
    '08:00 02/12/2026',
    'Lê Văn Tâm · 0912 345 678',
  ];

  it('wraps every line within 80 columns, never one character per line, every word kept', () => {
    const drawn = drawTable(cols, [row], { columns: 80 });
    expect(Math.max(...drawn.map((l) => width(l)))).toBeGreaterThan(80);
    const lines = fitLines(drawn, 80);
    for (const l of lines) expect(width(l), l).toBeLessThanOrEqual(80);
    const texts = lines.map((l) => l.trim()).filter(Boolean);
    expect(texts.filter((l) => [...l].length === 1)).toEqual([]);
    const words = lines.join(' ').split(/\s+/);
    for (const w of ['Lê', 'Văn', 'Tâm', '0912', '345', '678']) expect(words).toContain(w);
  });

  it('keeps the indent of a line while it leaves room to read', () => {
    expect(fitLines([`    ${'word '.repeat(30).trim()}`], 40).every((l) => l.startsWith('    w'))).toBe(true);
  });
});
