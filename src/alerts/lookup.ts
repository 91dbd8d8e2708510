/**
 * The one place the registry finds a channel kind's implementation by name
 * (docs/alerts.md, channels). The delivery worker and the API take a lookup
 * like this one, so tests hand them their own kinds.
 */
import type { ChannelKind } from './channel.js';

export type ChannelLookup = (kind: string) => Promise<ChannelKind<unknown> | undefined>;

/** The kinds built into this program: the channels' table (src/alerts/channels/), wired here and only here. */
export const builtInChannels: ChannelLookup = async (kind) =>
  (await import('./channels/index.js')).channelKind(kind);

let current: ChannelLookup = builtInChannels;

/** The lookup `registry serve` uses. */
export const channelLookup = (): ChannelLookup => current;

/**
 * Replace the lookup for this process before `registry serve` starts: for a
 * program that embeds the registry with channels of its own (and the tests
 * that run the registry as a child process with a local webhook kind).
 * @public
 */
export function useChannelLookup(lookup: ChannelLookup): void {
  current = lookup;
}
