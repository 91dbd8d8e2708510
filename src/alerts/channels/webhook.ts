/**
 * The generic webhook (docs/alerts.md, webhook): the AlertMessage as the JSON
 * body (docs/schema/alert-1.json), signed with HMAC-SHA256 over the exact
 * bytes sent, and an Idempotency-Key per alert and state so a receiver can
 * drop the copies an at-least-once delivery may bring.
 */
import { createHmac } from 'node:crypto';
import type { ChannelKind } from '../channel.js';
import { isFailure, post, statusFailure, tr } from './http.js';
import { WebhookConfig } from './schemas.js';

export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export const channel: ChannelKind<WebhookConfig> = {
  kind: 'webhook',
  schema: WebhookConfig,
  secrets: ['secret'],
  async send(message, config, ctx) {
    const t = tr(message);
    const secrets = [config.secret];
    const body = JSON.stringify(message);
    const answer = await post(
      config.url,
      body,
      {
        'content-type': 'application/json',
        'x-diemcau-signature': signature(body, config.secret),
        'idempotency-key': `${message.id}:${message.state}`,
      },
      ctx,
      t,
      secrets,
    );
    if (isFailure(answer)) return answer;
    if (answer.status >= 200 && answer.status < 300) return { ok: true };
    return statusFailure(answer, t, secrets);
  },
};
