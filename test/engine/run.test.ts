import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { type CheckKind, defineKind } from '../../src/checks/types.js';
import { runSite } from '../../src/engine/run.js';
import { exitCodeFor, siteVerdict, worstVerdict } from '../../src/engine/verdict.js';
import type { CheckSpec, ResolvedProfile } from '../../src/profile/types.js';
import { testContext } from '../helpers/context.js';

/** Sleeps `ms`, then answers `status`; stops early (as error) when its signal aborts. */
const sleep = defineKind({
  kind: 'sleep',
  remote: true,
  defaultTimeoutMs: 5000,
  params: Type.Object({ ms: Type.Number(), status: Type.Optional(Type.String()) }),
  run: (p, ctx) =>
    new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ status: (p.status ?? 'pass') as 'pass', summary: `slept ${p.ms}` }),
        p.ms,
      );
      ctx.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }),
});

const local = defineKind({ ...sleep, kind: 'local', remote: false });

/** Ignores its signal entirely: the engine must still stop waiting at the timeout. */
const hang = defineKind({
  kind: 'hang',
  remote: true,
  defaultTimeoutMs: 5000,
  params: Type.Object({}),
  run: () => new Promise(() => {}),
});

const boom = defineKind({
  kind: 'boom',
  remote: true,
  defaultTimeoutMs: 5000,
  params: Type.Object({}),
  run: async () => {
    throw new Error('kaput');
  },
});

function flaky(failures: number) {
  let calls = 0;
  return defineKind({
    kind: 'flaky',
    remote: true,
    defaultTimeoutMs: 5000,
    params: Type.Object({}),
    run: async () => {
      calls += 1;
      return calls <= failures
        ? { status: 'fail', summary: `fail #${calls}` }
        : { status: 'pass', summary: `pass on ${calls}` };
    },
  });
}

function spec(
  id: string,
  kind: string,
  extra: Partial<CheckSpec> & { params?: Record<string, unknown> } = {},
): CheckSpec {
  return {
    id,
    kind,
    required: true,
    retries: 0,
    needs: [],
    ...extra,
    params: { id, kind, ...(extra.params ?? {}) },
  };
}

function profile(checks: CheckSpec[]): ResolvedProfile {
  return {
    file: '/tmp/site.yaml',
    files: ['/tmp/site.yaml'],
    site: { id: 'xa-a', name: 'UBND xã A', unit: 'thanh-hoa/xa-a' },
    bridges: [],
    checks,
    secretPaths: [],
    document: {},
  };
}

function kinds(...list: CheckKind[]) {
  // biome-ignore lint/suspicious/noExplicitAny: test kinds
  const map = new Map<string, CheckKind<any>>(list.map((k) => [k.kind, k]));
  return (kind: string) => map.get(kind);
}

const resolveKind = kinds(sleep, local, hang, boom);

