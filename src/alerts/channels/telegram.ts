/**
 * Telegram Bot API sendMessage (docs/references.md §10): POST
 * `<base>/bot<token>/sendMessage` with `{chat_id, text, parse_mode?}`; text
 * 1–4,096 characters after entity parsing, so the cut is made on the plain
 * text and HTML escaping (&, <, >, ") comes after it.
 */
import { escapeXml } from '../../drivers/xml.js';
import type { ChannelKind } from '../channel.js';
import { cutText, renderAlert } from '../render.js';
import { sendBotMessage } from './bot-api.js';
import { TELEGRAM_BASE_URL, TelegramConfig } from './schemas.js';

export const TELEGRAM_MAX_TEXT = 4096;

export const channel: ChannelKind<TelegramConfig> = {
  kind: 'telegram',
  schema: TelegramConfig,
  secrets: ['token'],
  send(message, config, ctx) {
    const plain = cutText(renderAlert(message).lines.join('\n'), TELEGRAM_MAX_TEXT);
    const html = config.parse_mode === 'HTML';
    const cut = plain.includes('\n') ? plain.indexOf('\n') : plain.length;
    const text = html ? `<b>${escapeXml(plain.slice(0, cut))}</b>${escapeXml(plain.slice(cut))}` : plain;
    const body = { chat_id: config.chat_id, text, ...(html ? { parse_mode: 'HTML' } : {}) };
    return sendBotMessage(message, config.base_url ?? TELEGRAM_BASE_URL, config.token, body, ctx);
  },
};
