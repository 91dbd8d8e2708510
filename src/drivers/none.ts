/**
 * `driver: none`: a site with no controllable codec (a PC with a webcam and a
 * soft client). It can only say so: it has no optional capability, so every
 * codec check reports plainly that there is nothing to ask.
 */
import type { CodecDriver, Identity } from './types.js';

export class NoneDriver implements CodecDriver {
  readonly name = 'none' as const;

  async identify(): Promise<Identity> {
    return { vendor: 'none', model: 'PC endpoint', software: '', awake: true, powerState: 'n/a' };
  }

  async close(): Promise<void> {}
}
