/** Scoped admins, a site's ownership, and an incident's run being of the same site. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Readiness } from '../../src/model/report.js';
import type { SiteList } from '../../src/model/site.js';
import { createToken } from '../../src/registry/auth.js';
import { bearer, incidentBody, NOW, post, runBody, type TestApp, testApp } from './fixtures.js';

let t: TestApp;
let thanhHoaAdmin: string;
beforeEach(async () => {
  t = await testApp();
  thanhHoaAdmin = (
    await createToken(t.store, { role: 'admin', unit: 'thanh-hoa', label: 'admin@thanh-hoa', nowMs: NOW })
  ).token;
  for (const [id, unit] of [
    ['th-bimson-ubnd', 'thanh-hoa/bim-son/ubnd'],
    ['na-vinh', 'nghe-an/vinh'],
  ] as const) {
    const r = await t.app.inject({
      method: 'PUT',
      url: `/v1/sites/${id}`,
      headers: bearer(t.tokens.admin),
      payload: { name: id, unit },
    });
    expect(r.statusCode).toBe(201);
  }
});
afterEach(async () => {
  await t.app.close();
});

describe('an admin of thanh-hoa administers thanh-hoa only', () => {
  it('reads its own unit by default and is refused every other', async () => {
    const sites = await t.app.inject({ method: 'GET', url: '/v1/sites', headers: bearer(thanhHoaAdmin) });
    expect((sites.json() as SiteList).items.map((s) => s.id)).toEqual(['th-bimson-ubnd']);
    const rep = await t.app.inject({
      method: 'GET',
      url: '/v1/reports/readiness',
      headers: bearer(thanhHoaAdmin),
    });
    expect((rep.json() as Readiness).unit).toBe('thanh-hoa');
    expect((rep.json() as Readiness).sites.map((s) => s.id)).toEqual(['th-bimson-ubnd']);
    for (const url of [
      '/v1/reports/readiness?unit=nghe-an',
      '/v1/sites/na-vinh',
      '/v1/runs?site=na-vinh',
      '/v1/incidents?unit=',
    ]) {
      const r = await t.app.inject({ method: 'GET', url, headers: bearer(thanhHoaAdmin) });
      expect(r.statusCode, url).toBe(403);
    }
  });

  it('writes in its unit only', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(thanhHoaAdmin),
      payload: runBody(),
    });
    expect(ok.statusCode).toBe(201);
    const no = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(thanhHoaAdmin),
      payload: runBody({ siteId: 'na-vinh', unit: 'nghe-an/vinh' }),
    });
    expect(no.statusCode).toBe(403);
    const move = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/na-vinh',
      headers: bearer(thanhHoaAdmin),
      payload: { name: 'mine now', unit: 'thanh-hoa/vinh' },
    });
    // Held by nghe-an, which this admin does not cover: a conflicting claim (docs/registry-api.md).
    expect(move.statusCode).toBe(409);
    expect(move.json().error.code).toBe('site_unit_mismatch');
  });
});

describe('site ownership', () => {
  it('a site claimed by the wrong unit is moved back by an admin, and the rightful technician writes again', async () => {
    // A technician of nghe-an registers a Thanh Hoá site id first, under its own unit.
    const claim = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/th-nhuthanh-ubnd',
      headers: bearer(t.tokens.techOther),
      payload: { name: 'UBND Như Thanh', unit: 'nghe-an/nhu-thanh' },
    });
    expect(claim.statusCode).toBe(201);
    const locked = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(t.tokens.tech),
      payload: runBody({ siteId: 'th-nhuthanh-ubnd', unit: 'thanh-hoa/bim-son/nhu-thanh' }),
    });
    expect(locked.statusCode).toBe(409);
    const moved = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/th-nhuthanh-ubnd',
      headers: bearer(t.tokens.admin),
      payload: { name: 'UBND Như Thanh', unit: 'thanh-hoa/bim-son/nhu-thanh' },
    });
    expect(moved.statusCode).toBe(200);
    const back = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(t.tokens.tech),
      payload: runBody({ siteId: 'th-nhuthanh-ubnd', unit: 'thanh-hoa/bim-son/nhu-thanh' }),
    });
    expect(back.statusCode).toBe(201);
    // And the technician who claimed it cannot take it back.
    const again = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/th-nhuthanh-ubnd',
      headers: bearer(t.tokens.techOther),
      payload: { name: 'x', unit: 'nghe-an/nhu-thanh' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toEqual({
      code: 'site_unit_mismatch',
      message:
        'site th-nhuthanh-ubnd is registered under unit thanh-hoa/bim-son/nhu-thanh, not nghe-an/nhu-thanh',
      params: {
        site: 'th-nhuthanh-ubnd',
        heldBy: 'thanh-hoa/bim-son/nhu-thanh',
        claimed: 'nghe-an/nhu-thanh',
      },
    });
    // The move is kept, with who made it; the refused claim changed nothing.
    const moves = await t.app.inject({
      method: 'GET',
      url: '/v1/sites/th-nhuthanh-ubnd/moves',
      headers: bearer(t.tokens.tech),
    });
    expect(moves.statusCode).toBe(200);
    expect(moves.json()).toEqual({
      items: [
        {
          at: new Date(t.now.ms).toISOString(),
          from: 'nghe-an/nhu-thanh',
          to: 'thanh-hoa/bim-son/nhu-thanh',
          by: 'admin',
        },
      ],
    });
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/sites/th-nhuthanh-ubnd/moves',
          headers: bearer(t.tokens.techOther),
        })
      ).statusCode,
    ).toBe(403);
  });

  it("the rightful unit's PUT on a site another unit holds is a 409 naming the holder, not a 403", async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/th-quanhoa',
      headers: bearer(t.tokens.techOther),
      payload: { name: 'Quan Hoa', unit: 'nghe-an/quan-hoa' },
    });
    const r = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/th-quanhoa',
      headers: bearer(t.tokens.tech),
      payload: { name: 'Quan Hoa', unit: 'thanh-hoa/bim-son/quan-hoa' },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toBe(
      'site th-quanhoa is registered under unit nghe-an/quan-hoa, not thanh-hoa/bim-son/quan-hoa',
    );
    expect(
      (
        await t.app.inject({ method: 'GET', url: '/v1/sites/th-quanhoa', headers: bearer(t.tokens.admin) })
      ).json(),
    ).toMatchObject({ unit: 'nghe-an/quan-hoa' });
  });
});

describe("an incident's run", () => {
  it('must be of the same site and unit', async () => {
    const other = runBody({ siteId: 'th-bimson-khac', unit: 'thanh-hoa/bim-son/ubnd' });
    const r1 = await t.app.inject({
      method: 'POST',
      url: '/v1/incidents',
      headers: post(t.tokens.tech),
      payload: incidentBody({ run: other }),
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.field).toBe('run.site.id');
    const foreign = runBody({ siteId: 'th-bimson-ubnd', unit: 'nghe-an/vinh' });
    const r2 = await t.app.inject({
      method: 'POST',
      url: '/v1/incidents',
      headers: post(t.tokens.tech),
      payload: incidentBody({ run: foreign }),
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.field).toBe('run.site.unit');
    const same = await t.app.inject({
      method: 'POST',
      url: '/v1/incidents',
      headers: post(t.tokens.tech),
      payload: incidentBody({ run: runBody() }),
    });
    expect(same.statusCode).toBe(201);
  });
});
