/** The driver table: each row tells the truth about its driver, and everything that lists drivers reads it. */
import fs from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { codecBaseUrl } from '../../src/drivers/http.js';
import { createDriver } from '../../src/drivers/index.js';
import { DRIVER_NAMES, DRIVERS, driverRow, SIMULATED_DRIVERS } from '../../src/drivers/table.js';
import { CAPABILITIES, hasCapability } from '../../src/drivers/types.js';
import { DriverError } from '../../src/errors.js';
import { translator } from '../../src/i18n/index.js';
import { CodecConfig } from '../../src/model/codec.js';
import { startCodecSim } from '../../src/sim/index.js';
import { ROOT } from '../helpers/transpile.js';
import { rejection } from './codec-setup.js';

const t = translator('en');
const config = (driver: CodecConfig['driver']): CodecConfig => ({
  driver,
  host: '127.0.0.1',
  port: 9,
  username: 'admin',
  password: 'x',
});

describe('the driver table', () => {
  it('names cisco, poly and none, in that order, each once', () => {
    expect(DRIVER_NAMES).toEqual(['cisco', 'poly', 'none']);
    expect(SIMULATED_DRIVERS).toEqual(['cisco', 'poly']);
  });

  it.each(DRIVERS.map((d) => [d.name, d] as const))(
    '%s: the driver has exactly the capabilities its row lists',
    async (name, row) => {
      const driver = await createDriver(config(name), { t });
      try {
        expect(driver.name).toBe(name);
        const has = CAPABILITIES.filter((cap) => hasCapability(driver, cap));
        expect(has).toEqual([...row.capabilities]);
      } finally {
        await driver.close();
      }
    },
  );

  it('each label is a catalogue message in both languages', () => {
    for (const row of DRIVERS) {
      expect(translator('en')(row.label)).not.toBe(row.label);
      expect(translator('vi')(row.label)).not.toBe(row.label);
    }
  });

  it('feeds the profile schema: codec.driver accepts exactly the names in the table', () => {
    for (const name of DRIVER_NAMES) expect(Value.Check(CodecConfig, { driver: name })).toBe(true);
    expect(Value.Check(CodecConfig, { driver: 'lifesize' })).toBe(false);
  });

  it('an unknown driver name is a config error, exit 3', async () => {
    const err = await rejection(createDriver({ driver: 'lifesize' } as unknown as CodecConfig, { t }));
    expect(err).toBeInstanceOf(DriverError);
    expect(err.code).toBe('CODEC_CONFIG');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe('unknown codec driver lifesize');
    expect(driverRow('lifesize')).toBeUndefined();
  });

  it.each(SIMULATED_DRIVERS.map((d) => [d]))('%s: its simulator starts from the table', async (name) => {
    const sim = await startCodecSim(name, { password: 'x', sipDial: 'off' });
    try {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
    } finally {
      await sim.close();
    }
  });

  it('loads no driver and no package (the help text and the check kinds read it)', () => {
    const runtimeImports = (file: string) =>
      fs
        .readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .filter((l) => /^import\b/.test(l) && !/^import type /.test(l));
    expect(runtimeImports('src/drivers/table.ts')).toEqual([
      "import { CAPABILITIES, type Capability, type CodecDriver, type DriverContext } from './types.js';",
    ]);
    expect(runtimeImports('src/drivers/types.ts')).toEqual([]);
  });
});

describe('codecBaseUrl: the HTTP drivers’ defaults', () => {
  it('takes the driver’s scheme when the profile has none, the scheme’s own port by default', () => {
    expect(codecBaseUrl({ host: 'codec.local' }, { scheme: 'https' })).toBe('https://codec.local/');
    expect(codecBaseUrl({ host: 'codec.local' }, { scheme: 'http' })).toBe('http://codec.local/');
    expect(codecBaseUrl({ host: 'codec.local', scheme: 'http', port: 8080 }, { scheme: 'https' })).toBe(
      'http://codec.local:8080/',
    );
  });

  it('uses a driver’s own port only with the driver’s own scheme', () => {
    const defaults = { scheme: 'https', port: 8443 } as const;
    expect(codecBaseUrl({ host: 'codec.local' }, defaults)).toBe('https://codec.local:8443/');
    expect(codecBaseUrl({ host: 'codec.local', scheme: 'http' }, defaults)).toBe('http://codec.local/');
    expect(codecBaseUrl({ host: 'codec.local', port: 443 }, defaults)).toBe('https://codec.local:443/');
  });

  it('brackets an IPv6 address and needs a host', () => {
    expect(codecBaseUrl({ host: 'fd00::10' })).toBe('https://[fd00::10]/');
    expect(codecBaseUrl({})).toBeUndefined();
  });

  it('every HTTP row defaults to https on the scheme’s own port, as before the table', () => {
    for (const row of DRIVERS) {
      if ('http' in row) expect(codecBaseUrl({ host: 'h' }, row.http)).toBe('https://h/');
    }
  });
});
