/**
 * End to end with the built CLI: `registry serve` in a child process on
 * 127.0.0.1 (SQLite, and PostgreSQL when it is installed), tokens from
 * `registry token create`, `check --upload` and `incident file` from the CLI,
 * then the same data read back through the API; SIGTERM stops it cleanly.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentList } from '../../src/model/incident.js';
import type { Readiness } from '../../src/model/report.js';
import type { RunList } from '../../src/model/run.js';
import { peopleTime } from '../../src/util/local-time.js';
import { havePeer } from '../helpers/peers.js';
import { type BuiltCli, buildCli, runBuilt, spawnBuilt } from './built.js';
import { deadPort, tempDir, writeProfile } from './live.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

let cli: BuiltCli;
beforeAll(() => {
  cli = buildCli();
}, 120_000);
afterAll(() => cli?.remove());

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function serve(
  dir: string,
  db: string,
): Promise<{ url: string; child: ChildProcess; stderr: () => string; exited: Promise<number | null> }> {
  const port = await deadPort();
  const child = spawnBuilt(cli, ['registry', 'serve', '--db', db, '--port', String(port)], {
    cwd: dir,
    env: {},
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200 && !stderr.includes('listening'); i++) {
    if (child.exitCode !== null) throw new Error(`registry exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child, stderr: () => stderr, exited };
}

async function token(dir: string, db: string, role: string, unit?: string): Promise<string> {
  const r = await runBuilt(
    cli,
    ['registry', 'token', 'create', '--role', role, '--db', db, ...(unit ? ['--unit', unit] : [])],
    { cwd: dir, env: {} },
  );
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

async function scenario(dir: string, db: string): Promise<void> {
  const tech = await token(dir, db, 'technician', 'thanh-hoa/bim-son');
  const viewer = await token(dir, db, 'viewer', 'thanh-hoa');
  const reg = await serve(dir, db);
  const get = async <T>(p: string): Promise<T> => {
    const res = await fetch(`${reg.url}${p}`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.status, p).toBe(200);
    return (await res.json()) as T;
  };
  const site = path.join(dir, 'site');
  fs.mkdirSync(site);
  writeProfile(site, reg.url);
  const env = { DIEMCAU_TOKEN: tech, DIEMCAU_STATE_DIR: path.join(site, 'state') };

  // A checklist whose one required check fails: exit 2, uploaded.
  const check = await runBuilt(cli, ['check', '--upload', '--format', 'json'], { cwd: site, env });
  expect(check.code, check.stderr).toBe(2);
  const runDoc = JSON.parse(check.stdout);
  expect(check.stderr).toContain(`sent: th-bimson-ubnd: not ready ${peopleTime(runDoc.sites[0].startedAt)}`);

  const filed = await runBuilt(
    cli,
    [
      'incident',
      'file',
      '--category',
      'su_co_duong_truyen',
      '--severity',
      'critical',
      '--summary',
      'Đứt cáp quang',
      '--effect',
      'postponed',
      '--attach-run',
    ],
    { cwd: site, env },
  );
  expect(filed.code, filed.stderr).toBe(0);
  const id = Number(/#(\d+)/.exec(filed.stdout)?.[1]);

  const runs = await get<RunList>('/v1/runs?site=th-bimson-ubnd');
  expect(runs.items).toHaveLength(1);
  expect(runs.items[0]).toMatchObject({
    verdict: 'not-ready',
    startedAt: runDoc.sites[0].startedAt,
    failing: ['sip-port'],
    checks: [{ id: 'sip-port', kind: 'tcp', status: runDoc.sites[0].checks[0].status }],
    tool: { name: 'diemcau' },
  });
  const ready = await get<Readiness>('/v1/reports/readiness');
  expect(ready.sites).toEqual([
    expect.objectContaining({
      id: 'th-bimson-ubnd',
      verdict: 'not-ready',
      stale: false,
      failing: ['sip-port'],
    }),
  ]);
  const inc = await get<Incident>(`/v1/incidents/${id}`);
  expect(inc).toMatchObject({
    category: 'su_co_duong_truyen',
    severity: 'critical',
    summary: 'Đứt cáp quang',
    effect: 'postponed',
    reporter: { name: 'Lại Văn A' },
    run: { verdict: 'not-ready', checks: [{ id: 'sip-port' }] },
  });
  const listed = await runBuilt(cli, ['incident', 'list', '--format', 'json'], { cwd: site, env });
  expect((JSON.parse(listed.stdout) as IncidentList).items.map((i) => i.id)).toEqual([id]);

  reg.child.kill('SIGTERM');
  expect(await reg.exited).toBe(0);
  expect(reg.stderr()).toMatch(
    /registry listening on .*\nstopping: finishing requests in flight…\nregistry stopped\n$/,
  );
}

describe('end to end: registry serve + CLI', () => {
  it('on SQLite', async () => {
    const dir = tempDir('e2e');
    await scenario(dir, path.join(dir, 'registry.db'));
  });

  describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('on PostgreSQL', () => {
    let pg: TestPostgres | undefined;
    beforeAll(async () => {
      pg = await startPostgres();
    });
    afterAll(() => pg?.stop());
    it('the same scenario', async () => {
      const dir = tempDir('e2e-pg');
      await scenario(dir, await freshDatabase((pg as TestPostgres).url, 'e2e'));
    });
  });
});
