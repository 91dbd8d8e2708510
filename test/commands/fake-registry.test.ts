/**
 * Registry commands with a fake client handed in through the context's
 * factory (no server): what each command asks the registry, and what it
 * prints for the answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RegistryApi } from '../../src/cli/context.js';
import type { Incident, IncidentList } from '../../src/model/incident.js';
import type { ClientOptions, Outcome, RequestOptions } from '../../src/registry/client.js';
import { run } from '../helpers/cli.js';
import { tempDir, writeProfile } from '../registry/live.js';

const URL = 'http://registry.example.invalid';

interface Request {
  method: string;
  path: string;
  opts: RequestOptions;
}

/** A registry client that answers from `reply` and records what it was asked. */
function fakeRegistry(reply: (req: Request) => Outcome) {
  const opened: ClientOptions[] = [];
  const requests: Request[] = [];
  let closed = 0;
  const factory = (opts: ClientOptions): RegistryApi => {
    opened.push(opts);
    return {
      async send<T>(method: string, p: string, o: RequestOptions = {}): Promise<Outcome<T>> {
        const req = { method, path: p, opts: o };
        requests.push(req);
        return reply(req) as Outcome<T>;
      },
      async close() {
        closed += 1;
      },
    };
  };
  return { factory, opened, requests, closed: () => closed };
}

const incident: Incident = {
  id: 7,
  site: { id: 'th-bimson-ubnd', unit: 'thanh-hoa/bim-son/ubnd' },
  category: 'mat_dien',
  severity: 'critical',
  summary: 'Mất điện toà nhà',
  occurredAt: '2026-11-22T02:00:00.000Z',
  effect: 'none',
  status: 'open',
  createdAt: '2026-11-22T02:01:00.000Z',
  updatedAt: '2026-11-22T02:01:00.000Z',
  history: [],
};

describe('incident list with a fake registry client', () => {
  it('asks GET /v1/incidents with the filters and the token, prints the answer, closes the client', async () => {
    const list: IncidentList = { items: [incident], nextCursor: null };
    const fake = fakeRegistry(() => ({ kind: 'ok', status: 200, body: list, replayed: false }));
    const r = await run(
      ['incident', 'list', '--registry', URL, '--site', 'th-bimson-ubnd', '--format', 'json'],
      {
        cwd: tempDir('fake-list'),
        env: { DIEMCAU_TOKEN: 'dct_fake' },
        stateDir: path.join(tempDir('fake-list-state'), 'state'),
        factories: { registryClient: fake.factory },
      },
    );
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify(list, null, 2)}\n`, stderr: '' });
    expect(fake.requests).toEqual([
      {
        method: 'GET',
        path: '/v1/incidents',
        opts: {
          query: {
            unit: undefined,
            site: 'th-bimson-ubnd',
            status: undefined,
            category: undefined,
            since: undefined,
            limit: undefined,
            cursor: undefined,
          },
        },
      },
    ]);
    expect(fake.opened.map((o) => [o.url, o.token])).toEqual([
      [URL, 'dct_fake'],
      [URL, 'dct_fake'],
    ]);
    // One client for the outbox flush (nothing queued), one for the read: both closed.
    expect(fake.closed()).toBe(2);
  });

  it('a 401 from the registry is exit 2 (not ready) with the hint about the token', async () => {
    const fake = fakeRegistry(() => ({
      kind: 'http-error',
      status: 401,
      code: 'UNAUTHORIZED',
      message: 'bad token',
    }));
    const r = await run(['incident', 'list', '--registry', URL], {
      cwd: tempDir('fake-list'),
      env: { DIEMCAU_TOKEN: 'dct_wrong' },
      stateDir: path.join(tempDir('fake-list-state'), 'state'),
      factories: { registryClient: fake.factory },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'diemcau: error: the registry refused the token: the registry does not know this token\n',
    );
    // The server's own words only with --debug.
    expect(r.stderr).not.toContain('bad token');
    expect(r.stderr).toContain(
      'set DIEMCAU_TOKEN to the token the IT centre gave you, then run: diemcau sync',
    );
  });
});

describe('incident file, then sync, with a fake registry client', () => {
  it('queues while the registry cannot be reached, then sync sends the item once with its idempotency key', async () => {
    const dir = tempDir('fake-sync');
    const stateDir = path.join(dir, 'state');
    writeProfile(dir, URL);
    const opts = { cwd: dir, env: { DIEMCAU_TOKEN: 'dct_fake' }, stateDir };

    const down = fakeRegistry(() => ({ kind: 'unreachable', message: 'ECONNREFUSED', cancelled: false }));
    const filed = await run(
      ['incident', 'file', '--category', 'mat_dien', '--severity', 'critical', '--summary', 'một'],
      { ...opts, factories: { registryClient: down.factory } },
    );
    expect(filed.code).toBe(0);
    expect(down.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v1/incidents']);
    const key = down.requests[0]?.opts.idempotencyKey;
    expect(key).toMatch(/\S{8,}/);
    expect(fs.readdirSync(path.join(stateDir, 'outbox')).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    const up = fakeRegistry(() => ({ kind: 'ok', status: 201, body: incident, replayed: false }));
    const sync = await run(['sync'], { ...opts, factories: { registryClient: up.factory } });
    expect(sync).toEqual({
      code: 0,
      stdout: 'sent: th-bimson-ubnd: Power cut: một\n1 sent, 0 still queued, 0 refused\n',
      stderr: '',
    });
    expect(up.requests.map((q) => [q.method, q.path, q.opts.idempotencyKey])).toEqual([
      ['POST', '/v1/incidents', key],
    ]);
    expect(up.requests[0]?.opts.body).toMatchObject({
      category: 'mat_dien',
      severity: 'critical',
      summary: 'một',
    });
    expect(fs.readdirSync(path.join(stateDir, 'outbox')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
