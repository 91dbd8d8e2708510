/**
 * The registry's OpenAPI document (/docs/json) through a real consumer:
 * `redocly lint` with the recommended ruleset (redocly.yaml says which rules
 * are off, and why), and the declarations the routes' answers need.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './fixtures.js';

const run = promisify(execFile);
const ROOT = path.join(import.meta.dirname, '../..');
// The dev dependency's own CLI (a missing install fails the test, it is not a peer to skip).
const REDOCLY = fileURLToPath(import.meta.resolve('@redocly/cli/bin/cli.js'));

type Operation = { security?: unknown[]; responses: Record<string, unknown>; requestBody?: unknown };
type Doc = { paths: Record<string, Record<string, Operation>> };

let t: TestApp;
let dir: string;
let doc: Doc;
beforeAll(async () => {
  t = await testApp();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-openapi-'));
  doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as Doc;
});
afterAll(async () => {
  await t.app.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('OpenAPI document', () => {
  it('passes `redocly lint` (recommended) with no error and no warning', async () => {
    const file = path.join(dir, 'openapi.json');
    await fs.writeFile(file, JSON.stringify(doc));
    const r = await run(
      process.execPath,
      [REDOCLY, 'lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json'],
      {
        cwd: dir,
        timeout: 60_000,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((err: { stdout?: string; stderr?: string; code?: unknown }) => {
      if (!err.stdout) throw err;
      return { stdout: err.stdout, stderr: err.stderr ?? '' };
    });
    const report = JSON.parse(r.stdout) as {
      totals: { errors: number; warnings: number };
      problems: unknown[];
    };
    expect(report.problems, JSON.stringify(report.problems, null, 2)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 90_000);

  it('every route that needs a token declares it and its 401; every body route its 400, 413 and 415', () => {
    for (const [route, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${route}`;
        if (route === '/v1/health') {
          expect(op.security, where).toEqual([]);
          continue;
        }
        expect(op.security, where).toEqual([{ bearer: [] }]);
        expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['401']));
        if (op.requestBody && route !== '/v1/speedtest')
          expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['400', '413', '415']));
      }
    }
    expect(Object.keys(doc.paths['/v1/speedtest']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '413']),
    );
    expect(Object.keys(doc.paths['/v1/speedtest']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401']),
    );
  });
});

describe('the same schemas as the published run document (docs/schema/run-2.json)', () => {
  it("POST /v1/runs takes the model's check limits: the document's directed limit, or an @1 number", async () => {
    type Node = { properties: Record<string, Node>; [k: string]: unknown };
    const post = doc.paths['/v1/runs']?.post as unknown as {
      requestBody: { content: { 'application/json': { schema: Node } } };
    };
    const body = post.requestBody.content['application/json'].schema;
    const published = JSON.parse(await fs.readFile(path.join(ROOT, 'docs/schema/run-2.json'), 'utf8'));
    const checked = published.properties.sites.items.anyOf[0].properties;
    const docWarn = checked.checks.items.properties.limits.properties.warn.patternProperties['^(.*)$'];
    const { items } = body.properties.checks as unknown as { items: Node };
    expect(items.properties.limits?.properties.warn?.additionalProperties).toEqual({
      anyOf: [{ type: 'number' }, docWarn],
    });
    expect(body.properties.site?.properties).toEqual(checked.site.properties);
  });
});

describe('what the routes answer is what they declare', () => {
  it('/v1/speedtest answers 401 without a token; POST /v1/runs answers 415 to a non-JSON body', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/speedtest?bytes=1' })).statusCode).toBe(401);
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: {
        authorization: `Bearer ${t.tokens.tech}`,
        'content-type': 'text/plain',
        'idempotency-key': 'k-415',
      },
      payload: 'hello',
    });
    expect(r.statusCode).toBe(415);
    expect(r.json()).toEqual({
      error: {
        code: 'unsupported_media_type',
        message: 'body: send JSON (Content-Type: application/json)',
        field: 'body',
      },
    });
  });
});
