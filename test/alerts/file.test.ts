/**
 * `registry serve --alerts FILE`: the YAML is checked like a profile, every
 * error one line with file:line:col, the field and what is allowed (exit 3,
 * before the database is opened). And meeting-at-risk: a valid rule that,
 * with no meeting register in this registry, never fires.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAlertsFile } from '../../src/alerts/file.js';
import { translator } from '../../src/i18n/index.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { run as cli } from '../helpers/cli.js';
import { tempDir } from '../registry/live.js';
import { incident, run } from '../registry/store.conformance.js';
import { testLookup } from './webhook-kind.mjs';

const GOOD = `channels:
  - id: hook
    kind: webhook
    url: http://127.0.0.1:9/hook
    secret: \${HOOK_SECRET}
rules:
  - id: down
    event: site-not-ready
    unit: thanh-hoa
    channels: [hook]
    repeat: 4h
    quiet: {from: "22:00", to: "06:00", tz: Asia/Ho_Chi_Minh}
  - id: meeting
    event: meeting-at-risk
    channels: [hook]
`;

describe('the --alerts file', () => {
  const dir = tempDir('alerts-file');
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };
  const serve = (file: string, lang = 'en_US.UTF-8') =>
    cli(['registry', 'serve', '--alerts', file, '--db', path.join(dir, 'never.db')], {
      cwd: dir,
      env: { LANG: lang, HOOK_SECRET: 'x' },
    });

  it('loads rules and channels, ${ENV} kept as written', async () => {
    const config = await loadAlertsFile(write('good.yaml', GOOD), {
      t: translator('en'),
      env: { HOOK_SECRET: 'x' },
      cwd: dir,
      lookup: testLookup,
    });
    expect(config.channels).toEqual([
      { id: 'hook', kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: '${HOOK_SECRET}' },
    ]);
    expect(config.rules.map((r) => r.event)).toEqual(['site-not-ready', 'meeting-at-risk']);
  });

  it.each([
    [
      'an unknown channel kind',
      GOOD.replace('kind: webhook', 'kind: sms'),
      'bad.yaml:3:11: channels[0].kind: must be one of: email, webhook, zalo-bot, zalo-oa, telegram (got "sms")',
    ],
    [
      'an unknown channel in a rule',
      GOOD.replace('channels: [hook]\n    repeat', 'channels: [hook, mail]\n    repeat'),
      'bad.yaml:10:22: rules[0].channels[1]: no channel mail (channels: hook)',
    ],
    [
      'bad quiet hours',
      GOOD.replace('from: "22:00"', 'from: "25:00"'),
      'bad.yaml:12:19: rules[0].quiet.from: must be a time of day HH:MM, e.g. 22:00 (got "25:00")',
    ],
    [
      'a bad time zone',
      GOOD.replace('tz: Asia/Ho_Chi_Minh', 'tz: Asia/Hanoi-City'),
      'bad.yaml:12:45: rules[0].quiet.tz: unknown time zone Asia/Hanoi-City (e.g. Asia/Ho_Chi_Minh)',
    ],
    [
      'a secret written out',
      GOOD.replace('${HOOK_SECRET}', 'hunter2'),
      'bad.yaml:5:13: channels[0].secret: secret is a secret: write it as ${ENV_VAR} and set the variable for the registry',
    ],
    [
      'an unset variable',
      GOOD.replace('${HOOK_SECRET}', '${NOT_SET_HERE}'),
      'bad.yaml:5:13: channels[0].secret: environment variable NOT_SET_HERE is not set',
    ],
    [
      'site-stale without after',
      GOOD.replace('event: meeting-at-risk', 'event: site-stale'),
      'bad.yaml:13:5: rules[1].after: site-stale needs after: how long, e.g. 26h',
    ],
    [
      'an unknown field',
      GOOD.replace('repeat: 4h', 'repeats: 4h'),
      'bad.yaml:11:5: rules[0].repeats: unknown field; allowed here: id, event, unit, site, channels, severity, after, repeat, quiet, digest',
    ],
  ])('refuses %s with file:line:col, exit 3', async (_what, text, line) => {
    const r = await serve(write('bad.yaml', text));
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe(`diemcau: error: ${line}`);
    expect(r.stderr).not.toContain('hunter2');
    expect(fs.existsSync(path.join(dir, 'never.db'))).toBe(false);
  });

  it('in Vietnamese', async () => {
    const r = await serve(
      write('bad.yaml', GOOD.replace('channels: [hook]\n    repeat', 'channels: [mail]\n    repeat')),
      'vi_VN.UTF-8',
    );
    expect(r.stderr.split('\n')[0]).toBe(
      'diemcau: lỗi: bad.yaml:10:16: rules[0].channels[0]: không có kênh mail (các kênh: hook)',
    );
  });

  it('meeting-at-risk: with no meeting register, nothing ever fires it', async () => {
    const store = await openSqlite(':memory:');
    try {
      store.alerts.config = {
        channels: [{ id: 'hook', kind: 'webhook' }],
        rules: [{ id: 'meeting', event: 'meeting-at-risk', channels: ['hook'] }],
      };
      const t0 = Date.parse('2026-11-25T00:00:00Z');
      await store.ingestRun(
        run({ verdict: 'not-ready', startedMs: t0, finishedMs: t0 + 1000, receivedMs: t0 + 2000 }),
        { key: 'm1', fingerprint: 'f' },
      );
      await store.createIncident(incident({ severity: 'critical' }), { key: 'm2', fingerprint: 'f' });
      expect(await store.alerts.tick(t0 + 86_400_000)).toBe(0);
      expect(await store.alerts.log({ unitPrefix: '', limit: 10 })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
