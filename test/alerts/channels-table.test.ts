/** The table of channel kinds: one row per CHANNEL_KINDS entry, each module true to its row. */
import { describe, expect, it } from 'vitest';
import { CHANNEL_CONFIG_SCHEMAS, CHANNEL_SECRETS, channelKind } from '../../src/alerts/channels/index.js';
import { CHANNEL_KINDS } from '../../src/model/alert.js';

describe('src/alerts/channels/index.ts', () => {
  it.each(CHANNEL_KINDS)('%s loads, and its kind, schema and secrets are the table’s', async (kind) => {
    const c = await channelKind(kind);
    if (!c) throw new Error(`${kind} is not in the table`);
    expect(c.kind).toBe(kind);
    expect(c.schema).toBe(CHANNEL_CONFIG_SCHEMAS[kind]);
    expect(c.secrets).toEqual(CHANNEL_SECRETS[kind]);
    const props = Object.keys((c.schema as unknown as { properties: object }).properties);
    for (const s of c.secrets) expect(props).toContain(s);
    // the profile loader treats these field names as secrets (src/profile/load.ts)
    for (const s of c.secrets) expect(s).toMatch(/^(password|token|secret)$/);
  });

  it('an unknown kind is undefined', async () => {
    expect(await channelKind('sms')).toBeUndefined();
    expect(await channelKind('__proto__')).toBeUndefined();
  });
});
