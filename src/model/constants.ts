/**
 * The fixed words and patterns of the data model as plain constants, with no
 * import at all: the CLI's flag wiring lists them in --help and as choices,
 * and `--help` must load nothing else (docs/architecture.md, start-up cost).
 * The schemas in this folder are built from them.
 */

/** A check's status. */
export const STATUSES = ['pass', 'warn', 'fail', 'skip', 'error'] as const;

/** A site's verdict (docs/architecture.md, the engine). */
export const VERDICTS = ['ready', 'degraded', 'not-ready', 'unknown'] as const;

/** Administrative level of a site. */
export const SITE_LEVELS = ['trung_uong', 'tinh', 'huyen', 'xa', 'so_nganh'] as const;

/** Languages a profile may ask for. */
export const LOCALES = ['vi', 'en'] as const;

/** Incident categories: codes are the same in both languages (JSON, CSV, the API). */
export const INCIDENT_CATEGORIES = [
  'khong_hinh',
  'khong_tieng',
  'mat_ket_noi',
  'tieng_vong',
  'hu_rit',
  'tieng_re',
  'tre_tieng',
  'chap_chon',
  'su_co_duong_truyen',
  'mat_dien',
  'su_co_mcu',
  'khac',
] as const;

/** critical: the meeting is blocked; major: it goes on degraded; minor: noticed, no real effect. */
export const SEVERITIES = ['critical', 'major', 'minor'] as const;

/** What the fault did to the meeting (the chair may postpone, cancel or reschedule: QĐ 45/2018). */
export const EFFECTS = ['none', 'postponed', 'cancelled', 'rescheduled'] as const;

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;

/** What a registry token may do (coordinator: books meetings under its unit, docs/meetings.md). */
export const ROLES = ['technician', 'viewer', 'admin', 'coordinator'] as const;

/** A meeting's kind: emergency meetings (đột xuất, khẩn cấp) are exempt from the notice rule (docs/meetings.md). */
export const MEETING_KINDS = ['regular', 'emergency'] as const;

/** A meeting's status; active (holding its bridge and room) = scheduled or in-progress. */
export const MEETING_STATUSES = ['scheduled', 'in-progress', 'done', 'cancelled', 'postponed'] as const;

/** Marks a meeting carries: why it was let through a rule, or that it is an emergency. */
export const MEETING_FLAGS = ['emergency', 'short_notice_allowed', 'clash_allowed', 'recorded'] as const;

/** Ids of sites, checks and bridges: lower-case letters, digits, ".", "_" and "-"; at most 64 characters. */
export const ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

/** A unit's place in the hierarchy, e.g. thanh-hoa/bim-son/ubnd. */
export const UNIT_PATTERN = '^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$';

/** "500ms", "3s", "45m", "1h", "1h30m" (a bare number of seconds is a number, not this). */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$';

/**
 * A Vietnamese phone number: 0 or +84, then 9 or 10 digits (mobiles 09x/08x/07x/05x/03x,
 * landlines with a 02xx area code); spaces, dots, dashes and brackets between digits are
 * allowed ("0912 345 678", "(0237) 385 0000", "+84 912 345 678"). docs/sites.md.
 */
export const VN_PHONE_PATTERN = '^\\(?(\\+84|0)([ .()-]*[0-9]){9,10}$';

/** An e-mail address: something@domain.tld, no spaces (the register checks the shape, not the mailbox). */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';

/** Expected meeting hours, local to the site: "07:30-11:30" or several, "07:30-11:30, 13:30-17:00". */
export const HOURS_PATTERN =
  '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9](, ?([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9])*$';

/** What an alert rule watches (docs/alerts.md, events); each has a `recovered` message. */
export const ALERT_EVENTS = [
  'site-not-ready',
  'site-degraded',
  'site-stale',
  'incident-filed',
  'incident-unresolved',
  'meeting-at-risk',
] as const;

/** Channel kinds (docs/alerts.md, channels). */
export const CHANNEL_KINDS = ['email', 'webhook', 'zalo-bot', 'zalo-oa', 'telegram'] as const;

/** A delivery's states (docs/alerts.md, the log). */
export const DELIVERY_STATES = ['pending', 'sent', 'failed', 'held', 'digest'] as const;

/** Most runs in one POST /v1/runs:batch; more is a 413 (the client splits its queue well below). */
export const MAX_BATCH_RUNS = 1000;

/** A batch body may be this many times the registry's body limit for one request. */
export const BATCH_BODY_FACTOR = 8;

export const RUN_BATCH_PATH = '/v1/runs:batch';
