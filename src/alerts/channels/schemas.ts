/**
 * The fields of each channel kind (docs/alerts.md, channels), as they are
 * written in the alerts YAML and kept by the API. TypeBox only, so the rules
 * and the commands can validate a channel without loading any channel's code.
 * Secret fields are named password, secret or token (the names the profile
 * loader treats as secrets) and written as ${ENV} in files; a channel's
 * `send` receives them resolved.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { CHANNEL_KINDS } from '../../model/alert.js';

/** An address as SMTP takes it (local@domain, no display name). */
const EmailAddress = Type.String({
  pattern: '^[^\\s@<>(),;:"]+@[^\\s@<>(),;:"]+\\.[^\\s@<>(),;:"]+$',
  maxLength: 254,
  description: 'An e-mail address, e.g. ttcntt@thanhhoa.gov.vn',
});

const HttpUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 });

/** A bot token as Zalo and Telegram issue them, `<bot id>:<key>`: nothing that could change the request path. */
const BotToken = Type.String({
  pattern: '^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$',
  minLength: 8,
  maxLength: 256,
  description: 'The bot token; write ${ENV}, never the token itself.',
});

export const EmailConfig = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 65535, description: 'Default 587 (465 with secure).' }),
    ),
    secure: Type.Optional(
      Type.Boolean({ description: 'TLS from the first byte (SMTPS, port 465). Default false: STARTTLS.' }),
    ),
    requireTLS: Type.Optional(
      Type.Boolean({ description: 'Refuse to send unless the server takes STARTTLS. Default true.' }),
    ),
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    password: Type.Optional(
      Type.String({ description: 'Write ${SMTP_PASSWORD}; never the password itself.' }),
    ),
    from: EmailAddress,
    to: Type.Array(EmailAddress, { minItems: 1, maxItems: 50 }),
    to_site_contacts: Type.Optional(
      Type.Boolean({
        description:
          "Also send to the site's technician and focal point at their e-mail in the site register. Default false.",
      }),
    ),
    ca: Type.Optional(
      Type.String({ description: 'PEM of a CA trusted besides the system roots (a provincial one).' }),
    ),
  },
  { additionalProperties: false },
);
export type EmailConfig = Static<typeof EmailConfig>;

export const WebhookConfig = Type.Object(
  {
    url: HttpUrl,
    secret: Type.String({
      minLength: 16,
      maxLength: 512,
      description: 'The shared HMAC-SHA256 key; write ${WEBHOOK_SECRET}.',
    }),
  },
  { additionalProperties: false },
);
export type WebhookConfig = Static<typeof WebhookConfig>;

export const ZALO_BOT_BASE_URL = 'https://bot-api.zaloplatforms.com';
export const ZALO_OA_BASE_URL = 'https://openapi.zalo.me';
export const TELEGRAM_BASE_URL = 'https://api.telegram.org';

export const ZaloBotConfig = Type.Object(
  {
    token: BotToken,
    chat_id: Type.String({ minLength: 1, maxLength: 128 }),
    base_url: Type.Optional({
      ...HttpUrl,
      description: `Default ${ZALO_BOT_BASE_URL} (a proxy, or a test server).`,
    }),
  },
  { additionalProperties: false },
);
export type ZaloBotConfig = Static<typeof ZaloBotConfig>;

export const ZaloOaConfig = Type.Object(
  {
    token: Type.String({
      minLength: 8,
      maxLength: 2048,
      description: 'The OA access token; write ${ZALO_OA_TOKEN}, never the token itself.',
    }),
    user_id: Type.String({ pattern: '^[0-9]{1,32}$', description: "The follower's user_id for this OA." }),
    message: Type.Optional(
      Type.Union([Type.Literal('cs'), Type.Literal('transaction')], {
        description: 'cs (tin tư vấn, default) or transaction (tin giao dịch).',
      }),
    ),
    base_url: Type.Optional({ ...HttpUrl, description: `Default ${ZALO_OA_BASE_URL}.` }),
  },
  { additionalProperties: false },
);
export type ZaloOaConfig = Static<typeof ZaloOaConfig>;

export const TelegramConfig = Type.Object(
  {
    token: BotToken,
    chat_id: Type.Union([Type.Integer(), Type.String({ pattern: '^(-?[0-9]{1,20}|@[A-Za-z0-9_]{4,32})$' })]),
    parse_mode: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('HTML')])),
    base_url: Type.Optional({ ...HttpUrl, description: `Default ${TELEGRAM_BASE_URL}.` }),
  },
  { additionalProperties: false },
);
export type TelegramConfig = Static<typeof TelegramConfig>;

type Kind = (typeof CHANNEL_KINDS)[number];

/** Each kind's fields, for the alerts YAML and the API (the kind's module carries the same schema). */
export const CHANNEL_CONFIG_SCHEMAS: Record<Kind, TSchema> = {
  email: EmailConfig,
  webhook: WebhookConfig,
  'zalo-bot': ZaloBotConfig,
  'zalo-oa': ZaloOaConfig,
  telegram: TelegramConfig,
};

/** Each kind's secret fields: never printed, logged or returned by the API. */
export const CHANNEL_SECRETS: Record<Kind, readonly string[]> = {
  email: ['password'],
  webhook: ['secret'],
  'zalo-bot': ['token'],
  'zalo-oa': ['token'],
  telegram: ['token'],
};
