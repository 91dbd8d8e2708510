/**
 * Meeting-day parts of the registry on both engines (SQLite and a real
 * PostgreSQL): the meeting tag of runs (GET /v1/runs?meeting=) and call
 * states (POST/GET /v1/sites/:id/call-states, the bridgeConnection store function).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallStateList, CallStateRecord } from '../../src/model/call-state.js';
import type { Run, RunList } from '../../src/model/run.js';
import { runRecord } from '../../src/registry/routes/common.js';
import { bridgeKey, connectionOf } from '../../src/registry/store/call-states.js';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { havePeer } from '../helpers/peers.js';
import { LATEST, pgDownTo, sqliteDownTo } from './downgrade.js';
import { bearer, NOW, post, runBody, type TestApp, testApp } from './fixtures.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

const SITE = 'th-bimson-ubnd';
const at = (min: number) => new Date(NOW - 60 * 60_000 + min * 60_000).toISOString();
const ms = (min: number) => Date.parse(at(min));

/** A version-4 database with a run in it (before the meeting tag and call states) upgrades, keeping the run. */
async function expectUpgradedFromV4(
  store: Store,
  down: (sql: string) => Promise<unknown>,
  reopen: () => Promise<Store>,
) {
  await store.ingestRun(runRecord(runBody(), NOW), { key: 'old-run', fingerprint: 'fp' });
  await down('');
  await store.close();
  const up = await reopen();
  try {
    const [old] = await up.listRuns({ siteId: SITE, limit: 10 });
    expect(old?.meeting).toBeUndefined();
    expect(old?.checks).toHaveLength(2);
    await up.ingestRun(runRecord(runBody({ meeting: 'm-1' }), NOW), { key: 'new-run', fingerprint: 'fp' });
    expect(
      (await up.listRuns({ meetingId: 'm-1', unitPrefix: '', limit: 10 })).map((r) => r.meeting),
    ).toEqual(['m-1']);
    const added = await up.addCallState(
      { siteId: SITE, atMs: NOW, state: 'connected', remote: '8001@b', receivedMs: NOW },
      { key: 'cs', fingerprint: 'fp' },
    );
    expect(added.kind).toBe('created');
  } finally {
    await up.close();
  }
}

