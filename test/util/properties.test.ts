/**
 * Property-based tests (fast-check): the parsers and sanitisers that meet
 * text from devices, files and other people hold their promises for any
 * input, not only the fixtures. Runs are bounded (numRuns) so CI time stays
 * flat; a failure prints the shrunk counter-example and its seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitNutLine } from '../../src/checks/nut-client.js';
import { parsePingOutput } from '../../src/checks/ping-parse.js';
import { parseMessage } from '../../src/sip/message.js';
import { csvDocument } from '../../src/util/csv.js';
import { csvCellGuard, nagiosText, terminalText } from '../../src/util/sanitize.js';

const RUNS = { numRuns: 400 };
// Strings rich in what attackers and broken devices send: controls, ESC, C1, quotes, separators.
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\x1b', '[', ']', '\x07', '\x9b', '\x9d', '\x9c', '\\', '\r', '\n', '\t', '"', ',', '|'),
    fc.constantFrom('=', '+', '-', '@', ';', '0', 'm', 'đ', 'Ệ', '漢', '\u0000', '\u007f'),
    fc.string({ maxLength: 1 }),
  ),
  maxLength: 60,
});
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

// A minimal RFC 4180 reader, to check that the writer's output reads back to the same cells.
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('properties', () => {
  it('terminalText leaves no control character, whatever it is given', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(terminalText(s)).not.toMatch(CONTROL);
        expect(terminalText(s, { multiline: true }).replace(/[\n\t]/g, '')).not.toMatch(CONTROL);
      }),
      RUNS,
    );
  });

  it('nagiosText never starts perfdata and never carries a control character', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = nagiosText(s);
        expect(out).not.toContain('|');
        expect(out).not.toMatch(CONTROL);
      }),
      RUNS,
    );
  });

  it('a CSV cell never starts like a formula, and the document reads back cell for cell', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hostile, hostile), { maxLength: 5 }), (rows) => {
        const text = csvDocument(['a', 'b'], rows);
        const back = readCsv(text);
        expect(back[0]).toEqual(['a', 'b']);
        expect(back.slice(1)).toEqual(rows.map((r) => r.map((c) => csvCellGuard(c))));
        for (const r of back.slice(1)) for (const c of r) expect(c).not.toMatch(/^[=+\-@\t\r]/);
      }),
      RUNS,
    );
  });

  it('the ping parser never throws, reads every reply line it is given, and only finite times', () => {
    const reply = fc
      .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 99_999 }))
      .map(([seq, us]) => ({ seq, ms: us / 1000 }));
    fc.assert(
      fc.property(fc.array(reply, { maxLength: 8 }), hostile, (replies, noise) => {
        const lines = replies.map((r) => `64 bytes from 127.0.0.1: icmp_seq=${r.seq} ttl=64 time=${r.ms} ms`);
        const parsed = parsePingOutput([noise.replace(/time/g, ''), ...lines].join('\n'));
        const tail = parsed.replies.slice(-replies.length || parsed.replies.length);
        if (replies.length)
          expect(tail.map((r) => [r.seq, r.rttMs])).toEqual(replies.map((r) => [r.seq, r.ms]));
        for (const r of parsed.replies) expect(Number.isFinite(r.rttMs) && r.rttMs >= 0).toBe(true);
      }),
      RUNS,
    );
  });

  it('the SIP parser never throws, and a reply it accepts has a status from 100 to 699', () => {
    const start = fc.oneof(
      fc.integer({ min: -10, max: 10_000_000 }).map((n) => `SIP/2.0 ${n} Reason`),
      fc.constantFrom('OPTIONS sip:a SIP/2.0', 'SIP/2.0 200 OK', 'SIP/2.0'),
      hostile,
    );
    fc.assert(
      fc.property(start, hostile, (line, rest) => {
        const msg = parseMessage(`${line}\r\nVia: SIP/2.0/UDP x\r\n${rest}\r\n\r\n`);
        if (msg && 'status' in msg && typeof msg.status === 'number') {
          expect(msg.status).toBeGreaterThanOrEqual(100);
          expect(msg.status).toBeLessThanOrEqual(699);
        }
      }),
      RUNS,
    );
  });

  it('NUT lines split back to the words that were quoted', () => {
    const word = fc.string({ minLength: 1, maxLength: 12 }).filter((w) => !/[\s"\\]/.test(w));
    const value = fc.string({ maxLength: 20 }).filter((v) => !/[\r\n]/.test(v));
    fc.assert(
      fc.property(word, word, value, (ups, name, v) => {
        const quoted = `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
        expect(splitNutLine(`VAR ${ups} ${name} ${quoted}`)).toEqual(['VAR', ups, name, v]);
      }),
      RUNS,
    );
  });
});
