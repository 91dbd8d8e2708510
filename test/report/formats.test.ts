import { describe, expect, it } from 'vitest';
import { REPORT_FORMAT_MODULES, REPORT_FORMATS } from '../../src/report/fleet/index.js';
import { CHECK_FORMATS, isCheckFormat, RUN_FORMATS } from '../../src/report/formats.js';

describe('format tables', () => {
  it('list the run formats in their documented order, each module named as listed', async () => {
    expect(CHECK_FORMATS).toEqual(['human', 'json', 'junit', 'nagios', 'prometheus', 'tap']);
    for (const name of CHECK_FORMATS) expect((await RUN_FORMATS[name]()).format.name).toBe(name);
    expect(isCheckFormat('toString')).toBe(false);
    expect(isCheckFormat('pdf')).toBe(false);
  });
  it('list the report formats, each with a renderer for every report', async () => {
    expect(REPORT_FORMATS).toEqual(['table', 'tsv', 'csv', 'json', 'html']);
    for (const name of REPORT_FORMATS) {
      const { format } = await REPORT_FORMAT_MODULES[name]();
      expect(format.name).toBe(name);
      expect(Object.keys(format.render)).toEqual(['readiness', 'incidents', 'site']);
    }
  });
});
