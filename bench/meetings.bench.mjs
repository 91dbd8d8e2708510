// The meeting register at scale (docs/meetings.md), on SQLite and PostgreSQL,
// through a real registry on 127.0.0.1 (Fastify listening, node:http client
// with keep-alive):
//   1. Booking with clash detection: POST /v1/meetings against 100,000 meetings
//      already in the register (60 bridges, each with two host units and their
//      rooms, 1–4 h each, three years back and one ahead; past ones done, a few
//      cancelled, postponed, or left scheduled as if the scheduler had missed
//      them). Bookings that fit a free gap (201), that overlap a scheduled
//      meeting on the same bridge (409 meeting_clash, on bridge) and that take a
//      busy host room on another bridge (409, on room): p50/p99 of each.
//   2. Readiness of one meeting of 3,321 sites (every commune, 34 provinces)
//      with 365 days of nightly runs (one per site per day, ~1.2 M), the
//      100,000 meetings in the same database: GET /v1/meetings/:id/readiness,
//      time to the first byte and to the last, at T−15 (before the start) and
//      from T0 (roll call: one call-state query per site), for a meeting
//      naming its 3,321 site ids and one naming the 34 province prefixes.
// The 100,000 meetings and the runs are seeded straight into the schema (the
// store's migrations, then batches), not through HTTP; the seeding time is printed.
// BENCH_MEETINGS, BENCH_BOOKINGS, BENCH_SITES, BENCH_DAYS, BENCH_REPS, BENCH_ENGINES
// change the sizes; BENCH_EXPLAIN=1 prints the query plans of the clash and readiness queries;
// BENCH_BASE_DIST=DIR/dist times another build's readiness beside this one's, taking turns.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as seed from './registry-seed.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// BENCH_DIST: a private build (npx tsc -p tsconfig.build.json --outDir DIR/dist) when dist/ is busy.
const dist = process.env.BENCH_DIST ?? path.resolve(here, '../dist');
const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 100_000);
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 400);
const SITES = Number(process.env.BENCH_SITES ?? 3321);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const REPS = Number(process.env.BENCH_REPS ?? 7);
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
const BASE_DIST = process.env.BENCH_BASE_DIST;
const BRIDGES = 60;
const HOUR = 3_600_000;
const DAY = seed.DAY;
// Whole minutes, so the ISO times the route reads back are the stored ones.
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const FROM = NOW - 3 * 365 * DAY;
const TO = NOW + 365 * DAY;

/** mulberry32: the same register on both engines. */
function rng(seedValue) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
const provinceOf = (b) => `p${pad((b % seed.PROVINCES) + 1)}`;
const bridgeUri = (b) => `sip:80${pad(b)}@mcu.${provinceOf(b)}.gov.vn`;
const bridgeKey = (uri) => uri.toLowerCase().replace(/^(sips?|h323):/, '');
const hostsOf = (b) => [`${provinceOf(b)}/ubnd-${pad(b)}`, `${provinceOf(b)}/hdnd-${pad(b)}`];
const ROOMS = ['Hội trường A', 'Phòng họp trực tuyến số 1', 'Phòng họp tầng 3'];
const roomKeyOf = (host, room) => `${host}|${room.trim().toLowerCase().replace(/\s+/g, ' ')}`;

/**
 * The register: per bridge, meetings one after another with gaps of 1–36 h
 * (so a bridge's meetings never overlap, nor do its host units' rooms).
 * Returns the rows and, per bridge, its timeline (for the bookings).
 */
