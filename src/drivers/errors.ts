/** DriverErrors shared by the HTTP drivers. Messages name the host and the user, never the password. */
import { DriverError } from '../errors.js';
import type { Translator } from '../i18n/index.js';
import { DRIVER_ERRORS } from './types.js';

export function authError(t: Translator, host: string, user: string): DriverError {
  return new DriverError(DRIVER_ERRORS.auth, t('codec.err.auth', { host, user }), {
    hint: t('codec.hint.auth'),
  });
}

/** An HTTP status that means "no": 401, 403, or anything else at or above 400. */
export function httpError(
  t: Translator,
  host: string,
  user: string,
  status: number,
  what: string,
): DriverError {
  if (status === 401) return authError(t, host, user);
  if (status === 403) {
    return new DriverError(DRIVER_ERRORS.forbidden, t('codec.err.forbidden', { host, user }), {
      hint: t('codec.hint.forbidden'),
    });
  }
  return new DriverError(DRIVER_ERRORS.http, t('codec.err.http', { host, status, what }), {
    hint: t('codec.hint.http'),
  });
}

export function badReply(t: Translator, host: string, what: string, reason: string): DriverError {
  return new DriverError(DRIVER_ERRORS.badReply, t('codec.err.bad_reply', { host, what, reason }), {
    hint: t('codec.hint.bad_reply'),
  });
}

export function configError(t: Translator, driver: string, field: string): DriverError {
  return new DriverError(DRIVER_ERRORS.config, t('codec.err.config', { driver, field }), {
    hint: t('codec.hint.config'),
    exitCode: 3,
  });
}

/** What a model can lack: each has a `codec.what.*` name in the catalogues. */
export type ReportedFact =
  | 'registration'
  | 'cameras'
  | 'microphones'
  | 'touch_panels'
  | 'diagnostics'
  | 'power';

/** This model has no such path (404 on a path only some generations have): a skip, not an error. */
export function notReported(t: Translator, fact: ReportedFact, path: string): DriverError {
  return new DriverError(
    DRIVER_ERRORS.notReported,
    t('codec.err.not_reported', { what: t(`codec.what.${fact}`), path }),
  );
}

/** The reply had no such node: the codec said nothing about it (a warning, never a pass). */
export function saidNothing(t: Translator, fact: ReportedFact, node: string): DriverError {
  return new DriverError(
    DRIVER_ERRORS.silent,
    t('codec.err.silent', { what: t(`codec.what.${fact}`), node }),
    {
      hint: t('codec.hint.silent'),
    },
  );
}
