/**
 * The last run is kept per site (checking another site keeps this one's for
 * `incident file`), and a run cancelled by Ctrl-C is neither kept nor uploaded.
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
    // Checking xa-a again replaces only xa-a's run.
    const again = await run(['check', 'a.yaml', '--format', 'json'], { cwd: dir, stateDir });
    const doc = JSON.parse(await fs.readFile(path.join(stateDir, 'last-run.json'), 'utf8'));
    expect(doc.sites.map((s: { site: { id: string } }) => s.site.id)).toEqual(['xa-c', 'xa-a']);
    expect(doc.sites[1].startedAt).toBe(JSON.parse(again.stdout).sites[0].startedAt);
  });

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
    await expect(fs.stat(path.join(stateDir, 'last-run.json'))).rejects.toThrow();
    const queued = await fs.readdir(path.join(stateDir, 'outbox')).catch(() => [] as string[]);
    expect(queued.filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
