import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeSim, type CodecSim, startBridgeSim, startCodecSim } from '../../src/sim/index.js';
import { run } from '../helpers/cli.js';
import { walk } from '../helpers/terminal.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/profiles');
const opts = { cwd: fixtures };

describe('profile validate: every error names file:line:col, the path and what is allowed, exit 3', () => {
  const cases: Array<[string, string]> = [
    [
      'bad/yaml-syntax.yaml',
      'bad/yaml-syntax.yaml:4:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'bad/duplicate-key.yaml',
      'bad/duplicate-key.yaml:5:3: duplicate key: each key may appear only once in a mapping',
    ],
    [
      'bad/wrong-type.yaml',
      'bad/wrong-type.yaml:10:15: checks[3].warn.rtt_ms: must be a number (got "fast")',
    ],
    [
      'bad/unknown-kind.yaml',
      'bad/unknown-kind.yaml:3:20: checks[0].kind: unknown check kind "telepathy"; allowed: ',
    ],
    [
      'bad/unknown-field.yaml',
      'bad/unknown-field.yaml:1:47: site.colour: unknown field; allowed here: id, name, unit, level, technician, focal_point',
    ],
    [
      'bad/duplicate-id.yaml',
      'bad/duplicate-id.yaml:4:11: checks[1].id: duplicate id "a": every id must be unique',
    ],
    [
      'bad/needs-cycle.yaml',
      'bad/needs-cycle.yaml:3:61: checks[0].needs: needs go round in a circle: a → c → b → a',
    ],
    [
      'bad/missing-extends.yaml',
      'bad/missing-extends.yaml:1:10: extends: file not found: bad/nowhere/defaults.yaml',
    ],
    [
      'bad/extends-dir.yaml',
      'bad/extends-dir.yaml:1:10: extends: defaults is a directory, not a profile file',
    ],
    [
      'bad/bad-unit.yaml',
      'bad/bad-unit.yaml:4:9: site.unit: must be a unit path such as thanh-hoa/bim-son/ubnd: lower case, no diacritics, "/" between levels (got "Thanh Hóa/Bỉm Sơn")',
    ],
    ['bad/inherited-bad.yaml', 'bad/bad-defaults.yaml:3:12: checks[0].count: must be at least 1 (got 0)'],
    [
      'bad/list.yaml',
      'bad/list.yaml:1:1: a profile must be a YAML mapping (key: value), not a list or a single value',
    ],
    ['bad/nope.yaml', 'bad/nope.yaml: file not found: bad/nope.yaml'],
    ['bad', 'bad: bad is a directory, not a profile file'],
  ];
  for (const [file, message] of cases) {
    it(file, async () => {
      const r = await run(['profile', 'validate', file], opts);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]?.startsWith(`diemcau: error: ${message}`)).toBe(true);
    });
  }

  it('a mistyped kind gets the closest kind', async () => {
    const r = await run(['--lang', 'en', 'profile', 'validate', 'bad/typo-kind.yaml'], opts);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /checks\[0\]\.kind: unknown check kind "pingg"; allowed: .+ \(did you mean ping\?\)\n$/,
    );
  });

  it('says it in Vietnamese too', async () => {
    const r = await run(['--lang', 'vi', 'profile', 'validate', 'bad/wrong-type.yaml'], opts);
    expect(r.stderr).toBe(
      'diemcau: lỗi: bad/wrong-type.yaml:10:15: checks[3].warn.rtt_ms: phải là một số (đang là "fast")\n',
    );
    expect(r.code).toBe(3);
  });

  it('accepts a good profile, a defaults file and lists variables a profile needs', async () => {
    const r = await run(
      ['profile', 'validate', 'good/site.yaml', 'defaults/province.yaml', 'bad/missing-env.yaml'],
      opts,
    );
    expect(r.stdout).toBe(
      [
        'good/site.yaml: ok (3 checks; needs at run time: DIEMCAU_TOKEN)',
        'defaults/province.yaml: ok (defaults file)',
        'bad/missing-env.yaml: ok (0 checks; needs at run time: DIEMCAU_TEST_CODEC_PASSWORD)',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('3 of 3 file(s) valid\n');
    expect(r.code).toBe(0);
  });

  it('goes on after a bad file and exits 3', async () => {
    const r = await run(['profile', 'validate', 'bad/duplicate-id.yaml', 'good/site.yaml'], {
      ...opts,
      env: { DIEMCAU_TOKEN: 'x' },
    });
    expect(r.stdout).toBe('good/site.yaml: ok (3 checks)\n');
    expect(r.stderr).toBe(
      'diemcau: error: bad/duplicate-id.yaml:4:11: checks[1].id: duplicate id "a": every id must be unique\n1 of 2 file(s) valid\n',
    );
    expect(r.code).toBe(3);
  });

  it('validates every example profile shipped in profiles/', async () => {
    const root = path.resolve(import.meta.dirname, '../../profiles');
    const files = [
      'defaults/thanh-hoa.yaml',
      'thanh-hoa/tinh-hoi-truong.yaml',
      'thanh-hoa/so-y-te.yaml',
      'thanh-hoa/xa-quang-phu.yaml',
      'thanh-hoa/huyen-bim-son.yaml',
    ];
    const r = await run(['profile', 'validate', ...files], { cwd: root });
    expect(r.stderr).toBe('5 of 5 file(s) valid\n');
    expect(r.code).toBe(0);
  });
});

