/**
 * SIGKILL in the middle of filing and of syncing: afterwards `sync` leaves
 * every report on the registry exactly once. The CLI runs as a real child
 * process (built to a temp dir); the registry runs here so the test can hold
 * an answer back at the worst moment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/registry/auth.js';
import { buildApp } from '../../src/registry/server.js';
import { openSqlite, type SqliteStore } from '../../src/registry/store/sqlite.js';
import { run } from '../helpers/cli.js';
import { type BuiltCli, buildCli, runBuilt, spawnBuilt } from './built.js';
import { deadPort, tempDir, writeProfile } from './live.js';

let cli: BuiltCli;
beforeAll(() => {
  cli = buildCli();
}, 120_000);
afterAll(() => cli?.remove());
// Children still running when a test fails are killed, never left behind.
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
const track = <C extends ChildProcess>(c: C): C => {
  children.push(c);
  return c;
};

interface Held {
  app: FastifyInstance;
  store: SqliteStore;
  url: string;
  token: string;
  /** Resolves when the registry has committed the n-th incident and is holding its answer. */
  holding: Promise<void>;
  release(): void;
  incidents(): Array<{ summary: string }>;
}

/** A registry that commits the n-th incident (or request to `route`), then holds the answer until released. */
async function heldRegistry(holdAt: number, port = 0, route = '/v1/incidents'): Promise<Held> {
  const store = await openSqlite(':memory:');
  const { token } = await createToken(store, {
    role: 'technician',
    unit: 'thanh-hoa',
    label: 'ktv',
    nowMs: Date.now(),
  });
  const app = await buildApp({ store, version: 'test', logLevel: 'silent' });
  let count = 0;
  let onHold: () => void = () => {};
  const holding = new Promise<void>((resolve) => {
    onHold = resolve;
  });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method === 'POST' && req.url === route && reply.statusCode < 300 && ++count === holdAt) {
      onHold();
      await gate;
    }
    return payload;
  });
  await app.listen({ host: '127.0.0.1', port });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const incidents = () =>
    (store.handle.prepare('SELECT body FROM incidents ORDER BY id').all() as Array<{ body: string }>).map(
      (r) => JSON.parse(r.body),
    );
  return { app, store, url, token, holding, release, incidents };
}

const queuedFiles = (state: string) =>
  fs.existsSync(path.join(state, 'outbox'))
    ? fs.readdirSync(path.join(state, 'outbox')).filter((f) => f.endsWith('.json'))
    : [];

