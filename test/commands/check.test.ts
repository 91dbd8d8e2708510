/**
 * `diemcau check` through the whole CLI with buffer streams: exact stdout,
 * stderr and exit codes with and without a TTY, every format, bad input.
 * Checks run for real against listeners on 127.0.0.1.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';

let dir: string;
let openPort: number;
let closedPort: number;
let httpPort: number;
let tcpServer: net.Server;
let httpServer: http.Server;

/** Durations and timings vary run to run: make them comparable. */
const steady = (text: string) =>
  text
    .replace(/\d+(\.\d+)? ms/g, 'N ms')
    .replace(/\d+(\.\d+)? s\b/g, 'N s')
    .replace(/\d+(\.\d+)?ms/g, 'Nms')
    .replace(new RegExp(String(closedPort), 'g'), 'CLOSED')
    .replace(new RegExp(String(openPort), 'g'), 'OPEN')
    .replace(new RegExp(String(httpPort), 'g'), 'HTTP');

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  return file;
}

const site = (
  id: string,
  checks: string,
  extra = '',
) => `site: { id: ${id}, name: "UBND xã ${id}", unit: thanh-hoa/${id} }
locale: en
${extra}
checks:
${checks}
`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-check-'));
  tcpServer = net.createServer((s) => s.end());
  await new Promise<void>((r) => tcpServer.listen(0, '127.0.0.1', r));
  openPort = (tcpServer.address() as net.AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  httpServer = http.createServer((req, res) => {
    if (req.url === '/down') {
      res.statusCode = 503;
      res.end('maintenance');
    } else res.end('ok');
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  httpPort = (httpServer.address() as net.AddressInfo).port;

  await write(
    'ready.yaml',
    site(
      'ready',
      `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${openPort} }\n  - { id: portal, kind: http, url: "http://127.0.0.1:${httpPort}/" }`,
    ),
  );
  await write(
    'advisory.yaml',
    site(
      'advisory',
      `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${openPort} }\n  - { id: portal, kind: http, url: "http://127.0.0.1:${httpPort}/down", expect_status: 200, required: false }`,
    ),
  );
  await write(
    'down.yaml',
    site(
      'down',
      `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${closedPort} }\n  - { id: portal, kind: http, url: "http://127.0.0.1:${httpPort}/", needs: [sip-port] }`,
    ),
  );
  await write(
    'vi.yaml',
    site('vi', `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${closedPort} }`).replace(
      'locale: en',
      'locale: vi',
    ),
  );
  await write('broken.yaml', 'site: { id: broken, name: B }\n');
});

afterAll(async () => {
  tcpServer.close();
  httpServer.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('exit codes follow the verdict', () => {
  it('0 when every required check passes', async () => {
    const r = await run(['check', 'ready.yaml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('diemcau/run@2');
    expect(doc.verdict).toBe('ready');
    expect(doc.sites[0].checks.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      ['sip-port', 'pass'],
      ['portal', 'pass'],
    ]);
  });
  it('1 when an advisory check fails', async () => {
    const r = await run(['check', 'advisory.yaml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).verdict).toBe('degraded');
  });
  it('2 when a required check fails; its dependants are skipped with the reason', async () => {
    const r = await run(['check', 'down.yaml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    const checks = JSON.parse(r.stdout).sites[0].checks;
    expect(checks[0]).toMatchObject({ id: 'sip-port', status: 'fail', required: true });
    expect(checks[1]).toMatchObject({
      id: 'portal',
      status: 'skip',
      summary: 'skipped: needs sip-port to pass first',
      attempts: 0,
    });
  });
  it('3 for a bad profile, with the place of the error', async () => {
    const r = await run(['check', 'broken.yaml'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('diemcau: error: broken.yaml:1:7: site.unit: required field is missing\n');
  });
  it('3 for an unknown flag', async () => {
    const r = await run(['check', 'ready.yaml', '--fast'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('diemcau: error: unknown option --fast; see diemcau check --help\n');
  });
  it('3 for a bad flag value', async () => {
    const r = await run(['check', 'ready.yaml', '--concurrency', 'many'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('diemcau: error: --concurrency must be a whole number of at least 1 (got many)\n');
  });
  it('3 when no profile is given and ./diemcau.yaml does not exist', async () => {
    const r = await run(['check'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'diemcau: error: no profile given and diemcau.yaml not found\n  hint: pass a profile (diemcau check site.yaml), set DIEMCAU_PROFILE, or create one with: diemcau profile init\n',
    );
  });
  it('takes $DIEMCAU_PROFILE when no profile is given', async () => {
    const r = await run(['check', '--format', 'json'], { cwd: dir, env: { DIEMCAU_PROFILE: 'ready.yaml' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sites[0].site.id).toBe('ready');
  });
});

describe('human output', () => {
  it('on a terminal: a table, the hint under the failed check, the verdict', async () => {
    const r = await run(['check', 'down.yaml', '--no-color'], { cwd: dir, tty: true });
    expect(r.code).toBe(2);
    expect(steady(r.stdout)).toMatchInlineSnapshot(`
      "Site down: UBND xã down (thanh-hoa/down)
        STATUS     CHECK     RESULT                                          MEASURED
        ✗ fail     sip-port  port CLOSED on 127.0.0.1 refused the connection
            → Nothing listens on that port: is the MCU or service running, and is the port right? A
              firewall at the site or the provider may also reject it.
        – skipped  portal    skipped: needs sip-port to pass first
      Verdict: NOT READY (0 passed, 0 warnings, 1 failed, 0 errors, 1 skipped) in N ms
      "
    `);
  });
  it("in the profile's language (locale: vi)", async () => {
    const r = await run(['check', 'vi.yaml'], { cwd: dir, tty: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(steady(r.stdout)).toMatchInlineSnapshot(`
      "Điểm cầu vi: UBND xã vi (thanh-hoa/vi)
        TRẠNG THÁI   MỤC KIỂM TRA  KẾT QUẢ                                   SỐ ĐO
        ✗ không đạt  sip-port      cổng CLOSED của 127.0.0.1 từ chối kết nối
            → Không có dịch vụ nào mở cổng này: MCU hoặc dịch vụ có đang chạy không, số cổng có đúng
              không? Tường lửa tại điểm cầu hoặc của nhà mạng cũng có thể chặn.
      Kết luận: CHƯA SẴN SÀNG (0 đạt, 0 cảnh báo, 1 không đạt, 0 lỗi, 0 bỏ qua) trong N ms
      "
    `);
  });
  it('--lang wins over the profile', async () => {
    const r = await run(['check', 'vi.yaml', '--lang', 'en', '--no-color'], { cwd: dir, tty: true });
    expect(r.stdout).toContain('Verdict: NOT READY');
  });
  it('piped: tab-separated rows, no colour, nothing on stderr', async () => {
    const r = await run(['check', 'down.yaml'], { cwd: dir, tty: false, env: { FORCE_COLOR: undefined } });
    expect(steady(r.stdout)).toMatchInlineSnapshot(`
      "down	sip-port	tcp	fail	port CLOSED on 127.0.0.1 refused the connection		Nothing listens on that port: is the MCU or service running, and is the port right? A firewall at the site or the provider may also reject it.
      down	portal	http	skip	skipped: needs sip-port to pass first		
      down	-	-	not-ready	NOT READY		
      "
    `);
    expect(r.stderr).toBe('');
  });
  it('on a terminal, the live progress goes to stderr, never stdout', async () => {
    const r = await run(['check', 'ready.yaml', '--format', 'json'], { cwd: dir, tty: true });
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain('sip-port');
    expect(r.stderr).toContain('portal');
  });
});

describe('--only, --skip', () => {
  it('by id or kind', async () => {
    const ids = async (...flags: string[]) => {
      const r = await run(['check', 'ready.yaml', '--format', 'json', ...flags], { cwd: dir });
      return JSON.parse(r.stdout).sites[0].checks.map((c: { id: string }) => c.id);
    };
    expect(await ids('--only', 'portal')).toEqual(['portal']);
    expect(await ids('--only', 'tcp')).toEqual(['sip-port']);
    expect(await ids('--skip', 'http')).toEqual(['sip-port']);
  });
  it('a word that names no check is exit 3, with the checks there are and the closest one', async () => {
    const r = await run(['check', 'ready.yaml', '--only', 'nothing'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'diemcau: error: --only nothing: the profile has no such check; its checks: sip-port, portal (kinds: tcp, http)\n',
    );
    const typo = await run(['check', 'ready.yaml', '--skip', 'protal'], { cwd: dir });
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain('--skip protal: the profile has no such check (did you mean portal?);');
  });
});

describe('formats and files', () => {
  it('writes several formats from one run, files atomically', async () => {
    const r = await run(
      [
        'check',
        'down.yaml',
        '--format',
        'nagios',
        '--format',
        'junit=out/run.xml',
        '--format',
        'prometheus=out/run.prom',
        '--format',
        'tap=out/run.tap',
      ],
      {
        cwd: dir,
        env: {},
      },
    ).catch((e) => e);
    // The folder does not exist: nothing runs, exit 3.
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('diemcau: error: cannot write out/run.xml: folder out does not exist\n');
    await fs.mkdir(path.join(dir, 'out'));
    const ok = await run(
      [
        'check',
        'down.yaml',
        '--format',
        'nagios',
        '--format',
        'junit=out/run.xml',
        '--format',
        'prometheus=out/run.prom',
        '-f',
        'tap=out/run.tap',
      ],
      { cwd: dir },
    );
    expect(ok.code).toBe(2);
    expect(ok.stdout.split('\n')[0]).toBe('DIEMCAU CRITICAL - down: NOT READY (sip-port)');
    const xml = await fs.readFile(path.join(dir, 'out/run.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="down" tests="2" failures="1" errors="0" skipped="1"');
    const prom = await fs.readFile(path.join(dir, 'out/run.prom'), 'utf8');
    expect(prom).toContain(
      'diemcau_site_verdict{site="down",unit="thanh-hoa/down",verdict="not-ready",sweep="down.yaml"} 1\n',
    );
    const tap = await fs.readFile(path.join(dir, 'out/run.tap'), 'utf8');
    expect(tap.startsWith('TAP version 14\n1..1\n# Subtest: down\n    1..2\n    not ok 1 - sip-port')).toBe(
      true,
    );
    const leftovers = (await fs.readdir(path.join(dir, 'out'))).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });
  it('-o sends the stdout format to a file', async () => {
    const r = await run(['check', 'ready.yaml', '--format', 'json', '-o', 'ready.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(await fs.readFile(path.join(dir, 'ready.json'), 'utf8')).verdict).toBe('ready');
  });
  it('an unwritable -o path is exit 3 and nothing is written', async () => {
    const r = await run(['check', 'ready.yaml', '-o', 'ready.yaml/x.txt'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'diemcau: error: cannot write ready.yaml/x.txt: folder ready.yaml does not exist\n',
    );
    const r2 = await run(['check', 'ready.yaml', '-o', '.'], { cwd: dir });
    expect(r2.code).toBe(3);
    expect(r2.stderr).toBe('diemcau: error: cannot write .: it is a directory\n');
  });
  it('two formats for stdout is a usage error', async () => {
    const r = await run(['check', 'ready.yaml', '--format', 'json', '--format', 'tap'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'diemcau: error: only one format can go to stdout; give the others a file: --format tap=FILE\n',
    );
  });
  it('an unknown format is a usage error', async () => {
    const r = await run(['check', 'ready.yaml', '--format', 'pdf'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'diemcau: error: unknown format pdf; allowed: human, json, junit, nagios, prometheus, tap\n',
    );
  });
});

describe('several profiles', () => {
  it('runs every site, a bad profile does not stop the others, the exit code is the worst verdict', async () => {
    const r = await run(['check', 'ready.yaml', 'advisory.yaml', 'broken.yaml', '--format', 'json'], {
      cwd: dir,
    });
    const doc = JSON.parse(r.stdout);
    expect(doc.sites.map((s: { site: { id: string }; verdict: string }) => [s.site.id, s.verdict])).toEqual([
      ['ready', 'ready'],
      ['advisory', 'degraded'],
      ['broken', 'unknown'],
    ]);
    expect(doc.sites[2].error).toEqual({
      code: 'PROFILE_INVALID',
      message: 'broken.yaml:1:7: site.unit: required field is missing',
    });
    expect(doc.verdict).toBe('unknown');
    expect(r.code).toBe(3);
  });
});

describe('--history', () => {
  it('appends one JSON line per site and run to DIR/<site-id>.jsonl', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await run(['check', 'ready.yaml', 'down.yaml', '--history', 'hist', '--format', 'json'], {
        cwd: dir,
      });
      expect(r.code).toBe(2);
    }
    const files = (await fs.readdir(path.join(dir, 'hist'))).sort();
    expect(files).toEqual(['down.jsonl', 'ready.jsonl']);
    const lines = (await fs.readFile(path.join(dir, 'hist/down.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const entry = JSON.parse(lines[1] as string);
    expect(entry).toMatchObject({
      schema: 'diemcau/history@1',
      tool: { name: 'diemcau' },
      site: { id: 'down' },
      verdict: 'not-ready',
    });
    expect(entry.checks.map((c: { id: string }) => c.id)).toEqual(['sip-port', 'portal']);
  });
  it('an unusable history folder is exit 3 before anything runs', async () => {
    const r = await run(['check', 'ready.yaml', '--history', 'ready.yaml/sub'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('diemcau: error: cannot write history to ready.yaml/sub: ENOTDIR\n');
  });
});
