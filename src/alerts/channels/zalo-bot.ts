/**
 * Zalo Bot API sendMessage (docs/references.md §10): POST
 * `<base>/bot<token>/sendMessage` with `{chat_id, text}`, text 1–2,000
 * characters (cut with an ellipsis at a letter boundary). Plain text only.
 */
import type { ChannelKind } from '../channel.js';
import { cutText, renderAlert } from '../render.js';
import { sendBotMessage } from './bot-api.js';
import { ZALO_BOT_BASE_URL, ZaloBotConfig } from './schemas.js';

export const ZALO_BOT_MAX_TEXT = 2000;

export const channel: ChannelKind<ZaloBotConfig> = {
  kind: 'zalo-bot',
  schema: ZaloBotConfig,
  secrets: ['token'],
  send(message, config, ctx) {
    const text = cutText(renderAlert(message).lines.join('\n'), ZALO_BOT_MAX_TEXT);
    return sendBotMessage(
      message,
      config.base_url ?? ZALO_BOT_BASE_URL,
      config.token,
      { chat_id: config.chat_id, text },
      ctx,
    );
  },
};
