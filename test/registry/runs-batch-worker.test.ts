/**
 * The batch worker (src/registry/routes/runs-batch-worker.ts, built in dist/):
 * what it does not take as plainly good JSON is read on the request thread,
 * with the answers every route gives; a worker that dies gives its bodies back.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchWorker } from '../../src/registry/routes/runs-batch-pool.js';
import { bearer, newKey, runBody, type TestApp, testApp } from './fixtures.js';

const WORKER = path.resolve(__dirname, '../../dist/registry/routes/runs-batch-worker.js');

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.app.close();
});

const item = () => ({ key: newKey(), run: runBody({ siteId: 'w-a' }) });

describe('the batch worker', () => {
  it('gives back what it does not read plainly; the request thread answers as on every route', async () => {
    const inline = await testApp(undefined, { batchWorker: false });
    const worker = await testApp(undefined, { batchWorker: { file: WORKER, minBytes: 0 } });
    apps.push(inline, worker);
    const good = JSON.stringify({ runs: [item()] });
    const deep = `{"runs":[{"key":"k-deep-0001","run":${'['.repeat(80)}${']'.repeat(80)}}]}`;
    const bodies = [
      // Prototype poisoning, plain and escaped: Fastify's parser refuses it.
      good.replace('{"runs":', '{"__proto__":{"x":1},"runs":'),
      good.replace('{"runs":', '{"\\u005f_proto__":{"x":1},"runs":'),
      good.replace('{"runs":', '{"constructor":{"prototype":{"x":1}},"runs":'),
      deep,
      '{"runs":[',
      '{"runs":[]}',
      JSON.stringify({ runs: [item()], more: 1 }),
      // A text mentioning a guarded word is still read and stored.
      JSON.stringify({
        runs: [{ key: newKey(), run: { ...runBody({ siteId: 'w-b' }), error: undefined } }],
      }).replace('"site":{', '"note":"constructor","site":{'),
    ];
    for (const payload of bodies) {
      const answers = [];
      for (const a of [inline, worker]) {
        const r = await a.app.inject({
          method: 'POST',
          url: '/v1/runs:batch',
          headers: { ...bearer(a.tokens.tech), 'content-type': 'application/json' },
          payload,
        });
        const body = r.json();
        for (const x of body.results ?? []) if (x.run) x.run.receivedAt = 'same';
        answers.push([r.statusCode, body]);
      }
      expect(answers[1], payload.slice(0, 60)).toEqual(answers[0]);
    }
  });

  it('a worker that exits with bodies queued gives them back to be read on the request thread', async () => {
    const w = BatchWorker.at(WORKER);
    try {
      const body = Buffer.from(JSON.stringify({ runs: [item()] }));
      const ok = await w.prepare(body, Date.now(), 1 << 20);
      expect(ok?.length).toBe(1);
      // Sent to a worker that is stopping: it never answers, and its exit gives the body back.
      const stopping = w.thread?.terminate();
      const queued = w.prepare(body, Date.now(), 1 << 20);
      await stopping;
      expect(await queued).toBeUndefined();
      // The next body starts a new worker.
      expect((await w.prepare(body, Date.now(), 1 << 20))?.length).toBe(1);
    } finally {
      await w.close();
    }
  });
});