describe('runSite', () => {
  it('runs independent checks in parallel: wall time is the slowest, not the sum', async () => {
    const ctx = testContext();
    const checks = [100, 200, 300, 250].map((ms, i) => spec(`c${i}`, 'sleep', { params: { ms } }));
    const run = await runSite(profile(checks), ctx, { resolveKind });
    expect(run.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    // Sum is 850 ms; in parallel it is bounded by the slowest (300 ms) plus scheduling.
    expect(run.durationMs).toBeLessThan(800);
    expect(run.verdict).toBe('ready');
  });

  it('bounds parallelism', async () => {
    const ctx = testContext();
    let active = 0;
    let peak = 0;
    const counting = defineKind({
      ...sleep,
      kind: 'counting',
      run: async (p) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, p.ms));
        active -= 1;
        return { status: 'pass', summary: 'ok' };
      },
    });
    const checks = Array.from({ length: 6 }, (_, i) => spec(`c${i}`, 'counting', { params: { ms: 30 } }));
    await runSite(profile(checks), ctx, { resolveKind: kinds(counting), parallel: 2 });
    expect(peak).toBe(2);
  });

  it('runs a check only after what it needs has passed, and skips dependants with the reason', async () => {
    const ctx = testContext();
    const order: string[] = [];
    const rec = defineKind({
      ...sleep,
      kind: 'rec',
      run: async (p) => {
        order.push(String((p as { id?: string }).id));
        return { status: (p.status ?? 'pass') as 'pass' | 'fail', summary: 'x' };
      },
    });
    const checks = [
      spec('dial', 'rec', { needs: ['codec', 'net'], params: { ms: 0 } }),
      spec('codec', 'rec', { params: { ms: 0 } }),
      spec('net', 'rec', { params: { ms: 0, status: 'fail' } }),
      spec('after-codec', 'rec', { needs: ['codec'], params: { ms: 0 } }),
    ];
    const run = await runSite(profile(checks), ctx, { resolveKind: kinds(rec) });
    const byId = Object.fromEntries(run.checks.map((c) => [c.id, c]));
    expect(byId.dial?.status).toBe('skip');
    expect(byId.dial?.summary).toBe('skipped: needs net to pass first');
    expect(byId.dial?.error?.code).toBe('NEEDS_NOT_MET');
    expect(byId.dial?.attempts).toBe(0);
    expect(byId['after-codec']?.status).toBe('pass');
    expect(order.indexOf('after-codec')).toBeGreaterThan(order.indexOf('codec'));
    expect(order).not.toContain('dial');
    // Results keep the profile's order.
    expect(run.checks.map((c) => c.id)).toEqual(['dial', 'codec', 'net', 'after-codec']);
    expect(run.verdict).toBe('not-ready');
  });

  it('does not run a check the profile marks `skip:`, and its dependants wait on nothing', async () => {
    const ctx = testContext();
    const checks = [
      spec('cam', 'sleep', { skip: 'camera sent for repair', params: { ms: 0 } }),
      spec('after', 'sleep', { needs: ['cam'], params: { ms: 0 } }),
    ];
    const run = await runSite(profile(checks), ctx, { resolveKind });
    expect(run.checks[0]).toMatchObject({
      status: 'skip',
      summary: 'skipped: camera sent for repair',
      attempts: 0,
      error: { code: 'SKIPPED_BY_PROFILE' },
    });
    // A dependant of a skipped check is skipped too (its need did not pass).
    expect(run.checks[1]).toMatchObject({ status: 'skip', error: { code: 'NEEDS_NOT_MET' } });
    // A skip the profile asked for is not a failure: an advisory dependant keeps the site ready.
    expect(siteVerdict([run.checks[0]!])).toBe('ready');
  });

  it('says why a dependant was skipped in Vietnamese too', async () => {
    const ctx = testContext({ locale: 'vi' });
    const checks = [
      spec('a', 'sleep', { params: { ms: 0, status: 'fail' } }),
      spec('b', 'sleep', { needs: ['a'], params: { ms: 0 } }),
    ];
    const run = await runSite(profile(checks), ctx, { resolveKind });
    expect(run.checks[1]?.summary).toBe('bỏ qua: cần a đạt trước');
  });

  it('stops a check at its timeout, even one that ignores its signal', async () => {
    const ctx = testContext();
    const checks = [
      spec('h', 'hang', { timeoutMs: 200 }),
      spec('s', 'sleep', { timeoutMs: 100, params: { ms: 10_000 } }),
    ];
    const run = await runSite(profile(checks), ctx, { resolveKind });
    for (const c of run.checks) {
      expect(c.status).toBe('error');
      expect(c.error?.code).toBe('TIMEOUT');
    }
    expect(run.checks[0]?.summary).toBe('no answer within 0.2 s');
    expect(run.checks[0]?.error?.hint).toMatch(/cable and power/);
    expect(run.durationMs).toBeLessThan(2000);
  });

  it('retries a failing check and records the attempts', async () => {
    const ctx = testContext();
    const run = await runSite(profile([spec('f', 'flaky', { retries: 3 })]), ctx, {
      resolveKind: kinds(flaky(2)),
      retryDelayMs: 0,
    });
    expect(run.checks[0]?.status).toBe('pass');
    expect(run.checks[0]?.attempts).toBe(3);
    expect(run.checks[0]?.summary).toBe('pass on 3');
  });

  it('gives up after the last retry', async () => {
    const ctx = testContext();
    const run = await runSite(profile([spec('f', 'flaky', { retries: 1 })]), ctx, {
      resolveKind: kinds(flaky(5)),
      retryDelayMs: 0,
    });
    expect(run.checks[0]?.status).toBe('fail');
    expect(run.checks[0]?.attempts).toBe(2);
  });

  it('turns a crashing check into an error result', async () => {
    const ctx = testContext();
    const run = await runSite(profile([spec('b', 'boom')]), ctx, { resolveKind });
    expect(run.checks[0]).toMatchObject({
      status: 'error',
      error: { code: 'CHECK_FAILED', message: 'kaput' },
    });
  });

  it('honours the whole-run deadline: running checks stop, waiting ones are not run', async () => {
    const ctx = testContext();
    const checks = [
      spec('long', 'sleep', { params: { ms: 10_000 } }),
      spec('after', 'sleep', { needs: ['quick'], params: { ms: 10_000 } }),
      spec('quick', 'sleep', { params: { ms: 10 } }),
    ];
    const t0 = ctx.clock.monotonic();
    const run = await runSite(profile(checks), ctx, { resolveKind, deadline: t0 + 300 });
    const byId = Object.fromEntries(run.checks.map((c) => [c.id, c]));
    expect(byId.long?.error?.code).toBe('DEADLINE');
    expect(byId.quick?.status).toBe('pass');
    expect(byId.after?.error?.code).toBe('DEADLINE');
    expect(run.durationMs).toBeLessThan(2000);
    expect(run.verdict).toBe('not-ready');
  });

  it('stops everything on Ctrl-C (the context signal)', async () => {
    const controller = new AbortController();
    const ctx = testContext({ signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const run = await runSite(profile([spec('long', 'sleep', { params: { ms: 10_000 } })]), ctx, {
      resolveKind,
    });
    expect(run.checks[0]?.error?.code).toBe('CANCELLED');
  });

  it('filters with --only, --skip and --remote (by id or kind)', async () => {
    const ctx = testContext();
    const checks = [
      spec('a', 'sleep', { params: { ms: 0 } }),
      spec('b', 'local', { params: { ms: 0 } }),
      spec('c', 'sleep', { params: { ms: 0 } }),
    ];
    const ids = async (o: object) =>
      (await runSite(profile(checks), ctx, { resolveKind, ...o })).checks.map((c) => c.id);
    expect(await ids({ only: ['a', 'local'] })).toEqual(['a', 'b']);
    expect(await ids({ skip: ['sleep'] })).toEqual(['b']);
    expect(await ids({ remote: true })).toEqual(['a', 'c']);
    const remoteOverride = [spec('b', 'local', { remote: true, params: { ms: 0 } })];
    expect(
      (await runSite(profile(remoteOverride), ctx, { resolveKind, remote: true })).checks.map((c) => c.id),
    ).toEqual(['b']);
  });

  it('a need that was filtered out does not block the dependant', async () => {
    const ctx = testContext();
    const checks = [
      spec('a', 'sleep', { params: { ms: 0, status: 'fail' } }),
      spec('b', 'sleep', { needs: ['a'], params: { ms: 0 } }),
    ];
    const run = await runSite(profile(checks), ctx, { resolveKind, only: ['b'] });
    expect(run.checks.map((c) => [c.id, c.status])).toEqual([['b', 'pass']]);
  });
});