function suite(name: string, open: () => Promise<Store>) {
  describe(`meeting day on ${name}`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await testApp(await open());
    });
    afterEach(async () => {
      await t.app.close();
    });
    const inject = (
      method: 'GET' | 'POST',
      url: string,
      headers: Record<string, string>,
      payload?: unknown,
    ) =>
      t.app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

    it('keeps the meeting of a run, lists a meeting across sites within the token scope, and 400s without site or meeting', async () => {
      const tagged = await inject('POST', '/v1/runs', post(t.tokens.tech), runBody({ meeting: 'hdnd-12' }));
      expect(tagged.statusCode).toBe(201);
      await inject('POST', '/v1/runs', post(t.tokens.tech), runBody({ startedAt: at(10) }));
      await inject(
        'POST',
        '/v1/runs',
        post(t.tokens.tech),
        runBody({
          siteId: 'th-bimson-xa',
          unit: 'thanh-hoa/bim-son/xa',
          meeting: 'hdnd-12',
          startedAt: at(5),
        }),
      );
      await inject(
        'POST',
        '/v1/runs',
        post(t.tokens.techOther),
        runBody({ siteId: 'na-vinh', unit: 'nghe-an/vinh', meeting: 'hdnd-12' }),
      );
      const one = await inject(
        'GET',
        `/v1/runs/${(tagged.json() as { id: number }).id}`,
        bearer(t.tokens.tech),
      );
      expect((one.json() as Run).meeting).toBe('hdnd-12');
      const site = await inject('GET', `/v1/runs?site=${SITE}`, bearer(t.tokens.tech));
      expect((site.json() as RunList).items.map((r) => r.meeting ?? null)).toEqual([null, 'hdnd-12']);
      const both = await inject('GET', `/v1/runs?site=${SITE}&meeting=hdnd-12`, bearer(t.tokens.tech));
      expect((both.json() as RunList).items).toHaveLength(1);
      // Without a site: every site of the meeting that the token may read, newest first.
      const bimSon = await inject('GET', '/v1/runs?meeting=hdnd-12', bearer(t.tokens.viewerProvince));
      expect((bimSon.json() as RunList).items.map((r) => r.site.id)).toEqual(['th-bimson-xa', SITE]);
      const all = await inject('GET', '/v1/runs?meeting=hdnd-12&limit=2', bearer(t.tokens.admin));
      const page = all.json() as RunList;
      expect(page.items).toHaveLength(2);
      const rest = await inject(
        'GET',
        `/v1/runs?meeting=hdnd-12&cursor=${page.nextCursor}`,
        bearer(t.tokens.admin),
      );
      expect([...page.items, ...(rest.json() as RunList).items].map((r) => r.site.id).sort()).toEqual([
        'na-vinh',
        SITE,
        'th-bimson-xa',
      ]);
      const none = await inject('GET', '/v1/runs', bearer(t.tokens.admin));
      expect(none.statusCode).toBe(400);
      expect(none.json()).toMatchObject({ error: { code: 'bad_request', field: 'site' } });
      const bad = await inject('POST', '/v1/runs', post(t.tokens.tech), runBody({ meeting: 'Họp HĐND' }));
      expect(bad.statusCode).toBe(400);
    });

    it('stores call states once per key, in scope, and lists them by time window', async () => {
      await inject('POST', '/v1/runs', post(t.tokens.tech), runBody());
      const url = `/v1/sites/${SITE}/call-states`;
      const key = post(t.tokens.tech);
      const first = await inject('POST', url, key, {
        at: at(0),
        state: 'connected',
        remote: 'sip:8001@mcu.thanhhoa.vn',
        meeting: 'hdnd-12',
      });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toEqual({
        id: expect.any(Number),
        site: SITE,
        at: at(0),
        state: 'connected',
        remote: 'sip:8001@mcu.thanhhoa.vn',
        meeting: 'hdnd-12',
        receivedAt: new Date(NOW).toISOString(),
      });
      const again = await inject('POST', url, key, {
        at: at(0),
        state: 'connected',
        remote: 'sip:8001@mcu.thanhhoa.vn',
        meeting: 'hdnd-12',
      });
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect((await inject('POST', url, key, { at: at(1), state: 'disconnected' })).statusCode).toBe(409);
      expect(
        (await inject('POST', url, post(t.tokens.tech), { at: at(30), state: 'disconnected' })).statusCode,
      ).toBe(201);
      expect(
        (await inject('POST', url, post(t.tokens.techOther), { at: at(31), state: 'ringing' })).statusCode,
      ).toBe(403);
      expect(
        (await inject('POST', url, post(t.tokens.viewer), { at: at(31), state: 'ringing' })).statusCode,
      ).toBe(403);
      expect(
        (await inject('POST', url, post(t.tokens.tech), { at: at(31), state: 'asleep' })).statusCode,
      ).toBe(400);
      expect(
        (await inject('POST', url, bearer(t.tokens.tech), { at: at(31), state: 'ringing' })).statusCode,
      ).toBe(400);
      expect(
        (
          await inject('POST', '/v1/sites/nowhere/call-states', post(t.tokens.admin), {
            at: at(0),
            state: 'ringing',
          })
        ).statusCode,
      ).toBe(404);
      const list = await inject('GET', url, bearer(t.tokens.viewer));
      expect((list.json() as CallStateList).items.map((s) => s.state)).toEqual(['connected', 'disconnected']);
      const window = await inject('GET', `${url}?from=${at(1)}&to=${at(40)}`, bearer(t.tokens.viewer));
      expect((window.json() as CallStateList).items.map((s) => s.at)).toEqual([at(30)]);
      expect((await inject('GET', url, bearer(t.tokens.techOther))).statusCode).toBe(403);
      expect(
        (await inject('GET', `${url}?from=${at(5)}&to=${at(1)}`, bearer(t.tokens.admin))).statusCode,
      ).toBe(400);
    });

    it('bridgeConnection: since when, first connected in the window, and minutes connected', async () => {
      await inject('POST', '/v1/runs', post(t.tokens.tech), runBody());
      const put = (min: number, state: string, remote?: string) =>
        t.store.addCallState(
          {
            siteId: SITE,
            atMs: ms(min),
            state: state as CallStateRecord['state'],
            ...(remote ? { remote } : {}),
            receivedMs: NOW,
          },
          { key: `cs-${min}-${state}`, fingerprint: 'fp' },
        );
      // Connected before the window opens, dropped at 20 for 5 minutes, back until the end.
      await put(-10, 'connected', '8001@MCU.thanhhoa.vn');
      await put(20, 'disconnected');
      await put(25, 'ringing', 'sip:8001@mcu.thanhhoa.vn');
      await put(26, 'connected', 'sip:8001@mcu.thanhhoa.vn:5060;transport=tls');
      await put(40, 'connected', 'sip:8001@mcu.thanhhoa.vn');
      await put(50, 'connected', 'sip:9999@mcu.thanhhoa.vn');
      const q = { siteId: SITE, bridge: 'sip:8001@mcu.thanhhoa.vn', fromMs: ms(0), toMs: ms(45) };
      expect(await t.store.bridgeConnection(q)).toEqual({
        connectedSinceMs: ms(26),
        firstConnectedMs: ms(0),
        minutesConnected: 39,
        msConnected: 39 * 60_000,
      });
      // At 60 it is in another room: not connected to this bridge, 44 minutes all told.
      expect(await t.store.bridgeConnection({ ...q, toMs: ms(60) })).toEqual({
        firstConnectedMs: ms(0),
        minutesConnected: 44,
        msConnected: 44 * 60_000,
      });
      expect(await t.store.bridgeConnection({ ...q, siteId: 'nowhere' })).toEqual({
        minutesConnected: 0,
        msConnected: 0,
      });
    });

    it('bridgeConnections: every site of a roll call in one go, each as bridgeConnection answers it', async () => {
      await inject('POST', '/v1/runs', post(t.tokens.tech), runBody());
      await t.store.putSite('th-other', { name: 'Khác', unit: 'thanh-hoa/khac' }, NOW);
      const put = (siteId: string, min: number, state: string, remote?: string) =>
        t.store.addCallState(
          {
            siteId,
            atMs: ms(min),
            state: state as CallStateRecord['state'],
            ...(remote ? { remote } : {}),
            receivedMs: NOW,
          },
          { key: `cs-${siteId}-${min}-${state}`, fingerprint: 'fp' },
        );
      await put(SITE, -10, 'connected', 'sip:8001@mcu.thanhhoa.vn');
      await put(SITE, 20, 'disconnected');
      await put('th-other', -30, 'connected', 'sip:8001@mcu.thanhhoa.vn');
      await put('th-other', -5, 'disconnected');
      await put('th-other', 30, 'connected', 'sip:8001@mcu.thanhhoa.vn');
      const q = { bridge: 'sip:8001@mcu.thanhhoa.vn', fromMs: ms(0), toMs: ms(45) };
      const all = await t.store.bridgeConnections({ ...q, siteIds: [SITE, 'th-other', 'nowhere'] });
      expect([...all.keys()]).toEqual([SITE, 'th-other', 'nowhere']);
      expect(all.get(SITE)).toEqual({
        firstConnectedMs: ms(0),
        minutesConnected: 20,
        msConnected: 20 * 60_000,
      });
      expect(all.get('th-other')).toEqual({
        connectedSinceMs: ms(30),
        firstConnectedMs: ms(30),
        minutesConnected: 15,
        msConnected: 15 * 60_000,
      });
      expect(all.get('nowhere')).toEqual({ minutesConnected: 0, msConnected: 0 });
      for (const siteId of [SITE, 'th-other', 'nowhere'])
        expect(await t.store.bridgeConnection({ ...q, siteId })).toEqual(all.get(siteId));
    });
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-day-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
suite('sqlite', () => openSqlite(path.join(tmp, `d${++n}.db`)));

