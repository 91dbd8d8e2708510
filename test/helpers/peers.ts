/**
 * Tests that need a real peer program (ping, upsd, sipp, ffmpeg, postgres,
 * chromium...). Locally a missing program skips the test with the reason
 * printed; in CI (DIEMCAU_REQUIRE_PEERS=1) it fails loudly.
 */
import { execFileSync } from 'node:child_process';

export const REQUIRE_PEERS = process.env.DIEMCAU_REQUIRE_PEERS === '1';

/** Full path of a program on PATH (or at an absolute path), or undefined. */
export function which(program: string): string | undefined {
  if (program.startsWith('/')) {
    try {
      execFileSync('test', ['-x', program]);
      return program;
    } catch {
      return undefined;
    }
  }
  try {
    return execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `true` when the peer is there. When it is not: throws under
 * DIEMCAU_REQUIRE_PEERS=1, otherwise prints why and returns false (use with
 * describe.skipIf / it.skipIf).
 */
export function havePeer(program: string, installHint: string): boolean {
  if (which(program)) return true;
  const reason = `peer program "${program}" not found (${installHint})`;
  if (REQUIRE_PEERS) throw new Error(`DIEMCAU_REQUIRE_PEERS=1 but ${reason}`);
  process.stderr.write(`[skip] ${reason}\n`);
  return false;
}

/** Same for a capability that is not a program (root, network namespaces...). */
export function haveCapability(name: string, ok: boolean, why: string): boolean {
  if (ok) return true;
  if (REQUIRE_PEERS) throw new Error(`DIEMCAU_REQUIRE_PEERS=1 but ${name} is not available: ${why}`);
  process.stderr.write(`[skip] ${name}: ${why}\n`);
  return false;
}
