/**
 * Zalo Official Account message API v3 (docs/references.md §10): POST
 * `<base>/v3.0/oa/message/cs` (tin tư vấn) or `/transaction` (tin giao dịch)
 * with the OA access token in the `access_token` header and the follower's
 * `user_id`. A consultation message is `{text}` (at most 2,000 characters);
 * a transaction message is the `transaction_order` template (a header, the
 * lines as text). The answer is `{error: 0, data: {message_id}}`, or a
 * non-zero `error` with a `message`: the OA refused it (a bad or expired
 * token, a user who does not follow the OA, a spent quota), not retried.
 */
import type { AlertMessage } from '../../model/alert.js';
import type { ChannelKind, DeliveryOutcome } from '../channel.js';
import { cutText, renderAlert } from '../render.js';
import { detail, type HttpAnswer, isFailure, json, post, statusFailure, tr } from './http.js';
import { ZALO_OA_BASE_URL, ZaloOaConfig } from './schemas.js';

export const ZALO_OA_MAX_TEXT = 2000;

/** The `message` object of each kind of OA message. */
function oaMessage(message: AlertMessage, kind: 'cs' | 'transaction'): Record<string, unknown> {
  const { subject, lines } = renderAlert(message);
  if (kind === 'cs') return { text: cutText(lines.join('\n'), ZALO_OA_MAX_TEXT) };
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'transaction_order',
        language: message.lang === 'vi' ? 'VI' : 'EN',
        elements: [
          { type: 'header', align: 'left', content: cutText(subject, 100) },
          { type: 'text', align: 'left', content: cutText(lines.join('\n'), ZALO_OA_MAX_TEXT) },
        ],
      },
    },
  };
}

function oaOutcome(answer: HttpAnswer, t: ReturnType<typeof tr>, secrets: string[]): DeliveryOutcome {
  const reply = json(answer.text) as
    | { error?: unknown; message?: unknown; data?: { message_id?: unknown } }
    | undefined;
  if (answer.status < 200 || answer.status >= 300) return statusFailure(answer, t, secrets);
  if (!reply || typeof reply !== 'object' || typeof reply.error !== 'number')
    return { ok: false, retry: false, reason: t('alerts.reason.not_json', { status: answer.status }) };
  if (reply.error === 0) {
    const id = reply.data?.message_id;
    return { ok: true, ...(typeof id === 'string' ? { ref: id } : {}) };
  }
  const said = typeof reply.message === 'string' ? detail(reply.message, secrets) : '';
  return {
    ok: false,
    retry: false,
    reason: t('alerts.reason.api', { code: reply.error, detail: said ? `: ${said}` : '' }),
  };
}

export const channel: ChannelKind<ZaloOaConfig> = {
  kind: 'zalo-oa',
  schema: ZaloOaConfig,
  secrets: ['token'],
  async send(message, config, ctx) {
    const t = tr(message);
    const secrets = [config.token];
    const kind = config.message ?? 'cs';
    const base = (config.base_url ?? ZALO_OA_BASE_URL).replace(/\/+$/, '');
    const answer = await post(
      `${base}/v3.0/oa/message/${kind}`,
      JSON.stringify({ recipient: { user_id: config.user_id }, message: oaMessage(message, kind) }),
      { 'content-type': 'application/json', access_token: config.token },
      ctx,
      t,
      secrets,
    );
    return isFailure(answer) ? answer : oaOutcome(answer, t, secrets);
  },
};
