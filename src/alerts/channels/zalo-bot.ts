/**
 * Zalo Bot API sendMessage (docs/references.md §10): POST
 * `<base>/bot<token>/sendMessage` with `{chat_id, text}`, text 1–2,000
 * characters (cut with an ellipsis at a letter boundary). Plain text only.
 */

import type { ChannelKind } from '../channel.js';
import { cutText, renderAlert } from '../render.js';
import { botOutcome } from './bot-api.js';
import { isFailure, post, tr } from './http.js';
import { ZALO_BOT_BASE_URL, ZaloBotConfig } from './schemas.js';

export const ZALO_BOT_MAX_TEXT = 2000;

export const channel: ChannelKind<ZaloBotConfig> = {
  kind: 'zalo-bot',
  schema: ZaloBotConfig,
  secrets: ['token'],
  async send(message, config, ctx) {
    const t = tr(message);
    const secrets = [config.token];
    const { lines } = renderAlert(message);
    const text = cutText(lines.join('\n'), ZALO_BOT_MAX_TEXT);
    const base = (config.base_url ?? ZALO_BOT_BASE_URL).replace(/\/+$/, '');
    const answer = await post(
      `${base}/bot${config.token}/sendMessage`,
      JSON.stringify({ chat_id: config.chat_id, text }),
      { 'content-type': 'application/json' },
      ctx,
      t,
      secrets,
    );
    return isFailure(answer) ? answer : botOutcome(answer, t, secrets);
  },
};
