/** A registry listening on 127.0.0.1 in this process, temp state dirs and profiles, for CLI tests. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { type TestApp, testApp } from './fixtures.js';

export interface LiveRegistry extends TestApp {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startRegistry(port = 0): Promise<LiveRegistry> {
  const t = await testApp();
  t.now.ms = Date.now();
  await t.app.listen({ host: '127.0.0.1', port });
  const actual = (t.app.server.address() as net.AddressInfo).port;
  return { ...t, url: `http://127.0.0.1:${actual}`, port: actual, close: () => t.app.close() };
}

/** A loopback port nobody listens on (connections are refused at once). */
export function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const made: string[] = [];
// Temp dirs go after the importing test file, pass or fail (registered while the file is collected).
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `diemcau-${tag}-`));
  made.push(dir);
  return dir;
}

/** A site profile pointing at `url`, its token taken from ${DIEMCAU_TOKEN}. */
export function writeProfile(
  dir: string,
  url: string,
  over: { id?: string; unit?: string; locale?: string } = {},
): string {
  const file = path.join(dir, 'diemcau.yaml');
  fs.writeFileSync(
    file,
    [
      'site:',
      `  id: ${over.id ?? 'th-bimson-ubnd'}`,
      '  name: Hội trường UBND thị xã Bỉm Sơn',
      `  unit: ${over.unit ?? 'thanh-hoa/bim-son/ubnd'}`,
      '  technician: { name: Lại Văn A, phone: "0912 345 678" }',
      `locale: ${over.locale ?? 'en'}`,
      'registry:',
      `  url: ${url}`,
      '  token: ${DIEMCAU_TOKEN}',
      'checks:',
      '  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: 9 }',
      '',
    ].join('\n'),
  );
  return file;
}