function register() {
  const next = rng(14);
  const perBridge = Math.ceil(MEETINGS / BRIDGES);
  const step = (TO - FROM) / perBridge;
  const meetings = [];
  const timelines = Array.from({ length: BRIDGES }, () => []);
  for (let b = 0; b < BRIDGES; b++) {
    let t = FROM + Math.floor(next() * step);
    for (let k = 0; k < perBridge && meetings.length < MEETINGS; k++) {
      const dur = (4 + Math.floor(next() * 13)) * 15 * 60_000; // 1–4 h by quarters
      const start = Math.floor(t / 60_000) * 60_000;
      const end = start + dur;
      const host = hostsOf(b)[Math.floor(next() * 2)];
      const room = next() < 0.7 ? ROOMS[Math.floor(next() * ROOMS.length)] : undefined;
      const r = next();
      const status =
        end <= NOW
          ? r < 0.02
            ? 'cancelled'
            : r < 0.025
              ? 'scheduled' // the scheduler missed it: stored scheduled, ended
              : 'done'
          : start <= NOW
            ? 'in-progress'
            : r < 0.03
              ? 'cancelled'
              : r < 0.05
                ? 'postponed'
                : 'scheduled';
      const emergency = next() < 0.03;
      const units = [provinceOf(b)];
      if (next() < 0.3) units.push(provinceOf(b + 7));
      const m = {
        id: meetings.length + 1,
        host,
        title: `Hội nghị ${meetings.length + 1}`,
        kind: emergency ? 'emergency' : 'regular',
        status,
        start,
        end,
        bridge: bridgeUri(b),
        bridgeKey: bridgeKey(bridgeUri(b)),
        roomKey: room ? roomKeyOf(host, room) : null,
        flags: emergency ? 'emergency' : '',
        body: JSON.stringify({ ...(room ? { room } : {}), participants: { units } }),
        created: start - (emergency ? HOUR : 5 * DAY),
        units,
        room,
      };
      meetings.push(m);
      timelines[b].push(m);
      // Gaps of 1 h to 2 × (mean step − mean length) − 1 h (1–36 h for 100,000 meetings).
      t = end + HOUR + Math.floor(next() * (2 * (step - 2.5 * HOUR) - 2 * HOUR));
    }
  }
  return { meetings, timelines };
}

/** The bookings to make: free gaps, bridge clashes, room clashes (each predicted from the timelines). */
function bookings(timelines) {
  const next = rng(15);
  const farEnough = NOW + 4 * DAY; // beyond the 72 h notice rule
  const used = new Set();
  const out = [];
  for (let i = 0; i < BOOKINGS; i++) {
    const b = Math.floor(next() * BRIDGES);
    const line = timelines[b];
    const r = next();
    // A random future meeting of the bridge, and the gap after it.
    const first = line.findIndex((m) => m.start >= farEnough);
    const last = line.findLastIndex((m) => m.end < NOW + 399 * DAY); // the route's limit is 400 days
    if (first < 0 || last <= first) throw new Error(`bridge ${b} has no meeting ahead to book around`);
    const k = first + Math.floor(next() * (last - first));
    const m = line[k];
    const host = hostsOf(b)[0];
    // One booking per meeting and the gap after it: bookings that are let in never overlap each other.
    if (used.has(`${b}:${k}`)) {
      i--;
      continue;
    }
    used.add(`${b}:${k}`);
    if (r < 0.5) {
      // Free: inside the gap after meeting k (gaps are ≥ 1 h); same bridge, the host's room.
      const gap = line[k + 1].start - m.end;
      const start = m.end + Math.min(15 * 60_000, gap / 4);
      const end = Math.min(start + 2 * HOUR, line[k + 1].start);
      out.push({ expect: 201, kind: 'free', b, host, start, end, bridge: bridgeUri(b), room: ROOMS[0] });
    } else {
      // Inside meeting k (≥ 1 h): on its bridge, or in its host's room from a bridge of its own.
      const active = m.status === 'scheduled';
      const start = m.start + 15 * 60_000;
      const end = Math.min(start + HOUR, m.end);
      if (r < 0.85 || !m.room) {
        out.push({
          expect: active ? 409 : 201,
          kind: active ? 'bridge' : 'free',
          b,
          host,
          start,
          end,
          bridge: m.bridge,
        });
      } else {
        out.push({
          expect: active ? 409 : 201,
          kind: active ? 'room' : 'free',
          b,
          host: m.host,
          start,
          end,
          bridge: `sip:adhoc-${i}@mcu.vn`,
          room: m.room,
        });
      }
    }
  }
  return out;
}

