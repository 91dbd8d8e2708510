/**
 * Property-based tests (fast-check) at the two doors where anyone's input
 * comes in: the profile loader (a YAML file someone edited) and the
 * registry's request schemas (a body someone sent). Whatever arrives, the
 * answer is the documented one: a ProfileError with file:line, or a 4xx in
 * the error shape — never a crash, never a 500, never a half-written row.
 * Bounded runs keep CI time flat.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ProfileError } from '../../src/errors.js';
import { translator } from '../../src/i18n/index.js';
import { loadProfile } from '../../src/profile/load.js';
import { bearer, incidentBody, newKey, runBody, type TestApp, testApp } from './fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-prop-'));
const t = translator('en');

// Values shaped like a profile's, with the wrong types, sizes and words mixed in.
const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('${DIEMCAU_TOKEN}', '${UNSET_VAR}', '5s', '-1', 'ping', 'cisco', 'sip:8001@127.0.0.1'),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(
      fc.constantFrom('id', 'kind', 'site', 'checks', 'codec', 'warn', 'fail', 'extends'),
      fc.string(),
    ),
    tie('node'),
    { maxKeys: 5 },
  ),
})).node;
const profileLike = fc.record(
  {
    site: fc.oneof(value, fc.record({ id: scalar, name: scalar, unit: scalar })),
    checks: fc.oneof(
      value,
      fc.array(fc.record({ id: scalar, kind: scalar, target: scalar }), { maxLength: 3 }),
    ),
    codec: value,
    bridges: value,
    locale: scalar,
  },
  { requiredKeys: [] },
);

describe('the profile loader, on any file', () => {
  it('loads it or says why with a ProfileError at a position; nothing else escapes', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          profileLike.map((p) => stringify(p)),
          fc.string({ maxLength: 200 }),
        ),
        async (text) => {
          const file = path.join(dir, `p${n++}.yaml`);
          fs.writeFileSync(file, text);
          try {
            await loadProfile(file, { t, env: { DIEMCAU_TOKEN: 'x' }, cwd: dir });
          } catch (err) {
            expect(err).toBeInstanceOf(ProfileError);
            // The one-line error names the file it is about (src/cli/exit.ts prints file:line:col).
            expect(path.resolve(dir, (err as ProfileError).file ?? '')).toBe(file);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
  it('an alias to no anchor is a ProfileError naming the file (found by the property above)', async () => {
    const file = path.join(dir, 'alias.yaml');
    fs.writeFileSync(file, 'site: *nope\n');
    const err = await loadProfile(file, { t, env: {}, cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as Error).message).toMatch(/^not valid YAML: Unresolved alias/);
    expect((err as ProfileError).file).toBe('alias.yaml');
  });
});

describe('the registry, on any body', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp();
  });
  afterAll(async () => {
    await app.app.close();
  });

  // A valid body with one field replaced by anything: what a broken or hostile client sends.
  const mutated = <T extends object>(base: T) =>
    fc.tuple(fc.constantFrom(...Object.keys(base)), value).map(([k, v]) => ({ ...base, [k]: v }));

  it('POST /v1/runs and /v1/incidents answer 201 or a 4xx in the error shape, never a 500', async () => {
    const bodies = fc.oneof(
      mutated(runBody()).map((b) => ['/v1/runs', b] as const),
      mutated(incidentBody()).map((b) => ['/v1/incidents', b] as const),
      value.map((b) => ['/v1/runs', b] as const),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async ([url, body]) => {
        const r = await app.app.inject({
          method: 'POST',
          url,
          headers: {
            ...bearer(app.tokens.admin),
            'idempotency-key': newKey('prop'),
            'content-type': 'application/json',
          },
          payload: JSON.stringify(body) ?? 'null',
        });
        expect(r.statusCode === 201 || (r.statusCode >= 400 && r.statusCode < 500), r.body).toBe(true);
        if (r.statusCode !== 201) {
          const e = r.json().error;
          expect(typeof e.code).toBe('string');
          expect(typeof e.message).toBe('string');
        }
      }),
      { numRuns: 250 },
    );
    // And the reports still answer after all of that was stored.
    const readiness = await app.app.inject({
      method: 'GET',
      url: '/v1/reports/readiness',
      headers: bearer(app.tokens.admin),
    });
    expect(readiness.statusCode).toBe(200);
  });
});
