/**
 * `hangup` and `dial` with a fake codec driver handed in through the
 * context's factory (no simulator): what the command asks the codec, what it
 * prints, and that it always closes the driver.
 */
import { describe, expect, it } from 'vitest';
import type { CallInfo, CodecDriver, DialRequest, DriverContext } from '../../src/drivers/types.js';
import type { CodecConfig } from '../../src/model/codec.js';
import { run } from '../helpers/cli.js';
import { siteProfile } from './codec-site.js';

interface Fake {
  createDriver(codec: CodecConfig | undefined, dctx: DriverContext): Promise<CodecDriver>;
  codecs: (CodecConfig | undefined)[];
  hungUp: (string | undefined)[];
  dialled: DialRequest[];
  closed: number;
}

/** A codec with these calls up; dialling adds a connected call, hanging up removes it. */
function fakeCodec(calls: CallInfo[], caps: { canCall?: boolean } = {}): Fake {
  const up = [...calls];
  const fake: Fake = {
    codecs: [],
    hungUp: [],
    dialled: [],
    closed: 0,
    async createDriver(codec) {
      fake.codecs.push(codec);
      const driver: CodecDriver = {
        name: 'cisco',
        identify: async () => ({
          vendor: 'Cisco',
          model: 'Room Kit',
          software: 'ce9',
          awake: true,
          powerState: 'On',
        }),
        close: async () => {
          fake.closed += 1;
        },
      };
      if (caps.canCall === false) return driver;
      return Object.assign(driver, {
        calls: async () => [...up],
        hangup: async (id?: string) => {
          fake.hungUp.push(id);
          up.splice(
            up.findIndex((c) => c.id === id),
            1,
          );
        },
        dial: async (req: DialRequest) => {
          fake.dialled.push(req);
          up.push({ id: '42', remote: req.number, state: 'connected', raw: 'Connected' });
          return { callId: '42' };
        },
      });
    },
  };
  return fake;
}

const call = (id: string, remote: string): CallInfo => ({ id, remote, state: 'connected', raw: 'Connected' });

describe('hangup with a fake driver', () => {
  it('ends the only call, says so, and closes the driver', async () => {
    const { file, env } = await siteProfile({ driver: 'cisco', port: 9 });
    const fake = fakeCodec([call('3', '8001@mcu.example.gov.vn')]);
    const r = await run(['hangup', '-p', file], { env, factories: { createDriver: fake.createDriver } });
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'hung up call 3 (8001@mcu.example.gov.vn)\n' });
    expect(fake.hungUp).toEqual(['3']);
    expect(fake.closed).toBe(1);
    // The driver is created from the profile's codec block, password resolved from the environment.
    expect(fake.codecs[0]).toMatchObject({
      driver: 'cisco',
      host: '127.0.0.1',
      port: 9,
      password: env.CODEC_PASSWORD,
    });
  });

  it('with several calls up it hangs up none and asks which (exit 3)', async () => {
    const { file, env } = await siteProfile({ driver: 'cisco', port: 9 });
    const fake = fakeCodec([call('3', 'a@10.0.0.1'), call('4', 'b@10.0.0.2')]);
    const r = await run(['hangup', '-p', file], { env, factories: { createDriver: fake.createDriver } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^diemcau: error: several calls are up: 3 \(a@10\.0\.0\.1\), 4 \(b@10\.0\.0\.2\)\n/,
    );
    expect(fake.hungUp).toEqual([]);
    expect(fake.closed).toBe(1);
  });

  it('a driver that cannot hang up is a usage error naming the driver', async () => {
    const { file, env } = await siteProfile({ driver: 'cisco', port: 9 });
    const fake = fakeCodec([], { canCall: false });
    const r = await run(['hangup', '-p', file], { env, factories: { createDriver: fake.createDriver } });
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'diemcau: error: the cisco driver cannot hang up\n' });
    expect(fake.closed).toBe(1);
  });
});

describe('dial with a fake driver', () => {
  it('dials the first bridge with its rate, prints the call id, closes the driver', async () => {
    const { file, env } = await siteProfile({ driver: 'cisco', port: 9 });
    const fake = fakeCodec([]);
    const r = await run(['dial', '-p', file], { env, factories: { createDriver: fake.createDriver } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('42\n');
    expect(fake.dialled).toEqual([{ number: '8001@mcu.example.gov.vn', protocol: 'sip', rateKbps: 1920 }]);
    expect(fake.closed).toBe(1);
  });

  it('never dials when the codec is already in a call', async () => {
    const { file, env } = await siteProfile({ driver: 'cisco', port: 9 });
    const fake = fakeCodec([call('5', 'hop-tinh@mcu.example.gov.vn')]);
    const r = await run(['dial', '-p', file], { env, factories: { createDriver: fake.createDriver } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^diemcau: error: the codec is already in a call with hop-tinh@mcu\.example\.gov\.vn \(call 5\)\n/,
    );
    expect(fake.dialled).toEqual([]);
    expect(fake.closed).toBe(1);
  });
});
