/** `diemcau incident list` and `incident update` in-process against a live loopback registry. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peopleTime } from '../../src/util/local-time.js';
import { run } from '../helpers/cli.js';
import { newKey } from '../registry/fixtures.js';
import { deadPort, type LiveRegistry, startRegistry, tempDir } from '../registry/live.js';

let reg: LiveRegistry;
const ids: number[] = [];
const state = path.join(tempDir('list'), 'state');
beforeAll(async () => {
  reg = await startRegistry();
  const specs = [
    { category: 'mat_ket_noi', summary: 'Mất kết nối, 7:45', occurredAt: '2026-11-20T00:45:00.000Z' },
    { category: 'khong_tieng', summary: 'Không có tiếng, "micro 2"', occurredAt: '2026-11-21T01:00:00.000Z' },
    {
      category: 'mat_dien',
      summary: 'Mất điện toà nhà',
      occurredAt: '2026-11-22T02:00:00.000Z',
      site: { id: 'na-vinh', unit: 'nghe-an/vinh' },
    },
  ] as const;
  for (const s of specs) {
    const inc = await reg.store.createIncident(
      {
        siteId: 'site' in s ? s.site.id : 'th-bimson-ubnd',
        siteName: undefined,
        unit: 'site' in s ? s.site.unit : 'thanh-hoa/bim-son/ubnd',
        category: s.category,
        severity: 'major',
        occurredMs: Date.parse(s.occurredAt),
        createdMs: Date.parse(s.occurredAt) + 60_000,
        body: JSON.stringify({ summary: s.summary, effect: 'none' }),
        by: 'ktv',
      },
      { key: newKey(), fingerprint: 'f' },
    );
    ids.push((inc as { value: { id: number } }).value.id);
  }
});
afterAll(async () => {
  await reg.close();
});

const cli = (args: string[], token = reg.tokens.tech, opts: { tty?: boolean; lang?: string } = {}) =>
  run([...(opts.lang ? ['--lang', opts.lang] : []), ...args, '--registry', reg.url], {
    cwd: tempDir('cwd'),
    env: { DIEMCAU_TOKEN: token, TZ: 'UTC' },
    stateDir: state,
    tty: opts.tty,
  });

describe('incident list', () => {
  it('prints a tab-separated table when piped, scoped to the token', async () => {
    const r = await cli(['incident', 'list']);
    expect(r.code).toBe(0);
    // People's time in Hà Nội's zone, whatever the machine's.
    const d = (iso: string) => peopleTime(iso);
    expect(r.stdout).toBe(
      [
        '#\tSITE\tCATEGORY\tSEVERITY\tSTATUS\tOCCURRED\tSUMMARY',
        `${ids[1]}\tth-bimson-ubnd\tNo sound\tmajor\topen\t${d('2026-11-21T01:00:00.000Z')}\tKhông có tiếng, "micro 2"`,
        `${ids[0]}\tth-bimson-ubnd\tConnection lost\tmajor\topen\t${d('2026-11-20T00:45:00.000Z')}\tMất kết nối, 7:45`,
        '',
      ].join('\n'),
    );
  });

  it('aligns on a terminal and speaks Vietnamese', async () => {
    const r = await cli(['incident', 'list', '--category', 'khong_tieng'], reg.tokens.tech, {
      tty: true,
      lang: 'vi',
    });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^SỐ +ĐIỂM CẦU +LOẠI +MỨC ĐỘ +TRẠNG THÁI +PHÁT HIỆN +TÓM TẮT$/);
    expect(lines[1]).toMatch(/ +Không có tiếng +ảnh hưởng +mới báo +/);
  });

  it('writes JSON (the API shape) and CSV', async () => {
    const json = JSON.parse((await cli(['incident', 'list', '--format', 'json'], reg.tokens.admin)).stdout);
    expect(json.items.map((i: { id: number }) => i.id)).toEqual([...ids].reverse());
    expect(json.nextCursor).toBeNull();
    const csv = (await cli(['incident', 'list', '--format', 'csv', '--limit', '1'], reg.tokens.tech)).stdout;
    expect(csv.split('\r\n')).toEqual([
      'id,site,unit,category,category_label,severity,status,effect,occurred_at,created_at,resolved_at,summary',
      `${ids[1]},th-bimson-ubnd,thanh-hoa/bim-son/ubnd,khong_tieng,No sound,major,open,none,2026-11-21T01:00:00.000Z,2026-11-21T01:01:00.000Z,,"Không có tiếng, ""micro 2"""`,
      '',
    ]);
  });

  it('pages with --limit and --cursor (the cursor on stderr)', async () => {
    const first = await cli(['incident', 'list', '--limit', '1'], reg.tokens.admin);
    const cursor = /--cursor (\S+)/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const second = await cli(
      ['incident', 'list', '--limit', '1', '--cursor', cursor as string, '--format', 'json'],
      reg.tokens.admin,
    );
    expect(JSON.parse(second.stdout).items.map((i: { id: number }) => i.id)).toEqual([ids[1]]);
  });

  it('filters by --since as a date-time', async () => {
    const r = await cli(
      ['incident', 'list', '--since', '2026-11-21T00:00:00Z', '--format', 'json'],
      reg.tokens.admin,
    );
    expect(JSON.parse(r.stdout).items.map((i: { id: number }) => i.id)).toEqual([ids[2], ids[1]]);
    const bad = await cli(['incident', 'list', '--since', 'hôm qua']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--since must be a duration back (7d, 12h) or a date-time (got hôm qua)');
  });

  it('says so when the token may not read a unit (403) or is wrong (401), or the registry is down', async () => {
    const forbidden = await cli(['incident', 'list', '--unit', 'nghe-an']);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toMatch(
      /^diemcau: error: the registry refused it: this token may read unit thanh-hoa\/bim-son only, not unit nghe-an\n$/,
    );
    // The same refusal in Vietnamese: the client words it, the server's English stays out.
    const vi = await cli(['--lang', 'vi', 'incident', 'list', '--unit', 'nghe-an']);
    expect(vi.stderr).toBe(
      'diemcau: lỗi: máy chủ tổng hợp từ chối: mã truy cập này chỉ được xem đơn vị thanh-hoa/bim-son, không được xem đơn vị nghe-an\n',
    );
    // --debug adds what the server said, for whoever reads the logs.
    const dbg = await cli(['--debug', 'incident', 'list', '--unit', 'nghe-an']);
    expect(dbg.stderr).toContain(
      '[403 forbidden: this token may read unit thanh-hoa/bim-son only, not nghe-an]',
    );
    const bad = await cli(['incident', 'list'], 'dct_wrong');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the registry refused the token: the registry does not know this token');
    const down = await run(['incident', 'list', '--registry', `http://127.0.0.1:${await deadPort()}`], {
      cwd: tempDir('cwd'),
      env: { DIEMCAU_TOKEN: reg.tokens.tech },
      stateDir: state,
    });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(
      /cannot be reached: the machine answered but nothing listens at that address and port \(ECONNREFUSED\)\n/,
    );
  });
});

describe('incident update', () => {
  it('acknowledges then resolves, with notes in the history', async () => {
    const id = ids[0] as number;
    const a = await cli([
      'incident',
      'update',
      String(id),
      '--status',
      'acknowledged',
      '--note',
      'Đã tiếp nhận',
      '--by',
      'Trung tâm CNTT',
    ]);
    expect(a).toEqual({ code: 0, stdout: `incident #${id} is now acknowledged\n`, stderr: '' });
    const b = await cli([
      '--lang',
      'vi',
      'incident',
      'update',
      String(id),
      '--status',
      'resolved',
      '--note',
      'Đã khắc phục',
    ]);
    expect(b.stdout).toBe(`sự cố số ${id}: đã khắc phục\n`);
    const inc = await reg.store.getIncident(id);
    expect(inc?.history.map((h) => [h.status, h.note, h.by])).toEqual([
      ['open', undefined, 'ktv'],
      ['acknowledged', 'Đã tiếp nhận', 'Trung tâm CNTT'],
      ['resolved', 'Đã khắc phục', 'ktv-bim-son'],
    ]);
  });

  it('refuses a move backwards (409) and a bad status or id (exit 3)', async () => {
    const id = ids[0] as number;
    const back = await cli(['incident', 'update', String(id), '--status', 'acknowledged']);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain(
      `the registry refused it: incident ${id} is already resolved; it goes open → acknowledged → resolved (or open → resolved)`,
    );
    expect((await cli(['incident', 'update', String(id), '--status', 'open'])).code).toBe(3);
    expect((await cli(['incident', 'update', 'abc', '--status', 'resolved'])).code).toBe(3);
    expect((await cli(['incident', 'update', String(id)])).code).toBe(3);
  });
});
