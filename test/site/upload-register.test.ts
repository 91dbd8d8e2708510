/**
 * `check --upload` keeps the register current (docs/sites.md, check --upload),
 * in-process against a real registry on 127.0.0.1 (SQLite): the profile's
 * address, hours and contacts replace the register's, what only the register
 * has (the codec model and bridge the IT centre imported) is kept, and the
 * requests the registry receives never hold the codec's host, user or password.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../src/model/site.js';
import { run } from '../helpers/cli.js';
import { bearer, type TestApp, testApp } from '../registry/fixtures.js';
import { tempDir } from '../registry/live.js';

let reg: TestApp;
let url: string;
let tcp: net.Server;
let port: number;
const bodies: string[] = [];

beforeAll(async () => {
  reg = await testApp();
  reg.now.ms = Date.now(); // the check runs on the real clock
  // Every request body the registry receives, as sent.
  reg.app.addHook('preParsing', async (req, _reply, payload) => {
    const chunks: Buffer[] = [];
    for await (const c of payload) chunks.push(Buffer.from(c as Buffer));
    const raw = Buffer.concat(chunks);
    bodies.push(`${req.method} ${req.url} ${raw.toString('utf8')}`);
    const { Readable } = await import('node:stream');
    return Readable.from([raw]);
  });
  url = await reg.app.listen({ host: '127.0.0.1', port: 0 });
  tcp = net.createServer((s) => s.end());
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  port = (tcp.address() as net.AddressInfo).port;
});
afterAll(async () => {
  tcp.close();
  await reg.app.close();
});

describe('check --upload and the register', () => {
  it("refreshes the profile's fields, keeps the register's own, sends no secret", async () => {
    const dir = tempDir('upload-register');
    await reg.store.putSites(
      [
        {
          id: 'th-xa-u',
          name: 'UBND xã U',
          unit: 'thanh-hoa/xa-u',
          address: 'Địa chỉ cũ',
          technician: { name: 'Người cũ', phone: '0987 654 321' },
          codec: { driver: 'cisco', model: 'SX20' },
          bridge: 'sip:8001@mcu.thanhhoa.gov.vn',
          meeting_hours: '07:30-11:30',
        },
      ],
      reg.now.ms - 60_000,
      { mayLeave: () => true, by: 'admin' },
      false,
    );
    fs.writeFileSync(
      path.join(dir, 'diemcau.yaml'),
      [
        'site:',
        '  id: th-xa-u',
        '  name: UBND xã U',
        '  unit: thanh-hoa/xa-u',
        '  address: Thôn 3, xã U',
        '  meeting_hours: "08:00-11:00, 14:00-17:00"',
        '  technician: { name: Lê Văn Tâm, phone: "0912 345 678", email: tam@thanhhoa.gov.vn, zalo: "0912345679" }',
        'codec: { driver: cisco, host: codec-host.invalid, username: codec-user, password: "${CODEC_PASSWORD}" }',
        `registry: { url: "${url}" }`,
        'checks:',
        `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${port} }`,
        '',
      ].join('\n'),
    );
    const r = await run(['check', '--upload', '--format', 'json'], {
      cwd: dir,
      env: { DIEMCAU_TOKEN: reg.tokens.admin, CODEC_PASSWORD: 'hunter2-codec' },
      stateDir: path.join(dir, 'state'),
    });
    expect(r.stderr).not.toMatch(/rejected|refused|từ chối/i);
    expect(r.code).toBe(0);
    const site = (
      await reg.app.inject({ method: 'GET', url: '/v1/sites/th-xa-u', headers: bearer(reg.tokens.admin) })
    ).json() as Site;
    expect(site).toMatchObject({
      address: 'Thôn 3, xã U',
      meeting_hours: '08:00-11:00, 14:00-17:00',
      technician: {
        name: 'Lê Văn Tâm',
        phone: '0912 345 678',
        email: 'tam@thanhhoa.gov.vn',
        zalo: '0912345679',
      },
      // Only in the register: kept.
      codec: { driver: 'cisco', model: 'SX20' },
      bridge: 'sip:8001@mcu.thanhhoa.gov.vn',
    });
    expect(site.retired).toBeUndefined();
    const sent = bodies.filter((b) => b.startsWith('POST /v1/runs'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('Thôn 3, xã U');
    for (const secret of ['hunter2-codec', 'codec-host.invalid', 'codec-user'])
      for (const b of bodies) expect(b).not.toContain(secret);
    expect(JSON.stringify(site)).not.toContain('hunter2');
  });
});
