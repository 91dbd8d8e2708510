/**
 * A CheckContext for calling a kind's run() directly, the way the engine
 * does: a translator, a signal that aborts after the timeout, a profile.
 */
import type { CheckContext } from '../../src/checks/types.js';
import { type Locale, translator } from '../../src/i18n/index.js';
import type { ResolvedProfile } from '../../src/profile/types.js';

export function testProfile(extra: Partial<ResolvedProfile> = {}): ResolvedProfile {
  return {
    file: '/nonexistent/site.yaml',
    files: ['/nonexistent/site.yaml'],
    site: { id: 'test-site', name: 'Test site', unit: 'test/site' },
    bridges: [],
    checks: [],
    secretPaths: [],
    document: {},
    ...extra,
  };
}

export function kindContext(
  opts: {
    locale?: Locale;
    timeoutMs?: number;
    profile?: Partial<ResolvedProfile>;
    env?: Record<string, string | undefined>;
    signal?: AbortSignal;
  } = {},
): CheckContext {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const locale = opts.locale ?? 'en';
  const timeout = AbortSignal.timeout(timeoutMs);
  return {
    t: translator(locale),
    locale,
    signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    clock: { now: () => new Date(), monotonic: () => performance.now() },
    env: opts.env ?? { PATH: process.env.PATH },
    cwd: process.cwd(),
    profile: testProfile(opts.profile),
    timeoutMs,
  };
}
