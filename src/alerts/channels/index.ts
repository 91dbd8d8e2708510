/**
 * The table of channel kinds (docs/alerts.md, channels): one row per kind in
 * CHANNEL_KINDS, each a lazy import, so nothing heavy (nodemailer, undici)
 * loads until a channel sends. The fields' schemas and secret names are
 * light and exported as they are, for the alerts YAML, the API and the
 * commands.
 */
import { CHANNEL_KINDS } from '../../model/alert.js';
import type { ChannelKind } from '../channel.js';

// Each kind's own schema and Static type (EmailConfig, WebhookConfig...) is in ./schemas.js.
export { CHANNEL_CONFIG_SCHEMAS, CHANNEL_SECRETS } from './schemas.js';

type Kind = (typeof CHANNEL_KINDS)[number];

/** Each row has its own config type; the caller checks a config against the kind's `schema` before `send`. */
type AnyChannel = ChannelKind<unknown>;

const TABLE: Record<Kind, () => Promise<AnyChannel>> = {
  email: async () => (await import('./email.js')).channel,
  webhook: async () => (await import('./webhook.js')).channel,
  'zalo-bot': async () => (await import('./zalo-bot.js')).channel,
  'zalo-oa': async () => (await import('./zalo-oa.js')).channel,
  telegram: async () => (await import('./telegram.js')).channel,
};

export function isChannelKind(kind: string): kind is Kind {
  return (CHANNEL_KINDS as readonly string[]).includes(kind);
}

/** The kind's implementation, loaded on first use; undefined for a kind that does not exist. */
export async function channelKind(kind: string): Promise<AnyChannel | undefined> {
  return isChannelKind(kind) ? TABLE[kind]() : undefined;
}