// ---- seeding ----

const MEETING_INSERT =
  'INSERT INTO meetings (id, host_unit, title, kind, status, start_ms, end_ms, bridge, bridge_key, room_key, flags, body, created_ms, updated_ms)';
const meetingRow = (m) => [
  m.id,
  m.host,
  m.title,
  m.kind,
  m.status,
  m.start,
  m.end,
  m.bridge,
  m.bridgeKey,
  m.roomKey,
  m.flags,
  m.body,
  m.created,
  m.status === 'done' ? m.end : m.created,
];
/** History: created, and started/done for the ones the scheduler handled. */
function* eventRows(m) {
  yield [m.id, 1, m.created, 'created', 'bench'];
  if (m.status === 'done' || m.status === 'in-progress') yield [m.id, 2, m.start, 'started', null];
  if (m.status === 'done') yield [m.id, 3, m.end, 'done', null];
  if (m.status === 'cancelled' || m.status === 'postponed')
    yield [m.id, 2, m.created + DAY, m.status, 'bench'];
}

async function seedSqlite(store, meetings) {
  const t0 = performance.now();
  const runs = await seed.seedSqlite(store, { sites: SITES, days: DAYS, now: NOW });
  const t1 = performance.now();
  const db = store.handle;
  const ins = db.prepare(`${MEETING_INSERT} VALUES (${Array(14).fill('?').join(', ')})`);
  const unit = db.prepare('INSERT INTO meeting_units (meeting_id, unit) VALUES (?, ?)');
  const ev = db.prepare(
    'INSERT INTO meeting_events (meeting_id, seq, at_ms, action, actor) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const m of meetings) {
      ins.run(...meetingRow(m));
      for (const u of m.units) unit.run(m.id, u);
      for (const e of eventRows(m)) ev.run(...e);
    }
  })();
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { runs, runsS: (t1 - t0) / 1000, meetingsS: (performance.now() - t1) / 1000 };
}

async function seedPostgres(store, meetings) {
  const t0 = performance.now();
  const runs = await seed.seedPostgres(store, { sites: SITES, days: DAYS, now: NOW });
  const t1 = performance.now();
  const pool = store.pool;
  // The column types of MEETING_INSERT, in order.
  const types = 'bigint text text text text bigint bigint text text text text text bigint bigint'.split(' ');
  for (let i = 0; i < meetings.length; i += 20_000) {
    const chunk = meetings.slice(i, i + 20_000);
    const cols = types.map(() => []);
    const units = [[], []];
    const events = [[], [], [], [], []];
    for (const m of chunk) {
      meetingRow(m).forEach((v, k) => {
        cols[k].push(v);
      });
      for (const u of m.units) {
        units[0].push(m.id);
        units[1].push(u);
      }
      for (const e of eventRows(m))
        e.forEach((v, k) => {
          events[k].push(v);
        });
    }
    await pool.query(
      `${MEETING_INSERT} SELECT * FROM unnest(${types.map((t, k) => `$${k + 1}::${t}[]`).join(', ')})`,
      cols,
    );
    await pool.query(
      'INSERT INTO meeting_units (meeting_id, unit) SELECT * FROM unnest($1::bigint[], $2::text[])',
      units,
    );
    await pool.query(
      `INSERT INTO meeting_events (meeting_id, seq, at_ms, action, actor)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[], $5::text[])`,
      events,
    );
  }
  await pool.query(`SELECT setval('meetings_id_seq', $1)`, [meetings.length]);
  await pool.query('VACUUM ANALYZE');
  return { runs, runsS: (t1 - t0) / 1000, meetingsS: (performance.now() - t1) / 1000 };
}

// ---- HTTP ----

let agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request over the real socket: status, ms to the first byte of the body and to the last, the body. */
function request(port, method, url, token, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const t0 = performance.now();
    let first;
    const chunks = [];
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        res.on('data', (c) => {
          first ??= performance.now() - t0;
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            first,
            last: performance.now() - t0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const median = (xs) => quantile(xs, 0.5);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

// ---- EXPLAIN ----

async function explain(store, sql, params) {
  if (store.engine === 'sqlite') {
    const plan = store.handle.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params);
    return plan.map((r) => `    ${r.detail}`).join('\n');
  }
  let n = 0;
  const pgSql = sql.replace(/\?/g, () => `$${++n}`);
  const { rows } = await store.pool.query(`EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) ${pgSql}`, params);
  return rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n');
}

async function explainAll(store, mod, b, meeting, ids) {
  const { clashSql } = mod;
  const params = [];
  const sql = clashSql(
    { startMs: b.start, endMs: b.end, bridgeKey: bridgeKey(b.bridge), roomKey: roomKeyOf(b.host, ROOMS[0]) },
    0,
    NOW,
    (v) => {
      params.push(v);
      return '?';
    },
  );
  console.log(`  clash query:\n${await explain(store, sql, params)}`);
  const start = Date.parse(meeting.start);
  const lastRuns =
    store.engine === 'sqlite'
      ? `SELECT r.id FROM json_each(?) j JOIN runs r ON r.id = (SELECT x.id FROM runs x WHERE x.site_id = j.value AND x.started_ms < ? ORDER BY x.started_ms DESC, x.id DESC LIMIT 1)`
      : `SELECT r.id FROM unnest(?::text[]) AS j(site_id) CROSS JOIN LATERAL (SELECT x.id FROM runs x WHERE x.site_id = j.site_id AND x.started_ms < ? ORDER BY x.started_ms DESC, x.id DESC LIMIT 1) r`;
  const idsParam = store.engine === 'sqlite' ? JSON.stringify(ids) : ids;
  console.log(`  last runs before the start:\n${await explain(store, lastRuns, [idsParam, start])}`);
  const overlap = `SELECT id FROM meetings WHERE status IN ('scheduled', 'in-progress') AND id <> ? AND start_ms < ? AND end_ms > ? AND start_ms > ? ORDER BY start_ms, id LIMIT 500`;
  console.log(
    `  overlapping meetings:\n${await explain(store, overlap, [meeting.id, Date.parse(meeting.end), start, start - 7 * DAY])}`,
  );
}

// ---- the measurements ----

async function measure(label, store, seedFn) {
  const { buildApp } = await import(path.join(dist, 'registry/server.js'));
  const { createToken } = await import(path.join(dist, 'registry/auth.js'));
  const rows = await import(path.join(dist, 'registry/store/meetings-rows.js'));
  const { meetings, timelines } = register();
  const s = await seedFn(store, meetings);
  console.log(
    `${label}: seeded ${s.runs.runs.toLocaleString('en')} runs of ${SITES.toLocaleString('en')} sites in ${s.runsS.toFixed(1)} s, ` +
      `${meetings.length.toLocaleString('en')} meetings (+ participants, history) in ${s.meetingsS.toFixed(1)} s; ` +
      `${((await store.sizeBytes()) / 2 ** 20).toFixed(0)} MB on disk; load ${load()}`,
  );
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let clock = NOW;
  const { token } = await createToken(store, { role: 'admin', unit: '', label: 'bench', nowMs: NOW });
  const app = await buildApp({ store, version: 'bench', logLevel: 'silent', now: () => clock });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address();
  // BENCH_BASE_DIST: another build's registry on the same store, its readiness timed alternately with this one's.
  const baseApp = BASE_DIST
    ? await (await import(path.join(BASE_DIST, 'registry/server.js'))).buildApp({
        // The same store, which this build's registry closes: closing it twice fails on PostgreSQL.
        store: new Proxy(store, {
          get: (t, k) => (k === 'close' ? async () => {} : typeof t[k] === 'function' ? t[k].bind(t) : t[k]),
        }),
        version: 'base',
        logLevel: 'silent',
        now: () => clock,
      })
    : undefined;
  await baseApp?.listen({ host: '127.0.0.1', port: 0 });
  const targets = [
    { name: 'this build', port },
    ...(baseApp ? [{ name: 'base build', port: baseApp.server.address().port }] : []),
  ];
  try {
    // 1. bookings
    const plan = bookings(timelines);
    const iso = (ms) => new Date(ms).toISOString();
    const book = (b, i) =>
      request(
        port,
        'POST',
        '/v1/meetings',
        token,
        {
          title: `Đặt lịch ${i}`,
          hostUnit: b.host,
          start: iso(b.start),
          end: iso(b.end),
          bridge: b.bridge,
          ...(b.room ? { room: b.room } : {}),
          participants: i % 5 === 0 ? { sites: [seed.siteOf(i % SITES)] } : { units: [provinceOf(b.b)] },
        },
        { 'idempotency-key': `bench-${label}-${i}` },
      );
    // Warm up: the route, the statements, the pool (bookings on bridges of their own, not counted).
    for (let i = 0; i < 20; i++)
      await book({ ...plan[i], bridge: `sip:warm-${i}@mcu.vn`, room: undefined, expect: 201 }, 100_000 + i);
    const times = { free: [], bridge: [], room: [] };
    const loadBefore = load();
    const t0 = performance.now();
    for (let i = 0; i < plan.length; i++) {
      const b = plan[i];
      const r = await book(b, i);
      if (r.status !== b.expect)
        throw new Error(
          `booking ${i} (${b.kind}): ${r.status}, expected ${b.expect}: ${r.text.slice(0, 300)}`,
        );
      if (r.status === 409) {
        const e = JSON.parse(r.text);
        const on = (e.error ?? e).other?.on;
        if (on !== b.kind) throw new Error(`booking ${i}: clash on ${on}, expected ${b.kind}`);
      }
      times[b.kind].push(r.last);
    }
    const wall = (performance.now() - t0) / 1000;
    const fmt = (xs) =>
      xs.length
        ? `${xs.length} × p50 ${median(xs).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms`
        : 'none';
    console.log(
      `${label}: bookings against ${meetings.length.toLocaleString('en')} meetings (${plan.length} in ${wall.toFixed(1)} s, load ${loadBefore} → ${load()}):\n` +
        `  201 free gap      ${fmt(times.free)}\n` +
        `  409 on the bridge ${fmt(times.bridge)}\n` +
        `  409 on the room   ${fmt(times.room)}\n` +
        `  all               ${fmt([...times.free, ...times.bridge, ...times.room])}`,
    );

    // 2. readiness of a 3,321-site meeting, booked at T−15 (an emergency: no notice rule).
    const start = NOW - 90 * 60_000; // the last nightly runs fall half in its T−60 window
    clock = start - 15 * 60_000;
    const ids = Array.from({ length: SITES }, (_, i) => seed.siteOf(i));
    const provinces = Array.from({ length: seed.PROVINCES }, (_, i) => `p${pad(i + 1)}`);
    const readinessOf = async (name, participants, i, start) => {
      const r = await request(
        port,
        'POST',
        '/v1/meetings',
        token,
        {
          title: `Hội nghị toàn quốc ${name}`,
          hostUnit: 'p01/ubnd-00',
          start: iso(start),
          end: iso(start + 3 * HOUR),
          kind: 'emergency',
          bridge: `sip:${9000 + i}@mcu.chinhphu.vn`,
          participants,
        },
        { 'idempotency-key': `bench-${label}-national-${i}` },
      );
      if (r.status !== 201) throw new Error(`national meeting: ${r.status} ${r.text.slice(0, 300)}`);
      return JSON.parse(r.text);
    };
    const byIds = await readinessOf('(3,321 site ids)', { sites: ids }, 0, start);
    // A day earlier, so the two do not overlap each other (the nightly runs fall the same way in its window).
    clock = start - DAY - 15 * 60_000;
    const byUnits = await readinessOf('(34 provinces)', { units: provinces }, 1, start - DAY);
    // The runs made for the meeting (check --meeting): every run of its T−60 window is tagged.
    const tagSql = `UPDATE runs SET meeting_id = ${store.engine === 'sqlite' ? '?' : '$1'} WHERE started_ms >= ${store.engine === 'sqlite' ? '?' : '$2'} AND started_ms < ${store.engine === 'sqlite' ? '?' : '$3'}`;
    const tagArgs = [String(byIds.id), start - HOUR, start];
    const tagged =
      store.engine === 'sqlite'
        ? store.handle.prepare(tagSql).run(...tagArgs).changes
        : (await store.pool.query(tagSql, tagArgs)).rowCount;
    if (EXPLAIN) await explainAll(store, rows, plan[0], byIds, ids);
    /** Median of REPS warm GETs per target, the targets taking turns (A B B A …) so the load falls on both alike. */
    const timeReadiness = async (m) => {
      const url = `/v1/meetings/${m.id}/readiness`;
      const got = targets.map(() => ({ firsts: [], lasts: [], body: undefined }));
      for (let i = 0; i < REPS + 1; i++) {
        const order = i % 2 ? [...targets.keys()].reverse() : [...targets.keys()];
        for (const t of order) {
          const r = await request(targets[t].port, 'GET', url, token);
          if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.text.slice(0, 300)}`);
          if (i === 0)
            got[t].body = r.text; // the first one warms up
          else {
            got[t].firsts.push(r.first);
            got[t].lasts.push(r.last);
          }
        }
      }
      return got.map((g) => ({
        first: median(g.firsts),
        last: median(g.lasts),
        lastMax: Math.max(...g.lasts),
        bytes: g.body.length,
        counts: JSON.parse(g.body).counts,
      }));
    };
    const line = (what, rs) =>
      rs
        .map(
          (r, t) =>
            `  ${what}${targets.length > 1 ? ` [${targets[t].name}]` : ''}: first byte ${r.first.toFixed(0)} ms, last ${r.last.toFixed(0)} ms (max ${r.lastMax.toFixed(0)}), ` +
            `${(r.bytes / 2 ** 20).toFixed(2)} MiB, ${r.counts.sites} sites: ${r.counts.ready} ready, ${r.counts.notChecked} not checked, ${r.counts.overlapping} overlapping`,
        )
        .join('\n');
    const l0 = load();
    clock = start - 15 * 60_000;
    const beforeIds = await timeReadiness(byIds);
    clock = start - DAY - 15 * 60_000;
    const beforeUnits = await timeReadiness(byUnits);
    clock = start + 30 * 60_000;
    const fromT0Ids = await timeReadiness(byIds);
    console.log(
      `${label}: readiness of a ${SITES.toLocaleString('en')}-site meeting over ${s.runs.runs.toLocaleString('en')} runs ` +
        `(${tagged} tagged for it), median of ${REPS} (load ${l0} → ${load()}):\n` +
        `${line('T−15, 3,321 site ids ', beforeIds)}\n${line('T−15, 34 provinces   ', beforeUnits)}\n${line('T0+30, roll call, ids', fromT0Ids)}`,
    );
  } finally {
    await app.close();
    await baseApp?.close();
    agent.destroy();
  }
}

console.log(
  `meetings: ${MEETINGS.toLocaleString('en')} meetings on ${BRIDGES} bridges, ${BOOKINGS} bookings; ` +
    `${SITES} sites × ${DAYS} nightly runs; Node ${process.version}, ${os.cpus().length} CPUs, load ${load()}`,
);
await seed.onEachStore({ dist, name: 'meetings', measure, seedSqlite, seedPostgres });
