/** Output hygiene: hostile text from a registry, a codec or a person never drives a terminal, a spreadsheet or Nagios. */
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { renderIncidentsCsv, renderReadinessCsv } from '../../src/report/fleet/csv.js';
import { renderReadinessTable } from '../../src/report/fleet/table.js';
import type { FleetRenderOptions } from '../../src/report/fleet/types.js';
import { renderHuman } from '../../src/report/human.js';
import { renderNagios } from '../../src/report/nagios.js';
import type { RenderOptions, RunReport } from '../../src/report/types.js';
import { csvDocument } from '../../src/util/csv.js';
import { csvCellGuard, nagiosText, terminalText } from '../../src/util/sanitize.js';
import { simpleTable } from '../../src/util/table.js';
import { incidentData, readinessData, ZONE } from './fleet-sample.js';
import { sampleReport } from './sample.js';

const HOSTILE = [
  '\x1b[2J\x1b[H', // clear the screen
  '\x1b]0;owned\x07', // OSC window title
  '\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\', // OSC 8 hyperlink
  '\x9b31m', // C1 CSI
  '\x9d0;title\x9c', // C1 OSC ... ST
  '\x07\x00\x7f\x85', // BEL, NUL, DEL, NEL
].join('');
const NO_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('terminalText', () => {
  it('strips ESC sequences, OSC strings, C1 controls and BEL; keeps the words', () => {
    expect(terminalText(`Mất tiếng ${HOSTILE}phòng họp`)).toBe('Mất tiếng linkphòng họp');
    expect(terminalText('a\tb\nc')).toBe('a b c');
    expect(terminalText('a\tb\nc', { multiline: true })).toBe('a\tb\nc');
    expect(terminalText('Hội trường UBND thị xã Bỉm Sơn — ổn')).toBe('Hội trường UBND thị xã Bỉm Sơn — ổn');
  });
});

describe('csvCellGuard', () => {
  it("prefixes ' to cells starting with = + - @ TAB CR, unless raw", () => {
    for (const c of ['=HYPERLINK("http://x","y")', '+cmd|" /C calc"!A0', '-2+3', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCellGuard(c)).toBe(`'${c}`);
    expect(csvCellGuard('Bỉm Sơn = ổn')).toBe('Bỉm Sơn = ổn');
    expect(csvCellGuard('=1+1', true)).toBe('=1+1');
  });
});

const fleet: FleetRenderOptions = {
  t: translator('en'),
  locale: 'en',
  color: false,
  tty: true,
  columns: 120,
  timeZone: ZONE,
};

describe('CSV writers', () => {
  const evil = '=HYPERLINK("http://evil.example","Bấm vào đây")';
  it('readiness and incident CSVs guard names and summaries; numbers stay numbers; --csv-raw turns it off', () => {
    const data = structuredClone(readinessData);
    (data.readiness.sites[0] as { name: string }).name = evil;
    const csv = renderReadinessCsv(data, fleet);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""Bấm vào đây"")"`);
    expect(renderReadinessCsv(data, { ...fleet, csvRaw: true })).toContain(`"=HYPERLINK(`);
    const inc = structuredClone(incidentData);
    (inc.incidents[0] as { summary: string }).summary = '@SUM(1+1)*cmd|" /C calc"!A0';
    expect(renderIncidentsCsv(inc, fleet)).toContain(`"'@SUM(1+1)*cmd|"" /C calc""!A0"`);
    expect(csvDocument(['id', 'summary', 'n'], [[7, '+cmd', -3]])).toBe("id,summary,n\r\n7,'+cmd,-3\r\n");
    expect(csvDocument(['summary'], [['+cmd']], false, true)).toBe('summary\r\n+cmd\r\n');
  });
});

describe('terminal renderers', () => {
  it('incident and outbox tables, fleet tables and check summaries carry no control characters', () => {
    expect(simpleTable(['A'], [[`x${HOSTILE}y`]], true)).toBe('A\nxlinky\n');
    expect(simpleTable(['A'], [[`x${HOSTILE}y`]], false)).toBe('A\nxlinky\n');
    const data = structuredClone(readinessData);
    (data.readiness.sites[0] as { name: string }).name = `Bỉm Sơn${HOSTILE}`;
    expect(renderReadinessTable(data, fleet)).not.toMatch(NO_CONTROLS);
    const run = structuredClone(sampleReport) as RunReport;
    const check = run.sites[0]?.checks[0] as { summary: string; hint?: string };
    check.summary = `codec says ${HOSTILE}ok`;
    check.hint = `call ${HOSTILE}`;
    (run.sites[0] as { site: { name: string } }).site.name = `UBND${HOSTILE}`;
    const opts: RenderOptions = { t: translator('en'), locale: 'en', color: false, tty: true, columns: 100 };
    expect(renderHuman(run, opts)).not.toMatch(NO_CONTROLS);
    expect(renderHuman(run, { ...opts, tty: false })).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});

describe('Nagios text', () => {
  it('a | in a codec reply is not perfdata, and escapes are gone', () => {
    expect(nagiosText('a|b')).toBe('a¦b');
    const run = structuredClone(sampleReport) as RunReport;
    (run.sites[0]?.checks[0] as { summary: string }).summary = `xStatus | 'rtt'=1ms;2;3 ${HOSTILE}`;
    const out = renderNagios(run, {
      t: translator('en'),
      locale: 'en',
      color: false,
      tty: false,
      columns: 80,
    });
    const [first, ...rest] = out.trimEnd().split('\n');
    expect(first?.split('|')).toHaveLength(2);
    expect(rest.join('\n')).not.toContain('|');
    expect(out).not.toMatch(NO_CONTROLS);
  });
});
