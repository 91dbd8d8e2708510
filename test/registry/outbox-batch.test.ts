/**
 * Queued runs go in batches (POST /v1/runs:batch): each answered on its own
 * and handled as if sent alone, an incident between runs still in its place,
 * a failed batch keeping every run, and single uploads to an older registry.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunList } from '../../src/model/run.js';
import type { Outcome } from '../../src/registry/client.js';
import { type BatchOutcome, Outbox, type OutboxItem } from '../../src/registry/outbox.js';
import { run } from '../helpers/cli.js';
import { incidentBody, runBody, testApp } from './fixtures.js';
import { type LiveRegistry, tempDir, writeProfile } from './live.js';

const now = () => new Date('2026-11-25T02:00:00Z');
const ok = (id: number): Outcome => ({ kind: 'ok', status: 201, body: { id }, replayed: false });
const refused = (status: number, code: string): Outcome => ({
  kind: 'http-error',
  status,
  code,
  message: `${status} ${code}`,
});

async function queue(box: Outbox, labels: string[]): Promise<void> {
  for (const label of labels) {
    const incident = label.startsWith('inc');
    await box.add(
      incident
        ? {
            kind: 'incident',
            method: 'POST',
            path: '/v1/incidents',
            body: incidentBody(),
            registry: 'http://r',
            label,
          }
        : { kind: 'run', method: 'POST', path: '/v1/runs', body: runBody(), registry: 'http://r', label },
      now(),
    );
  }
}

/** Records each call: a batch of labels, or one label sent alone. */
function transport(answer: (items: OutboxItem[]) => BatchOutcome, single: (item: OutboxItem) => Outcome) {
  const calls: string[][] = [];
  return {
    calls,
    send: async (item: OutboxItem) => {
      calls.push([item.label]);
      return single(item);
    },
    sendBatch: async (items: OutboxItem[]) => {
      calls.push(['batch', ...items.map((i) => i.label)]);
      return answer(items);
    },
  };
}

describe('Outbox.flush with batches', () => {
  it('sends consecutive runs in one batch, an incident alone in its place; each run settled on its own', async () => {
    const box = new Outbox(tempDir('batch-a'));
    await queue(box, ['r1', 'r2', 'r3', 'inc', 'r4', 'r5']);
    const t = transport(
      (items) => ({
        each: items.map((item, i) => (item.label === 'r2' ? refused(400, 'bad_request') : ok(10 + i))),
      }),
      () => ok(99),
    );
    const report = await box.flush('http://r', t.send, { hasToken: true, now, sendBatch: t.sendBatch });
    expect(t.calls).toEqual([['batch', 'r1', 'r2', 'r3'], ['inc'], ['batch', 'r4', 'r5']]);
    expect(report.sent.map((s) => s.item.label)).toEqual(['r1', 'r3', 'inc', 'r4', 'r5']);
    expect(report.rejected.map((r) => [r.label, r.rejected.code])).toEqual([['r2', 'bad_request']]);
    expect(report.stopped).toBeUndefined();
    expect(await box.list()).toEqual([]);
    expect((await box.listRejected()).map((r) => r.label)).toEqual(['r2']);
  });

  it('a batch that failed as a whole keeps every run, and the flush stops there', async () => {
    const box = new Outbox(tempDir('batch-b'));
    await queue(box, ['r1', 'r2', 'inc']);
    const t = transport(
      () => ({ whole: { kind: 'unreachable', message: 'ECONNRESET', cancelled: false } }),
      () => ok(1),
    );
    const report = await box.flush('http://r', t.send, { hasToken: true, now, sendBatch: t.sendBatch });
    expect(t.calls).toEqual([['batch', 'r1', 'r2']]);
    expect(report.sent).toEqual([]);
    expect(report.queued.map((i) => i.label)).toEqual(['r1', 'r2', 'inc']);
    expect(report.stopped).toMatchObject({ reason: 'unreachable' });
    expect((await box.list()).map((i) => i.label)).toEqual(['r1', 'r2', 'inc']);
  });

  it('a run answered with a transient status stays queued; the others of its batch are delivered', async () => {
    const box = new Outbox(tempDir('batch-c'));
    await queue(box, ['r1', 'r2', 'r3', 'inc']);
    const t = transport(
      (items) => ({ each: items.map((item, i) => (item.label === 'r2' ? refused(503, 'busy') : ok(i + 1))) }),
      () => ok(1),
    );
    const report = await box.flush('http://r', t.send, { hasToken: true, now, sendBatch: t.sendBatch });
    expect(t.calls).toEqual([['batch', 'r1', 'r2', 'r3']]);
    expect(report.sent.map((s) => s.item.label)).toEqual(['r1', 'r3']);
    expect(report.queued.map((i) => i.label)).toEqual(['r2', 'inc']);
    expect(report.stopped).toMatchObject({ reason: 'server' });
    const left = await box.list();
    expect(left.map((i) => i.label)).toEqual(['r2', 'inc']);
    expect(left[0]?.lastError).toMatchObject({ status: 503, code: 'busy' });
  });

  it('`single` sends the runs one by one; a lone run never goes as a batch', async () => {
    const box = new Outbox(tempDir('batch-d'));
    await queue(box, ['r1', 'r2', 'inc', 'r3']);
    const t = transport(
      () => ({ single: true }),
      () => ok(1),
    );
    const report = await box.flush('http://r', t.send, { hasToken: true, now, sendBatch: t.sendBatch });
    expect(t.calls).toEqual([['batch', 'r1', 'r2'], ['r1'], ['r2'], ['inc'], ['r3']]);
    expect(report.sent).toHaveLength(4);
  });

  it('splits a long queue into batches of at most 1,000 runs', async () => {
    const box = new Outbox(tempDir('batch-e'));
    // Written straight as item files (as add() would leave them), without an fsync each.
    fs.mkdirSync(box.rejectedDir, { recursive: true });
    for (let i = 0; i < 1003; i++) {
      const id = `${String(1_000_000 + i).padStart(15, '0')}-0001-abcdef`;
      const item = { v: 1, id, kind: 'run', method: 'POST', path: '/v1/runs', key: `key-${i}-batch` };
      const full = { ...item, body: runBody(), registry: 'http://r', createdAt: now().toISOString() };
      fs.writeFileSync(path.join(box.dir, `${id}.json`), JSON.stringify({ ...full, label: `r${i}` }));
    }
    const sizes: number[] = [];
    const report = await box.flush('http://r', async () => ok(1), {
      hasToken: true,
      now,
      sendBatch: async (items) => {
        sizes.push(items.length);
        return { each: items.map((_, i) => ok(i + 1)) };
      },
    });
    expect(sizes).toEqual([1000, 3]);
    expect(report.sent).toHaveLength(1003);
    expect(await box.list()).toEqual([]);
  }, 60_000);
});

