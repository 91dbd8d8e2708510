/**
 * `--format junit` against the schema the Jenkins xUnit plugin checks every
 * file with (vendored under test/fixtures/junit/, source in its README),
 * validated by the real xmllint (Debian libxml2-utils).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.js';
import { renderJunit } from '../../../src/report/junit.js';
import type { RenderOptions } from '../../../src/report/types.js';
import { havePeer } from '../../helpers/peers.js';
import { sampleReport, sweepReport } from '../sample.js';

const en: RenderOptions = { t: translator('en'), locale: 'en', color: false, tty: true, columns: 100 };
const XSD = path.join(import.meta.dirname, '../../fixtures/junit/junit-10.xsd');

async function xmllint(xml: string): Promise<{ status: number | null; stderr: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-junit-'));
  const file = path.join(dir, 'run.xml');
  await fs.writeFile(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  await fs.rm(dir, { recursive: true });
  return { status: r.status, stderr: r.stderr };
}

describe.skipIf(!havePeer('xmllint', 'apt-get install libxml2-utils'))(
  'junit in xmllint with the Jenkins xUnit schema',
  () => {
    it('a single site and a sweep (with a site that could not be checked) are valid', async () => {
      for (const report of [sampleReport, sweepReport]) {
        const r = await xmllint(renderJunit(report, en));
        expect(r.stderr).toMatch(/ validates\n$/);
        expect(r.status).toBe(0);
      }
    });
    it('text that needs escaping stays valid', async () => {
      const weird = structuredClone(sampleReport);
      const c = weird.sites[0]?.checks[1] as { summary: string };
      c.summary = 'a <b> & "c" \u0007 \'d\' ]]>';
      expect((await xmllint(renderJunit(weird, en))).status).toBe(0);
    });
    it('the schema refuses what the old renderer wrote (the test can fail)', async () => {
      const old = renderJunit(sampleReport, en).replace(
        '<testsuites name="diemcau"',
        '<testsuites name="diemcau" skipped="1"',
      );
      const r = await xmllint(old);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain("attribute 'skipped' is not allowed");
    });
  },
);
