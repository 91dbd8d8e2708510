/** The table of channel kinds: one row per CHANNEL_KINDS entry, each module true to its row. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL_CONFIG_SCHEMAS, CHANNEL_SECRETS, channelKind } from '../../src/alerts/channels/index.js';
import { CHANNEL_KINDS } from '../../src/model/alert.js';
import { transpileForNode } from '../helpers/transpile.js';

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

describe('lazy loading (docs/architecture.md, start-up cost)', () => {
  it('the table loads only TypeBox; the webhook loads undici, not nodemailer; even e-mail loads nodemailer only to send', () => {
    const { dir, cleanup } = transpileForNode(['src/alerts/channels/index.ts']);
    try {
      const log = path.join(dir, 'imports.log');
      const index = path.join(dir, 'src/alerts/channels/index.js');
      const script = [
        "import fs from 'node:fs';",
        `const log = ${JSON.stringify(log)};`,
        `const m = await import(${JSON.stringify(index)});`,
        "fs.appendFileSync(log, 'MARK webhook\\n');",
        "await m.channelKind('webhook');",
        "fs.appendFileSync(log, 'MARK email\\n');",
        "await m.channelKind('email');",
      ].join('\n');
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          path.join(import.meta.dirname, '../helpers/trace-imports.mjs'),
          '--input-type=module',
          '-e',
          script,
        ],
        { env: { ...process.env, DIEMCAU_TRACE_IMPORTS: log }, encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const steps = fs.readFileSync(log, 'utf8').split(/^MARK \w+$/m);
      const packages = (text = '') =>
        new Set([...text.matchAll(/node_modules\/((@[^/]+\/)?[^/\s]+)/g)].map((x) => x[1]));
      const [table, webhook, email] = steps.map(packages);
      expect([...(table ?? [])]).toEqual(['@sinclair/typebox']);
      expect(webhook?.has('undici')).toBe(true);
      expect(webhook?.has('nodemailer')).toBe(false);
      // e-mail imports nodemailer inside send(), when a mail goes out
      expect(email?.has('nodemailer')).toBe(false);
    } finally {
      cleanup();
    }
  });
});
