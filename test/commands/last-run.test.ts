/**
 * The last run is kept per site, a file each (checking another site keeps
 * this one's for `incident file`, and reads and writes nothing of it), the
 * earlier versions' single `last-run.json` is still read and moved into the
 * folder, and a run cancelled by Ctrl-C is neither kept nor uploaded.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRunOf } from '../../src/commands/check/last-run.js';
import { run } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

let dir: string;
let open: net.Server;
let silent: net.Server;
let openPort: number;
let silentPort: number;

const profile = (id: string, check: string) =>
  `site: { id: ${id}, name: "UBND xã ${id}", unit: thanh-hoa/${id} }\nlocale: en\nchecks:\n  - ${check}\n`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-last-run-'));
  open = net.createServer((s) => s.end());
  await new Promise<void>((r) => open.listen(0, '127.0.0.1', r));
  openPort = (open.address() as net.AddressInfo).port;
  // Accepts and never answers: an HTTP check against it runs until cancelled.
  silent = net.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as net.AddressInfo).port;
  await fs.writeFile(
    path.join(dir, 'a.yaml'),
    profile('xa-a', `{ id: sip-port, kind: tcp, target: 127.0.0.1, port: ${openPort} }`),
  );
  await fs.writeFile(
    path.join(dir, 'b.yaml'),
    profile('xa-b', `{ id: portal, kind: http, url: "http://127.0.0.1:${silentPort}/", timeout: 30s }`),
  );
});
afterAll(async () => {
  open.close();
  silent.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('last run per site', () => {
  it('a check of another site keeps this site’s run', async () => {
    const stateDir = path.join(dir, 'state-1');
    expect((await run(['check', 'a.yaml', '--format', 'json'], { cwd: dir, stateDir })).code).toBe(0);
    await fs.writeFile(
      path.join(dir, 'c.yaml'),
      profile('xa-c', `{ id: sip-port, kind: tcp, target: 127.0.0.1, port: ${openPort} }`),
    );
    expect((await run(['check', 'c.yaml', '--format', 'json'], { cwd: dir, stateDir })).code).toBe(0);
    const ctx = { ...testContext(), stateDir };
    expect((await lastRunOf(ctx, 'xa-a'))?.site.id).toBe('xa-a');
    expect((await lastRunOf(ctx, 'xa-c'))?.site.id).toBe('xa-c');
    const cBefore = await fs.readFile(path.join(stateDir, 'last-run', 'xa-c.json'), 'utf8');
    // Checking xa-a again replaces only xa-a's run.
    const again = await run(['check', 'a.yaml', '--format', 'json'], { cwd: dir, stateDir });
    expect((await fs.readdir(path.join(stateDir, 'last-run'))).sort()).toEqual(['xa-a.json', 'xa-c.json']);
    const a = JSON.parse(await fs.readFile(path.join(stateDir, 'last-run', 'xa-a.json'), 'utf8'));
    expect(a.startedAt).toBe(JSON.parse(again.stdout).sites[0].startedAt);
    expect(await fs.readFile(path.join(stateDir, 'last-run', 'xa-c.json'), 'utf8')).toBe(cBefore);
    expect((await lastRunOf(ctx, 'xa-a'))?.startedAt).toBe(a.startedAt);
    await expect(fs.stat(path.join(stateDir, 'last-run.json'))).rejects.toThrow();
  });

  it('two checks of two sites at once both keep their run', async () => {
    const stateDir = path.join(dir, 'state-3');
    const [a, c] = await Promise.all([
      run(['check', 'a.yaml', '--format', 'json'], { cwd: dir, stateDir }),
      run(['check', 'c.yaml', '--format', 'json'], { cwd: dir, stateDir }),
    ]);
    const ctx = { ...testContext(), stateDir };
    expect((await lastRunOf(ctx, 'xa-a'))?.startedAt).toBe(JSON.parse(a.stdout).sites[0].startedAt);
    expect((await lastRunOf(ctx, 'xa-c'))?.startedAt).toBe(JSON.parse(c.stdout).sites[0].startedAt);
  });

  for (const form of ['a site per line', 'one document'] as const) {
    it(`the earlier single file (${form}) is read, then moved into the folder by the next run`, async () => {
      const stateDir = path.join(dir, `state-old-${form.length}`);
      await fs.mkdir(stateDir, { recursive: true });
      // Three earlier runs: xa-a's and xa-c's, and xa-z's, a site this machine no longer checks.
      const runOf = async (file: string) =>
        JSON.parse(
          (await run(['check', file, '--format', 'json'], { cwd: dir, stateDir: path.join(dir, 'scratch') }))
            .stdout,
        ).sites[0];
      const oldA = await runOf('a.yaml');
      const oldC = await runOf('c.yaml');
      const oldZ = { ...oldA, site: { ...oldA.site, id: 'xa-z', name: 'UBND xã Z' } };
      const head = {
        schema: 'diemcau/run@2',
        tool: { name: 'diemcau', version: '0.0.9' },
        startedAt: oldA.startedAt,
      };
      const sites = [oldA, oldC, oldZ];
      const text =
        form === 'a site per line'
          ? `${JSON.stringify(head).slice(0, -1)},"sites":[\n${sites.map((s) => JSON.stringify(s)).join(',\n')}\n],"durationMs":5,"verdict":"ready"}\n`
          : JSON.stringify({ ...head, sites, durationMs: 5, verdict: 'ready' }, null, 2);
      await fs.writeFile(path.join(stateDir, 'last-run.json'), text);
      const ctx = { ...testContext(), stateDir };
      // Read where it is, before any run moved it.
      expect((await lastRunOf(ctx, 'xa-z'))?.site.name).toBe('UBND xã Z');
      expect((await lastRunOf(ctx, 'xa-a'))?.startedAt).toBe(oldA.startedAt);
      // Meanwhile a newer run of xa-c was written in the folder (another check, already this version).
      const newer = await run(['check', 'c.yaml', '--format', 'json'], {
        cwd: dir,
        stateDir: path.join(dir, `state-newer-${form.length}`),
      });
      const newC = JSON.parse(newer.stdout).sites[0];
      await fs.mkdir(path.join(stateDir, 'last-run'));
      await fs.writeFile(path.join(stateDir, 'last-run', 'xa-c.json'), JSON.stringify(newC));

      const fresh = await run(['check', 'a.yaml', '--format', 'json'], { cwd: dir, stateDir });
      expect(fresh.code).toBe(0);
      await expect(fs.stat(path.join(stateDir, 'last-run.json'))).rejects.toThrow();
      expect((await fs.readdir(path.join(stateDir, 'last-run'))).sort()).toEqual([
        'xa-a.json',
        'xa-c.json',
        'xa-z.json',
      ]);
      // This run's xa-a, the newer xa-c (not the old file's), and xa-z as it was.
      expect((await lastRunOf(ctx, 'xa-a'))?.startedAt).toBe(JSON.parse(fresh.stdout).sites[0].startedAt);
      expect((await lastRunOf(ctx, 'xa-c'))?.startedAt).toBe(newC.startedAt);
      expect(newC.startedAt).not.toBe(oldC.startedAt);
      expect(await lastRunOf(ctx, 'xa-z')).toEqual(oldZ);
    });
  }

  it('a run cancelled by Ctrl-C is neither kept nor uploaded', async () => {
    const stateDir = path.join(dir, 'state-2');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 400);
    const r = await run(['check', 'b.yaml', '--upload', '--registry', 'http://127.0.0.1:9/'], {
      cwd: dir,
      stateDir,
      signal: ac.signal,
      env: { DIEMCAU_TOKEN: 't' },
    });
    // runCli returns the verdict's code; main() turns it into 130 once the signal fired.
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('cancelled');
    // No run kept, and no temp file left behind.
    expect(await fs.readdir(path.join(stateDir, 'last-run')).catch(() => [])).toEqual([]);
    expect(await lastRunOf({ ...testContext(), stateDir }, 'xa-b')).toBeUndefined();
    const queued = await fs.readdir(path.join(stateDir, 'outbox')).catch(() => [] as string[]);
    expect(queued.filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
