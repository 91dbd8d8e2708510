/**
 * Telegram Bot API sendMessage (docs/references.md §10): POST
 * `<base>/bot<token>/sendMessage` with `{chat_id, text, parse_mode?}`; text
 * 1–4,096 characters after entity parsing, so the cut is made on the plain
 * text and HTML escaping (&, <, >, ") comes after it.
 */
import { escapeXml } from '../../drivers/xml.js';
import type { ChannelKind } from '../channel.js';
import { cutText, renderAlert } from '../render.js';
import { botOutcome } from './bot-api.js';
import { isFailure, post, tr } from './http.js';
import { TELEGRAM_BASE_URL, TelegramConfig } from './schemas.js';

export const TELEGRAM_MAX_TEXT = 4096;

export const channel: ChannelKind<TelegramConfig> = {
  kind: 'telegram',
  schema: TelegramConfig,
  secrets: ['token'],
  async send(message, config, ctx) {
    const t = tr(message);
    const secrets = [config.token];
    const plain = cutText(renderAlert(message).lines.join('\n'), TELEGRAM_MAX_TEXT);
    const html = config.parse_mode === 'HTML';
    let text = plain;
    if (html) {
      const cut = plain.indexOf('\n');
      text =
        cut < 0
          ? `<b>${escapeXml(plain)}</b>`
          : `<b>${escapeXml(plain.slice(0, cut))}</b>${escapeXml(plain.slice(cut))}`;
    }
    const base = (config.base_url ?? TELEGRAM_BASE_URL).replace(/\/+$/, '');
    const answer = await post(
      `${base}/bot${config.token}/sendMessage`,
      JSON.stringify({ chat_id: config.chat_id, text, ...(html ? { parse_mode: 'HTML' } : {}) }),
      { 'content-type': 'application/json' },
      ctx,
      t,
      secrets,
    );
    return isFailure(answer) ? answer : botOutcome(answer, t, secrets);
  },
};
