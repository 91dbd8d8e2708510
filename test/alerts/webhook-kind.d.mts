import type { ChannelKind } from '../../src/alerts/channel.js';
import type { ChannelLookup } from '../../src/alerts/lookup.js';

export declare const webhookKind: ChannelKind<{ url: string; secret: string }>;
export declare const testLookup: ChannelLookup;