describe('verdicts and exit codes', () => {
  const r = (status: 'pass' | 'warn' | 'fail' | 'skip' | 'error', required = true, code?: string) =>
    ({
      id: 'x',
      kind: 'k',
      status,
      required,
      summary: '',
      metrics: {},
      startedAt: '',
      durationMs: 0,
      attempts: 1,
      ...(code ? { error: { code, message: '' } } : {}),
    }) as const;
  it('maps results to ready / degraded / not-ready', () => {
    expect(siteVerdict([r('pass'), r('skip')])).toBe('ready');
    expect(siteVerdict([r('pass'), r('warn')])).toBe('degraded');
    expect(siteVerdict([r('pass'), r('fail', false)])).toBe('degraded');
    expect(siteVerdict([r('pass'), r('error', false)])).toBe('degraded');
    expect(siteVerdict([r('warn'), r('fail')])).toBe('not-ready');
    expect(siteVerdict([r('error')])).toBe('not-ready');
    expect(siteVerdict([r('skip', true, 'NEEDS_NOT_MET')])).toBe('not-ready');
    expect(siteVerdict([r('skip', false, 'NEEDS_NOT_MET')])).toBe('degraded');
  });
  it('exit codes follow docs/design.md §2', () => {
    expect(exitCodeFor('ready')).toBe(0);
    expect(exitCodeFor('degraded')).toBe(1);
    expect(exitCodeFor('not-ready')).toBe(2);
    expect(exitCodeFor('unknown')).toBe(3);
    expect(worstVerdict(['ready', 'degraded', 'unknown'])).toBe('unknown');
    expect(worstVerdict(['ready', 'not-ready', 'unknown'])).toBe('not-ready');
    expect(worstVerdict([])).toBe('ready');
  });
});
