/**
 * The codec's call state as a site reports it (`diemcau call --watch
 * --upload`): roll call at the start of a meeting (docs/registry-api.md,
 * call states). One record per change.
 */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, SiteId } from './atoms.js';
import { MeetingTag } from './run.js';
import { literals } from './schema-tools.js';

/** What the codec is doing: the drivers' call states, and `disconnected` for no call at all. */
export const CALL_STATE_WORDS = [
  'connected',
  'disconnected',
  'dialling',
  'ringing',
  'connecting',
  'disconnecting',
  'on_hold',
  'other',
] as const;
export const CallStateWord = literals(CALL_STATE_WORDS);
export type CallStateWord = Static<typeof CallStateWord>;

/** POST /v1/sites/:id/call-states. */
export const CallStateInput = Type.Object({
  at: DateTime,
  state: CallStateWord,
  /** The far end (the bridge's URI as the codec shows it), without credentials; absent with no call. */
  remote: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  meeting: Type.Optional(MeetingTag),
});
export type CallStateInput = Static<typeof CallStateInput>;

export const CallStateRecord = Type.Object({
  id: Type.Integer(),
  site: SiteId,
  at: DateTime,
  state: CallStateWord,
  remote: Type.Optional(Type.String()),
  meeting: Type.Optional(Type.String()),
  receivedAt: DateTime,
});
export type CallStateRecord = Static<typeof CallStateRecord>;

export const CallStateList = Type.Object({ items: Type.Array(CallStateRecord) });
export type CallStateList = Static<typeof CallStateList>;
