/**
 * The sweep's cache of validated profiles (src/profile/cache.ts): a profile
 * whose files are unchanged loads from the cache exactly as from its YAML;
 * any change to the site file or a parent, a file changed too recently, a
 * cache of another version or a damaged cache file means reading the YAML.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileError } from '../../src/errors.js';
import { translator } from '../../src/i18n/index.js';
import { openProfileCache } from '../../src/profile/cache.js';
import { type LoadOptions, loadProfile } from '../../src/profile/load.js';

const t = translator('en');
let dir: string;
let state: string;

const PARENT = `check_defaults:\n  tcp: { timeout: 3s }\nbridges:\n  - { id: b, uri: "sip:1@127.0.0.1:5060" }\n`;
const SITE = `extends: parent.yaml
site: { id: xa-001, name: "UBND xã 1", unit: "tinh/xa-001" }
codec: { driver: cisco, host: 127.0.0.1, username: admin, password: "\${CODEC_PASSWORD}" }
checks:
  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: 5060 }
  - { id: portal, kind: http, url: "http://127.0.0.1:8080/", needs: [sip-port] }
`;

const opts = (cache?: LoadOptions['cache'], env: Record<string, string> = { CODEC_PASSWORD: 'pw' }) => ({
  t,
  env,
  cwd: dir,
  cache,
});
const open = (racyMs = 0, version = '1.0.0') => openProfileCache(state, 'k', version, { racyMs });
const cacheFile = () => path.join(state, 'cache', 'profiles-k.jsonl');

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-pcache-'));
  state = path.join(dir, 'state');
  await fs.writeFile(path.join(dir, 'parent.yaml'), PARENT);
  await fs.writeFile(path.join(dir, 'site.yaml'), SITE);
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Load once through a fresh cache and save it: the next open finds the entry. */
async function fill(env?: Record<string, string>) {
  const cache = await open();
  const r = await loadProfile('site.yaml', opts(cache, env));
  await cache.save();
  return r;
}

/** Rewrite the cached document of the site file, to tell a load from the cache from one from the YAML. */
async function markCached(name: string) {
  const text = await fs.readFile(cacheFile(), 'utf8');
  await fs.writeFile(cacheFile(), text.replace('"name":"UBND xã 1"', `"name":"${name}"`));
}

describe('profile cache', () => {
  it('gives the same profile as the YAML, ${ENV} resolved with this run’s environment', async () => {
    const plain = await loadProfile('site.yaml', opts());
    const first = await fill();
    expect(first).toEqual(plain);
    const cache = await open();
    const again = await loadProfile('site.yaml', opts(cache, { CODEC_PASSWORD: 'other' }));
    const plainOther = await loadProfile('site.yaml', opts(undefined, { CODEC_PASSWORD: 'other' }));
    expect(again).toEqual(plainOther);
    expect(again.profile?.codec?.password).toBe('other');
    expect(again.profile?.files).toEqual(['site.yaml', 'parent.yaml']);
    expect(again.profile?.checks[0]?.timeoutMs).toBe(3000);
    expect(again.profile?.secretPaths).toEqual(['codec.password']);
  });

  it('is used while the files are unchanged', async () => {
    await fill();
    await markCached('from the cache');
    const r = await loadProfile('site.yaml', opts(await open()));
    expect(r.profile?.site.name).toBe('from the cache');
  });

  it('reads the YAML again when the site file or a parent changed, even to the same size', async () => {
    await fill();
    await markCached('from the cache');
    await fs.writeFile(path.join(dir, 'site.yaml'), SITE.replace('UBND xã 1', 'UBND xã 2'));
    expect((await loadProfile('site.yaml', opts(await open()))).profile?.site.name).toBe('UBND xã 2');

    await fs.writeFile(path.join(dir, 'site.yaml'), SITE);
    await fill();
    await markCached('from the cache');
    await fs.writeFile(path.join(dir, 'parent.yaml'), PARENT.replace('3s', '4s'));
    const r = await loadProfile('site.yaml', opts(await open()));
    expect(r.profile?.site.name).toBe('UBND xã 1');
    expect(r.profile?.checks[0]?.timeoutMs).toBe(4000);
  });

  it('does not keep a file changed just before it was read', async () => {
    const cache = await open(60_000);
    await loadProfile('site.yaml', opts(cache));
    await cache.save();
    expect((await fs.readFile(cacheFile(), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('keeps only the profiles of the last run, and rewrites nothing when nothing changed', async () => {
    await fs.writeFile(path.join(dir, 'other.yaml'), SITE.replace(/xa-001/g, 'xa-002'));
    let cache = await open();
    await loadProfile('site.yaml', opts(cache));
    await loadProfile('other.yaml', opts(cache));
    await cache.save();
    expect((await fs.readFile(cacheFile(), 'utf8')).trim().split('\n')).toHaveLength(3);
    const before = await fs.stat(cacheFile());
    cache = await open();
    await loadProfile('site.yaml', opts(cache));
    await loadProfile('other.yaml', opts(cache));
    await cache.save();
    expect((await fs.stat(cacheFile())).ino).toBe(before.ino);
    cache = await open();
    await loadProfile('other.yaml', opts(cache));
    await cache.save();
    const lines = (await fs.readFile(cacheFile(), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('other.yaml');
  });

  it('ignores a cache of another version or a damaged one', async () => {
    await fill();
    await markCached('from the cache');
    const other = await loadProfile('site.yaml', opts(await open(0, '2.0.0')));
    expect(other.profile?.site.name).toBe('UBND xã 1');
    const text = await fs.readFile(cacheFile(), 'utf8');
    await fs.writeFile(cacheFile(), text.slice(0, text.length - 40));
    expect((await loadProfile('site.yaml', opts(await open()))).profile?.site.name).toBe('UBND xã 1');
    await fs.writeFile(cacheFile(), '\u0000garbage');
    expect((await loadProfile('site.yaml', opts(await open()))).profile?.site.name).toBe('UBND xã 1');
  });

  it('says where an unset ${ENV} is, as without the cache', async () => {
    await fill();
    const error = async (cache?: LoadOptions['cache']) => {
      try {
        await loadProfile('site.yaml', opts(cache, {}));
      } catch (err) {
        return err;
      }
      throw new Error('loaded');
    };
    const plain = await error();
    const cached = await error(await open());
    expect(plain).toBeInstanceOf(ProfileError);
    expect(cached).toEqual(plain);
    expect(cached).toMatchObject({ file: 'site.yaml', line: 3 });
  });
});
