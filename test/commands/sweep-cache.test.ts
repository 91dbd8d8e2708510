/**
 * A sweep keeps its validated profiles in the state folder
 * (`cache/profiles-<hash>.jsonl`, src/profile/cache.ts): the next sweep over
 * the same, unedited profiles takes them from there, an edited profile is
 * read again, and a single-profile check never uses it.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';

let dir: string;
let server: net.Server;
let port: number;

const profile = (i: number) =>
  `site: { id: s-${i}, name: "Xã ${i}", unit: "tinh/s-${i}" }\nchecks:\n  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${port} }\n`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-sweep-cache-'));
  server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  await fs.mkdir(path.join(dir, 'profiles'));
  for (let i = 0; i < 3; i++) await fs.writeFile(path.join(dir, 'profiles', `s-${i}.yaml`), profile(i));
  // Files changed within the last 2 s are not cached (a later write could keep their times).
  await new Promise((r) => setTimeout(r, 2100));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

const sweep = async (state: string) => {
  const r = await run(['check', 'profiles', '--format', 'json', '--quiet'], { cwd: dir, stateDir: state });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { sites: Array<{ site: { id: string; name: string }; verdict: string }> };
};
const names = (doc: Awaited<ReturnType<typeof sweep>>) => doc.sites.map((s) => s.site.name);

describe('sweep profile cache', () => {
  it('takes unedited profiles from the state folder and reads edited ones again', async () => {
    const state = path.join(dir, 'state');
    const first = await sweep(state);
    expect(names(first)).toEqual(['Xã 0', 'Xã 1', 'Xã 2']);
    const [file, ...more] = await fs.readdir(path.join(state, 'cache'));
    expect(more).toEqual([]);
    expect(file).toMatch(/^profiles-[0-9a-f]{12}\.jsonl$/);
    const cacheFile = path.join(state, 'cache', file as string);
    expect((await fs.readFile(cacheFile, 'utf8')).trim().split('\n')).toHaveLength(4);

    // What the cache says is what the sweep uses while the files are unchanged.
    await fs.writeFile(cacheFile, (await fs.readFile(cacheFile, 'utf8')).replace('"Xã 1"', '"cached"'));
    const second = await sweep(state);
    expect(names(second)).toEqual(['Xã 0', 'cached', 'Xã 2']);
    expect(second.sites.map((s) => s.verdict)).toEqual(['ready', 'ready', 'ready']);

    // An edited profile (same size) is read again.
    await fs.writeFile(path.join(dir, 'profiles', 's-1.yaml'), profile(1).replace('Xã 1', 'Xa 1'));
    expect(names(await sweep(state))).toEqual(['Xã 0', 'Xa 1', 'Xã 2']);
  });

  it('is not used for a single profile', async () => {
    const state = path.join(dir, 'state-single');
    const r = await run(['check', 'profiles/s-0.yaml', '--format', 'json'], { cwd: dir, stateDir: state });
    expect(r.code).toBe(0);
    await expect(fs.readdir(path.join(state, 'cache'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
