/**
 * power: the decision from battery facts (the shapes systeminformation's
 * battery() returns), and one real reading of this machine.
 */
import { describe, expect, it } from 'vitest';
import { type BatteryInfo, power, powerOutcome, powerVerdict } from '../../src/checks/power.js';
import { translator } from '../../src/i18n/index.js';
import { kindContext } from '../helpers/kind-context.js';

const en = translator('en');
const vi = translator('vi');
const noBattery: BatteryInfo = {
  hasBattery: false,
  acConnected: true,
  isCharging: false,
  percent: 0,
  timeRemaining: null,
};
const laptop = (b: Partial<BatteryInfo>): BatteryInfo => ({
  hasBattery: true,
  acConnected: true,
  isCharging: false,
  percent: 80,
  timeRemaining: null,
  ...b,
});
const MEETING = 45 * 60_000;

describe('power verdict', () => {
  it('no battery: mains only, a pass without metrics', () => {
    expect(powerVerdict(noBattery, 2700)).toEqual({
      status: 'pass',
      reason: 'power.mains_only',
      metrics: {},
    });
    const out = powerOutcome(noBattery, { minRuntimeMs: MEETING }, en);
    expect(out).toMatchObject({
      status: 'pass',
      summary: 'on mains (no battery in this machine)',
      metrics: {},
    });
    expect(powerOutcome(noBattery, { minRuntimeMs: MEETING }, vi).summary).toBe(
      'dùng điện lưới (máy không có pin)',
    );
  });

  it('a laptop on its charger passes, charging or full', () => {
    expect(
      powerOutcome(laptop({ isCharging: true, percent: 55 }), { minRuntimeMs: MEETING }, en),
    ).toMatchObject({
      status: 'pass',
      summary: 'on mains, battery charging, battery 55 %',
      metrics: { charge_pct: 55 },
    });
    expect(powerOutcome(laptop({ percent: 100 }), { minRuntimeMs: MEETING }, en).summary).toBe(
      'on mains, battery 100 %',
    );
  });

  it('on battery with time for the meeting: a warning to plug in', () => {
    const out = powerOutcome(
      laptop({ acConnected: false, percent: 70, timeRemaining: 95 }),
      { minRuntimeMs: MEETING },
      en,
    );
    expect(out.status).toBe('warn');
    expect(out.metrics).toEqual({ charge_pct: 70, runtime_s: 5700 });
    expect(out.summary).toBe('ON BATTERY: the charger or mains is off, battery 70 %, about 95 min left');
    expect(out.hint).toContain('Plug the charger');
  });

  it('on battery without time for the meeting, or nearly empty: fail', () => {
    const short = powerOutcome(
      laptop({ acConnected: false, percent: 40, timeRemaining: 30 }),
      { minRuntimeMs: MEETING },
      en,
    );
    expect(short.status).toBe('fail');
    expect(short.summary).toContain('it will not last the meeting (45 min)');
    const empty = powerOutcome(
      laptop({ acConnected: false, percent: 6, timeRemaining: null }),
      { minRuntimeMs: MEETING },
      vi,
    );
    expect(empty.status).toBe('fail');
    expect(empty.summary).toBe('ĐANG CHẠY BẰNG PIN và pin sắp hết, pin 6 %');
    expect(empty.hint).toBe(
      'Cắm sạc ngay và để cắm suốt buổi họp; không bắt đầu họp khi chỉ chạy bằng pin này.',
    );
  });

  it('an unknown estimate on battery is only a warning', () => {
    expect(powerVerdict(laptop({ acConnected: false, timeRemaining: null }), 2700).status).toBe('warn');
    expect(
      powerVerdict(laptop({ acConnected: false, timeRemaining: -1 }), 2700).metrics.runtime_s,
    ).toBeUndefined();
  });

  it('the site limits apply on top', () => {
    const out = powerOutcome(
      laptop({ percent: 50, isCharging: true }),
      { minRuntimeMs: MEETING, fail: { charge_pct: 80 } },
      en,
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('charge_pct 50 beyond the limit 80');
  });
});

describe('power on this machine', () => {
  it('reads the real battery state through systeminformation', async () => {
    const r = await power.run({} as never, kindContext());
    expect(['pass', 'warn', 'fail']).toContain(r.status);
    const d = r.details as { has_battery: boolean };
    if (!d.has_battery) {
      expect(r.status).toBe('pass');
      expect(r.summary).toBe('on mains (no battery in this machine)');
    } else {
      expect(r.metrics?.charge_pct).toBeGreaterThanOrEqual(0);
    }
  });

  it('a cancelled run stops waiting at once', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await power.run({} as never, kindContext({ signal: ac.signal }));
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('POWER_UNREADABLE');
  });
});