it('SQLite: the migrations since version 4 (meeting tag, call states) upgrade a database with runs', async () => {
  const file = path.join(tmp, 'v4.db');
  const store = await openSqlite(file);
  await expectUpgradedFromV4(
    store,
    async () => store.handle.exec(`${sqliteDownTo(4)} PRAGMA user_version = 4`),
    async () => {
      const up = await openSqlite(file);
      expect(up.handle.pragma('user_version', { simple: true })).toBe(LATEST);
      return up;
    },
  );
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('postgres', () => {
  let pg: TestPostgres | undefined;
  let db = 0;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());
  suite('postgres', async () => openPostgres(await freshDatabase((pg as TestPostgres).url, `day_${++db}`)));

  it('PostgreSQL: the migrations since version 4 (meeting tag, call states) upgrade a database with runs', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, 'day_v4');
    const store = await openPostgres(url);
    await expectUpgradedFromV4(
      store,
      () => store.pool.query(pgDownTo(4)),
      async () => {
        const up = await openPostgres(url);
        expect((await up.pool.query('SELECT max(version) AS v FROM schema_version')).rows[0]).toEqual({
          v: LATEST,
        });
        return up;
      },
    );
  });
});

describe('the bridge a call is on', () => {
  it('is the same bridge whatever the scheme, case, port and parameters', () => {
    expect(bridgeKey('SIP:8001@MCU.tinh.vn:5061;transport=tls')).toBe('8001@mcu.tinh.vn');
    expect(bridgeKey('h323:10.1.1.5')).toBe('10.1.1.5');
  });
  it('counts a stretch until the next state, clipped to the window', () => {
    const s = (min: number, state: CallStateRecord['state'], remote?: string): CallStateRecord => ({
      id: min,
      site: SITE,
      at: at(min),
      state,
      ...(remote ? { remote } : {}),
      receivedAt: at(min),
    });
    const q = { siteId: SITE, bridge: '8001@b', fromMs: ms(0), toMs: ms(10) };
    expect(connectionOf(undefined, [], q)).toEqual({ minutesConnected: 0, msConnected: 0 });
    expect(connectionOf(undefined, [s(2, 'connected', '8001@b'), s(5, 'disconnected')], q)).toEqual({
      firstConnectedMs: ms(2),
      minutesConnected: 3,
      msConnected: 180_000,
    });
  });
});
