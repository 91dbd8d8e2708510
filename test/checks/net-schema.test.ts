/**
 * The network kinds' params in a real profile: what the loader accepts, and
 * how it names what is wrong (file, line, path, allowed values).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileError } from '../../src/errors.js';
import { translator } from '../../src/i18n/index.js';
import { loadProfile } from '../../src/profile/load.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'diemcau-netschema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const head = `site: { id: th-bimson, name: Bỉm Sơn, unit: thanh-hoa/bim-son }\nchecks:\n`;

async function load(checks: string, locale: 'en' | 'vi' = 'en') {
  const file = path.join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, head + checks);
  return loadProfile(file, { t: translator(locale), env: {}, cwd: dir });
}

async function loadError(checks: string, locale: 'en' | 'vi' = 'en'): Promise<ProfileError> {
  try {
    await load(checks, locale);
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error('expected a ProfileError');
}

describe('network kinds in a profile', () => {
  it('the docs/design.md example checks load, params kept for the kinds', async () => {
    const { profile } = await load(
      [
        '  - id: mcu-ping',
        '    kind: ping',
        '    target: mcu.thanhhoa.gov.vn',
        '    count: 20',
        '    interval: 0.5s',
        '    family: ipv4',
        '    warn: { rtt_ms: 150, loss_pct: 1, jitter_ms: 30 }',
        '    fail: { rtt_ms: 400, loss_pct: 3, jitter_ms: 50 }',
        '  - { id: sip-port, kind: tcp, target: mcu.thanhhoa.gov.vn, port: 5060, warn: { connect_ms: 200 } }',
        '  - { id: mcu-dns, kind: dns, name: mcu.thanhhoa.gov.vn, server: "10.0.0.53:53", expect: [10.10.1.5] }',
        '  - { id: portal, kind: http, url: "https://hnth.thanhhoa.gov.vn/", expect_status: [200, 302], contains: Đăng nhập }',
        '  - { id: v6, kind: ping, target: "2001:db8::5" }',
        '',
      ].join('\n'),
    );
    expect(profile?.checks.map((c) => [c.id, c.kind])).toEqual([
      ['mcu-ping', 'ping'],
      ['sip-port', 'tcp'],
      ['mcu-dns', 'dns'],
      ['portal', 'http'],
      ['v6', 'ping'],
    ]);
    expect(profile?.checks[0]?.params).toMatchObject({ count: 20, interval: '0.5s', warn: { rtt_ms: 150 } });
  });

  it('a target starting with "-" is refused (it would read as a ping option)', async () => {
    const err = await loadError('  - { id: p, kind: ping, target: "-f" }\n');
    expect(err.path).toBe('checks[0].target');
    expect(err.line).toBe(3);
    expect(err.message).toBe('must be a host name or an IP address, not starting with "-" (got "-f")');
  });

  it('an unknown limit metric is named with the allowed ones', async () => {
    const err = await loadError('  - { id: p, kind: ping, target: a, warn: { rtt: 100 } }\n');
    expect(err.path).toBe('checks[0].warn.rtt');
    expect(err.message).toBe('unknown field; allowed here: rtt_ms, loss_pct, jitter_ms');
  });

  it('count out of range, port out of range, bad family, bad DNS server, bad method: in Vietnamese too', async () => {
    expect((await loadError('  - { id: p, kind: ping, target: a, count: 0 }\n')).path).toBe(
      'checks[0].count',
    );
    expect((await loadError('  - { id: t, kind: tcp, target: a, port: 70000 }\n')).path).toBe(
      'checks[0].port',
    );
    const fam = await loadError('  - { id: p, kind: ping, target: a, family: v6 }\n', 'vi');
    expect(fam.message).toBe('phải là một trong: auto, ipv4, ipv6 (đang là "v6")');
    const srv = await loadError('  - { id: d, kind: dns, name: a, server: dns.google }\n');
    expect(srv.path).toBe('checks[0].server');
    expect(srv.message).toMatch(/^must be the IP address of a DNS server/);
    expect((await loadError('  - { id: h, kind: http, url: "http://a/", method: POST }\n')).path).toBe(
      'checks[0].method',
    );
  });
});
