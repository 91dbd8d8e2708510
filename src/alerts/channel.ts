/**
 * The one interface every alert channel kind implements (docs/alerts.md):
 * a channel turns an AlertMessage into one request to its service and says
 * whether the delivery worker should try again. A channel never logs and
 * never puts a secret into the reason it returns.
 */
import type { TSchema } from '@sinclair/typebox';
import type { AlertMessage } from '../model/alert.js';

export type DeliveryOutcome =
  | { ok: true /** e.g. the SMTP message id or the service's message id */; ref?: string }
  /** retry: a timeout, a refused connection, a 5xx or 429; not: a 4xx, a refused recipient, a bad token. */
  | { ok: false; retry: boolean; reason: string; retryAfterMs?: number };

export interface ChannelContext {
  signal: AbortSignal;
  /** Per-attempt time limit in ms. */
  timeoutMs: number;
}

export interface ChannelKind<Config> {
  kind: string;
  /** The TypeBox schema of the channel's fields in the alerts YAML and the API (secrets as ${ENV}). */
  schema: TSchema;
  /** The config's secret field names: never printed, logged or returned by the API. */
  secrets: readonly string[];
  send(message: AlertMessage, config: Config, ctx: ChannelContext): Promise<DeliveryOutcome>;
}
