/**
 * The registry of check kinds. Adding a kind: one file in src/checks/ and one
 * line here. Kind modules must stay light at import time (see types.ts).
 */

import { camera } from './camera.js';
import { codecDiagnostics } from './codec-diagnostics.js';
import { codecPeripherals } from './codec-peripherals.js';
import { codecRegistration } from './codec-registration.js';
import { codecStatus } from './codec-status.js';
import { confirm } from './confirm.js';
import { dns } from './dns.js';
import { http } from './http.js';
import { microphone } from './microphone.js';
import { ping } from './ping.js';
import { power } from './power.js';
import { sipOptions } from './sip-options.js';
import { tcp } from './tcp.js';
import { testCall } from './test-call.js';
import { throughput } from './throughput.js';
import type { CheckKind } from './types.js';
import { udpQuality } from './udp-quality.js';
import { ups } from './ups.js';

// biome-ignore lint/suspicious/noExplicitAny: kinds have different params schemas
export const checkKinds: ReadonlyArray<CheckKind<any>> = [
  ping,
  tcp,
  dns,
  http,
  power,
  ups,
  udpQuality,
  throughput,
  microphone,
  camera,
  codecStatus,
  codecRegistration,
  codecPeripherals,
  codecDiagnostics,
  sipOptions,
  testCall,
  confirm,
];

export function findKind(kind: string): CheckKind | undefined {
  return checkKinds.find((k) => k.kind === kind);
}
