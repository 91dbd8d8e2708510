/**
 * `check --meeting ID` asks a real registry (SQLite) that the meeting exists:
 * no such meeting is one line, exit 3, nothing checked; an unreachable
 * registry is a warning and the run goes on; without a registry, or with a
 * tag that is not a meeting number, nothing is asked.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '../../src/model/meeting.js';
import { run } from '../helpers/cli.js';
import { post } from '../registry/fixtures.js';
import { tempDir } from '../registry/live.js';
import { DAY, HOUR, type MeetingApp, meetingApp, meetingBody } from '../registry/meetings-fixtures.js';

let t: MeetingApp;
let url: string;
let dir: string;
let id: number;
let closedPort: number;

beforeAll(async () => {
  t = await meetingApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
  const r = await t.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: post(t.tokens.coord),
    payload: meetingBody(),
  });
  expect(r.statusCode, r.body).toBe(201);
  id = (r.json() as Meeting).id;
  // A port nothing listens on: the registry is "offline".
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  closedPort = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  dir = tempDir('check-meeting');
  fs.writeFileSync(
    path.join(dir, 'site.yaml'),
    [
      'site: { id: th-xa-a, name: UBND xã A, unit: thanh-hoa/xa-a }',
      'locale: en',
      'checks:',
      '  - { id: maket, kind: confirm, question: "Maket đã đúng tên cuộc họp?" }',
      '',
    ].join('\n'),
  );
});
afterAll(() => t.app.close());

const bimSon = () => {
  fs.writeFileSync(
    path.join(dir, 'bimson.yaml'),
    [
      'site: { id: th-bimson-ubnd, name: UBND Bỉm Sơn, unit: thanh-hoa/bim-son/ubnd }',
      'locale: en',
      'checks:',
      '  - { id: maket, kind: confirm, question: "Maket đã đúng tên cuộc họp?" }',
      '',
    ].join('\n'),
  );
};

const check = (meeting: string, env: Record<string, string>) =>
  run(['check', 'site.yaml', '--meeting', meeting, '--format', 'json'], {
    cwd: dir,
    stateDir: path.join(dir, 'state'),
    env: { DIEMCAU_TOKEN: t.tokens.admin, ...env },
  });

describe('check --meeting ID against the registry', () => {
  it('a meeting the registry has: the run goes on, tagged, without a word on stderr', async () => {
    const r = await check(String(id), { DIEMCAU_REGISTRY: url });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).sites[0].meeting).toBe(String(id));
  });

  it('no such meeting: one line, exit 3, nothing checked', async () => {
    const r = await check('999', { DIEMCAU_REGISTRY: url });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no meeting no. 999 in the registry ${url}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a registry that cannot be reached: a warning, and the check runs', async () => {
    const t0 = Date.now();
    const r = await check('999', { DIEMCAU_REGISTRY: `http://127.0.0.1:${closedPort}` });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: could not ask the registry about meeting no\. 999 \(.+\); checking anyway\n$/,
    );
    expect(JSON.parse(r.stdout).sites[0].meeting).toBe('999');
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('no registry configured, or a tag that is not a meeting number: nothing asked', async () => {
    const none = await check('999', {});
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('');
    const word = await check('hdnd-12', { DIEMCAU_REGISTRY: url });
    expect(word.code).toBe(0);
    expect(word.stderr).toBe('');
  });
});

describe('check on a terminal shows the next meeting', () => {
  const tty = (env: Record<string, string>, tty = true) =>
    run(['check', 'bimson.yaml', '--no-input'], {
      cwd: dir,
      tty,
      stateDir: path.join(dir, 'state'),
      env: { DIEMCAU_TOKEN: t.tokens.admin, DIEMCAU_TZ: 'Asia/Ho_Chi_Minh', NO_COLOR: '1', ...env },
    });

  it('one line with the local time and the time left until T−60; none when piped', async () => {
    bimSon();
    t.now.ms = Date.now();
    const start = new Date(Date.now() + 4 * DAY);
    start.setUTCMinutes(30, 0, 0);
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: post(t.tokens.coord),
      payload: meetingBody({
        title: 'Giao ban',
        bridge: 'tinh-2',
        start: start.toISOString(),
        end: new Date(start.getTime() + HOUR).toISOString(),
      }),
    });
    expect(r.statusCode, r.body).toBe(201);
    const m = r.json() as Meeting;
    const shown = await tty({ DIEMCAU_REGISTRY: url });
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(
      new RegExp(
        `(?:^|\\u001b\\[\\?25h)Next meeting: no\\. ${m.id} Giao ban, \\d\\d:30 \\d\\d/\\d\\d/\\d{4}; T−60 in 3 d 2\\d h\\n$`,
        'm',
      ),
    );
    const piped = await tty({ DIEMCAU_REGISTRY: url }, false);
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toContain('Next meeting');
  });

  it('a registry that never answers does not hold the check up, and is not mentioned', async () => {
    bimSon();
    const sockets: net.Socket[] = [];
    const mute = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    try {
      const t0 = Date.now();
      const r = await tty({
        DIEMCAU_REGISTRY: `http://127.0.0.1:${(mute.address() as net.AddressInfo).port}`,
      });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('Next meeting');
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });
});
