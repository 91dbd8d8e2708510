/**
 * The `confirm` kind and `check --meeting` through the whole program: a
 * technician answering on a real terminal (`script` around the built binary),
 * and every run that has nobody to ask (piped, --no-input, a sweep) skipping
 * the question at once; the meeting tag shown, in JSON, and kept by the registry.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { walk } from '../helpers/terminal.js';
import { startRegistry, tempDir } from '../registry/live.js';

let server: net.Server;
let port: number;
let dir: string;

function profile(name: string, id: string, checks: string[], extra = ''): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    [
      'site:',
      `  id: ${id}`,
      '  name: UBND xã A',
      '  unit: thanh-hoa/xa-a',
      '  technician: { name: Lê Văn C, phone: "0987 654 321" }',
      extra,
      'checks:',
      `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${port} }`,
      ...checks,
      '',
    ].join('\n'),
  );
  return file;
}

const MAKET =
  '  - { id: maket, kind: confirm, question: "Maket đã đúng tên cuộc họp?", question_en: "Does the backdrop show the meeting title?", note: "Kỳ họp thứ 12 HĐND tỉnh khóa XVIII" }';
const LIGHTS = '  - { id: den, kind: confirm, question: "Đèn phòng họp đã bật đủ?", required: false }';

beforeAll(async () => {
  dir = tempDir('confirm');
  server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  profile('site.yaml', 'th-xa-a', [MAKET, LIGHTS]);
  profile('other.yaml', 'th-xa-b', [MAKET]);
  fs.mkdirSync(path.join(dir, 'sweep'));
  fs.copyFileSync(path.join(dir, 'site.yaml'), path.join(dir, 'sweep', 'a.yaml'));
  fs.copyFileSync(path.join(dir, 'other.yaml'), path.join(dir, 'sweep', 'b.yaml'));
  profile('slow.yaml', 'th-xa-c', [
    '  - { id: ghi-hinh, kind: confirm, question: "Đã bật ghi hình?", timeout: 1500ms }',
  ]);
});
afterAll(() => {
  server.close();
});

describe('confirm on a terminal', () => {
  it('asks in Vietnamese, one question at a time; a "no" fails with what the technician typed, kept with who and when', async () => {
    const script: Array<[string, string]> = [
      ['Maket đã đúng tên cuộc họp?', 'k\r'],
      ['Chưa đạt ở điểm nào?', 'Sai năm khóa họp\r'],
      ['Đèn phòng họp đã bật đủ?', 'c\r'],
    ];
    const t0 = Date.now();
    const { out, step, code } = await walk(
      dir,
      {},
      script,
      30_000,
      'check site.yaml -f human -f json=run.json',
    );
    expect(step).toBe(script.length);
    expect(code).toBe(2);
    expect(out).toContain('Kỳ họp thứ 12 HĐND tỉnh khóa XVIII');
    expect(out).toContain('(c/K)');
    expect(out).not.toMatch(/\(y\/N\)|\(Y\/n\)/);
    expect(out).toContain('CHƯA SẴN SÀNG');
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    const [maket, den] = doc.sites[0].checks.slice(1);
    expect(maket).toMatchObject({
      id: 'maket',
      kind: 'confirm',
      status: 'fail',
      required: true,
      summary: 'chưa đạt: Maket đã đúng tên cuộc họp? (Sai năm khóa họp)',
      error: { code: 'NOT_CONFIRMED' },
      details: {
        question: 'Maket đã đúng tên cuộc họp?',
        answer: 'no',
        by: 'Lê Văn C',
        note: 'Sai năm khóa họp',
      },
    });
    expect(Date.parse(maket.details.at)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(den).toMatchObject({
      status: 'pass',
      required: false,
      summary: 'Lê Văn C đã xác nhận: Đèn phòng họp đã bật đủ?',
      details: { answer: 'yes', by: 'Lê Văn C' },
    });
  }, 40_000);

  it('with --no-input asks nothing and skips: cần người tại điểm cầu xác nhận', async () => {
    const { out, code } = await walk(dir, {}, [], 20_000, 'check site.yaml --no-input');
    expect(code).toBe(0);
    expect(out).not.toContain('(c/K)');
    expect(out).toContain('chưa hỏi: cần người tại điểm cầu xác nhận: Maket đã đúng tên cuộc họp?');
  }, 30_000);

  it('in a sweep asks nothing, even on a terminal', async () => {
    const { out, code } = await walk(dir, {}, [], 20_000, 'check sweep -f human -f json=sweep.json');
    expect(code).toBe(0);
    expect(out).not.toContain('(c/K)');
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
    const maket = doc.sites.map((s: { checks: Array<{ id: string }> }) =>
      s.checks.find((c) => c.id === 'maket'),
    );
    expect(maket.map((c: { status: string; error: { code: string } }) => [c.status, c.error.code])).toEqual([
      ['skip', 'NEEDS_PERSON'],
      ['skip', 'NEEDS_PERSON'],
    ]);
  }, 30_000);

  it('nobody answers: the check stops at its timeout, the run ends', async () => {
    const t0 = Date.now();
    const { out, code } = await walk(dir, {}, [], 20_000, 'check slow.yaml -f human -f json=slow.json');
    expect(out).toContain('Đã bật ghi hình?');
    expect(code).toBe(2);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'slow.json'), 'utf8'));
    expect(doc.sites[0].checks[1]).toMatchObject({
      status: 'error',
      summary: 'không trả lời trong 1.5 giây',
      error: { code: 'TIMEOUT' },
    });
    expect(Date.now() - t0).toBeLessThan(15_000);
  }, 30_000);
});

describe('confirm with nobody to ask', () => {
  it('piped (cron): skipped at once, not failing the site, with the reason in both languages', async () => {
    const t0 = Date.now();
    const vi = await run(['check', 'site.yaml'], { cwd: dir, env: { LANG: 'vi_VN.UTF-8' } });
    expect(vi.code).toBe(0);
    expect(vi.stdout).toContain(
      'th-xa-a\tmaket\tconfirm\tskip\tchưa hỏi: cần người tại điểm cầu xác nhận: Maket đã đúng tên cuộc họp?\t',
    );
    const en = await run(['check', 'site.yaml', '--lang', 'en', '--format', 'json'], { cwd: dir });
    const checks = JSON.parse(en.stdout).sites[0].checks;
    expect(checks[1]).toMatchObject({
      status: 'skip',
      summary: 'not asked: needs a person on site to confirm: Does the backdrop show the meeting title?',
      error: { code: 'NEEDS_PERSON' },
      details: { question: 'Does the backdrop show the meeting title?' },
    });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('is not a remote kind: --remote leaves it out', async () => {
    const r = await run(['check', 'site.yaml', '--remote', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(r.stdout).sites[0].checks.map((c: { id: string }) => c.id)).toEqual(['sip-port']);
  });
});

describe('check --meeting', () => {
  it('shows the meeting in the header, writes it in JSON, and the registry keeps it', async () => {
    const human = await run(['check', 'other.yaml', '--meeting', 'hdnd-12'], {
      cwd: dir,
      tty: true,
      env: { LANG: 'vi_VN.UTF-8', NO_COLOR: '1' },
    });
    expect(human.stdout.split('\n').slice(0, 2)).toEqual([
      'Điểm cầu th-xa-b: UBND xã A (thanh-hoa/xa-a)',
      '  Cuộc họp: hdnd-12',
    ]);
    const reg = await startRegistry();
    const stateDir = tempDir('meeting-upload');
    const r = await run(['check', 'other.yaml', '--meeting', 'hdnd-12', '--format', 'json', '--upload'], {
      cwd: dir,
      stateDir,
      env: { DIEMCAU_REGISTRY: reg.url, DIEMCAU_TOKEN: reg.tokens.admin },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sites[0].meeting).toBe('hdnd-12');
    const runs = await reg.store.listRuns({ meetingId: 'hdnd-12', unitPrefix: '', limit: 10 });
    expect(runs.map((x) => [x.site.id, x.meeting])).toEqual([['th-xa-b', 'hdnd-12']]);
    await reg.close();
    const bad = await run(['check', 'other.yaml', '--meeting', '../etc'], { cwd: dir });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toBe(
      'diemcau: error: --meeting: "../etc" is not a meeting id (lower-case letters, digits, ".", "_" and "-"; at most 64 characters)\n',
    );
  }, 30_000);
});
