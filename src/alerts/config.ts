/**
 * Alert rules and channels checked beyond their schema (docs/alerts.md): ids
 * unique, a rule's channels exist, `after` where an event needs it, quiet
 * hours and time zones that mean something, secrets only as ${ENV}. The same
 * checks serve the --alerts YAML file (with file:line:col) and the API.
 */
import { Value } from '@sinclair/typebox/value';
import type { MessageKey, Params } from '../i18n/index.js';
import { CHANNEL_KINDS } from '../model/alert.js';
import { type AlertChannel, type AlertRule, AlertsFile } from '../model/alert-rule.js';
import { parseDuration } from '../profile/duration.js';
import type { PathSegment } from '../profile/position.js';
import type { ChannelKind } from './channel.js';
import type { AlertConfig } from './rules.js';
import { validTimeZone } from './rules.js';

export interface ConfigProblem {
  path: PathSegment[];
  key: MessageKey;
  params?: Params;
}

/** Fields common to every channel entry; the rest belong to the kind. */
export const COMMON_CHANNEL_FIELDS = ['id', 'kind', 'lang', 'digest', 'tz'];
/** Field names that hold secrets when the kind does not say (its `secrets` list wins). */
const SECRET_NAME = /(secret|password|pass|token|api_key|key)$/i;
const ENV_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

const NEEDS_AFTER = new Set(['site-stale', 'incident-unresolved']);
const INCIDENT_EVENTS = new Set(['incident-filed', 'incident-unresolved']);

export function checkRule(
  rule: AlertRule,
  channelIds: ReadonlySet<string>,
  at: PathSegment[],
): ConfigProblem | undefined {
  for (const [i, ch] of rule.channels.entries())
    if (!channelIds.has(ch))
      return {
        path: [...at, 'channels', i],
        key: 'alerting.err.unknown_channel',
        params: { id: ch, known: [...channelIds].join(', ') || '—' },
      };
  if (NEEDS_AFTER.has(rule.event) && rule.after === undefined)
    return { path: [...at, 'after'], key: 'alerting.err.after_required', params: { event: rule.event } };
  if (!NEEDS_AFTER.has(rule.event) && rule.after !== undefined)
    return { path: [...at, 'after'], key: 'alerting.err.after_not_here', params: { event: rule.event } };
  if (rule.after !== undefined && !parseDuration(rule.after))
    return { path: [...at, 'after'], key: 'alerting.err.positive' };
  if (rule.repeat !== undefined && (parseDuration(rule.repeat) ?? 0) < 60_000)
    return { path: [...at, 'repeat'], key: 'alerting.err.repeat_short' };
  if (rule.severity !== undefined && !INCIDENT_EVENTS.has(rule.event))
    return {
      path: [...at, 'severity'],
      key: 'alerting.err.severity_not_here',
      params: { event: rule.event },
    };
  if (rule.quiet) {
    if (rule.quiet.from === rule.quiet.to)
      return { path: [...at, 'quiet', 'to'], key: 'alerting.err.quiet_empty' };
    if (rule.quiet.tz !== undefined && !validTimeZone(rule.quiet.tz))
      return { path: [...at, 'quiet', 'tz'], key: 'alerting.err.tz', params: { got: rule.quiet.tz } };
  }
  return undefined;
}

export function checkChannel(
  channel: AlertChannel,
  kind: ChannelKind<unknown> | undefined,
  at: PathSegment[],
): ConfigProblem | undefined {
  if (!(CHANNEL_KINDS as readonly string[]).includes(channel.kind))
    return {
      path: [...at, 'kind'],
      key: 'alerting.err.unknown_kind',
      params: { got: String(channel.kind), kinds: CHANNEL_KINDS.join(', ') },
    };
  if (channel.tz !== undefined && !validTimeZone(channel.tz))
    return { path: [...at, 'tz'], key: 'alerting.err.tz', params: { got: channel.tz } };
  const secret = (name: string) => (kind ? kind.secrets.includes(name) : SECRET_NAME.test(name));
  for (const [name, value] of Object.entries(channel)) {
    if (COMMON_CHANNEL_FIELDS.includes(name) || !secret(name)) continue;
    if (typeof value !== 'string' || !ENV_REF.test(value))
      return { path: [...at, name], key: 'alerting.err.secret_literal', params: { field: name } };
  }
  if (kind) {
    const fields = Object.fromEntries(
      Object.entries(channel).filter(([k]) => !COMMON_CHANNEL_FIELDS.includes(k)),
    );
    // A secret is written as ${ENV}: its length or pattern is the resolved value's, checked when sent.
    const first = [...Value.Errors(kind.schema, fields)].find((e) => {
      const name = e.path.split('/').filter(Boolean)[0];
      return !(name !== undefined && secret(name) && typeof fields[name] === 'string');
    });
    if (first)
      return {
        path: [...at, ...first.path.split('/').filter(Boolean)],
        key: 'alerting.err.channel_field',
        params: { reason: first.message },
      };
  }
  return undefined;
}

/** The first problem of a whole configuration (rules and channels), if any. */
export function checkConfig(
  config: AlertConfig,
  kinds: ReadonlyMap<string, ChannelKind<unknown> | undefined>,
): ConfigProblem | undefined {
  const seen = new Set<string>();
  for (const [i, ch] of config.channels.entries()) {
    if (seen.has(ch.id))
      return { path: ['channels', i, 'id'], key: 'alerting.err.duplicate', params: { id: ch.id } };
    seen.add(ch.id);
    const p = checkChannel(ch, kinds.get(ch.kind), ['channels', i]);
    if (p) return p;
  }
  const rules = new Set<string>();
  for (const [i, rule] of config.rules.entries()) {
    if (rules.has(rule.id))
      return { path: ['rules', i, 'id'], key: 'alerting.err.duplicate', params: { id: rule.id } };
    rules.add(rule.id);
    const p = checkRule(rule, seen, ['rules', i]);
    if (p) return p;
  }
  return undefined;
}

/** The shape check of the alerts file, as the first TypeBox error (path and error), if any. */
export const fileShapeError = (data: unknown) => {
  const errors = [...Value.Errors(AlertsFile, data)];
  return errors.length ? errors : undefined;
};
