/**
 * The answers of the two Telegram-like bot APIs, Zalo Bot and Telegram
 * (docs/references.md §10): `{ok: true, result: {message_id}}`, or
 * `{ok: false, error_code, description, parameters?: {retry_after}}`.
 * Flood control (429) and the service's own failures (5xx) are retried,
 * after `retry_after` seconds when the API says so; anything else (a bad
 * token, an unknown chat) is not.
 */
import type { Translator } from '../../i18n/index.js';
import type { AlertMessage } from '../../model/alert.js';
import type { ChannelContext, DeliveryOutcome } from '../channel.js';
import { detail, type HttpAnswer, isFailure, json, post, statusFailure, tr } from './http.js';

/** One sendMessage call: `POST <base>/bot<token>/sendMessage` with a JSON body (the token's pattern keeps the path intact). */
export async function sendBotMessage(
  message: AlertMessage,
  base: string,
  token: string,
  body: Record<string, unknown>,
  ctx: ChannelContext,
): Promise<DeliveryOutcome> {
  const t = tr(message);
  const secrets = [token];
  const answer = await post(
    `${base.replace(/\/+$/, '')}/bot${token}/sendMessage`,
    JSON.stringify(body),
    { 'content-type': 'application/json' },
    ctx,
    t,
    secrets,
  );
  return isFailure(answer) ? answer : botOutcome(answer, t, secrets);
}

interface BotReply {
  ok?: unknown;
  result?: { message_id?: unknown };
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown };
}

function botOutcome(
  answer: HttpAnswer,
  t: Translator,
  secrets: readonly (string | undefined)[],
): DeliveryOutcome {
  const reply = json(answer.text) as BotReply | undefined;
  if (reply && typeof reply === 'object' && reply.ok === true && answer.status < 300) {
    const id = reply.result?.message_id;
    return { ok: true, ...(typeof id === 'string' || typeof id === 'number' ? { ref: String(id) } : {}) };
  }
  if (reply && typeof reply === 'object' && reply.ok === false) {
    const code = typeof reply.error_code === 'number' ? reply.error_code : answer.status;
    const said = typeof reply.description === 'string' ? detail(reply.description, secrets) : '';
    const after = reply.parameters?.retry_after;
    const base = statusFailure(answer, t, secrets);
    return {
      ok: false,
      retry: code === 429 || code >= 500 || base.retry,
      reason: t('alerts.reason.api', { code, detail: said ? `: ${said}` : '' }),
      ...(typeof after === 'number' && after >= 0
        ? { retryAfterMs: after * 1000 }
        : base.retryAfterMs !== undefined
          ? { retryAfterMs: base.retryAfterMs }
          : {}),
    };
  }
  if (answer.status >= 200 && answer.status < 300)
    return { ok: false, retry: false, reason: t('alerts.reason.not_json', { status: answer.status }) };
  return statusFailure(answer, t, secrets);
}
