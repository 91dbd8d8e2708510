/** `diemcau join`: the meeting link is checked over HTTP, then opened — or printed where no browser can open. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canOpenBrowser } from '../../src/commands/codec/join.js';
import { run } from '../helpers/cli.js';
import { siteProfile } from './codec-site.js';

let server: http.Server;
let base: string;
let hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.statusCode = req.url === '/closed' ? 404 : 200;
    res.end('<html>meeting</html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const profile = () =>
  siteProfile({
    driver: 'none',
    bridges: `  - { id: tinh, uri: "sip:8001@mcu.example.gov.vn" }
  - { id: web, name: Phòng họp trực tuyến, uri: "sip:9@mcu", web_url: "${base}/meet/123" }
  - { id: old, uri: "sip:1@mcu", web_url: "${base}/closed" }`,
  });

describe('diemcau join', () => {
  it('checks the first bridge with a web_url and prints it when there is no display', async () => {
    const { file, env } = await profile();
    hits = [];
    const r = await run(['join', '-p', file], { env });
    expect(r).toEqual({
      code: 0,
      stdout: `${base}/meet/123\n`,
      stderr:
        'No browser can be opened here: open the link above on this site’s PC (Phòng họp trực tuyến).\n',
    });
    expect(hits).toEqual(['/meet/123']);
  });

  it('--print only prints the link', async () => {
    const { file, env } = await profile();
    expect(await run(['join', 'web', '--print', '-p', file], { env: { ...env, DISPLAY: ':0' } })).toEqual({
      code: 0,
      stdout: `${base}/meet/123\n`,
      stderr: '',
    });
  });

  it('exits 2 when the link answers with an error', async () => {
    const { file, env } = await profile();
    const r = await run(['join', 'old', '-p', file], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^diemcau: error: the meeting link ${base}/closed answered HTTP 404\\n  hint: `),
    );
  });

  it('exits 2 when the link does not answer', async () => {
    const { file, env } = await siteProfile({
      driver: 'none',
      bridges: '  - { id: web, uri: "sip:9@mcu", web_url: "http://127.0.0.1:9/meet" }',
    });
    const r = await run(['join', '-p', file], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^diemcau: error: the meeting link http:\/\/127\.0\.0\.1:9\/meet does not answer \(ECONNREFUSED\)\n/,
    );
  });

  it('exits 3 for a bridge without a web_url', async () => {
    const { file, env } = await profile();
    const r = await run(['join', 'tinh', '-p', file], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'diemcau: error: bridge tinh has no web_url (meeting link)\n  hint: Add `web_url: https://...` (the WebRTC meeting link from the MCU operator) to the bridge in the profile.\n',
    );
  });

  it('knows where a browser can be opened', () => {
    expect(canOpenBrowser({}, 'linux')).toBe(false);
    expect(canOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({}, 'darwin')).toBe(true);
  });
});
