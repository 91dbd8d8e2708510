import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueKeys } from '../../src/i18n/index.js';
import { run } from '../helpers/cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('program', () => {
  it('--version prints the version and exits 0', async () => {
    const r = await run(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists the commands, in Vietnamese by default', async () => {
    const r = await run(['--help'], { env: { LANG: 'vi_VN.UTF-8' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Cách dùng: diemcau [tuỳ chọn] [lệnh]');
    expect(r.stdout).toContain('Lệnh:');
    expect(r.stdout).toMatch(/check \[tuỳ chọn\] \[profiles\.\.\.\]\s+chạy danh mục kiểm tra trước giờ họp/);
    expect(r.stdout).toContain('--lang <lang>');
  });

  it('--help in English with --lang en', async () => {
    const r = await run(['--lang', 'en', 'check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: diemcau check [options] [profiles...]');
    expect(r.stdout).toContain('--only <ids>');
    expect(r.stdout).toContain('run only these checks (ids or kinds, comma-separated)');
  });

  it('an unknown language is exit 3', async () => {
    const r = await run(['--lang', 'fr', 'check']);
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'diemcau: error: unknown language fr; use vi or en\n' });
  });

  it('shows a stack trace only with --debug', async () => {
    const plain = await run(['check', 'nope.yaml']);
    expect(plain.stderr).toBe('diemcau: error: nope.yaml: file not found: nope.yaml\n');
    const debug = await run(['--debug', 'check', 'nope.yaml']);
    expect(debug.code).toBe(3);
    expect(debug.stderr.split('\n')[0]).toBe('diemcau: error: nope.yaml: file not found: nope.yaml');
    expect(debug.stderr).toMatch(/\n {4}at .+load\.ts:\d+/);
  });

  it('an unknown command is exit 3', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('diemcau: error: unknown command frobnicate; see diemcau --help\n');
  });

  it('a mistyped command or flag gets a suggestion, in the reader language', async () => {
    const cmd = await run(['chek'], { env: { DIEMCAU_LANG: 'vi' } });
    expect(cmd.code).toBe(3);
    expect(cmd.stderr).toBe('diemcau: lỗi: không có lệnh chek (có phải check không?); xem diemcau --help\n');
    const flag = await run(['--lang', 'en', 'check', '--onyl', 'ping']);
    expect(flag.code).toBe(3);
    expect(flag.stderr).toBe(
      'diemcau: error: unknown option --onyl (did you mean --only?); see diemcau check --help\n',
    );
    const global = await run(['--lang', 'en', 'check', '--no-colour']);
    expect(global.stderr).toContain('(did you mean --no-color?)');
  });

  it('an unknown subcommand is exit 3 with the list of subcommands, not the parent help', async () => {
    const r = await run(['incident', 'show'], { env: { DIEMCAU_LANG: 'vi' } });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^diemcau: lỗi: diemcau incident không có lệnh show; các lệnh có: file, list, .+ \(xem diemcau incident --help\)\n$/,
    );
    const typo = await run(['--lang', 'en', 'report', 'readines']);
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain(
      'diemcau report has no command readines (did you mean readiness?); its commands:',
    );
  });

  it('a value outside a flag choices is said in the reader language, with a suggestion', async () => {
    const r = await run(['report', 'incidents', '--category', 'mat_ket_nio'], {
      env: { DIEMCAU_LANG: 'vi' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('không có định dạng mat_ket_nio; được dùng: ');
    expect(r.stderr).toContain('(có phải mat_ket_noi không?)');
    expect(r.stderr).not.toContain('Allowed choices');
  });

  it('the Vietnamese and English catalogues have the same keys', () => {
    expect(catalogueKeys('vi').sort()).toEqual(catalogueKeys('en').sort());
  });
});

describe('the built binary', () => {
  const bin = path.join(root, 'bin/diemcau.js');
  // `npm test` builds first; run alone, these say so instead of skipping.
  const built = () =>
    expect(fs.existsSync(path.join(root, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);

  it('`diemcau --help` loads no package from node_modules (commander is in the bundle)', () => {
    built();
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-trace-')), 'imports.txt');
    fs.writeFileSync(log, '');
    const r = spawnSync(
      process.execPath,
      ['--import', path.join(root, 'test/helpers/trace-imports.mjs'), bin, '--help'],
      {
        env: { ...process.env, DIEMCAU_TRACE_IMPORTS: log },
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    const loaded = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const packages = new Set(
      loaded.map((u) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter(Boolean),
    );
    expect([...packages]).toEqual([]);
    expect(loaded.some((u) => u.includes('/dist/bundle/main.js'))).toBe(true);
  });

  // yaml is bundled as CommonJS: a dynamic import() of it had no `parse` in the bundle.
  it('reads YAML wherever a command does: `registry serve --bridges`, `sim codec --scenario-file`', async () => {
    built();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bundle-yaml-'));
    try {
      const serve = spawn(
        process.execPath,
        [
          bin,
          'registry',
          'serve',
          '--db',
          path.join(dir, 'r.db'),
          '--port',
          '0',
          '--bridges',
          path.join(root, 'profiles/defaults/thanh-hoa.yaml'),
        ],
        { env: { ...process.env, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      serve.stderr?.on('data', (d) => {
        err += d;
      });
      const exited = new Promise((r) => serve.on('close', r));
      for (let i = 0; i < 200 && !err.includes('listening') && serve.exitCode === null; i++)
        await new Promise((r) => setTimeout(r, 50));
      serve.kill('SIGTERM');
      await exited;
      expect(err).toContain('listening');
      expect(err).not.toContain('error');
      fs.writeFileSync(path.join(dir, 'bad.yaml'), 'scenarios: [unclosed\n');
      const sim = spawnSync(
        process.execPath,
        [bin, 'sim', 'codec', '--port', '0', '--scenario-file', path.join(dir, 'bad.yaml')],
        { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8' }, timeout: 20_000 },
      );
      expect(sim.status).toBe(3);
      expect(sim.stderr).toMatch(/^diemcau: error: cannot read \S+bad\.yaml as YAML or JSON: /);
      expect(sim.stderr).not.toContain('is not a function');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits with the code and flushes stdout when piped', () => {
    built();
    const r = spawnSync(process.execPath, [bin, 'profile', 'validate', 'nope.yaml'], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8' },
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('diemcau: error: nope.yaml: file not found: nope.yaml\n');
  });
});
