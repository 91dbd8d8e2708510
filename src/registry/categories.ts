/**
 * The incident vocabulary of DESIGN.md section 6: codes are the same in both
 * languages (JSON, CSV, the API); labels are what technicians say. Light on
 * purpose: the CLI prompts and the server both import it.
 */

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
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<IncidentCategory, { vi: string; en: string }> = {
  khong_hinh: { vi: 'Không có hình', en: 'No picture' },
  khong_tieng: { vi: 'Không có tiếng', en: 'No sound' },
  mat_ket_noi: { vi: 'Mất kết nối', en: 'Connection lost' },
  tieng_vong: { vi: 'Tiếng vọng', en: 'Echo' },
  hu_rit: { vi: 'Hú rít', en: 'Feedback howl' },
  tieng_re: { vi: 'Âm thanh rè/nhỏ', en: 'Crackly or quiet sound' },
  tre_tieng: { vi: 'Trễ tiếng / lệch hình', en: 'Audio delay / out of sync' },
  chap_chon: { vi: 'Chập chờn / đứng hình', en: 'Intermittent / frozen picture' },
  su_co_duong_truyen: { vi: 'Sự cố đường truyền', en: 'Transmission-line fault' },
  mat_dien: { vi: 'Mất điện', en: 'Power cut' },
  su_co_mcu: { vi: 'Sự cố MCU', en: 'MCU fault' },
  khac: { vi: 'Khác', en: 'Other' },
};

/** critical: the meeting is blocked; major: it goes on degraded; minor: noticed, no real effect. */
export const SEVERITIES = ['critical', 'major', 'minor'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the fault did to the meeting (the chair may postpone, cancel or reschedule: QĐ 45/2018). */
export const EFFECTS = ['none', 'postponed', 'cancelled', 'rescheduled'] as const;
export type Effect = (typeof EFFECTS)[number];

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Allowed moves: forward only; a quick fix may go straight from open to resolved. */
export const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
};

export function canMove(from: IncidentStatus, to: IncidentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const ROLES = ['technician', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
