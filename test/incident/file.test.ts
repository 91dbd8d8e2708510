/** `diemcau incident file` in-process against a live loopback registry: flags, prompts, queueing, attached run. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileCommand } from '../../src/commands/incident/file.js';
import type { Prompter } from '../../src/commands/incident/prompter.js';
import { run } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';
import { deadPort, type LiveRegistry, startRegistry, tempDir, writeProfile } from '../registry/live.js';

const FIXTURE = path.join(__dirname, '../fixtures/registry/last-run.json');
let reg: LiveRegistry;
let dir: string;
let state: string;
let env: Record<string, string>;
beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  await reg.close();
});
beforeEach(() => {
  dir = tempDir('incident');
  state = path.join(dir, 'state');
  writeProfile(dir, reg.url);
  env = { DIEMCAU_TOKEN: reg.tokens.tech };
});

const flags = [
  '--category',
  'mat_ket_noi',
  '--severity',
  'critical',
  '--summary',
  'Mất kết nối tới MCU tỉnh',
];
const stored = async () =>
  (await reg.store.listIncidents({ unitPrefix: '', limit: 100 })).filter((i) =>
    i.summary.includes(path.basename(dir)),
  );

describe('incident file without a terminal', () => {
  it('names every missing required flag at once (exit 3)', async () => {
    const r = await run(['incident', 'file', '--registry', reg.url], {
      cwd: tempDir('empty'),
      env,
      stateDir: state,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'diemcau: error: missing required flag(s): --site, --unit, --category, --severity, --summary (there is no terminal to ask on)\n' +
        '  hint: file an incident: asks on a terminal, or takes everything from flags\n',
    );
    const withProfile = await run(['incident', 'file', '--severity', 'minor'], {
      cwd: dir,
      env,
      stateDir: state,
    });
    expect(withProfile.stderr).toContain('missing required flag(s): --category, --summary (');
  });

  it('refuses a bad category, severity or time before queueing anything (exit 3)', async () => {
    for (const [flag, value, text] of [
      ['--category', 'mat_song', '--category: unknown format mat_song; allowed: khong_hinh, khong_tieng'],
      ['--severity', 'high', '--severity: unknown format high; allowed: critical, major, minor'],
      ['--occurred', 'hôm qua', '--occurred must be a time such as 07:45'],
    ] as const) {
      const args = ['incident', 'file', ...flags.filter((_, i, a) => a[i - (i % 2)] !== flag), flag, value];
      const r = await run(args, { cwd: dir, env, stateDir: state });
      expect(r.code, flag).toBe(3);
      expect(r.stderr).toContain(text);
    }
    const long = await run(['incident', 'file', ...flags.slice(0, 4), '--summary', 'x'.repeat(301)], {
      cwd: dir,
      env,
      stateDir: state,
    });
    expect(long.code).toBe(3);
    expect(long.stderr).toContain('summary: summary: must be at most 300 characters');
    expect(
      fs.existsSync(path.join(state, 'outbox'))
        ? fs.readdirSync(path.join(state, 'outbox')).filter((f) => f.endsWith('.json'))
        : [],
    ).toEqual([]);
  });

  it('files it with the site and technician from the profile', async () => {
    const summary = `Mất kết nối ${path.basename(dir)}`;
    const r = await run(
      [
        'incident',
        'file',
        ...flags.slice(0, 4),
        '--summary',
        summary,
        '--effect',
        'postponed',
        '--occurred',
        '07:45',
      ],
      {
        cwd: dir,
        env,
        stateDir: state,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [inc] = await stored();
    expect(r.stdout).toBe(`filed incident #${inc?.id} for th-bimson-ubnd: Connection lost\n`);
    const at = new Date();
    at.setHours(7, 45, 0, 0);
    expect(inc).toMatchObject({
      site: { id: 'th-bimson-ubnd', name: 'Hội trường UBND thị xã Bỉm Sơn', unit: 'thanh-hoa/bim-son/ubnd' },
      category: 'mat_ket_noi',
      severity: 'critical',
      effect: 'postponed',
      occurredAt: at.toISOString(),
      reporter: { name: 'Lại Văn A', phone: '0912 345 678' },
      status: 'open',
    });
    expect(fs.readdirSync(path.join(state, 'outbox')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('speaks Vietnamese with --lang vi', async () => {
    const r = await run(
      ['--lang', 'vi', 'incident', 'file', ...flags.slice(0, 4), '--summary', `vi ${path.basename(dir)}`],
      { cwd: dir, env, stateDir: state },
    );
    expect(r.stdout).toMatch(/^đã báo cáo sự cố số \d+ của th-bimson-ubnd: Mất kết nối\n$/);
  });

  it('attaches the last check run of the site', async () => {
    fs.mkdirSync(state, { recursive: true });
    fs.copyFileSync(FIXTURE, path.join(state, 'last-run.json'));
    const r = await run(
      ['incident', 'file', ...flags.slice(0, 4), '--summary', `run ${path.basename(dir)}`, '--attach-run'],
      { cwd: dir, env, stateDir: state },
    );
    expect(r.code).toBe(0);
    const [inc] = await stored();
    expect(inc?.run).toMatchObject({ verdict: 'not-ready', site: { id: 'th-bimson-ubnd' } });
    const none = await run(
      ['incident', 'file', ...flags, '--attach-run', '--site', 'other', '--unit', 'thanh-hoa/bim-son/x'],
      { cwd: dir, env, stateDir: state },
    );
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('--attach-run: no saved check run for site other');
  });

  it('is queued and succeeds when the registry cannot be reached', async () => {
    const down = `http://127.0.0.1:${await deadPort()}`;
    const r = await run(['incident', 'file', ...flags, '--registry', down], {
      cwd: dir,
      env,
      stateDir: state,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^queued: th-bimson-ubnd: Connection lost: Mất kết nối tới MCU tỉnh\. The registry cannot be reached \(the machine answered but nothing listens at that address and port \(ECONNREFUSED\)\)\. It will be sent by `diemcau sync` or the next command that talks to the registry\.\n$/,
    );
    const files = fs.readdirSync(path.join(state, 'outbox')).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const item = JSON.parse(fs.readFileSync(path.join(state, 'outbox', files[0] as string), 'utf8'));
    expect(item).toMatchObject({
      kind: 'incident',
      method: 'POST',
      path: '/v1/incidents',
      registry: down,
      key: expect.any(String),
    });
  });

  it('a profile whose ${DIEMCAU_TOKEN} is not set is a profile error (exit 3)', async () => {
    const r = await run(['incident', 'file', ...flags], { cwd: dir, env: {}, stateDir: state });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('DIEMCAU_TOKEN');
  });

  it('is queued, with a hint, when there is no token', async () => {
    const site = ['--site', 'th-bimson-ubnd', '--unit', 'thanh-hoa/bim-son/ubnd', '--registry', reg.url];
    const r = await run(['incident', 'file', ...flags, ...site], {
      cwd: tempDir('empty'),
      env: {},
      stateDir: state,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('There is no token (DIEMCAU_TOKEN) to send it with.');
    expect(r.stderr).toBe(
      '  hint: set DIEMCAU_TOKEN to the token the IT centre gave you, then run: diemcau sync\n',
    );
  });

  it('says what the registry refused (403) and keeps it aside', async () => {
    const r = await run(['incident', 'file', ...flags], {
      cwd: dir,
      env: { DIEMCAU_TOKEN: reg.tokens.techOther },
      stateDir: state,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^diemcau: error: the registry refused it: this token may send for unit nghe-an only, not for unit thanh-hoa\/bim-son\/ubnd\n/,
    );
    expect(fs.readdirSync(path.join(state, 'outbox', 'rejected'))).toHaveLength(1);
  });
});

describe('incident file on a terminal', () => {
  function prompter(answers: Record<string, string | boolean>): Prompter & { asked: string[] } {
    const asked: string[] = [];
    const answer = (message: string) => {
      asked.push(message);
      const key = Object.keys(answers).find((k) => message.startsWith(k));
      if (key === undefined) throw new Error(`unexpected question: ${message}`);
      return answers[key] as never;
    };
    return {
      asked,
      select: async (message, choices) => {
        const a = answer(message);
        expect(choices.map((c) => c.value)).toContain(a);
        if (message.startsWith('Sự cố gì'))
          expect(choices[0]).toEqual({ value: 'khong_hinh', name: 'Không có hình' });
        return a;
      },
      input: async (message, opts) => {
        const a = answer(message) as string;
        if (opts.validate) expect(opts.validate(a)).toBe(true);
        return a;
      },
      confirm: async (message) => answer(message) as boolean,
    };
  }

  it('asks for what flags did not give, in the user language, and files it', async () => {
    const ctx = testContext({ locale: 'vi', cwd: dir, env, tty: true });
    Object.assign(ctx.io, { interactive: true });
    Object.assign(ctx, { stateDir: state, localeFixed: true });
    const p = prompter({
      'Sự cố gì': 'hu_rit',
      'Mức độ': 'major',
      'Tóm tắt': `Hú rít loa ${path.basename(dir)}`,
      'Mô tả chi tiết': 'Micro gần loa',
      'Thời điểm': '08:10',
      'Ảnh hưởng': 'none',
      'Cuộc họp nào': '',
      'Biện pháp': 'Giảm âm lượng, dời micro',
    });
    const code = await fileCommand(ctx, {}, { prompter: p });
    expect(code).toBe(0);
    expect(p.asked.map((q) => q.split(/[?(:]/)[0]?.trim())).toEqual([
      'Sự cố gì',
      'Mức độ',
      'Tóm tắt trong một dòng',
      'Mô tả chi tiết',
      'Thời điểm phát hiện',
      'Ảnh hưởng tới cuộc họp',
      'Cuộc họp nào',
      'Biện pháp đã xử lý',
    ]);
    const [inc] = await stored();
    expect(inc).toMatchObject({
      category: 'hu_rit',
      severity: 'major',
      details: 'Micro gần loa',
      action: 'Giảm âm lượng, dời micro',
      effect: 'none',
    });
    expect(inc).not.toHaveProperty('meeting');
    expect(ctx.out.text).toMatch(/^đã báo cáo sự cố số \d+ của th-bimson-ubnd: Hú rít\n$/);
  });

  it('offers the last check run and attaches it when accepted', async () => {
    fs.mkdirSync(state, { recursive: true });
    fs.copyFileSync(FIXTURE, path.join(state, 'last-run.json'));
    const ctx = testContext({ locale: 'en', cwd: dir, env, tty: true });
    Object.assign(ctx.io, { interactive: true });
    Object.assign(ctx, { stateDir: state });
    const p = prompter({
      'Attach the last check run': true,
      'Which meeting': 'Họp UBND tỉnh',
      'What have you done': '',
      'More detail': '',
    });
    const code = await fileCommand(
      ctx,
      {
        category: 'khong_tieng',
        severity: 'minor',
        summary: `tty ${path.basename(dir)}`,
        occurred: '2026-11-25T07:00:00+07:00',
        effect: 'none',
      },
      { prompter: p },
    );
    expect(code).toBe(0);
    expect(p.asked.at(-1)).toMatch(/^Attach the last check run \(2026-11-25T01:00:00.000Z, NOT READY\)\?$/);
    const [inc] = await stored();
    expect(inc).toMatchObject({
      meeting: 'Họp UBND tỉnh',
      occurredAt: '2026-11-25T00:00:00.000Z',
      run: { verdict: 'not-ready' },
    });
  });
});
