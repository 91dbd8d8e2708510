/**
 * The published JSON Schema of the run document (docs/run-format.md): the
 * committed file is what `diemcau schema run` prints, real `check --format
 * json` output of a sweep validates against it with ajv, and a site that
 * could not be checked is neither invalid nor uploaded.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { type TestApp, testApp } from '../registry/fixtures.js';
import { sampleReport } from '../report/sample.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const COMMITTED = path.join(import.meta.dirname, '../../docs/schema/run-2.json');

let dir: string;
let tcpServer: net.Server;
let httpServer: http.Server;
let registry: TestApp;
let registryUrl: string;

const listen = (server: net.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-schema-'));
  tcpServer = net.createServer((s) => s.end());
  const openPort = await listen(tcpServer);
  const probe = net.createServer();
  const closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
  httpServer = http.createServer((_req, res) => res.end('ok'));
  const httpPort = await listen(httpServer);
  registry = await testApp();
  registry.now.ms = Date.now(); // the checks run on the real clock
  registryUrl = await registry.app.listen({ host: '127.0.0.1', port: 0 });
  const site = (id: string, checks: string) =>
    `site: { id: ${id}, name: "UBND ${id}", unit: thanh-hoa/bim-son/${id} }\nlocale: en\nregistry: { url: "${registryUrl}" }\nchecks:\n${checks}\n`;
  await fs.mkdir(path.join(dir, 'sweep'));
  const write = (name: string, text: string) => fs.writeFile(path.join(dir, 'sweep', name), text);
  await write(
    'a.yaml',
    site(
      'xa-a',
      `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${openPort}, warn: { connect_ms: 500 }, fail: { connect_ms: 2000 } }\n` +
        `  - { id: portal, kind: http, url: "http://127.0.0.1:${httpPort}/", warn: { ttfb_ms: 1000 } }`,
    ),
  );
  await write(
    'b.yaml',
    site(
      'xa-b',
      `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${closedPort} }\n` +
        `  - { id: portal, kind: http, url: "http://127.0.0.1:${httpPort}/", needs: [sip-port] }`,
    ),
  );
  // Could not be checked: no unit (and so nothing the registry could file it under).
  await write('broken.yaml', 'site: { id: broken, name: B }\n');
});

afterAll(async () => {
  tcpServer.close();
  httpServer.close();
  await registry.app.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('diemcau schema run', () => {
  it('prints the draft 2020-12 schema, without x- annotations, equal to the committed docs/schema/run-2.json', async () => {
    const r = await run(['schema', 'run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.schema.const).toBe('diemcau/run@2');
    expect(r.stdout).not.toContain('"x-');
    expect(r.stdout).toBe(await fs.readFile(COMMITTED, 'utf8'));
  });

  it('refuses a document it does not know (exit 3)', async () => {
    expect((await run(['schema', 'profile-x'])).code).toBe(3);
  });
});

describe('real check --format json output against the schema (ajv)', () => {
  it('a sweep with several kinds and a site that could not be checked is valid, with directed limits', async () => {
    const schema = JSON.parse(await fs.readFile(COMMITTED, 'utf8'));
    const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
    const validate = ajv.compile(schema);
    const r = await run(['check', 'sweep', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(validate.errors ?? []).toEqual([]);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);

    const [a, b, broken] = doc.sites;
    expect(a.checks.map((c: { kind: string }) => c.kind)).toEqual(['tcp', 'http']);
    expect(a.checks[0].limits).toEqual({
      warn: { connect_ms: { max: 500 } },
      fail: { connect_ms: { max: 2000 } },
    });
    expect(a.checks[1].limits).toEqual({ warn: { ttfb_ms: { max: 1000 } } });
    expect(b.checks.map((c: { status: string }) => c.status)).toEqual(['fail', 'skip']);
    expect(broken).toMatchObject({ site: { id: 'broken' }, verdict: 'unknown', checks: [] });
    expect(broken.site).not.toHaveProperty('unit');
    expect(broken.error.code).toBe('PROFILE_INVALID');

    // The schema is not a rubber stamp: the @1 shapes fail it.
    const old = structuredClone(doc);
    old.sites[0].checks[0].limits = { warn: { connect_ms: 500 } };
    expect(validate(old)).toBe(false);
    const emptyUnit = structuredClone(doc);
    emptyUnit.sites[2].site.unit = '';
    expect(validate(emptyUnit)).toBe(false);
  });

  it("the renderers' sample report (test/report/sample.ts) is a valid document too", async () => {
    const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
    const validate = ajv.compile(JSON.parse(await fs.readFile(COMMITTED, 'utf8')));
    expect(validate(JSON.parse(JSON.stringify(sampleReport))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('--upload sends the sites that were checked, and not the one that could not be (nothing rejected)', async () => {
    // A bad profile whose file name is a checked site's id: still not sent.
    await fs.mkdir(path.join(dir, 'sweep/old'));
    await fs.writeFile(path.join(dir, 'sweep/old/xa-a.yaml'), 'site: { id: xa-a, name: A }\n');
    const r = await run(['check', 'sweep', '--format', 'json', '--upload'], {
      cwd: dir,
      env: { DIEMCAU_TOKEN: registry.tokens.tech },
      stateDir: path.join(dir, 'state'),
    });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).sites.map((s: { site: { id: string } }) => s.site.id)).toEqual([
      'xa-a',
      'xa-b',
      'broken',
      'xa-a',
    ]);
    expect(r.stderr).not.toMatch(/rejected|refused/i);
    for (const id of ['xa-a', 'xa-b']) {
      const runs = await registry.store.listRuns({ siteId: id, limit: 10 });
      expect(runs).toHaveLength(1);
    }
    expect(await registry.store.getSite('broken')).toBeUndefined();
  });
});
