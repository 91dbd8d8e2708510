/** `diemcau registry token create` and `registry serve` in-process. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { post, runBody } from './fixtures.js';
import { deadPort, tempDir } from './live.js';

const waitFor = async (url: string) => {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never answered`);
};

describe('registry token create', () => {
  it('prints the token once on stdout and what it is on stderr', async () => {
    const dir = tempDir('token');
    const r = await run(
      [
        'registry',
        'token',
        'create',
        '--role',
        'technician',
        '--unit',
        'thanh-hoa/bim-son',
        '--db',
        'reg.db',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dct_[A-Za-z0-9_-]{43}\n$/);
    expect(r.stderr).toBe(
      'created token 1: technician for thanh-hoa/bim-son (technician@thanh-hoa/bim-son). It is shown once, here; only its hash is stored.\n',
    );
    const admin = await run(
      ['--lang', 'vi', 'registry', 'token', 'create', '--role', 'admin', '--label', 'Trung tâm CNTT'],
      {
        cwd: dir,
        env: { DIEMCAU_REGISTRY_DB: path.join(dir, 'reg.db') },
      },
    );
    expect(admin.stderr).toBe(
      'đã tạo mã 2: admin cho mọi đơn vị (Trung tâm CNTT). Mã chỉ hiện một lần, tại đây; máy chủ chỉ lưu mã băm.\n',
    );
  });

  it('refuses a bad role, unit or store (exit 3)', async () => {
    const dir = tempDir('token');
    const cases: Array<[string[], string]> = [
      [['--role', 'boss', '--unit', 'a'], 'invalid value for --role <role>'],
      [['--unit', 'a'], '--role'],
      [['--role', 'viewer'], '--unit is required for a viewer token'],
      [
        ['--role', 'viewer', '--unit', 'Thanh Hóa'],
        '--unit must be a unit path such as thanh-hoa/bim-son (got Thanh Hóa)',
      ],
      [['--role', 'admin', '--db', path.join(dir, 'no/such/dir/reg.db')], 'cannot open the store'],
    ];
    for (const [args, text] of cases) {
      const r = await run(['registry', 'token', 'create', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain(text);
    }
  });
});

describe('registry token list, revoke, --expires', () => {
  it('lists every token without its secret or hash, revokes one, and an expiry is a duration', async () => {
    const dir = tempDir('token-life');
    const opts = { cwd: dir };
    const before = Date.now();
    const created = await run(
      ['registry', 'token', 'create', '--role', 'viewer', '--unit', 'hue', '--expires', '90d'],
      opts,
    );
    expect(created.code).toBe(0);
    const expires = /It expires on (\S+)\.\n$/.exec(created.stderr)?.[1] as string;
    expect(Date.parse(expires) - before).toBeGreaterThanOrEqual(90 * 86_400_000);
    expect(Date.parse(expires) - Date.now()).toBeLessThanOrEqual(90 * 86_400_000);
    const admin = await run(['registry', 'token', 'create', '--role', 'admin', '--label', 'CNTT'], opts);
    const secrets = [created.stdout.trim(), admin.stdout.trim()];

    const json = await run(['registry', 'token', 'list', '--format', 'json'], opts);
    expect(json.code).toBe(0);
    const { tokens } = JSON.parse(json.stdout);
    expect(tokens).toEqual([
      {
        id: 1,
        role: 'viewer',
        unit: 'hue',
        label: 'viewer@hue',
        createdAt: expect.any(String),
        expiresAt: expires,
        state: 'active',
      },
      { id: 2, role: 'admin', unit: '', label: 'CNTT', createdAt: expect.any(String), state: 'active' },
    ]);
    for (const s of secrets) expect(json.stdout).not.toContain(s.slice(4, 20));

    const revoked = await run(['registry', 'token', 'revoke', '1'], opts);
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toMatch(
      /^revoked token 1 \(viewer@hue\) on \S+; the registry refuses it within 30 s\n$/,
    );
    const table = await run(['registry', 'token', 'list'], opts);
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toBe('ID\tROLE\tUNIT\tLABEL\tCREATED\tLAST USED\tEXPIRES\tSTATE');
    expect(rows[1]?.split('\t')).toEqual([
      '1',
      'viewer',
      'hue',
      'viewer@hue',
      expect.any(String),
      '-',
      expires,
      'revoked',
    ]);
    expect(rows[2]?.split('\t')).toEqual(['2', 'admin', '*', 'CNTT', expect.any(String), '-', '-', 'active']);
    for (const s of secrets) expect(table.stdout).not.toContain(s.slice(4, 20));
    const vi = await run(['--lang', 'vi', 'registry', 'token', 'list'], opts);
    expect(vi.stdout.split('\n')[0]).toBe(
      'SỐ\tVAI TRÒ\tĐƠN VỊ\tNHÃN\tNGÀY TẠO\tDÙNG LẦN CUỐI\tHẾT HẠN\tTRẠNG THÁI',
    );
    expect(vi.stdout).toContain('\tđã thu hồi\n');
  });

  it('refuses a bad --expires, a bad or unknown id (exit 3)', async () => {
    const dir = tempDir('token-life');
    const cases: Array<[string[], string]> = [
      [['create', '--role', 'admin', '--expires', '3 tháng'], '--expires'],
      [['revoke', '0x1'], 'the token id must be a number from diemcau registry token list (got 0x1)'],
      [['revoke', '7'], 'there is no token 7 (see diemcau registry token list)'],
    ];
    for (const [args, text] of cases) {
      const r = await run(['registry', 'token', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain(text);
    }
    const empty = await run(['registry', 'token', 'list'], { cwd: dir });
    expect(empty.stdout).toBe('no tokens yet (create one: diemcau registry token create --role admin)\n');
  });
});

describe('registry serve', () => {
  it('serves until cancelled, then finishes and closes (exit 0)', async () => {
    const dir = tempDir('serve');
    const token = (await run(['registry', 'token', 'create', '--role', 'admin'], { cwd: dir })).stdout.trim();
    const port = await deadPort();
    const udp = await deadPort();
    const ac = new AbortController();
    const serving = run(
      ['registry', 'serve', '--port', String(port), '--reflector-port', String(udp), '--stale', '2h'],
      {
        cwd: dir,
        signal: ac.signal,
      },
    );
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/v1/health`);
    const res = await fetch(`${base}/v1/runs`, {
      method: 'POST',
      headers: { ...post(token), 'content-type': 'application/json' },
      body: JSON.stringify({ ...runBody(), startedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }),
    });
    expect(res.status).toBe(201);
    const ready = (await (
      await fetch(`${base}/v1/reports/readiness`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      counts: Record<string, number>;
    };
    expect(ready.counts).toMatchObject({ sites: 1, stale: 1 });
    ac.abort();
    const r = await serving;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        `UDP reflector for udp-quality on port ${udp}`,
        `registry listening on ${base} (store: sqlite ${path.join(dir, 'registry.db')})`,
        'stopping: finishing requests in flight…',
        'registry stopped',
        '',
      ].join('\n'),
    );
    await expect(fetch(`${base}/v1/health`)).rejects.toThrow();
  });

  it('says why it cannot listen (exit 3)', async () => {
    const dir = tempDir('serve');
    const r = await run(['registry', 'serve', '--host', '192.0.2.1', '--port', '1'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^diemcau: error: cannot listen on 192\.0\.2\.1:1: /);
    const bad = await run(['registry', 'serve', '--body-limit', 'lots'], { cwd: dir });
    expect(bad.stderr).toContain(
      '--body-limit must be a size such as 1mb, 512kb or a number of bytes (got lots)',
    );
  });
});