describe('diemcau sync against a registry', () => {
  let reg: LiveRegistry | undefined;
  afterEach(async () => {
    await reg?.close();
    reg = undefined;
  });

  async function queued(n: number, url: string, state: string): Promise<void> {
    const box = new Outbox(state);
    for (let i = 0; i < n; i++)
      await box.add(
        {
          kind: 'run',
          method: 'POST',
          path: '/v1/runs',
          body: runBody({ startedAt: new Date(Date.now() - (n - i) * 60_000).toISOString() }),
          registry: url,
          label: `run ${i}`,
        },
        new Date(),
      );
  }

  /** A registry on loopback that records each request's method and path; `older`: without the batch route. */
  async function listening(older = false): Promise<{ reg: LiveRegistry; seen: string[] }> {
    const t = await testApp();
    t.now.ms = Date.now();
    const seen: string[] = [];
    t.app.addHook('onRequest', async (req, reply) => {
      seen.push(`${req.method} ${req.url}`);
      // The route as an older registry has it: absent, answered by the registry's own JSON 404.
      if (older && req.url === '/v1/runs:batch')
        await reply.code(404).send({ error: { code: 'not_found', message: 'no route POST /v1/runs:batch' } });
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as AddressInfo).port;
    return { reg: { ...t, url: `http://127.0.0.1:${port}`, port, close: () => t.app.close() }, seen };
  }

  /** A registry, a site directory pointing at it and n runs queued; `opts` runs the CLI there. */
  async function withQueued(n: number, older = false) {
    const live = await listening(older);
    reg = live.reg;
    const dir = tempDir('sync-batch');
    const state = path.join(dir, 'state');
    writeProfile(dir, reg.url);
    await queued(n, reg.url, state);
    return {
      reg,
      seen: live.seen,
      opts: { cwd: dir, env: { DIEMCAU_TOKEN: reg.tokens.tech }, stateDir: state },
    };
  }

  it('sends queued runs in one batch request; a second sync finds nothing left', async () => {
    const { reg: live, seen, opts } = await withQueued(40);
    const sync = await run(['sync', '--format', 'json'], opts);
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ sent: 40, queued: 0, rejected: 0 });
    expect(seen).toEqual(['POST /v1/runs:batch']);
    const runs = await live.app.inject({
      method: 'GET',
      url: '/v1/runs?site=th-bimson-ubnd&limit=100',
      headers: { authorization: `Bearer ${live.tokens.tech}` },
    });
    expect((runs.json() as RunList).items).toHaveLength(40);
    expect(JSON.parse((await run(['sync', '--format', 'json'], opts)).stdout)).toMatchObject({ sent: 0 });
  });

  it('an older registry without the batch route (404) gets the same runs one by one', async () => {
    const { seen, opts } = await withQueued(5, true);
    const sync = await run(['sync'], opts);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout.split('\n').slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => `sent: run ${i}`));
    expect(sync.stdout).toContain('5 sent, 0 still queued, 0 refused');
    expect(seen).toEqual(['POST /v1/runs:batch', ...Array(5).fill('POST /v1/runs')]);
  });
});
