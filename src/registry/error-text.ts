/**
 * The registry's refusals in the user's language: the server sends a stable
 * code and, where its message names something, `params` (docs/registry-api.md,
 * errors); the client says the same with its own catalogue. The server's
 * English message is added only with --debug, and a code this client does not
 * know is named, never passed through as English.
 */
import type { MessageKey, Translator } from '../i18n/index.js';
import { peopleTime } from '../util/local-time.js';
import { terminalText } from '../util/sanitize.js';

export interface ApiFault {
  status: number;
  code: string;
  message: string;
  field?: string;
  params?: Record<string, string>;
}

export interface FaultTextOptions {
  debug?: boolean;
  timeZone?: string;
  /**
   * The reader's language. Where this client has no words of its own for a
   * refusal (a reason it does not know), an English reader gets the server's
   * own message rather than a vaguer line; a Vietnamese reader gets the
   * catalogue's line naming the field or the code.
   */
  locale?: 'vi' | 'en';
}

/** Marks the catalogue's catch-all lines, where the server's English says more. */
const GENERIC = Symbol('generic');

const STATUSES = new Set(['open', 'acknowledged', 'resolved']);
const MEETING_WORDS = new Set(['scheduled', 'in-progress', 'done', 'cancelled', 'postponed']);
/** The meeting rules' reasons (src/registry/meeting-rules.ts, routes/meetings.ts). */
const MEETING_WHYS = new Set([
  'duplicate_confirm',
  'past_record',
  'past',
  'too_far',
  'after_from',
  'before_start',
  'zero_length',
  'too_long',
]);
/** The validator's reasons (src/registry/validation.ts describe). */
const FIELD_WHYS = new Set([
  'required',
  'unknown_field',
  'one_of',
  'type',
  'date_time',
  'format',
  'max_length',
  'empty',
  'min_length',
  'pattern',
  'max_items',
  'minimum',
  'maximum',
  'integer',
  'number',
  'text',
  'boolean',
  'list',
  'object',
  'literal',
]);

export function apiErrorText(t: Translator, f: ApiFault, opts: FaultTextOptions = {}): string {
  const local = localText(t, f, opts);
  if (typeof local !== 'string') {
    if (opts.locale === 'en' && f.message) return terminalText(f.message);
    return opts.debug ? `${local.text} [${f.status} ${f.code}: ${terminalText(f.message)}]` : local.text;
  }
  return opts.debug ? `${local} [${f.status} ${f.code}: ${terminalText(f.message)}]` : local;
}

type Local = string | { text: string; [GENERIC]: true };
const generic = (text: string): Local => ({ text, [GENERIC]: true });

