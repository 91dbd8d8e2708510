/**
 * Two `registry serve` processes of the built CLI on one database
 * (docs/meetings.md): coordinators booking the same bridge through both at
 * once get exactly one 201 (PostgreSQL, and SQLite with two processes on one
 * file); on PostgreSQL the T−15 snapshot of a meeting is taken by exactly one
 * of the two schedulers, and one started while both were down is taken when
 * they come back.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/registry/auth.js';
import { openStore } from '../../src/registry/store/open.js';
import { havePeer } from '../helpers/peers.js';
import { type BuiltCli, buildCli, spawnBuilt } from './built.js';
import { newKey } from './fixtures.js';
import { tempDir } from './live.js';
import { at, HOUR } from './meetings-fixtures.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

interface Node {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

const ROOT = path.resolve(__dirname, '../..');
const agent = new Agent({ connections: 16 });

async function serve(cli: BuiltCli, dir: string, db: string): Promise<Node> {
  const child = spawnBuilt(
    cli,
    [
      'registry',
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--bridges',
      path.join(ROOT, 'profiles/defaults/thanh-hoa.yaml'),
      '--meeting-tick',
      '200ms',
      '--log-level',
      'info',
    ],
    { cwd: dir, env: {} },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  for (let i = 0; i < 400 && !/listening on (\S+)/.test(stderr); i++) {
    if (child.exitCode !== null) throw new Error(`registry exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = /listening on (\S+)/.exec(stderr);
  if (!m) throw new Error(`registry did not start: ${stderr}`);
  return { url: m[1] as string, child, stderr: () => stderr };
}

const stop = async (n: Node) => {
  if (n.child.exitCode !== null || n.child.signalCode !== null) return;
  const done = new Promise((r) => n.child.once('close', r));
  n.child.kill('SIGTERM');
  await done;
};

async function book(
  n: Node,
  token: string,
  body: unknown,
): Promise<{ status: number; body: { id?: number; error?: { code: string } } }> {
  const res = await request(`${n.url}/v1/meetings`, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': newKey('mt'),
    },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as { id?: number } };
}

const meeting = (title: string, startMs: number, kind: 'regular' | 'emergency' = 'regular') => ({
  title,
  hostUnit: 'thanh-hoa/ubnd',
  start: at(startMs),
  end: at(startMs + 2 * HOUR),
  kind,
  bridge: 'tinh',
  participants: { units: ['thanh-hoa'] },
});

/** Scheduler log lines of a node that took the snapshot of `id`. */
const tookSnapshot = (n: Node, id: number) =>
  n
    .stderr()
    .split('\n')
    .some(
      (l) =>
        l.includes('"msg":"meeting scheduler"') &&
        new RegExp(`"snapshots":\\[([0-9,]*,)?${id}[,\\]]`).test(l),
    );

async function setUp(db: string): Promise<{ token: string }> {
  const store = await openStore(db);
  const { token } = await createToken(store, {
    role: 'coordinator',
    unit: 'thanh-hoa',
    label: 'vp',
    nowMs: Date.now(),
  });
  await store.close();
  return { token };
}

let cli: BuiltCli | undefined;
beforeAll(() => {
  cli = buildCli();
}, 180_000);
afterAll(async () => {
  await agent.close();
  cli?.remove();
});

describe('two registry processes on one SQLite file', () => {
  it('bookings of one bridge through both at once: exactly one 201', async () => {
    const dir = tempDir('meet-sqlite2');
    const db = path.join(dir, 'registry.db');
    const { token } = await setUp(db);
    const [a, b] = await Promise.all([serve(cli as BuiltCli, dir, db), serve(cli as BuiltCli, dir, db)]);
    try {
      const startMs = Date.now() + 5 * 24 * HOUR;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => book(i % 2 ? b : a, token, meeting(`Họp ${i}`, startMs))),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  }, 60_000);
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))(
  'two registry processes on one PostgreSQL',
  () => {
    let server: TestPostgres | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    }, 60_000);
    afterAll(() => server?.stop());

    it('bookings through both at once: one 201; the T−15 snapshot taken once; one due while both were down taken on start', async () => {
      const db = await freshDatabase((server as TestPostgres).url, 'meet_nodes');
      const { token } = await setUp(db);
      const dir = tempDir('meet-pg2');
      let [a, b] = await Promise.all([serve(cli as BuiltCli, dir, db), serve(cli as BuiltCli, dir, db)]);
      try {
        const startMs = Date.now() + 5 * 24 * HOUR;
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) => book(i % 2 ? b : a, token, meeting(`Họp ${i}`, startMs))),
        );
        expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
        // An emergency meeting in 10 minutes: its T−15 has passed, both schedulers see it due.
        const soon = await book(a, token, meeting('Phòng chống bão', Date.now() + 10 * 60_000, 'emergency'));
        expect(soon.status).toBe(201);
        const id = soon.body.id as number;
        for (let i = 0; i < 100 && !tookSnapshot(a, id) && !tookSnapshot(b, id); i++)
          await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 1000));
        expect([tookSnapshot(a, id), tookSnapshot(b, id)].filter(Boolean)).toHaveLength(1);
        // Both down; a meeting booked meanwhile (straight into the database) is due when they return.
        await Promise.all([stop(a), stop(b)]);
        const store = await openStore(db);
        const r = await store.createMeeting(
          {
            record: {
              title: 'Họp khi hệ thống tắt',
              hostUnit: 'thanh-hoa/ubnd',
              kind: 'emergency',
              startMs: Date.now() + 5 * 60_000,
              endMs: Date.now() + HOUR,
              bridge: 'sip:9999@mcu.thanhhoa.gov.vn',
              bridgeKey: '9999@mcu.thanhhoa.gov.vn',
              roomKey: null,
              flags: ['emergency'],
              participants: { units: ['thanh-hoa'] },
            },
            allowClash: false,
            by: 'test',
            atMs: Date.now(),
          },
          { key: newKey('down'), fingerprint: 'fp' },
        );
        await store.close();
        const downId = r.kind === 'created' ? r.value.id : 0;
        [a, b] = await Promise.all([serve(cli as BuiltCli, dir, db), serve(cli as BuiltCli, dir, db)]);
        for (let i = 0; i < 100 && !tookSnapshot(a, downId) && !tookSnapshot(b, downId); i++)
          await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 1000));
        expect([tookSnapshot(a, downId), tookSnapshot(b, downId)].filter(Boolean)).toHaveLength(1);
      } finally {
        await Promise.all([stop(a), stop(b)]);
      }
    }, 120_000);
  },
);
