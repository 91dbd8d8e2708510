/** The outbox on disk: order, atomic items, what each answer does, the lock, corrupt files, retry. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/registry/client.js';
import { Outbox, type OutboxItem } from '../../src/registry/outbox.js';
import { tempDir } from './live.js';

const REG = 'http://127.0.0.1:1';
const now = () => new Date('2026-11-25T02:00:00Z');
let dir: string;
let box: Outbox;
beforeEach(() => {
  dir = tempDir('outbox');
  box = new Outbox(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const add = (label: string, registry = REG) =>
  box.add(
    { kind: 'incident', method: 'POST', path: '/v1/incidents', body: { label }, registry, label },
    new Date(),
  );

const ok: Outcome = { kind: 'ok', status: 201, body: { id: 1 }, replayed: false };
const http = (status: number): Outcome => ({
  kind: 'http-error',
  status,
  code: `c${status}`,
  message: `m${status}`,
});
const down: Outcome = { kind: 'unreachable', message: 'ECONNREFUSED', cancelled: false };

/** A sender answering from a script, recording what it was asked to send. */
function script(...answers: Outcome[]) {
  const sent: string[] = [];
  const send = async (item: OutboxItem) => {
    sent.push(item.label);
    return answers.shift() ?? ok;
  };
  return { sent, send };
}

describe('Outbox', () => {
  it('keeps items in the order they were queued, each a whole JSON file with its own key', async () => {
    for (const l of ['a', 'b', 'c', 'd']) await add(l);
    const items = await box.list();
    expect(items.map((i) => i.label)).toEqual(['a', 'b', 'c', 'd']);
    expect(new Set(items.map((i) => i.key)).size).toBe(4);
    const files = fs.readdirSync(box.dir).filter((f) => f !== 'rejected');
    expect(files).toHaveLength(4);
    expect(files.every((f) => f.endsWith('.json') && !f.startsWith('.'))).toBe(true);
  });

  it('sends in order and deletes only what the registry confirmed', async () => {
    for (const l of ['a', 'b', 'c']) await add(l);
    const s = script(ok, ok, down);
    const report = await box.flush(REG, s.send, { hasToken: true, now });
    expect(s.sent).toEqual(['a', 'b', 'c']);
    expect(report.sent.map((x) => x.item.label)).toEqual(['a', 'b']);
    expect(report.queued.map((x) => x.label)).toEqual(['c']);
    expect(report.stopped).toEqual({ reason: 'unreachable', message: 'ECONNREFUSED' });
    expect((await box.list()).map((i) => i.label)).toEqual(['c']);
  });

  it('moves a 4xx aside with the reason and goes on', async () => {
    for (const l of ['a', 'b', 'c']) await add(l);
    const report = await box.flush(REG, script(ok, http(403), ok).send, { hasToken: true, now });
    expect(report.sent.map((x) => x.item.label)).toEqual(['a', 'c']);
    expect(report.rejected).toEqual([
      expect.objectContaining({
        label: 'b',
        rejected: { at: now().toISOString(), status: 403, code: 'c403', message: 'm403' },
      }),
    ]);
    expect(await box.list()).toEqual([]);
    expect((await box.listRejected()).map((r) => r.label)).toEqual(['b']);
  });

  it.each([
    [401, 'unauthorized'],
    [429, 'server'],
    [503, 'server'],
  ] as const)('keeps everything from a %i on, in order', async (status, reason) => {
    for (const l of ['a', 'b', 'c']) await add(l);
    const report = await box.flush(REG, script(ok, http(status)).send, { hasToken: true, now });
    expect(report.stopped?.reason).toBe(reason);
    expect((await box.list()).map((i) => i.label)).toEqual(['b', 'c']);
    expect(await box.listRejected()).toEqual([]);
  });

  it('never sends an item to another registry, nor anything without a token', async () => {
    await add('mine');
    await add('theirs', 'https://other.example');
    const s = script();
    const report = await box.flush(REG, s.send, { hasToken: true, now });
    expect(s.sent).toEqual(['mine']);
    expect(report.elsewhere.map((i) => i.label)).toEqual(['theirs']);
    await add('later');
    const none = script();
    const r2 = await box.flush(REG, none.send, { hasToken: false, now });
    expect(none.sent).toEqual([]);
    expect(r2.stopped?.reason).toBe('no-token');
    expect(r2.queued.map((i) => i.label)).toEqual(['later']);
  });

  it('leaves the queue alone while another live process holds the lock, takes over a dead one', async () => {
    await add('a');
    fs.writeFileSync(path.join(box.dir, '.lock'), String(process.ppid));
    const s = script();
    const report = await box.flush(REG, s.send, { hasToken: true, now });
    expect(report.stopped?.reason).toBe('locked');
    expect(s.sent).toEqual([]);
    fs.writeFileSync(path.join(box.dir, '.lock'), '999999999');
    const r2 = await box.flush(REG, s.send, { hasToken: true, now });
    expect(r2.sent).toHaveLength(1);
    expect(fs.existsSync(path.join(box.dir, '.lock'))).toBe(false);
  });

  it('ignores half-written temp files and moves an unreadable item aside, never silently', async () => {
    await add('a');
    fs.writeFileSync(path.join(box.dir, '.000-x.json.abc.tmp'), '{"v":1,"id":');
    fs.writeFileSync(path.join(box.dir, '000000000000001-0001-abcdef.json'), 'garbage');
    const items = await box.list();
    expect(items.map((i) => i.label)).toEqual(['a']);
    const rejected = await box.listRejected();
    expect(rejected).toEqual([
      expect.objectContaining({
        id: '000000000000001-0001-abcdef',
        rejected: expect.objectContaining({ code: 'unreadable' }),
      }),
    ]);
  });

  it('puts a refused item back in the queue with the same key', async () => {
    const item = await add('a');
    await box.flush(REG, script(http(403)).send, { hasToken: true, now });
    expect(await box.list()).toEqual([]);
    const back = await box.retry(item.id);
    expect(back).toEqual(item);
    expect(await box.list()).toEqual([item]);
    expect(await box.listRejected()).toEqual([]);
    expect(await box.retry('nope')).toBeUndefined();
  });
});
