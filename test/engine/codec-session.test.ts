/**
 * One codec session per site run: every codec check of a site shares it,
 * and it is closed when the run ends, also after a timeout and on Ctrl-C.
 * The simulators cap sessions like real codecs do, so a sweep that leaked
 * or multiplied them would be refused (503) and fail here.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSite } from '../../src/engine/run.js';
import { loadProfile } from '../../src/profile/load.js';
import { type CodecSim, startCodecSim } from '../../src/sim/index.js';
import { run } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

const PASSWORD = 'phien-lam-viec';
const CAP = 4;
const SITES = 20;
let dir: string;
let cisco: CodecSim;
let poly: CodecSim;

const site = (
  i: number,
  driver: 'cisco' | 'poly',
  port: number,
  extra = '',
) => `site: { id: xa-${i}, name: "Xã ${i}", unit: "tinh/xa-${i}" }
codec: { driver: ${driver}, scheme: http, host: 127.0.0.1, port: ${port}, username: admin, password: "\${CODEC_PASSWORD}", auth: session, timeout: 2s }
checks:
  - { id: codec, kind: codec-status }
  - { id: codec-reg, kind: codec-registration }
  - { id: codec-periph, kind: codec-peripherals }
  - { id: codec-diag, kind: codec-diagnostics${extra} }
`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-session-'));
  cisco = await startCodecSim('cisco', { password: PASSWORD, sipDial: 'off', maxSessions: CAP });
  poly = await startCodecSim('poly', { password: PASSWORD, sipDial: 'off', maxSessions: CAP });
  await fs.mkdir(path.join(dir, 'profiles'));
  for (let i = 0; i < SITES; i++) {
    const driver = i % 2 ? 'poly' : 'cisco';
    const sim = driver === 'poly' ? poly : cisco;
    await fs.writeFile(path.join(dir, 'profiles', `xa-${i}.yaml`), site(i, driver, sim.port));
  }
});

afterAll(async () => {
  await cisco?.close();
  await poly?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('one codec session per site run', () => {
  it('a 20-site sweep opens one session per site, never more than the cap at once, and leaves none open', async () => {
    const r = await run(['check', 'profiles', '--concurrency', String(CAP), '--format', 'json'], {
      cwd: dir,
      env: { CODEC_PASSWORD: PASSWORD },
    });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.sites).toHaveLength(SITES);
    for (const s of doc.sites) {
      expect([s.site.id, s.verdict]).toEqual([s.site.id, 'ready']);
      expect(s.checks.map((c: { status: string }) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    }
    expect(r.code).toBe(0);
    for (const sim of [cisco, poly]) {
      expect(sim.sessions()).toBe(0);
      expect(sim.sessionsBegun()).toBe(SITES / 2);
      expect(sim.sessionsPeak()).toBeGreaterThan(0);
      expect(sim.sessionsPeak()).toBeLessThanOrEqual(CAP);
    }
  });

  it('the simulators refuse a session past the cap, as a real codec does', async () => {
    const begun: Response[] = [];
    for (let i = 0; i <= CAP; i++) {
      begun.push(
        await fetch(`${cisco.url}/xmlapi/session/begin`, {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
        }),
      );
    }
    expect(begun.map((r) => r.status)).toEqual([...Array(CAP).fill(204), 503]);
    for (const r of begun.slice(0, CAP)) {
      const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      await fetch(`${cisco.url}/xmlapi/session/end`, { method: 'POST', headers: { cookie } });
    }
    expect(cisco.sessions()).toBe(0);
  });

  for (const driver of ['cisco', 'poly'] as const) {
    it(`${driver}: the session is closed after a check times out and after Ctrl-C`, async () => {
      const sim = driver === 'poly' ? poly : cisco;
      const file = path.join(dir, `slow-${driver}.yaml`);
      await fs.writeFile(file, site(99, driver, sim.port, ', timeout: 300ms'));
      const ctx = testContext({ env: { CODEC_PASSWORD: PASSWORD } });
      const { profile } = await loadProfile(file, { t: ctx.t, env: ctx.env, cwd: ctx.cwd });
      if (!profile) throw new Error('profile did not load');
      sim.update({ slow_ms: 150 });
      try {
        // Each request takes 150 ms: diagnostics (login + read) runs out of its 300 ms.
        const timedOut = await runSite(profile, ctx);
        expect(timedOut.checks.find((c) => c.id === 'codec-diag')?.error?.code).toBe('TIMEOUT');
        expect(sim.sessions()).toBe(0);

        const controller = new AbortController();
        const cancelCtx = testContext({ env: { CODEC_PASSWORD: PASSWORD }, signal: controller.signal });
        setTimeout(() => controller.abort(), 200);
        const cancelled = await runSite(profile, cancelCtx);
        expect(cancelled.checks.some((c) => c.error?.code === 'CANCELLED')).toBe(true);
        expect(sim.sessions()).toBe(0);
      } finally {
        sim.update({ slow_ms: 0 });
      }
    });
  }
});
