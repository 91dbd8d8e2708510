/** Numbers and ids parsed strictly, deep JSON and bad URLs answered in the documented error shape. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, post, runBody, type TestApp, testApp } from './fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.app.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(t.tokens.admin) });

describe('strict numbers in URLs', () => {
  it('an id is plain decimal digits: 0x10, 1e1, 16.0 and +16 are 400, not incident 16', async () => {
    for (const id of ['0x10', '1e1', '16.0', '+16', '%2016']) {
      const r = await get(`/v1/incidents/${id}`);
      expect(r.statusCode, id).toBe(400);
      expect(r.json()).toEqual({
        error: {
          code: 'bad_request',
          message: 'id: must be a whole number',
          field: 'id',
          params: { why: 'integer' },
        },
      });
    }
    expect((await get('/v1/incidents/16')).statusCode).toBe(404);
  });

  it('days=1.5 and limit=0x5 are refused', async () => {
    const d = await get('/v1/reports/daily?days=1.5');
    expect(d.statusCode).toBe(400);
    expect(d.json().error.field).toBe('days');
    const l = await get('/v1/sites?limit=0x5');
    expect(l.statusCode).toBe(400);
    expect(l.json().error.field).toBe('limit');
    expect((await get('/v1/reports/daily?days=3')).statusCode).toBe(200);
  });
});

describe('what the router refuses', () => {
  it('414 for an over-long id and 400 for bad percent-encoding, in the error shape, without the URL', async () => {
    const long = `/v1/sites/${'x'.repeat(300)}SECRETPATH`;
    const r = await get(long);
    expect(r.statusCode).toBe(414);
    expect(r.json()).toEqual({
      error: { code: 'uri_too_long', message: 'url: longer than this registry accepts', field: 'url' },
    });
    const b = await get('/v1/sites/%zzSECRETPATH');
    expect(b.statusCode).toBe(400);
    expect(b.json()).toEqual({
      error: { code: 'bad_request', message: 'url: not a valid URL (bad percent-encoding)', field: 'url' },
    });
    expect(r.body + b.body).not.toContain('SECRETPATH');
  });
});

describe('deep JSON', () => {
  it("400, not 500, for a body nested thousands deep, even inside a check's free-form details", async () => {
    const body = JSON.stringify(runBody()).replace(
      '"summary":"20/20',
      `"details":${'['.repeat(5000)}${']'.repeat(5000)},"summary":"20/20`,
    );
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: { ...post(t.tokens.tech), 'content-type': 'application/json' },
      payload: body,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({
      error: { code: 'bad_request', message: 'body: nested deeper than 64 levels', field: 'body' },
    });
    // Brackets inside strings do not count.
    const text = runBody({ file: '['.repeat(200) });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(t.tokens.tech),
      payload: text,
    });
    expect(ok.statusCode).toBe(201);
  });
});
