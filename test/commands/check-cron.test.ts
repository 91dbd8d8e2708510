/**
 * What a nightly sweep from cron relies on: a clear exit 3 for a folder or
 * glob that names no profile and for two profiles with one site id, shell
 * character classes in globs, a progress total equal to the summary's count,
 * `--quiet`, and results that could not be delivered counted in every
 * format (and in the exit code). Checks run for real against 127.0.0.1.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check/check.js';
import { run } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

let dir: string;
let server: net.Server;
let openPort: number;
let deadPort: number;

const site = (id: string, extra = '') =>
  `site: { id: ${id}, name: "UBND xã ${id}", unit: thanh-hoa/${id} }\nlocale: en\n${extra}checks:\n  - { id: port, kind: tcp, target: 127.0.0.1, port: PORT }\n`;

async function write(name: string, text: string): Promise<void> {
  const file = path.join(dir, name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text.replace('PORT', String(openPort)));
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-cron-'));
  server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  openPort = (server.address() as net.AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  deadPort = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  for (const id of ['xa-001', 'xa-011', 'xa-021', 'xa-101']) await write(`p/${id}.yaml`, site(id));
  await write('p/defaults/tinh.yaml', 'check_defaults:\n  tcp: { timeout: 2s }\n');
  await write('dup/a.yaml', site('xa-dup'));
  await write('dup/b/c.yaml', site('xa-dup'));
  await fs.mkdir(path.join(dir, 'empty/sub'), { recursive: true });
  await write('empty/sub/notes.txt', 'not a profile');
  await write('queued.yaml', site('xa-q', `registry: { url: "http://127.0.0.1:${deadPort}" }\n`));
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const opts = { env: { LANG: 'en_US.UTF-8' } };

describe('sweeps that name nothing', () => {
  it('an empty folder is exit 3 with a clear message (was an internal error)', async () => {
    const r = await run(['check', 'empty'], { ...opts, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe('diemcau: error: no profile (.yaml) in folder empty');
    expect(r.stderr).not.toContain('internal error');
  });
  it('a glob that matches nothing is exit 3 naming the pattern', async () => {
    const r = await run(['check', 'p/xb-*.yaml'], { ...opts, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe('diemcau: error: no profile (.yaml) matches p/xb-*.yaml');
  });
});

describe('globs', () => {
  it('character classes select like the shell (`[01]`, `[!0]`)', async () => {
    const ids = async (pattern: string) => {
      const r = await run(['check', pattern, '--format', 'json'], { ...opts, cwd: dir });
      return JSON.parse(r.stdout).sites.map((s: { site: { id: string } }) => s.site.id);
    };
    expect(await ids('p/xa-0[01]*.yaml')).toEqual(['xa-001', 'xa-011']);
    expect(await ids('p/xa-[!0]*.yaml')).toEqual(['xa-101']);
    expect(await ids('p/xa-0[0-2]1.yaml')).toEqual(['xa-001', 'xa-011', 'xa-021']);
  });
});

describe('one site id in two profiles', () => {
  it('is exit 3 before any check runs, naming both files', async () => {
    const r = await run(['check', 'dup', '--format', 'prometheus'], { ...opts, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'diemcau: error: site id xa-dup is in two profiles of the sweep: dup/a.yaml and dup/b/c.yaml\n  hint: Each site needs its own id (site.id): change one of the two files.\n',
    );
  });
});

describe('progress', () => {
  it('counts the sites the summary counts (a defaults file is not a site)', async () => {
    const ctx = testContext({ cwd: dir });
    let total = -1;
    const { report } = await runCheck(ctx, { profiles: ['p'], lock: 'progress.lock' }, async (n) => {
      total = n;
      return { checkStarted() {}, checkDone() {}, siteDone() {}, stop() {} };
    });
    expect(report.sites).toHaveLength(4);
    expect(report.sites.map((s) => s.verdict)).toEqual(['ready', 'ready', 'ready', 'ready']);
    expect(total).toBe(4);
  });
});

describe('--upload when the registry is down', () => {
  it('counts queued results: exit 1 instead of 0, Nagios WARNING, a Prometheus gauge; --quiet prints one line', async () => {
    const state = path.join(dir, 'state-q');
    const env = { ...opts.env, DIEMCAU_TOKEN: 'pending' };
    const r = await run(
      ['check', 'queued.yaml', '--upload', '--quiet', '--format', 'nagios', '--format', 'prometheus=q.prom'],
      { cwd: dir, env, stateDir: state, tty: true },
    );
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^DIEMCAU WARNING - xa-q: READY; 1 result\(s\) not delivered to the registry, queued in the outbox \| .*queued=1;0$/,
    );
    expect(r.stderr).toBe('registry: 0 result(s) sent, 1 queued in the outbox\n');
    const prom = await fs.readFile(path.join(dir, 'q.prom'), 'utf8');
    expect(prom).toContain('diemcau_upload_queued{sweep="queued.yaml"} 1\n');
    // Without --quiet: the per-site line, and the count in the human summary.
    const loud = await run(['check', 'queued.yaml', '--upload'], {
      cwd: dir,
      env,
      stateDir: state,
      tty: true,
    });
    expect(loud.stderr).toContain('queued: xa-q: ready');
    expect(loud.stdout).toContain('registry: 0 result(s) sent, 1 queued in the outbox\n');
  });
});

describe('sweep lock', () => {
  it('a second run exits 3 at once while the lock is held, or waits with --lock-wait', async () => {
    const file = path.join(dir, 'held.lock');
    // Held by a live process (this one).
    await fs.writeFile(file, String(process.pid));
    const r = await run(['check', 'p', '--lock', 'held.lock', '--format', 'json'], { ...opts, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `diemcau: error: another sweep is still running (lock held.lock, process ${process.pid})\n  hint: Wait for it to finish, or give --lock-wait 30m; if no diemcau is running, delete the lock file.\n`,
    );
    setTimeout(() => void fs.rm(file), 300);
    const waited = await run(['check', 'p', '--lock', 'held.lock', '--lock-wait', '5s', '--format', 'json'], {
      ...opts,
      cwd: dir,
    });
    expect(waited.code).toBe(0);
    await expect(fs.stat(file)).rejects.toThrow();
  });
  it('a lock left by a process that is gone is taken over; the default lock is released', async () => {
    await fs.writeFile(path.join(dir, 'stale.lock'), '999999999');
    const r = await run(['check', 'p', '--lock', 'stale.lock', '--format', 'json'], { ...opts, cwd: dir });
    expect(r.code).toBe(0);
    const state = path.join(dir, 'state-lock');
    const swept = await run(['check', 'p', '--format', 'json'], { ...opts, cwd: dir, stateDir: state });
    expect(swept.code).toBe(0);
    expect(await fs.readdir(path.join(state, 'locks'))).toEqual([]);
  });
});

describe('--history-keep', () => {
  it('drops the lines of runs older than the limit, keeps the new one', async () => {
    const hist = path.join(dir, 'hist');
    await fs.mkdir(hist, { recursive: true });
    const old = JSON.stringify({
      schema: 'diemcau/history@1',
      site: { id: 'xa-001' },
      startedAt: '2020-01-01T00:00:00.000Z',
    });
    await fs.writeFile(path.join(hist, 'xa-001.jsonl'), `${old}\n`);
    const r = await run(
      ['check', 'p/xa-001.yaml', '--history', 'hist', '--history-keep', '90d', '--format', 'json'],
      {
        ...opts,
        cwd: dir,
      },
    );
    expect(r.code).toBe(0);
    const lines = (await fs.readFile(path.join(hist, 'xa-001.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string).startedAt).toBe(JSON.parse(r.stdout).sites[0].startedAt);
    const alone = await run(['check', 'p/xa-001.yaml', '--history-keep', '90d'], { ...opts, cwd: dir });
    expect(alone.code).toBe(3);
    expect(alone.stderr).toBe('diemcau: error: --history-keep needs --history DIR\n');
  });
});

describe('language under cron', () => {
  it('LANG=C.UTF-8 speaks Vietnamese (docs/operations.md); DIEMCAU_LANG=en or --lang en speaks English', async () => {
    const vi = await run(['check', 'p', '--format', 'nagios', '--lock', 'lang.lock'], {
      cwd: dir,
      env: { LANG: 'C.UTF-8' },
    });
    expect(vi.stdout.split('\n')[0]).toContain('4 điểm cầu: 4 sẵn sàng');
    const en = await run(['check', 'p', '--format', 'nagios', '--lock', 'lang.lock'], {
      cwd: dir,
      env: { LANG: 'C.UTF-8', DIEMCAU_LANG: 'en' },
    });
    expect(en.stdout.split('\n')[0]).toContain('4 site(s): 4 ready');
  });
});
