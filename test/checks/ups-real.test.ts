/**
 * The ups check against a real NUT server: Debian's dummy-ups driver and
 * upsd on a loopback port, started and stopped here (no systemd). The .dev
 * file is rewritten to move the UPS through OL → OB → OB LB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ups } from '../../src/checks/ups.js';
import { kindContext } from '../helpers/kind-context.js';
import { type NutServer, nutProgram, startNutServer, waitForStatus } from '../helpers/nut-server.js';
import { havePeer } from '../helpers/peers.js';

const haveNut =
  havePeer(nutProgram('upsd') ?? '/lib/nut/upsd', 'apt install nut-server nut-client') &&
  havePeer(nutProgram('dummy-ups') ?? '/lib/nut/dummy-ups', 'apt install nut-server');

const OL = {
  'ups.status': 'OL',
  'battery.charge': 87,
  'battery.runtime': 3600,
  'input.voltage': 221.5,
  'ups.load': 23,
  'ups.mfr': 'Dummy',
  'ups.model': 'TestUPS 1500',
};

describe.skipIf(!haveNut)('ups against a real upsd + dummy-ups', () => {
  let nut: NutServer;
  beforeAll(async () => {
    nut = await startNutServer(OL);
  });
  afterAll(async () => {
    await nut?.stop();
  });

  const check = (params: Record<string, unknown> = {}, locale: 'en' | 'vi' = 'en', profile = {}) =>
    ups.run(
      { host: '127.0.0.1', port: nut.port, name: 'dummy', ...params } as never,
      kindContext({ locale, profile }),
    );

  it('on line with enough runtime passes, with the four metrics', async () => {
    const r = await check();
    expect(r.status).toBe('pass');
    expect(r.metrics).toEqual({ charge_pct: 87, runtime_s: 3600, input_voltage_v: 221.5, load_pct: 23 });
    expect(r.summary).toBe('dummy: on line (OL), charge 87 %, runtime 60 min, load 23 %');
    expect(r.details).toMatchObject({ ups: 'dummy', status: 'OL', flags: ['OL'], min_runtime_s: 2700 });
    expect(r.hint).toBeUndefined();
  });

  it('finds the only UPS when no name is given, and logs in when asked', async () => {
    const r = await ups.run(
      { host: '127.0.0.1', port: nut.port, username: 'admin', password: 'se cret"q\\' } as never,
      kindContext(),
    );
    expect(r.status).toBe('pass');
    expect(r.details).toMatchObject({ ups: 'dummy' });
  });

  it('an unknown UPS name is an error naming the UPSes that exist', async () => {
    const r = await check({ name: 'salon' });
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('NUT_UNKNOWN_UPS');
    expect(r.error?.message).toBe(
      `the NUT server at 127.0.0.1:${nut.port} has no UPS named "salon" (it has: dummy)`,
    );
    expect(r.error?.hint).toContain('dummy');
  });

  it('the meeting length from the profile is the runtime needed', async () => {
    const r = await check({}, 'en', { meeting: { length: '2h' } });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('less than the 120 min needed');
    // An explicit min_runtime wins over the meeting length.
    expect((await check({ min_runtime: '30m' }, 'en', { meeting: { length: '2h' } })).status).toBe('pass');
  });

  it('profile limits add to the status verdict', async () => {
    const r = await check({ warn: { load_pct: 20 } });
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('load_pct 23 beyond the limit 20');
  });

  it('follows the UPS through OL → OB → OB LB → RB', async () => {
    nut.writeDev({
      ...OL,
      'ups.status': 'OB DISCHRG',
      'battery.charge': 70,
      'battery.runtime': 3000,
      'input.voltage': 0,
    });
    await waitForStatus(nut.port, 'dummy', 'OB DISCHRG');
    const ob = await check();
    expect(ob.status).toBe('warn');
    expect(ob.metrics).toMatchObject({ charge_pct: 70, runtime_s: 3000, input_voltage_v: 0 });
    expect(ob.summary).toContain('ON BATTERY');
    expect(ob.hint).toContain('plugged into the wall');

    const obVi = await check({}, 'vi');
    expect(obVi.summary).toContain('ĐANG CHẠY BẰNG ẮC QUY');
    expect(obVi.hint).toContain('gọi thợ điện');

    nut.writeDev({
      ...OL,
      'ups.status': 'OB LB',
      'battery.charge': 9,
      'battery.runtime': 120,
      'input.voltage': 0,
    });
    await waitForStatus(nut.port, 'dummy', 'OB LB');
    const lb = await check();
    expect(lb.status).toBe('fail');
    expect(lb.summary).toContain('LOW BATTERY (OB LB)');
    expect(lb.metrics?.runtime_s).toBe(120);

    nut.writeDev({ ...OL, 'ups.status': 'OL RB' });
    await waitForStatus(nut.port, 'dummy', 'OL RB');
    const rb = await check();
    expect(rb.status).toBe('fail');
    expect(rb.hint).toContain('replace the battery');

    nut.writeDev({ ...OL, 'battery.runtime': 600 });
    await waitForStatus(nut.port, 'dummy', 'OL');
    // dummy-ups applies the whole file at once, so the runtime is already 600 here.
    const short = await check();
    expect(short.status).toBe('fail');
    expect(short.summary).toContain('the battery lasts 10 min, less than the 45 min needed (OL)');
  });

  it('a frozen driver makes the data stale: an error, not a verdict', async () => {
    const stale = await startNutServer(OL, { maxAge: 2 });
    try {
      stale.pauseDriver(true);
      let r = await ups.run({ port: stale.port, name: 'dummy' } as never, kindContext());
      // upsd declares the data stale MAXAGE seconds after the last update: poll, bounded.
      for (let i = 0; i < 40 && r.error?.code !== 'NUT_DATA_STALE'; i += 1) {
        await new Promise((res) => setTimeout(res, 250));
        r = await ups.run({ port: stale.port, name: 'dummy' } as never, kindContext());
      }
      expect(r.status).toBe('error');
      expect(r.error?.code).toBe('NUT_DATA_STALE');
      expect(r.error?.message).toBe(
        'the data of UPS "dummy" is stale: the NUT driver lost contact with the UPS',
      );
      expect(r.error?.hint).toContain('cable');

      await stale.killDriver();
      let d = await ups.run({ port: stale.port, name: 'dummy' } as never, kindContext());
      for (let i = 0; i < 20 && d.error?.code !== 'NUT_DRIVER_NOT_CONNECTED'; i += 1) {
        await new Promise((res) => setTimeout(res, 250));
        d = await ups.run({ port: stale.port, name: 'dummy' } as never, kindContext());
      }
      expect(d.error?.code).toBe('NUT_DRIVER_NOT_CONNECTED');
      expect(d.error?.message).toBe(
        `the NUT server at 127.0.0.1:${stale.port} runs, but its driver for UPS "dummy" is not connected`,
      );
    } finally {
      await stale.stop();
    }
  });
});
