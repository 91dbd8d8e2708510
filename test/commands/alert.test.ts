/**
 * `diemcau alert rule|channel|log` and `diemcau maintenance` run in-process
 * against a live registry on 127.0.0.1: what is saved, what is listed, and
 * bad input as one line naming the field, exit 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertConfigView, AlertLog, MaintenanceList } from '../../src/model/alert-rule.js';
import { peopleTime } from '../../src/util/local-time.js';
import { run } from '../helpers/cli.js';
import { post, runBody } from '../registry/fixtures.js';
import { type LiveRegistry, startRegistry } from '../registry/live.js';

describe('alert and maintenance commands', () => {
  let reg: LiveRegistry;
  let env: Record<string, string>;
  const cli = (args: string[], over: Record<string, string> = {}) => run(args, { env: { ...env, ...over } });

  beforeAll(async () => {
    reg = await startRegistry();
    env = { DIEMCAU_REGISTRY: reg.url, DIEMCAU_TOKEN: reg.tokens.admin };
  });
  afterAll(() => reg.close());

  it('adds channels and rules, lists them, logs what an upload fired', async () => {
    let r = await cli([
      'alert',
      'channel',
      'add',
      'hook',
      '--kind',
      'webhook',
      '--set',
      'url=http://127.0.0.1:9/x',
      '--set',
      'secret=${HOOK_SECRET}',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: 'channel hook saved\n' });
    r = await cli([
      'alert',
      'rule',
      'add',
      'down',
      '--event',
      'site-not-ready',
      '--unit',
      'thanh-hoa',
      '--channel',
      'hook',
      '--repeat',
      '4h',
      '--quiet',
      '22:00-06:00@Asia/Ho_Chi_Minh',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: 'rule down saved\n' });
    r = await cli(['alert', 'rule', 'list', '--format', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({
      source: 'database',
      rules: [
        {
          id: 'down',
          event: 'site-not-ready',
          unit: 'thanh-hoa',
          channels: ['hook'],
          repeat: '4h',
          quiet: { from: '22:00', to: '06:00', tz: 'Asia/Ho_Chi_Minh' },
        },
      ],
    });
    r = await cli(['alert', 'rule', 'list']);
    expect(r.stdout).toBe(
      'ID\tEVENT\tSCOPE\tCHANNELS\tOPTIONS\ndown\tsite-not-ready\tthanh-hoa\thook\trepeat=4h quiet=22:00-06:00@Asia/Ho_Chi_Minh\n',
    );
    r = await cli(['alert', 'channel', 'list']);
    expect(r.stdout).toBe(
      'ID\tKIND\tFIELDS\nhook\twebhook\turl=http://127.0.0.1:9/x secret=${HOOK_SECRET}\n',
    );
    const up = await reg.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(reg.tokens.tech),
      payload: runBody(),
    });
    expect(up.statusCode).toBe(201);
    r = await cli(['alert', 'log', '--format', 'json']);
    const log = JSON.parse(r.stdout) as AlertLog;
    expect(log.items.map((i) => [i.rule, i.site, i.state, i.channel])).toEqual([
      ['down', 'th-bimson-ubnd', 'firing', 'hook'],
    ]);
    expect(['pending', 'sent']).toContain(log.items[0]?.delivery);
    r = await cli(['alert', 'log'], { LANG: 'vi_VN.UTF-8' });
    expect(r.stdout.split('\n')[0]).toBe(
      'THỜI ĐIỂM\tQUY TẮC\tĐIỂM CẦU\tTRẠNG THÁI\tKÊNH\tTÌNH TRẠNG GỬI\tLỖI GẦN NHẤT',
    );
    // A channel in use stays.
    r = await cli(['alert', 'channel', 'remove', 'hook']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('channel hook is used by rule(s) down');
    expect((await cli(['alert', 'rule', 'remove', 'down'])).code).toBe(0);
    expect((await cli(['alert', 'rule', 'remove', 'down'])).code).toBe(3);
    const view = JSON.parse(
      (await cli(['alert', 'channel', 'list', '--format', 'json'])).stdout,
    ) as AlertConfigView;
    expect(view.channels.map((c) => c.id)).toEqual(['hook']);
  });

  it('bad input: one line naming the field, exit 3', async () => {
    const first = (s: string) => s.split('\n')[0];
    let r = await cli(['alert', 'channel', 'add', 'x', '--kind', 'sms']);
    expect(r.code).toBe(3);
    expect(first(r.stderr)).toContain('--kind');
    r = await cli([
      'alert',
      'channel',
      'add',
      'leak',
      '--kind',
      'webhook',
      '--set',
      'url=http://127.0.0.1:9',
      '--set',
      'secret=plain-secret-value',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('body.secret: secret is a secret: write it as ${ENV_VAR}');
    expect(r.stderr).not.toContain('plain-secret-value');
    r = await cli(['alert', 'rule', 'add', 'x', '--event', 'site-not-ready', '--channel', 'nope']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('body.channels[0]: no channel nope');
    r = await cli(['alert', 'rule', 'add', 's', '--event', 'site-stale', '--channel', 'hook']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('body.after: site-stale needs after');
    r = await cli([
      'alert',
      'rule',
      'add',
      'q',
      '--event',
      'site-not-ready',
      '--channel',
      'hook',
      '--quiet',
      '22-06',
    ]);
    expect(r).toMatchObject({ code: 3 });
    expect(first(r.stderr)).toBe(
      'diemcau: error: --quiet must be HH:MM-HH:MM, optionally @time/zone (got 22-06)',
    );
    r = await cli([
      'alert',
      'rule',
      'add',
      'q',
      '--event',
      'site-not-ready',
      '--channel',
      'hook',
      '--quiet',
      '22:00-06:00@Mars/Olympus',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('body.quiet.tz: unknown time zone Mars/Olympus');
    r = await cli([
      'maintenance',
      'add',
      '--unit',
      'thanh-hoa',
      '--from',
      '2026-12-01T22:00+07:00',
      '--to',
      '2026-12-01T21:00+07:00',
      '--reason',
      'x',
    ]);
    expect(r).toMatchObject({ code: 3 });
    expect(first(r.stderr)).toBe('diemcau: error: --to must be after --from');
    r = await cli(
      ['maintenance', 'add', '--unit', 'thanh-hoa', '--to', '2026-12-01 21:00', '--reason', 'x'],
      { LANG: 'vi_VN.UTF-8' },
    );
    expect(first(r.stderr)).toBe(
      'diemcau: lỗi: --to phải là thời điểm như 2026-12-01T22:00+07:00 (đang là 2026-12-01 21:00)',
    );
    r = await cli([
      'maintenance',
      'add',
      '--unit',
      'thanh-hoa',
      '--to',
      new Date(reg.now.ms + 3_600_000).toISOString(),
      '--reason',
      'x',
      '--notify',
      'no-such-channel',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('notify: no channel no-such-channel');
    r = await cli(['alert', 'rule', 'list'], { DIEMCAU_TOKEN: reg.tokens.tech });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('need an admin token');
  });

  it('maintenance add, list, end', async () => {
    reg.now.ms = Date.now();
    const from = new Date(reg.now.ms - 60_000).toISOString();
    const to = new Date(reg.now.ms + 3_600_000).toISOString();
    let r = await cli([
      'maintenance',
      'add',
      '--unit',
      'thanh-hoa/bim-son',
      '--from',
      from,
      '--to',
      to,
      '--reason',
      'thay MCU',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const id = JSON.parse(r.stdout).id as number;
    r = await cli(['maintenance', 'list', '--format', 'json']);
    const list = JSON.parse(r.stdout) as MaintenanceList;
    expect(list.items.map((w) => [w.id, w.unit, w.state, w.reason, w.by])).toEqual([
      [id, 'thanh-hoa/bim-son', 'active', 'thay MCU', 'admin'],
    ]);
    // People's times in the table: Hà Nội's (or DIEMCAU_TZ), as "HH:MM dd/mm/yyyy".
    const row = (await cli(['maintenance', 'list'])).stdout.split('\n')[1]?.split('\t');
    expect(row?.slice(2, 4)).toEqual([peopleTime(from), peopleTime(to)]);
    const utc = (await cli(['maintenance', 'list'], { DIEMCAU_TZ: 'UTC' })).stdout
      .split('\n')[1]
      ?.split('\t');
    expect(utc?.[3]).toBe(peopleTime(to, 'UTC'));
    expect((await cli(['maintenance', 'end', String(id)])).stderr).toBe(`window ${id} ended\n`);
    expect((await cli(['maintenance', 'list'])).stdout).toBe('no maintenance windows\n');
    expect((await cli(['maintenance', 'list', '--all', '--format', 'json'])).stdout).toContain(
      '"state": "over"',
    );
  });
});