describe('profile show', () => {
  it('resolves extends, check_defaults and ${ENV}, hiding secrets', async () => {
    const r = await run(['profile', 'show', 'good/site.yaml', '--format', 'json'], {
      ...opts,
      env: { DIEMCAU_TOKEN: 's3cret-token' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('s3cret-token');
    const doc = JSON.parse(r.stdout);
    expect(doc.registry).toEqual({ url: 'http://127.0.0.1:7070', token: '*** (hidden)' });
    // The site file's warn wins field by field; the rest comes from check_defaults.
    expect(doc.checks[0]).toEqual({
      count: 5,
      interval: '0.2s',
      warn: { rtt_ms: 100, loss_pct: 1, jitter_ms: 30 },
      fail: { rtt_ms: 400, loss_pct: 3, jitter_ms: 50 },
      id: 'loopback',
      kind: 'ping',
      target: '127.0.0.1',
    });
    expect(doc.checks.map((c: { id: string }) => c.id)).toEqual(['loopback', 'portal', 'sip-port']);
    expect(doc.extends).toBeUndefined();
  });

  it('a profile without the variables still shows, with the reference left as written', async () => {
    const r = await run(['profile', 'show', 'bad/missing-env.yaml'], opts);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('password: "*** (hidden)"');
  });
});

describe('profile schema', () => {
  it('prints a draft 2020-12 JSON Schema composed from the kinds', async () => {
    const r = await run(['profile', 'schema'], opts);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['site']);
    expect(schema.properties.checks.items.properties.kind.enum).toEqual(
      expect.arrayContaining(['ping', 'tcp', 'dns', 'http']),
    );
    const ping = schema.properties.checks.items.allOf.find(
      (x: { if: { properties: { kind: { const: string } } } }) => x.if.properties.kind.const === 'ping',
    );
    expect(ping.then.properties.warn.properties.rtt_ms.type).toBe('number');
    expect(JSON.stringify(schema)).not.toContain('x-allowed');
  });
});

describe('profile init', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-init-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes a valid profile from flags with --yes', async () => {
    const r = await run(
      [
        'profile',
        'init',
        '--yes',
        '--id',
        'th-xa-a',
        '--name',
        'UBND xã A',
        '--unit',
        'thanh-hoa/xa-a',
        '--level',
        'xa',
        '--bridge',
        'sip:8001@127.0.0.1',
        '--locale',
        'vi',
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe('Wrote diemcau.yaml. Check it with: diemcau profile validate diemcau.yaml\n');
    expect(r.code).toBe(0);
    const text = await fs.readFile(path.join(dir, 'diemcau.yaml'), 'utf8');
    expect(text).toContain('name: UBND xã A');
    expect(text).toContain('kind: ping');
    const v = await run(['profile', 'validate', 'diemcau.yaml'], { cwd: dir });
    expect(v.code).toBe(0);
  });

  it('refuses to overwrite without --force', async () => {
    const r = await run(['profile', 'init', '--yes', '--id', 'x', '--name', 'X', '--unit', 'x'], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('diemcau: error: diemcau.yaml already exists; use --force to overwrite it\n');
  });

  it('names the missing flags when it cannot ask', async () => {
    const r = await run(['profile', 'init', 'other.yaml', '--yes', '--name', 'X'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('diemcau: error: profile init --yes needs: --id, --unit\n');
    await expect(fs.stat(path.join(dir, 'other.yaml'))).rejects.toThrow();
  });
});

describe('profile init against the simulators: the first check is READY', () => {
  let dir: string;
  let codec: CodecSim;
  let bridge: BridgeSim;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-init-sim-'));
    codec = await startCodecSim('cisco', { host: '127.0.0.1', password: 'sim-pw' });
    bridge = await startBridgeSim({ host: '127.0.0.1' });
  });
  afterAll(async () => {
    await codec.close();
    await bridge.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('splits host:port, asks no DNS of an IP, probes the bridge port, and the check passes', async () => {
    const r = await run(
      [
        'profile',
        'init',
        '--yes',
        '--id',
        'th-xa-sim',
        '--name',
        'UBND xã Sim',
        '--unit',
        'thanh-hoa/xa-sim',
        '--codec',
        'cisco',
        '--codec-host',
        `127.0.0.1:${codec.port}`,
        '--codec-scheme',
        'http',
        '--bridge',
        `sip:8001@127.0.0.1:${bridge.port}`,
        '--technician',
        'Lê Văn C',
        '--phone',
        '0987 654 321',
        '--focal-point',
        'Trần Thị D',
        '--focal-phone',
        '0912 000 111',
        '--registry',
        'https://hnth.example.vn',
        '--token-var',
        'TH_TOKEN',
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe(
      'Wrote diemcau.yaml. Check it with: diemcau profile validate diemcau.yaml\n' +
        'Before checking, set the secrets in the environment: export CODEC_PASSWORD=…; export TH_TOKEN=…\n',
    );
    expect(r.code).toBe(0);
    const text = await fs.readFile(path.join(dir, 'diemcau.yaml'), 'utf8');
    expect(text).toContain(`scheme: http\n  host: 127.0.0.1\n  port: ${codec.port}\n  username: admin\n`);
    expect(text).toContain(`kind: tcp\n    target: 127.0.0.1\n    port: ${bridge.port}\n`);
    expect(text).not.toContain('kind: dns');
    expect(text).toContain('focal_point:\n    name: Trần Thị D\n    phone: 0912 000 111\n');
    expect(text).toContain('registry:\n  url: https://hnth.example.vn\n  token: ${TH_TOKEN}\n');
    const env = { CODEC_PASSWORD: 'sim-pw', TH_TOKEN: 'x', PATH: process.env.PATH };
    const c = await run(['check', '--format', 'json'], { cwd: dir, env, stateDir: path.join(dir, 'state') });
    const report = JSON.parse(c.stdout) as {
      verdict: string;
      sites: Array<{ checks: Array<{ id: string; status: string }> }>;
    };
    expect(report.sites[0]?.checks.map((x) => `${x.id} ${x.status}`)).toEqual([
      'mcu-ping pass',
      'sip-port pass',
      'mcu-sip pass',
      'codec pass',
      'codec-reg pass',
      'av pass',
    ]);
    expect(report.verdict).toBe('ready');
    expect(c.code).toBe(0);
  }, 30_000);

  it('refuses a bad address in a flag, naming the flag (exit 3)', async () => {
    const r = await run(
      [
        'profile',
        'init',
        'bad.yaml',
        '--yes',
        '--id',
        'x',
        '--name',
        'X',
        '--unit',
        'x',
        '--codec-host',
        '127.0.0.1:99999',
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe(
      'diemcau: error: --codec-host: not an address: give an IP or a name, with :port if needed (got 127.0.0.1:99999)\n',
    );
    expect(r.code).toBe(3);
  });

  it('--extends a province defaults file, and --check runs the checklist at once', async () => {
    const defaults = path.join(dir, 'defaults');
    await fs.mkdir(defaults, { recursive: true });
    await fs.writeFile(
      path.join(defaults, 'tinh.yaml'),
      'registry: { url: "https://hnth.example.vn", token: "${DIEMCAU_TOKEN}" }\ncheck_defaults: { ping: { count: 3 } }\n',
    );
    const r = await run(
      [
        'profile',
        'init',
        'xa2.yaml',
        '--yes',
        '--id',
        'xa2',
        '--name',
        'Xã 2',
        '--unit',
        'th/xa2',
        '--extends',
        'defaults/tinh.yaml',
        '--bridge',
        `sip:8001@127.0.0.1:${bridge.port}`,
        '--codec',
        'cisco',
        '--codec-host',
        `http://127.0.0.1:${codec.port}`,
        '--check',
        '--lang',
        'en',
      ],
      {
        cwd: dir,
        env: { DIEMCAU_TOKEN: 't', CODEC_PASSWORD: 'sim-pw', PATH: process.env.PATH },
        stateDir: path.join(dir, 'state'),
      },
    );
    const text = await fs.readFile(path.join(dir, 'xa2.yaml'), 'utf8');
    expect(text).toContain('extends: ./defaults/tinh.yaml\n');
    expect(text).not.toContain('registry:');
    expect(r.stdout).toContain('READY');
    expect(r.stdout).not.toContain('NOT READY');
    expect(r.code).toBe(0);
  }, 30_000);
});

describe('profile init on a terminal', () => {
  it('asks each question (in Vietnamese) and writes what was answered', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-init-tty-'));
    const script: Array<[string, string]> = [
      ['Mã điểm cầu', 'th-xa-b\r'],
      ['Tên điểm cầu', 'UBND xã B\r'],
      ['Đường dẫn đơn vị', 'thanh-hoa/xa-b\r'],
      ['di chuyển', '\r'],
      ['Cán bộ kỹ thuật trực', 'Lê Văn C\r'],
      ['Số điện thoại', '0987 654 321\r'],
      ['Đầu mối liên hệ', '\r'],
      ['Thiết bị codec', '\u001b[B\u001b[B\r'],
      ['Địa chỉ phòng họp MCU', 'sip:8001@127.0.0.1\r'],
      ['Địa chỉ máy chủ tổng hợp', '\r'],
      ['(C/k)', 'k\r'],
    ];
    const { out, step, code } = await walk(dir, {}, script, 20_000);
    expect(step).toBe(script.length);
    expect(code).toBe(0);
    expect(out).toContain('Đã ghi diemcau.yaml.');
    const text = await fs.readFile(path.join(dir, 'diemcau.yaml'), 'utf8');
    expect(text).toContain('id: th-xa-b\n  name: UBND xã B\n  unit: thanh-hoa/xa-b\n  level: xa\n');
    expect(text).toContain('name: Lê Văn C\n    phone: 0987 654 321\n');
    expect(text).toContain('driver: none');
    expect(text).toContain('uri: sip:8001@127.0.0.1');
    await fs.rm(dir, { recursive: true, force: true });
  });
  it('against the simulators: host:port, scheme, registry, focal point, then the checklist runs READY', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-init-tty-sim-'));
    const codec = await startCodecSim('cisco', { host: '127.0.0.1', password: 'sim-pw' });
    const bridge = await startBridgeSim({ host: '127.0.0.1' });
    const script: Array<[string, string]> = [
      ['Mã điểm cầu', 'th-xa-e\r'],
      ['Tên điểm cầu', 'UBND xã E\r'],
      ['Đường dẫn đơn vị', 'thanh-hoa/xa-e\r'],
      ['di chuyển', '\r'],
      ['Cán bộ kỹ thuật trực', 'Lê Văn C\r'],
      ['Số điện thoại', '0987 654 321\r'],
      ['Đầu mối liên hệ', 'Trần Thị D\r'],
      ['Số điện thoại đầu mối', '0912 000 111\r'],
      ['Thiết bị codec', '\r'],
      ['Địa chỉ codec', `127.0.0.1:${codec.port}\r`],
      ['Cách kết nối', '\u001b[B\r'],
      ['Tài khoản codec', '\r'],
      ['Địa chỉ phòng họp MCU', `sip:8001@127.0.0.1:${bridge.port}\r`],
      ['Địa chỉ máy chủ tổng hợp', 'https://hnth.example.vn\r'],
      ['Tên biến môi trường', '\r'],
      ['(C/k)', '\r'],
    ];
    const { out, step, code } = await walk(
      dir,
      { CODEC_PASSWORD: 'sim-pw', DIEMCAU_TOKEN: 't' },
      script,
      40_000,
    );
    await codec.close();
    await bridge.close();
    expect(step).toBe(script.length);
    expect(out).not.toMatch(/navigate|select|\(Y\/n\)/);
    expect(out).toContain('SẴN SÀNG');
    expect(code).toBe(0);
    const text = await fs.readFile(path.join(dir, 'diemcau.yaml'), 'utf8');
    expect(text).toContain(`scheme: http\n  host: 127.0.0.1\n  port: ${codec.port}\n`);
    expect(text).toContain('token: ${DIEMCAU_TOKEN}');
    await fs.rm(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('profile validate: only regular files of a sane size (never a hang)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-bounded-'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
    await fs.writeFile(
      path.join(dir, 'to-fifo.yaml'),
      'extends: fifo.yaml\nsite: { id: a, name: A, unit: a }\n',
    );
    // 1 MiB + 1 of comments, then a valid profile: refused by size, not parsed.
    await fs.writeFile(
      path.join(dir, 'huge.yaml'),
      `${'#'.repeat(1024 * 1024)}\nsite: { id: a, name: A, unit: a }\n`,
    );
    await fs.writeFile(path.join(dir, 'to-huge.yaml'), 'extends: huge.yaml\n');
    // Exactly at the limit is still read.
    const body = 'site: { id: a, name: A, unit: a }\n';
    await fs.writeFile(
      path.join(dir, 'at-limit.yaml'),
      `${'#'.repeat(1024 * 1024 - body.length - 1)}\n${body}`,
    );
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, string]> = [
    ['fifo.yaml', 'fifo.yaml: fifo.yaml is not a regular file (a pipe or a device?), not a profile file'],
    [
      'to-fifo.yaml',
      'to-fifo.yaml:1:10: extends: fifo.yaml is not a regular file (a pipe or a device?), not a profile file',
    ],
    ['huge.yaml', 'huge.yaml: huge.yaml is larger than 1 MiB: not a profile file'],
    ['to-huge.yaml', 'to-huge.yaml:1:10: extends: huge.yaml is larger than 1 MiB: not a profile file'],
  ];
  for (const [file, message] of cases) {
    it(file, async () => {
      const r = await run(['profile', 'validate', file], { cwd: dir });
      expect(r.stderr).toBe(`diemcau: error: ${message}\n`);
      expect(r.code).toBe(3);
    });
  }

  it('reads a profile of exactly 1 MiB', async () => {
    const r = await run(['profile', 'validate', 'at-limit.yaml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