describe('outbox under SIGKILL', () => {
  it('killed after the registry committed but before the answer arrived: sync stores it once', async () => {
    const reg = await heldRegistry(1);
    try {
      const dir = tempDir('kill-a');
      const state = path.join(dir, 'state');
      writeProfile(dir, reg.url);
      const env = { DIEMCAU_TOKEN: reg.token, DIEMCAU_STATE_DIR: state };
      const child = track(
        spawnBuilt(
          cli,
          [
            'incident',
            'file',
            '--category',
            'mat_ket_noi',
            '--severity',
            'critical',
            '--summary',
            'giữa chừng',
          ],
          {
            cwd: dir,
            env,
          },
        ),
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('close', (_c, sig) => resolve(sig)),
      );
      await reg.holding;
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      reg.release();
      expect(reg.incidents().map((i) => i.summary)).toEqual(['giữa chừng']);
      expect(queuedFiles(state)).toHaveLength(1);

      const sync = await run(['sync'], { cwd: dir, env: { DIEMCAU_TOKEN: reg.token }, stateDir: state });
      expect(sync.stdout).toBe(
        'sent (the registry already had it): th-bimson-ubnd: Connection lost: giữa chừng\n1 sent, 0 still queued, 0 refused\n',
      );
      expect(reg.incidents().map((i) => i.summary)).toEqual(['giữa chừng']);
      expect(queuedFiles(state)).toEqual([]);
    } finally {
      reg.release();
      await reg.app.close();
    }
  });

  it('killed in the middle of a sync: the next sync sends the rest, none twice', async () => {
    const reg = await heldRegistry(10);
    try {
      const dir = tempDir('kill-c');
      const state = path.join(dir, 'state');
      writeProfile(dir, reg.url);
      const { Outbox } = await import('../../src/registry/outbox.js');
      const box = new Outbox(state);
      const labels = Array.from({ length: 30 }, (_, i) => `báo cáo ${String(i + 1).padStart(2, '0')}`);
      for (const summary of labels) {
        const body = {
          site: { id: 'th-bimson-ubnd', unit: 'thanh-hoa/bim-son/ubnd' },
          category: 'khac',
          severity: 'minor',
          summary,
          occurredAt: new Date().toISOString(),
        };
        await box.add(
          {
            kind: 'incident',
            method: 'POST',
            path: '/v1/incidents',
            body,
            registry: reg.url,
            label: summary,
          },
          new Date(),
        );
      }
      const child = track(
        spawnBuilt(cli, ['sync'], { cwd: dir, env: { DIEMCAU_TOKEN: reg.token, DIEMCAU_STATE_DIR: state } }),
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('close', (_c, sig) => resolve(sig)),
      );
      await reg.holding;
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      reg.release();
      expect(reg.incidents()).toHaveLength(10);
      expect(queuedFiles(state)).toHaveLength(21);

      const sync = await run(['sync'], { cwd: dir, env: { DIEMCAU_TOKEN: reg.token }, stateDir: state });
      expect(sync.code).toBe(0);
      expect(sync.stdout.split('\n').slice(0, 2)).toEqual([
        'sent (the registry already had it): báo cáo 10',
        'sent: báo cáo 11',
      ]);
      expect(sync.stdout).toContain('21 sent, 0 still queued, 0 refused');
      expect(reg.incidents().map((i) => i.summary)).toEqual(labels);
      expect(queuedFiles(state)).toEqual([]);
    } finally {
      reg.release();
      await reg.app.close();
    }
  });

  it('killed while writing items: every item it reported queued is sent, each once, none half-written', async () => {
    const port = await deadPort();
    const url = `http://127.0.0.1:${port}`;
    const dir = tempDir('kill-b');
    const state = path.join(dir, 'state');
    // A writer as fast as the outbox allows, so the kill lands in the middle of a write.
    const script = path.join(dir, 'writer.mjs');
    fs.writeFileSync(
      script,
      `import { Outbox } from ${JSON.stringify(path.join(cli.dir, 'dist/registry/outbox.js'))};
const box = new Outbox(${JSON.stringify(state)});
for (let i = 0; i < 100000; i++) {
  const summary = 'mục ' + i;
  const body = { site: { id: 'th-bimson-ubnd', unit: 'thanh-hoa/bim-son/ubnd' }, category: 'khac', severity: 'minor', summary, occurredAt: new Date().toISOString() };
  await box.add({ kind: 'incident', method: 'POST', path: '/v1/incidents', body, registry: ${JSON.stringify(url)}, label: summary }, new Date());
  process.stdout.write(summary + '\\n');
}
`,
    );
    const child = track(spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let printed = '';
    const enough = new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        printed += d;
        if (printed.split('\n').length > 40) resolve();
      });
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_c, sig) => resolve(sig)),
    );
    await enough;
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const reported = printed.split('\n').filter(Boolean);

    // Every file that looks like an item is a whole item; a killed write leaves at most a temp file.
    const files = queuedFiles(state);
    for (const f of files)
      expect(() => JSON.parse(fs.readFileSync(path.join(state, 'outbox', f), 'utf8'))).not.toThrow();
    expect(files.length).toBeGreaterThanOrEqual(reported.length);

    const reg = await heldRegistry(Number.POSITIVE_INFINITY, port);
    try {
      const sync = await runBuilt(cli, ['sync'], {
        cwd: dir,
        env: { DIEMCAU_TOKEN: reg.token, DIEMCAU_STATE_DIR: state },
      });
      expect(sync.code).toBe(0);
      expect(sync.stdout).toContain(`${files.length} sent, 0 still queued, 0 refused`);
      const stored = reg.incidents().map((i) => i.summary);
      expect(new Set(stored).size).toBe(stored.length);
      expect(stored.length).toBe(files.length);
      for (const summary of reported) expect(stored).toContain(summary);
      expect(queuedFiles(state)).toEqual([]);
    } finally {
      await reg.app.close();
    }
  });

  it('killed while a batch of runs was committed but not yet answered: sync replays them, none twice', async () => {
    // The first batch is committed; its answer is held back until the client is dead.
    const { app, store, url, token, holding, release } = await heldRegistry(1, 0, '/v1/runs:batch');
    const stored = () => (store.handle.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    try {
      const dir = tempDir('kill-batch');
      const state = path.join(dir, 'state');
      writeProfile(dir, url);
      const { Outbox } = await import('../../src/registry/outbox.js');
      const { runBody } = await import('./fixtures.js');
      const box = new Outbox(state);
      for (let i = 0; i < 30; i++)
        await box.add(
          {
            kind: 'run',
            method: 'POST',
            path: '/v1/runs',
            body: runBody({ startedAt: new Date(Date.now() - (30 - i) * 60_000).toISOString() }),
            registry: url,
            label: `run ${i}`,
          },
          new Date(),
        );
      const child = track(
        spawnBuilt(cli, ['sync'], { cwd: dir, env: { DIEMCAU_TOKEN: token, DIEMCAU_STATE_DIR: state } }),
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('close', (_c, sig) => resolve(sig)),
      );
      await holding;
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      release();
      expect(stored()).toBe(30);
      expect(queuedFiles(state)).toHaveLength(30);

      const sync = await run(['sync'], { cwd: dir, env: { DIEMCAU_TOKEN: token }, stateDir: state });
      expect(sync.code).toBe(0);
      const lines = sync.stdout.split('\n');
      expect(lines.slice(0, 30)).toEqual(
        Array.from({ length: 30 }, (_, i) => `sent (the registry already had it): run ${i}`),
      );
      expect(sync.stdout).toContain('30 sent, 0 still queued, 0 refused');
      expect(stored()).toBe(30);
      expect(queuedFiles(state)).toEqual([]);
    } finally {
      release();
      await app.close();
    }
  });
});
