// A webhook channel kind for tests (the program's own is in src/alerts/channels/):
// POST the AlertMessage as JSON with X-Diemcau-Signature: sha256=<hex HMAC of the
// body> and Idempotency-Key: <alert id>:<state>, over real HTTP. Plain JS so a
// registry child process (serve-child.mjs) can load it too.
import { createHmac } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { request } from 'undici';

export const webhookKind = {
  kind: 'webhook',
  schema: Type.Object({ url: Type.String({ pattern: '^https?://' }), secret: Type.String() }),
  secrets: ['secret'],
  async send(message, config, ctx) {
    const body = JSON.stringify(message);
    const sig = createHmac('sha256', config.secret).update(body).digest('hex');
    try {
      const res = await request(config.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-diemcau-signature': `sha256=${sig}`,
          'idempotency-key': `${message.id}:${message.state}`,
        },
        signal: ctx.signal,
        headersTimeout: ctx.timeoutMs,
        bodyTimeout: ctx.timeoutMs,
      });
      await res.body.dump();
      if (res.statusCode < 300) return { ok: true };
      return {
        ok: false,
        retry: res.statusCode >= 500 || res.statusCode === 429,
        reason: `HTTP ${res.statusCode}`,
      };
    } catch (err) {
      return { ok: false, retry: true, reason: err instanceof Error ? err.message : String(err) };
    }
  },
};

export const testLookup = async (kind) => (kind === 'webhook' ? webhookKind : undefined);