function localText(t: Translator, f: ApiFault, opts: FaultTextOptions): Local {
  const p = Object.fromEntries(Object.entries(f.params ?? {}).map(([k, v]) => [k, terminalText(v)]));
  const scope = (unit: string | undefined) => (unit ? t('api.scope.unit', { unit }) : t('api.scope.all'));
  const at = () => (p.at ? peopleTime(p.at, opts.timeZone) : '?');
  switch (f.code) {
    case 'unauthorized':
      if (p.why === 'missing' || p.why === 'malformed' || p.why === 'unknown')
        return t(`api.unauthorized.${p.why}` as MessageKey);
      return t('api.unauthorized.unknown');
    case 'token_revoked':
      return t('api.token_revoked', { at: at() });
    case 'token_expired':
      return t('api.token_expired', { at: at() });
    case 'forbidden':
      if (p.why === 'read_scope' || p.why === 'write_scope')
        return t(`api.forbidden.${p.why}`, { scope: scope(p.scope), unit: scope(p.unit) });
      if (p.why === 'viewer' || p.why === 'coordinator' || p.why === 'admin_only')
        return t(`api.forbidden.${p.why}`);
      if (p.why === 'no_booking') return t('api.forbidden.no_booking', { role: p.role ?? '?' });
      if (p.why === 'book_scope' || p.why === 'admin_scope')
        return t(`api.forbidden.${p.why}`, { scope: scope(p.scope), unit: scope(p.unit) });
      if (p.why === 'meeting_scope')
        return t('api.forbidden.meeting_scope', { scope: scope(p.scope), id: p.id ?? '?' });
      if (p.why === 'site_scope')
        return t('api.forbidden.site_scope', { scope: scope(p.scope), site: p.site ?? '?' });
      return generic(t('api.forbidden'));
    case 'not_found':
      if (
        (p.what === 'site' ||
          p.what === 'run' ||
          p.what === 'incident' ||
          p.what === 'meeting' ||
          p.what === 'snapshot') &&
        p.id
      )
        return t(`api.not_found.${p.what}`, { id: p.id });
      return generic(t('api.not_found'));
    case 'site_unit_mismatch':
      if (p.site && p.claimed && p.heldBy) return t('api.site_unit_mismatch', p);
      return t('api.site_unit_mismatch.short', { heldBy: p.heldBy ?? '?' });
    case 'meeting_clash':
      return t('api.meeting_clash', {
        id: p.id ?? '?',
        title: p.title ?? '',
        on: t(p.on === 'room' ? 'api.meeting_clash.room' : 'api.meeting_clash.bridge'),
        what: p.what ?? '',
        start: p.start ? peopleTime(p.start, opts.timeZone) : '?',
        end: p.end ? peopleTime(p.end, opts.timeZone) : '?',
      });
    case 'short_notice':
      return t('api.short_notice', {
        unit: p.unit ?? '?',
        hours: p.hours ?? '?',
        rule: p.rule ? t('api.short_notice.rule', { unit: p.rule }) : t('api.short_notice.default'),
        ahead: p.ahead ?? '?',
      });
    case 'concurrent_change':
      return t('api.concurrent_change', { id: p.id ?? '?' });
    case 'invalid_transition': {
      if (p.what === 'meeting') {
        if (p.why === 'postpone_running') return t('api.meeting_transition.running', { id: p.id ?? '?' });
        const known = MEETING_WORDS.has(p.status ?? '');
        return t('api.meeting_transition', {
          id: p.id ?? '?',
          status: known ? t(`meeting.status.${p.status}` as MessageKey) : (p.status ?? '?'),
        });
      }
      const status =
        p.status && STATUSES.has(p.status) ? t(`incident.status.${p.status}` as MessageKey) : '?';
      return t('api.invalid_transition', { id: p.id ?? '?', status });
    }
    case 'idempotency_key_reused':
    case 'body_too_large':
    case 'unsupported_media_type':
    case 'busy':
    case 'reply_too_large':
      return t(`api.${f.code}`);
    case 'redirect':
    case 'not_json':
    case 'no_id':
      return t(`api.${f.code}`, { status: f.status });
    case 'bad_request': {
      const field = f.field ? terminalText(f.field) : undefined;
      if (field && (p.why === 'clock_past' || p.why === 'clock_future'))
        return t(`api.bad_request.${p.why}`, { field });
      if (p.why === 'no_participants') return t('api.why.no_participants');
      if (p.why === 'unknown_site') return t('api.why.unknown_site', { id: p.id ?? '?' });
      if (p.why === 'unknown_bridge')
        return p.known
          ? t('api.why.unknown_bridge', { bridge: p.bridge ?? '?', known: p.known })
          : t('api.why.unknown_bridge.none', { bridge: p.bridge ?? '?' });
      if (field && p.why && MEETING_WHYS.has(p.why)) return t(`api.why.${p.why}` as MessageKey, { field });
      if (field && p.why && FIELD_WHYS.has(p.why))
        return t(`api.field.${p.why}` as MessageKey, { ...p, field });
      return generic(field ? t('api.bad_request', { field }) : t('api.bad_request.nofield'));
    }
  }
  if (f.status === 401) return t('api.unauthorized.unknown');
  if (f.status >= 500) return t('api.server', { status: f.status });
  return generic(t('api.other', { code: terminalText(f.code) }));
}

/** Why the registry could not be reached, in the user's words, with the network code kept for whoever helps. */
export function netErrorText(t: Translator, code: string | undefined, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return t('api.net.refused', { code });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return t('api.net.no_name', { code });
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return t('api.net.timeout', { code });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return t('api.net.reset', { code });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return t('api.net.no_route', { code });
  }
  // A certificate's reason, or a code this client does not word: as the system said it.
  return terminalText(code ?? message);
}
